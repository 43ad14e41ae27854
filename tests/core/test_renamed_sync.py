"""A few files edited in place that change a title or alias: the names and the links that may name
them are worked out again, not every link, and the notes end as a fresh open would have them."""

from __future__ import annotations

import pytest
from edits import touch, write_notes

from tests.core.test_partial_sync import picture as links_picture
from viewer.core import KnowledgeBase, kept_names, linking
from viewer.core import kb as kb_module


@pytest.fixture
def folder(tmp_path):
    """Notes naming each other by title, alias, file name and folder, with same-named files and sources."""
    return write_notes(tmp_path / "kb", {
        "hub.md": "# Hub\n\nSee [[Number One]], [[Deux]], [[a/The Third]] and [[smith]]. Also [[Nowhere]], "
                  "[[number  one.md]] and [[Chief]].\n",
        "one.md": "---\ntitle: Number One\naliases: [First]\nsources: [The Paper]\n---\nBack to [[hub]].\n",
        "two.md": "---\ntitle: Number Two\naliases: [Deux, Second]\n---\nAbout [[First]] and [[hub]].\n",
        "three.md": "---\ntitle: The Third\n---\nOnly [[Second]].\n",
        "paper.md": "---\ntitle: The Paper\ntype: source\n---\nAbout [[Number Two]].\n",
        "a/Smith.md": "---\ntitle: Smith in A\naliases: [Chief]\n---\nLinks [[two]].\n",
        "b/Smith.md": "# Smith in b\n\nNothing but [[Smith in A]].\n",
    })


def picture(kb):
    """What a reader sees of the names, links and problems."""
    return (*links_picture(kb), [(n.id, n.title, n.aliases) for n in kb],
            [kb.resolve(name) and kb.resolve(name).id for name in NAMES])


NAMES = ["Number One", "First", "Deux", "Second", "The Third", "The Paper", "Chief", "Nowhere", "Uno", "smith",
         "Smith in A", "Hub", "one", "Premier", "Paper"]

EDITS = [
    {"one.md": "---\ntitle: Uno\naliases: [First]\nsources: [The Paper]\n---\nBack to [[hub]].\n"},  # links break
    {"three.md": "---\ntitle: Nowhere\n---\nNow named as the broken link.\n"},  # a broken link resolves
    {"two.md": "---\ntitle: Number Two\naliases: [Second]\n---\nAbout [[First]].\n"},  # an alias dropped
    {"two.md": "---\ntitle: Number Two\naliases: [Deux, Second, First]\n---\nClaims another's alias.\n"},
    {"one.md": "---\ntitle: Number Two\n---\nTakes another's title.\n"},  # a name claimed twice
    {"one.md": "---\ntitle: Number Two\n---\nSwapped.\n",  # two files swap their titles
     "two.md": "---\ntitle: Number One\naliases: [Deux]\n---\nSwapped too.\n"},
    {"three.md": "---\ntitle: three\n---\nIts title now its file's name.\n"},
    {"paper.md": "---\ntitle: Paper Two\ntype: source\n---\nThe source renamed.\n"},  # a source breaks
    {"three.md": "---\ntitle: Hub\n---\nA title another note's file has.\n"},  # the file name wins
    {"a/Smith.md": "---\ntitle: Smith in A\n---\nDrops [[Chief]], links it.\n"},
    {"b/Smith.md": "---\ntitle: Premier\naliases: [Chief, First]\n---\nSame-named file, new names.\n"},
    {"two.md": "---\ntitle: Deux\naliases: [Number Two, Second]\n---\nA title and an alias swapped.\n"},
    {"paper.md": "---\ntitle: Chief\ntype: source\n---\nClaims another's alias as its title.\n"},
    {"paper.md": "---\ntitle: Paper\naliases: [nowhere]\ntype: source\n---\nA broken link elsewhere resolves.\n"},
]


@pytest.mark.parametrize("edit", EDITS, ids=[" + ".join(e) + f" {i}" for i, e in enumerate(EDITS)])
def test_a_renamed_note_ends_as_a_fresh_open_without_resolving_every_link(folder, tmp_path, monkeypatch, edit):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(folder, store=store)
    built, resolved = [], []
    monkeypatch.setattr(kb_module, "NameIndex", lambda notes: built.append(1))  # a full build would call it
    real = linking.Linking._resolve

    def resolve(self, note, record):
        resolved.append(note.id)
        return real(self, note, record)

    monkeypatch.setattr(linking.Linking, "_resolve", resolve)
    saved = []
    monkeypatch.setattr(kept_names, "save", lambda *args: saved.append(1))  # the kept names written whole
    for path, text in edit.items():
        touch(folder / path, text)
    result = kb.sync()
    monkeypatch.undo()
    assert result.changed == len(edit) and built == [] and saved == []
    assert len(resolved) < len(kb)  # not every note's links
    fresh = KnowledgeBase.open(folder, store=tmp_path / "other.json")
    assert picture(kb) == picture(fresh)
    again = KnowledgeBase.open(folder, store=store)
    assert not again.last_sync.touched and picture(again) == picture(fresh)
    with kept_names.open_names(store) as kept:  # the kept names follow, only their parts naming them written
        for name in NAMES:
            assert kept.names.resolve(name) == fresh._names.resolve(name), name
        for note in fresh:
            assert kept.note(note.id) == (note.path, note.title)


def test_a_renamed_note_is_resolved_again_only_where_it_may_be_named(folder, tmp_path, monkeypatch):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    resolved = []
    real = linking.Linking._resolve
    monkeypatch.setattr(linking.Linking, "_resolve", lambda self, note, record: (resolved.append(note.id),
                                                                                real(self, note, record))[1])
    touch(folder / "three.md", "---\ntitle: Third of Three\n---\nOnly [[Second]].\n")
    kb.sync()
    assert sorted(resolved) == ["hub", "three"]  # its own links, and the one note naming its old title


