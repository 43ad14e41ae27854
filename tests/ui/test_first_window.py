"""The window opens offscreen and follows an internal link when it is clicked."""

from viewer.core import KnowledgeBase

from conftest import rendered, shown_window
from linkclick import click_link


def test_window_opens_note_and_follows_a_clicked_link(qtbot, small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    window = shown_window(qtbot, kb)
    assert window.open_note("alpha")
    rendered(qtbot, window)
    assert "Alpha Agency" in window.windowTitle()
    click_link(qtbot, window.view, "note:the-event")
    qtbot.waitUntil(lambda: window.current_id == "the-event")
    rendered(qtbot, window)
    assert "The Event" in window.windowTitle()
    assert "The AA was there" in window.view.toPlainText()
