"""The kept page shown before the notes are read: only while the files of the notes it shows are unchanged."""

from __future__ import annotations

import json
import os

import pytest

from viewer.core import KnowledgeBase, start_page
from viewer.core.page import note_page


def keep(kb: KnowledgeBase, note_id: str) -> str:
    """Make the page of `note_id` and keep it with its note's title, as the window does."""
    page = note_page(kb, note_id)
    start_page.save(kb.store_path, note_id, kb.page_state, page, start_page.page_deps(kb, note_id),
                    kb.get(note_id).title)
    return page


def append(path, text: str = "\nMore.\n") -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_kept_page_and_its_title_come_back_before_the_notes_are_read(small_kb, tmp_path):
    store = tmp_path / "store.json"
    page = keep(KnowledgeBase.open(small_kb, store), "alpha")
    assert start_page.early(store, small_kb, "alpha") == (page, "Alpha Agency", "alpha.md")
    assert start_page.early(store, small_kb, "paper") is None  # the last note read is another
    assert start_page.early(tmp_path / "other.json", small_kb, "alpha") is None  # nothing kept


def test_an_edit_to_a_note_the_page_shows_makes_it_wait_for_the_notes(small_kb, tmp_path):
    store = tmp_path / "store.json"
    (small_kb / "quote.md").write_text("# Quote\n\nA line worth quoting.\n", encoding="utf-8")
    append(small_kb / "alpha.md", "\n![[quote]]\n")
    for edited in ("alpha.md", "quote.md", "paper.md"):  # itself, the note it embeds, its source
        keep(KnowledgeBase.open(small_kb, store), "alpha")
        assert start_page.early(store, small_kb, "alpha") is not None, edited
        append(small_kb / edited)
        assert start_page.early(store, small_kb, "alpha") is None, edited
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    (small_kb / "quote.md").unlink()
    assert start_page.early(store, small_kb, "alpha") is None  # gone


def test_what_only_the_notes_can_tell_is_checked_once_they_are_read(small_kb, tmp_path):
    """A linked note's new title leaves the early page shown; the page checked with the notes is made again."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    event = small_kb / "events" / "the-event.md"
    append(event)  # a note the page links to but does not show
    assert start_page.early(store, small_kb, "alpha") is not None
    event.write_text(event.read_text(encoding="utf-8").replace("title: The Event", "title: The Incident"),
                     encoding="utf-8")
    assert start_page.early(store, small_kb, "alpha") is not None
    assert start_page.load(KnowledgeBase.open(small_kb, store), "alpha") is None


def test_the_code_that_made_it_must_be_the_same(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    monkeypatch.setattr(start_page, "_code_stamp", "another version")
    assert start_page.early(store, small_kb, "alpha") is None


def rewrite(store, **changes) -> None:
    path = start_page.page_file(store)
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_no_file_outside_the_folder_is_read(small_kb, tmp_path):
    """A kept file naming a path out of the folder, even one holding the same bytes, is refused."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    deps = json.loads(start_page.page_file(store).read_text(encoding="utf-8"))["deps"]
    path, digest = deps["notes"]["alpha"]
    outside = tmp_path / "outside.md"
    outside.write_bytes((small_kb / path).read_bytes())  # the same bytes: only where it is tells them apart
    (small_kb / "linked.md").symlink_to(outside)
    for elsewhere in ("../outside.md", str(outside), "linked.md"):
        rewrite(store, deps={**deps, "notes": {**deps["notes"], "alpha": [elsewhere, digest]}})
        assert start_page.early(store, small_kb, "alpha") is None, elsewhere
    rewrite(store, deps=deps)
    assert start_page.early(store, small_kb, "alpha") is not None


