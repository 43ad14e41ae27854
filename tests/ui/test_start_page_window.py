"""The first page after a start is the one kept from the last session, when nothing has changed."""

from __future__ import annotations

import pytest

from tests.ui.conftest import mentions_found, rendered, shown_window
from viewer.core import KnowledgeBase, page, start_page
from viewer.core.search import index_path
from viewer.core.search.index import PENDING_FILE


@pytest.fixture
def made_pages(monkeypatch):
    """The note ids whose page the worker made."""
    made: list[str] = []
    real = page.note_page  # the worker takes it from there when it makes a page

    def counted(kb, note_id, toggled=frozenset()):
        made.append(note_id)
        return real(kb, note_id, toggled)

    monkeypatch.setattr(page, "note_page", counted)
    return made


def test_the_next_start_shows_the_kept_page_without_making_it(qtbot, reader_kb, made_pages):
    first = shown_window(qtbot, reader_kb)
    shown = first.view.toPlainText()
    first.close()
    assert made_pages == ["overview"] and start_page.page_file(reader_kb.store_path).exists()

    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    second = shown_window(qtbot, again)
    assert made_pages == ["overview"]  # not made again
    assert second.view.toPlainText() == shown and second.current_id == "overview"
    second.open_note("alpha")
    rendered(qtbot, second)
    assert made_pages == ["overview", "alpha"] and "Founded long ago" in second.view.toPlainText()
    second.close()


def test_a_changed_folder_makes_the_page_again(qtbot, reader_kb, made_pages):
    shown_window(qtbot, reader_kb).close()
    (reader_kb.folder / "paper.md").write_text("---\ntitle: The Newspaper\ntype: source\n---\nText.\n", encoding="utf-8")
    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    window = shown_window(qtbot, again)
    assert made_pages == ["overview", "overview"]
    assert "The Newspaper" in window.view.toHtml()  # the overview links to the paper by its new title
    window.close()


def test_a_change_to_a_note_the_page_does_not_show_keeps_it(qtbot, reader_kb, made_pages):
    first = shown_window(qtbot, reader_kb)
    shown = first.view.toHtml()
    first.close()
    (reader_kb.folder / "unlinked.md").write_text("# Unlinked\n\nNo link names this note.\n", encoding="utf-8")
    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    assert again.last_sync.added == 1
    window = shown_window(qtbot, again)
    assert made_pages == ["overview"] and window.view.toHtml() == shown
    window.close()


def test_a_folded_callout_is_not_kept(qtbot, reader_kb, made_pages):
    window = shown_window(qtbot, reader_kb)
    kept = start_page.page_file(reader_kb.store_path).read_bytes()
    window.toggled["overview"] = {1}
    window.open_note("overview")
    rendered(qtbot, window)
    assert made_pages == ["overview", "overview"]
    assert start_page.page_file(reader_kb.store_path).read_bytes() == kept
    window.close()


def test_a_kept_page_is_in_the_view_when_the_knowledge_base_is_set(qtbot, reader_kb):
    """No frame of panels filled around an empty note: the kept page is shown with them."""
    from viewer.ui.window.main_window import MainWindow

    first = shown_window(qtbot, reader_kb)
    shown = first.view.toPlainText()
    first.close()
    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_kb(again)  # no event loop turn after this
    assert not window.page_pending
    assert window.view.toPlainText() == shown and window.links.note_id == "overview"
    window.close()


def test_on_screen_the_kept_page_comes_in_its_own_turn(qtbot, reader_kb, made_pages):
    """Once the window is painted, filling the panels and laying out the page are two stalls, not one."""
    window = shown_window(qtbot, reader_kb)  # on screen
    window.open_note("alpha")
    rendered(qtbot, window)
    shown = window.view.toPlainText()
    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    window.set_kb(again)  # opens alpha again, the last note read: its page was kept
    assert window.page_pending  # not laid out within set_kb
    qtbot.waitUntil(lambda: not window.page_pending)
    assert window.view.toPlainText() == shown and made_pages == ["overview", "alpha"]  # the kept one
    window.close()


def named_in(kb: KnowledgeBase, name: str, text: str) -> KnowledgeBase:
    """`kb`'s folder with one more note, `name`, holding `text`, opened again."""
    (kb.folder / f"{name}.md").write_text(f"# {name.title()}\n\n{text}\n", encoding="utf-8")
    return KnowledgeBase.open(kb.folder, kb.store_path)


def test_the_next_start_lists_the_kept_mentions_without_looking_again(qtbot, reader_kb, monkeypatch):
    kb = named_in(reader_kb, "later", "The Story Overview is named here, not linked.")
    first = shown_window(qtbot, kb)
    mentions_found(qtbot, first)
    listed = first.links.entries("Unlinked mentions")
    first.close()
    assert listed == ["later"]

    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    monkeypatch.setattr(again, "unlinked_mentions", lambda note_id: pytest.fail("looked for mentions again"))
    second = shown_window(qtbot, again)
    assert not second.links.mentions_pending
    assert second.links.entries("Unlinked mentions") == listed
    second.close()


def test_a_changed_folder_looks_for_the_mentions_again(qtbot, reader_kb):
    first = shown_window(qtbot, named_in(reader_kb, "later", "The Story Overview is named here."))
    mentions_found(qtbot, first)
    first.close()
    second = shown_window(qtbot, named_in(reader_kb, "latest", "The Story Overview, once more."))
    assert second.links.mentions_pending
    mentions_found(qtbot, second)
    assert second.links.entries("Unlinked mentions") == ["later", "latest"]
    second.close()


def test_after_an_edit_elsewhere_the_kept_mentions_are_brought_up_to_date_without_the_index(qtbot, reader_kb,
                                                                                            monkeypatch):
    first = shown_window(qtbot, named_in(reader_kb, "later", "The Story Overview is named here."))
    mentions_found(qtbot, first)
    first.close()
    bystander = reader_kb.folder / "bystander.md"
    bystander.write_text(bystander.read_text(encoding="utf-8") + "\nThe Story Overview, once more.\n",
                         encoding="utf-8")
    again = KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)
    monkeypatch.setattr(again, "unlinked_mentions", lambda note_id: pytest.fail("looked up in the index"))
    second = shown_window(qtbot, again)
    mentions_found(qtbot, second)
    assert second.links.entries("Unlinked mentions") == ["bystander", "later"]
    assert (index_path(again.store_path) / PENDING_FILE).exists()  # the edit is still to be indexed
    second.close()


@pytest.mark.parametrize("change", [None, "note", "image"])
def test_a_page_made_while_the_notes_were_synced_is_not_kept(qtbot, reader_kb, monkeypatch, change):
    """Its header could be the note as it was and its body the note as it is, or its record of what it
    looked up could come from a later render: not a page to keep."""
    from viewer.ui.note.rendering import PageSignals, PageTask
    from viewer.ui.workers import Latest

    real = reader_kb.render

    def synced_first(note_id, toggled=frozenset()):
        if change == "note":
            (reader_kb.folder / "overview.md").write_text("---\ntitle: Renamed\n---\nRewritten.\n", encoding="utf-8")
        elif change == "image":  # no note changes: the store keeps its revision
            (reader_kb.folder / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        if change:
            reader_kb.sync()
        return real(note_id, toggled)

    monkeypatch.setattr(reader_kb, "render", synced_first)
    latest, signals = Latest(), PageSignals()
    PageTask(reader_kb, "overview", frozenset(), latest.next(), latest, signals).run()
    assert start_page.page_file(reader_kb.store_path).exists() is (change is None)
