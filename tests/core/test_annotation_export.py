"""Markdown and W3C Web Annotation out; W3C back in, merged by id."""

from __future__ import annotations

import json

import orjson
import pytest

from viewer.core.annotations import (
    AnnotationFormatError,
    AnnotationStore,
    read_w3c,
    to_markdown,
    to_w3c,
    to_w3c_bytes,
)

TEXTS = {
    "alpha": "Alpha Agency\nAlpha took part in the event.\nIt was reported by the paper in March.",
    "paper": "The Paper\nAbout Alpha Agency and The Event.\nA second line\nwith a > sign.",
}


def texts(note: str) -> str | None:
    return TEXTS.get(note)


@pytest.fixture
def store(tmp_path) -> AnnotationStore:
    store = AnnotationStore.open(tmp_path / "one")
    store.add_quote("alpha", TEXTS["alpha"], "took part in the event", comment="Key fact.\nSecond line.",
                    tags=["police", "timeline"], colour="blue")
    store.add_quote("paper", TEXTS["paper"], "A second line\nwith a > sign", tags=["odd"])
    store.add_quote("alpha", TEXTS["alpha"], "reported by the paper")
    return store


def test_markdown_groups_by_note_with_quotes_comments_tags_and_wikilinks(store):
    titles = {"alpha": "Alpha Agency", "paper": "The Paper"}
    md = to_markdown(store.all(), titles.get)
    assert md.startswith("# Annotations\n\n3 annotations in 2 notes, exported ")
    body = md.split("\n\n", 2)[2]
    assert body == (
        "## Alpha Agency\n\n"
        "> took part in the event\n\n"
        "Key fact.\nSecond line.\n\n"
        "Tags: #police, #timeline · Note: [[alpha|Alpha Agency]]\n\n"
        "> reported by the paper\n\n"
        "Note: [[alpha|Alpha Agency]]\n\n"
        "## The Paper\n\n"
        "> A second line\n> with a &gt; sign\n\n"  # escaped: the text is never markup
        "Tags: #odd · Note: [[paper|The Paper]]\n"
    )


def test_markdown_marks_orphans_and_falls_back_to_ids(store):
    store.reanchor("paper", "All new text.")
    md = to_markdown(store.all())
    assert "## paper\n" in md and "Note: [[paper]] · *orphaned" in md


def test_w3c_collection_carries_both_selectors_bodies_and_the_note(store):
    doc = to_w3c(store.all())
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 3
    items = doc["first"]["items"]
    assert doc["first"]["type"] == "AnnotationPage" and len(items) == 3
    first = store.all()[0]
    item = next(i for i in items if i["id"] == f"urn:uuid:{first.id}")
    assert item["type"] == "Annotation" and item["motivation"] == "commenting"
    assert item["body"] == [
        {"type": "TextualBody", "value": "Key fact.\nSecond line.", "purpose": "commenting",
         "format": "text/plain"},
        {"type": "TextualBody", "value": "police", "purpose": "tagging"},
        {"type": "TextualBody", "value": "timeline", "purpose": "tagging"},
    ]
    assert item["target"] == {
        "source": "alpha", "styleClass": "blue",
        "selector": [
            {"type": "TextQuoteSelector", "exact": "took part in the event", "prefix": first.prefix,
             "suffix": first.suffix},
            {"type": "TextPositionSelector", "start": first.start, "end": first.end},
        ],
    }
    assert item["created"] == first.created and item["modified"] == first.modified
    json.loads(to_w3c_bytes(store.all()))  # plain JSON too


def test_export_then_import_into_an_empty_folder_gives_the_same_annotations(store, tmp_path):
    data = to_w3c_bytes(store.all())
    fresh = AnnotationStore.open(tmp_path / "two")
    result = fresh.merge(read_w3c(data), texts)
    assert (result.added, result.updated, result.unchanged) == (3, 0, 0)
    assert fresh.all() == store.all()
    assert AnnotationStore.open(tmp_path / "two").all() == store.all()


def test_importing_twice_adds_nothing_twice(store, tmp_path):
    data = to_w3c_bytes(store.all())
    result = store.merge(read_w3c(data), texts)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 3) and not result.changes
    assert len(store) == 3