POOL = ["Number One", "First", "Deux", "Second", "Chief", "Nowhere", "hub", "Smith", "one", "The Paper"]
TEXTS = {"one.md": "Back to [[hub]].", "two.md": "About [[First]] and [[hub]].", "three.md": "Only [[Second]].",
         "paper.md": "About [[Number Two]].", "a/Smith.md": "Links [[two]] and [[Chief]]."}


def test_any_run_of_renames_ends_as_a_fresh_open(folder, tmp_path):
    """Titles and aliases drawn from names the notes link by, file names and each other's (and a file
    skipped for its id): after each sync of one or two renamed notes, the same names, links and
    problems as a fresh open."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    (folder / "HUB.md").write_text("# Skipped\n\n[[Chief]], [[First]] and [[a/Deux]].\n", encoding="utf-8")  # hub's id
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(folder, store=store)
    names = st.lists(st.sampled_from(POOL), max_size=2, unique=True)
    rename = st.tuples(st.sampled_from(sorted(TEXTS)), st.sampled_from(POOL), names)

    runs = iter(range(10**6))

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(rename, min_size=1, max_size=2, unique_by=lambda r: r[0]))
    def check(renames):
        for path, title, aliases in renames:
            touch(folder / path, f"---\ntitle: {title}\naliases: [{', '.join(aliases)}]\n---\n{TEXTS[path]}\n")
        kb.sync()
        fresh = KnowledgeBase.open(folder, store=tmp_path / f"fresh-{next(runs)}" / "s.json")
        assert picture(kb) == picture(fresh)
        with kept_names.open_names(store) as kept:
            for name in NAMES + POOL:
                assert kept.names.resolve(name) == fresh._names.resolve(name), name

    check()


@pytest.mark.parametrize("many", [False, True])
def test_notes_showing_a_changed_title_as_a_link_are_found_by_it(folder, tmp_path, monkeypatch, many):
    """A bare link reads as its note's title, in the page and in the index: a new title is searched."""
    if many:  # a sync of more files than a partial one takes: every link resolved again
        monkeypatch.setattr(kb_module, "PARTIAL_BUILD", 0)
    (folder / "four.md").write_text("# Four\n\nOnly [[three]], a bare link.\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert "four" in [hit.note_id for hit in kb.search("Third")]
    touch(folder / "three.md", "---\ntitle: Ultramarine\n---\nOnly [[Second]].\n")
    kb.sync()
    assert "four" in [hit.note_id for hit in kb.search("Ultramarine")]


FORMS = {  # a link looked up by another form of its name than the one that finds a note now
    "by its last part": ({"ip.md": "# IP\n", "hub.md": "See [[TCP/IP]].\n", "net.md": "---\ntitle: Net\n---\nx\n"},
                         {"net.md": "---\ntitle: TCP/IP\n---\nx\n"}),
    "with .md": ({"a.md": "---\ntitle: Foo\n---\nx\n", "hub.md": "See [[Foo.md]].\n", "c.md": "---\ntitle: C\n---\ny\n"},
                 {"c.md": "---\ntitle: Foo.md\n---\ny\n"}),
    "a title before an alias": ({"a.md": "---\ntitle: A\naliases: [Foo.md]\n---\nx\n", "hub.md": "See [[Foo.md]].\n",
                                 "c.md": "---\ntitle: C\n---\ny\n"}, {"c.md": "---\ntitle: Foo\n---\ny\n"}),
}


@pytest.mark.parametrize("form", FORMS)
def test_a_link_found_by_another_form_of_a_new_name_leads_to_it(tmp_path, form):
    notes, edit = FORMS[form]
    folder = write_notes(tmp_path / "kb", notes)
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    before = [link.target_id for link in kb.outgoing("hub")]
    for path, text in edit.items():
        touch(folder / path, text)
    kb.sync()
    fresh = KnowledgeBase.open(folder, store=tmp_path / "fresh.json")
    assert [link.target_id for link in kb.outgoing("hub")] == [link.target_id for link in fresh.outgoing("hub")] != before
    assert links_picture(KnowledgeBase.open(folder, store=tmp_path / "s.json")) == links_picture(fresh)


def test_a_bare_link_leading_elsewhere_or_nowhere_is_indexed_again(folder, tmp_path):
    """`two` shows [[First]] as the title of the note it leads to: once no note is named so, as written."""
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert "two" in [hit.note_id for hit in kb.search("number one")]
    touch(folder / "one.md", "---\ntitle: Number One\nsources: [The Paper]\n---\nBack to [[hub]].\n")
    kb.sync()
    assert "two" not in [hit.note_id for hit in kb.search("number one")]
    assert "two" in [hit.note_id for hit in kb.search("first")]


def test_a_file_skipped_for_its_id_stays_out_of_the_links_after_a_rename(folder, tmp_path):
    """`HUB.md` and `hub.md` take ids that differ only by case: the second is skipped, and its links
    are nobody's, after a rename as at a fresh open."""
    (folder / "HUB.md").write_text("# Other hub\n\nAlso [[Number One]] and [[Uno]].\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert any(d.code == "duplicate-id" for d in kb.diagnostics)
    touch(folder / "one.md", "---\ntitle: Uno\naliases: [First]\nsources: [The Paper]\n---\nBack to [[hub]].\n")
    kb.sync()
    fresh = KnowledgeBase.open(folder, store=tmp_path / "fresh.json")
    assert picture(kb) == picture(fresh)
