"""Note pages are made in a worker: the window stays usable while a hostile note renders, the newest note wins."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer

from viewer.core import KnowledgeBase, page
from viewer.core.render import PLAIN_NOTICE, Renderer
from viewer.ui.window.navigation import RENDERING_MESSAGE

from conftest import NOTES, rendered, shown_window, write_kb

HOSTILE = "---\ntitle: Hostile\n---\nA flood of links follows.\n\n" + "[a](" * 50_000 + "\n"


@pytest.fixture
def hostile_window(qtbot, tmp_path):

    folder = write_kb(tmp_path / "kb", {**NOTES, "hostile.md": HOSTILE})
    win = shown_window(qtbot, KnowledgeBase.open(folder, store=tmp_path / "store.json"), data_dir=tmp_path / "data")
    yield win
    win.close()


@pytest.fixture
def gate(monkeypatch):
    """Holds the worker inside the hostile note's render until set: a render that takes as long as a test needs."""
    opened = threading.Event()
    real = page.note_page  # the worker takes it from there when it makes a page

    def held(kb, note_id, toggled=frozenset()):
        if note_id == "hostile":
            opened.wait(20)
        return real(kb, note_id, toggled)
    monkeypatch.setattr(page, "note_page", held)
    yield opened
    opened.set()


def shown_pages(monkeypatch, window) -> list[str]:
    pages: list[str] = []
    real = window.view.show_page
    monkeypatch.setattr(window.view, "show_page", lambda html, css: (pages.append(html), real(html, css)))
    return pages


def test_while_a_note_renders_the_event_loop_runs_and_the_old_page_stays(qtbot, hostile_window, gate):
    window = hostile_window
    before = window.view.toPlainText()
    assert window.open_note("hostile")
    assert window.page_pending and window.current_id == "hostile"
    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(window.page_pending))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3)  # the UI thread runs its timers meanwhile
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == RENDERING_MESSAGE)
    timer.stop()
    assert all(ticks) and window.view.toPlainText() == before  # no blank page while waiting
    gate.set()
    rendered(qtbot, window)
    assert "A flood of links follows." in window.view.toPlainText()
    assert window.statusBar().currentMessage() != RENDERING_MESSAGE


def test_a_stale_page_is_dropped_when_another_note_was_opened_meanwhile(qtbot, monkeypatch, hostile_window, gate):
    window = hostile_window
    pages = shown_pages(monkeypatch, window)
    window.open_note("hostile")
    window.open_note("alpha")  # opened while the hostile note is still rendering
    assert window.current_id == "alpha"
    gate.set()
    rendered(qtbot, window)
    qtbot.wait(50)  # let any late result through, were it not dropped
    assert len(pages) == 1 and "Alpha Agency took part" in pages[0]
    assert window.shown_id == "alpha" and "flood of links" not in window.view.toPlainText()
    assert window.windowTitle().startswith("Alpha Agency")
    assert window.links.entries("Links")  # the panels follow the note shown


def test_back_while_a_page_renders_returns_to_the_note_before(qtbot, monkeypatch, hostile_window, gate):
    window = hostile_window
    window.open_note("paper")
    rendered(qtbot, window)
    pages = shown_pages(monkeypatch, window)
    window.open_note("hostile")
    window.go_back()
    assert window.current_id == "paper" and window.history.can_go_forward()
    gate.set()
    rendered(qtbot, window)
    qtbot.wait(50)
    assert window.shown_id == "paper" and all("flood of links" not in page for page in pages)
    window.go_forward()
    rendered(qtbot, window)
    assert window.shown_id == "hostile" and "A flood of links follows." in window.view.toPlainText()


def test_a_note_past_its_budget_is_shown_as_plain_text_with_a_notice(qtbot, monkeypatch, hostile_window):
    monkeypatch.setattr(Renderer, "BUDGET_S", 0.01)  # the flood cannot be laid out in time on any machine
    window = hostile_window
    ticks: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(window.page_pending))
    timer.start(0)
    window.open_note("hostile")
    rendered(qtbot, window)
    timer.stop()
    text = window.view.toPlainText()
    assert PLAIN_NOTICE in text and "[a](" * 10 in text  # the Markdown shown as written
    assert window.windowTitle().startswith("Hostile")
    assert any(ticks), "the event loop ran while the note rendered"


def test_a_search_hit_opened_in_a_rendering_note_marks_its_passage_once_shown(qtbot, hostile_window, gate):
    window = hostile_window
    window._on_hit("hostile", "A flood of links follows.")
    assert window.view._layers.get("passage", []) == []
    gate.set()
    rendered(qtbot, window)
    marks = window.view._layers.get("passage", [])
    assert marks and marks[0].cursor.selectedText() == "A flood of links follows."


def test_a_view_chosen_while_the_page_is_made_stays_when_the_page_arrives(qtbot, hostile_window, gate):
    window = hostile_window
    window.open_note("hostile")
    window.show_view("timeline")  # as --view does once the folder is loaded
    gate.set()
    rendered(qtbot, window)
    assert window.shown_id == "hostile" and window.centre.current_view == "timeline"


def test_a_note_opened_from_the_timeline_brings_the_note_view(qtbot, hostile_window, gate):
    window = hostile_window
    window.show_view("timeline")
    window.open_note("hostile")
    gate.set()
    rendered(qtbot, window)
    assert window.shown_id == "hostile" and window.centre.current_view == "note"