def test_a_later_modification_wins_and_the_import_is_undoable(store, tmp_path):
    theirs = AnnotationStore.open(tmp_path / "classmate")
    theirs.merge(read_w3c(to_w3c_bytes(store.all())), texts)
    target = store.all()[0]
    theirs.update(target.id, comment="Their better comment")
    theirs.add_quote("alpha", TEXTS["alpha"], "Alpha Agency", comment="new one")
    result = store.merge(read_w3c(to_w3c_bytes(theirs.all())), texts)
    assert (result.added, result.updated, result.unchanged) == (1, 1, 2)
    assert store.get(target.id).comment == "Their better comment"
    older = read_w3c(to_w3c_bytes(store.all()))
    store.update(target.id, comment="Mine again")
    assert store.merge(older, texts).updated == 0  # an older copy does not win
    store.undo()
    store.undo()
    assert len(store) == 3 and store.get(target.id).comment == "Key fact.\nSecond line."


def test_import_places_each_annotation_in_the_current_text(store, tmp_path):
    data = to_w3c_bytes(store.all())
    changed = {"alpha": "Preface.\n" + TEXTS["alpha"], "paper": "Nothing left of it."}
    fresh = AnnotationStore.open(tmp_path / "two")
    result = fresh.merge(read_w3c(data), changed.get)
    [orphan] = result.orphaned
    assert fresh.get(orphan).note == "paper"
    for a in fresh.for_note("alpha"):
        assert changed["alpha"][a.start:a.end] == a.exact and a.status == "anchored"


@pytest.mark.parametrize(("data", "message"), [
    (b"{not json", "not valid JSON"),
    (b'"a string"', "expected a JSON object"),
    (b'{"type": "Something"}', "not an AnnotationCollection"),
    (b'{"type": "AnnotationCollection", "total": 2, "first": "https://example.org/page1"}', "first page"),
    (b'[{"type": "Annotation", "target": {"source": "n"}}]', "item 1: the target has no TextQuoteSelector"),
    (b'[{"type": "Annotation"}]', "item 1: no target"),
    (b'[{"type": "Note"}]', "item 1: not an object of type Annotation"),
    (b'[{"type": "Annotation", "target": {"selector": {"type": "TextQuoteSelector", "exact": "x"}}}]',
     "no source"),
    (b'[{"type": "Annotation", "target": {"source": "n", "selector": [{"type": "TextQuoteSelector",'
     b' "exact": "x"}, {"type": "TextPositionSelector", "start": 5, "end": 2}]}}]', "start <= end"),
    (b'[{"type": "Annotation", "body": {"type": "TextualBody", "value": 3}, "target": {"source": "n",'
     b' "selector": {"type": "TextQuoteSelector", "exact": "x"}}}]', "no text 'value'"),
    (b'[{"type": "Annotation", "target": {"source": "n", "styleClass": ["yellow"],'
     b' "selector": {"type": "TextQuoteSelector", "exact": "x"}}}]', "item 1: the target's 'styleClass'"),
    (b'[{"type": "Annotation", "target": {"source": "n", "styleClass": {"c": 1},'
     b' "selector": {"type": "TextQuoteSelector", "exact": "x"}}}]', "'styleClass'"),
    (b'[{"type": "Annotation", "target": {"source": "note:",'
     b' "selector": {"type": "TextQuoteSelector", "exact": "x"}}}]', "no source"),
])
def test_malformed_files_are_refused_with_a_reason(data, message):
    with pytest.raises(AnnotationFormatError, match=message):
        read_w3c(data)


def test_a_malformed_item_anywhere_refuses_the_whole_file(store):
    doc = to_w3c(store.all())
    doc["first"]["items"].append({"type": "Annotation", "target": {"source": "x"}})
    with pytest.raises(AnnotationFormatError, match="item 4"):
        read_w3c(orjson.dumps(doc))


def test_other_shapes_and_items_without_ids_are_read(store):
    item = {"type": "Annotation", "body": "https://example.org/a-link",
            "target": {"source": "note:alpha",
                       "selector": {"type": "TextQuoteSelector", "exact": "the event"}}}
    [a] = read_w3c(orjson.dumps({"type": "AnnotationPage", "items": [item]}))
    [b] = read_w3c(orjson.dumps(item))
    assert a == b and a.note == "alpha" and a.comment == "" and a.colour == "yellow"
    items = to_w3c(store.all())["first"]["items"]
    flat = read_w3c(orjson.dumps({"type": "AnnotationCollection", "items": items}))
    assert sorted(x.id for x in flat) == sorted(x.id for x in store.all())


def test_a_list_valued_style_class_anywhere_refuses_the_whole_file_and_changes_nothing(store):
    doc = to_w3c(store.all())
    doc["first"]["items"][1]["target"]["styleClass"] = ["pink", "blue"]
    before = store.path.read_bytes()
    with pytest.raises(AnnotationFormatError, match="item 2"):
        store.merge(read_w3c(orjson.dumps(doc)), texts)
    assert store.path.read_bytes() == before and not store.can_redo