def test_pages_showing_more_than_the_limit_wait_for_the_notes(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    sizes = [os.path.getsize(small_kb / name) for name in ("alpha.md", "paper.md")]
    monkeypatch.setattr(start_page, "EARLY_BYTES", sum(sizes))
    assert start_page.early(store, small_kb, "alpha") is not None
    monkeypatch.setattr(start_page, "EARLY_BYTES", sum(sizes) - 1)
    assert start_page.early(store, small_kb, "alpha") is None


@pytest.mark.parametrize("change", [
    {"deps": None}, {"deps": []}, {"deps": {}}, {"deps": {"notes": []}}, {"deps": {"notes": {"alpha": None}}},
    {"deps": {"notes": {"alpha": [1, 2]}}}, {"deps": {"notes": {"alpha": ["alpha.md"]}}},
    {"deps": {"notes": {"paper": ["paper.md", "0"]}}}, {"page": 3}, {"note": "paper"}, {"state": None},
    {"deps": {"notes": {"alpha": ["alpha\0.md", "0"]}}}, {"page": "<p>x</p><script>alert(1)</script>"},
])
def test_a_damaged_or_hostile_kept_file_is_refused_without_raising(small_kb, tmp_path, change):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    rewrite(store, **change)
    assert start_page.early(store, small_kb, "alpha") is None


def test_a_title_that_is_not_text_reads_as_the_note_id(small_kb, tmp_path):
    store = tmp_path / "store.json"
    page = keep(KnowledgeBase.open(small_kb, store), "alpha")
    for title in (None, 3, "Alpha \ud800"):
        rewrite(store, title=title)
        assert start_page.early(store, small_kb, "alpha") == (page, "alpha", "alpha.md")


def test_nothing_outside_the_folder_is_even_opened(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    deps = json.loads(start_page.page_file(store).read_text(encoding="utf-8"))["deps"]
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n", encoding="utf-8")
    (small_kb / "linked.md").symlink_to(outside)
    opened: list[str] = []
    real = os.open
    monkeypatch.setattr(os, "open", lambda path, *args, **kwargs: (opened.append(str(path)), real(path, *args, **kwargs))[1])
    for elsewhere in ("../outside.md", str(outside), "linked.md"):
        rewrite(store, deps={**deps, "notes": {**deps["notes"], "alpha": [elsewhere, "0"]}})
        assert start_page.early(store, small_kb, "alpha") is None
    assert opened and not [path for path in opened if not (path.startswith(str(small_kb.resolve()))
                                                          or path == str(start_page.page_file(store)))]


def test_a_page_showing_more_notes_than_the_limit_waits_for_the_notes(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    monkeypatch.setattr(start_page, "EARLY_FILES", 2)  # alpha and its source
    assert start_page.early(store, small_kb, "alpha") is not None
    monkeypatch.setattr(start_page, "EARLY_FILES", 1)
    assert start_page.early(store, small_kb, "alpha") is None


def test_a_pipe_in_place_of_a_note_or_of_the_kept_file_never_blocks(small_kb, tmp_path):
    import threading

    def early_within(seconds: float):
        found: list = []
        worker = threading.Thread(target=lambda: found.append(start_page.early(store, small_kb, "alpha")), daemon=True)
        worker.start()
        worker.join(seconds)
        assert not worker.is_alive(), "blocked on a pipe"
        return found[0]

    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    (small_kb / "paper.md").unlink()
    os.mkfifo(small_kb / "paper.md")  # nothing ever writes to it: a read would wait for ever
    assert early_within(5) is None
    start_page.page_file(store).unlink()
    os.mkfifo(start_page.page_file(store))
    assert early_within(5) is None


def test_the_page_shown_early_is_not_sanitised_again_once_the_notes_are_read(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(small_kb, store), "alpha")
    calls = []
    real = start_page.sanitise
    monkeypatch.setattr(start_page, "sanitise", lambda html: (calls.append(1), real(html))[1])
    page = start_page.early(store, small_kb, "alpha")[0]
    assert start_page.load(KnowledgeBase.open(small_kb, store), "alpha") == page
    assert len(calls) == 1
    start_page.page_file(store).write_text(start_page.page_file(store).read_text().replace("Alpha", "Alpah"))
    assert start_page.early(store, small_kb, "alpha") is not None and len(calls) == 2  # another page: checked
