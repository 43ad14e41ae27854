"""The highlight dialog saves with Ctrl+Enter wherever the focus is in it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from conftest import rendered
from test_annotations_window import CTRL_SHIFT, make_window, select_text

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, reader_kb, tmp_path):
    win = make_window(qtbot, reader_kb, tmp_path / "data")
    yield win
    win.close()


def open_dialog(qtbot, window, text: str):
    window.open_note("alpha")
    rendered(qtbot, window)
    select_text(window.view, text)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def saved(window) -> list[tuple[str, list[str], str]]:
    return [(a.exact, list(a.tags), a.colour) for a in window.annotations.store.for_note("alpha")]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_ctrl_enter_in_the_tags_field_saves(qtbot, window, key):
    dialog = open_dialog(qtbot, window, "took part in the event")
    dialog.tags.setFocus()
    qtbot.keyClicks(dialog.tags, "police")
    qtbot.keyClick(dialog.tags, key, CTRL)
    assert window.annotations.dialog is None
    assert saved(window) == [("took part in the event", ["police"], "yellow")]


def test_ctrl_enter_after_clicking_a_swatch_saves(qtbot, window):
    dialog = open_dialog(qtbot, window, "took part in the event")
    swatch = dialog.swatch("green")
    qtbot.mouseClick(swatch, Qt.MouseButton.LeftButton)
    qtbot.keyClick(swatch, Qt.Key.Key_Return, CTRL)
    assert window.annotations.dialog is None
    assert saved(window) == [("took part in the event", [], "green")]


def test_ctrl_enter_in_the_comment_still_saves_without_a_new_line(qtbot, window):
    dialog = open_dialog(qtbot, window, "took part in the event")
    qtbot.keyClicks(dialog.comment, "Key")
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, CTRL)
    assert window.annotations.dialog is None
    assert [a.comment for a in window.annotations.store.for_note("alpha")] == ["Key"]
