"""The links panel looks for a note's unlinked mentions in a worker thread, and shows only the newest note's."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from viewer.core import KnowledgeBase
from viewer.ui.panels.links import FINDING

from conftest import mentions_found, rendered, shown_window, write_kb
from test_window import click_index


def section_rows(window, name: str) -> list[str]:
    model = window.links.model
    for row in range(model.rowCount()):
        item = model.item(row)
        if item.text().startswith(name):
            return [item.text()] + [item.child(r).text() for r in range(item.rowCount())]
    return []


def held_lookups(monkeypatch, kb, held_note: str):
    """Make `kb.unlinked_mentions` wait for a release when asked about `held_note`; record the threads asked in."""
    release = threading.Event()
    threads: list[str] = []
    real = kb.unlinked_mentions

    def lookup(note_id: str):
        threads.append(threading.current_thread().name)
        if note_id == held_note:
            release.wait(10)
        return real(note_id)

    monkeypatch.setattr(kb, "unlinked_mentions", lookup)
    return release, threads


def test_mentions_are_looked_for_off_the_window_thread_and_filled_in_when_found(qtbot, reader_kb, monkeypatch):
    release, threads = held_lookups(monkeypatch, reader_kb, "alpha")
    window = shown_window(qtbot, reader_kb)
    mentions_found(qtbot, window)
    click_index(qtbot, window.links.tree, window.links.index_of("Links", "alpha"))  # the reader opens a link
    rendered(qtbot, window)
    assert window.current_id == "alpha" and window.links.mentions_pending
    assert section_rows(window, "Unlinked mentions") == ["Unlinked mentions", FINDING]
    assert window.links.entries("Backlinks")  # the rest of the panel does not wait for them
    release.set()
    mentions_found(qtbot, window)
    assert section_rows(window, "Unlinked mentions")[0] == "Unlinked mentions (1)"
    assert threads and threading.main_thread().name not in threads
    window.links.tree.setFocus()
    window.links.tree.setCurrentIndex(window.links.index_of("Unlinked mentions", "bystander"))
    qtbot.keyClick(window.links.tree, Qt.Key.Key_Return)  # the mention found opens its note
    assert window.current_id == "bystander"
    window.close()


def test_the_mentions_of_a_note_left_meanwhile_are_not_shown(qtbot, reader_kb, monkeypatch):
    release, _ = held_lookups(monkeypatch, reader_kb, "alpha")
    window = shown_window(qtbot, reader_kb)
    window.open_note("alpha")
    rendered(qtbot, window)
    window.open_note("overview")
    rendered(qtbot, window)
    release.set()
    mentions_found(qtbot, window)
    qtbot.wait(50)  # the earlier look's answer, had it been sent, would be in by now
    assert window.current_id == "overview"
    assert "bystander" not in window.links.entries("Unlinked mentions")
    assert section_rows(window, "Unlinked mentions")[0] == "Unlinked mentions (0)"
    window.close()


def test_a_failed_look_for_mentions_is_said_in_the_section(qtbot, reader_kb, monkeypatch):
    def broken(note_id: str):
        raise OSError("the store could not be read")

    monkeypatch.setattr(reader_kb, "unlinked_mentions", broken)
    window = shown_window(qtbot, reader_kb)
    window.open_note("alpha")
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    rows = section_rows(window, "Unlinked mentions")
    assert rows[0] == "Unlinked mentions (0)"
    assert "Unlinked mentions could not be looked for: the store could not be read" in rows
    window.close()


def test_mentions_are_looked_for_once_the_notes_page_is_painted(qtbot, reader_kb, monkeypatch):
    window = shown_window(qtbot, reader_kb)
    mentions_found(qtbot, window)
    events: list[str] = []
    window.view.page_painted.connect(lambda: events.append("page painted"))
    real = reader_kb.unlinked_mentions

    def lookup(note_id: str):
        events.append(f"looked for {note_id}")
        return real(note_id)

    monkeypatch.setattr(reader_kb, "unlinked_mentions", lookup)
    click_index(qtbot, window.links.tree, window.links.index_of("Links", "alpha"))
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    assert events == ["page painted", "looked for alpha"]  # the lookup does not slow the note's first paint
    window.close()


def test_the_first_notes_mentions_wait_for_the_windows_first_paint(qtbot, reader_kb, monkeypatch):
    from viewer.ui.window.main_window import MainWindow

    events: list[str] = []
    real = reader_kb.unlinked_mentions

    def lookup(note_id: str):
        events.append("looked for mentions")
        return real(note_id)

    monkeypatch.setattr(reader_kb, "unlinked_mentions", lookup)
    window = MainWindow()
    qtbot.addWidget(window)
    window.view.page_painted.connect(lambda: events.append("page painted"))
    window.show()
    window.set_kb(reader_kb, "overview")  # as `kbviewer --screenshot` does: the page is kept, shown at once
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    assert events == ["page painted", "looked for mentions"]
    window.close()


def test_mentions_are_looked_for_even_when_the_note_view_is_hidden(qtbot, reader_kb):
    window = shown_window(qtbot, reader_kb)
    mentions_found(qtbot, window)
    window.show_view("timeline")  # the page is not painted while the timeline is in front
    window.view.page_painted.connect(lambda: pytest.fail("the hidden note view painted"))
    window.open_note("alpha")
    window.show_view("timeline")
    rendered(qtbot, window)
    assert window.links.mentions_pending
    mentions_found(qtbot, window)
    assert "bystander" in window.links.entries("Unlinked mentions")
    window.close()


def test_a_note_that_names_another_several_times_says_how_many(qtbot, tmp_path):
    folder = write_kb(tmp_path / "kb", {
        "overview.md": "---\ntype: overview\n---\n# Overview\n\nSee [[Gamma]].\n",
        "gamma.md": "# Gamma\n\nA note.\n",
        "paper.md": "---\ntitle: Paper\n---\nGamma said so. Later Gamma said it again.\n",
    })
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    window = shown_window(qtbot, kb)
    click_index(qtbot, window.links.tree, window.links.index_of("Links", "gamma"))  # the reader opens the link
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    assert window.current_id == "gamma"
    assert section_rows(window, "Unlinked mentions") == ["Unlinked mentions (1)", "Paper (2 mentions)"]
    window.close()


def test_mentions_found_while_the_notes_were_synced_are_not_kept(tmp_path, monkeypatch):
    from viewer.core import start_page
    from viewer.ui.panels.links import _mentions_or_why

    kb = KnowledgeBase.open(write_kb(tmp_path / "kb"), store=tmp_path / "s.json")
    real = kb.unlinked_mentions

    def synced_meanwhile(note_id):
        found = real(note_id)  # the notes as they were
        (kb.folder / "later.md").write_text("# Later\n\nAlpha Agency, named.\n", encoding="utf-8")
        kb.sync()
        return found

    monkeypatch.setattr(kb, "unlinked_mentions", synced_meanwhile)
    assert [m.source for m in _mentions_or_why(kb, "alpha")] == ["bystander"]
    assert start_page.kept_mentions(kb.store_path, "alpha", kb.mentions_state) is None
    monkeypatch.setattr(kb, "unlinked_mentions", real)
    assert [m.source for m in _mentions_or_why(kb, "alpha")] == ["bystander", "later"]
    assert start_page.kept_mentions(kb.store_path, "alpha", kb.mentions_state) == real("alpha")
