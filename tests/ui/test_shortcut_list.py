"""Help › Keyboard Shortcuts (F1): stable command names and keys a reader can type."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextTable
from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser

from conftest import rendered
from test_annotations_window import highlight, make_window


@pytest.fixture
def window(qtbot, reader_kb, tmp_path):
    win = make_window(qtbot, reader_kb, tmp_path / "data")
    yield win
    win.close()


def shortcut_rows(qtbot, window) -> dict[str, str]:
    """Press F1 and read the list as shown: command name -> keys."""
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, QDialog) and w.isVisible() and w.windowTitle() == "Keyboard shortcuts"]
    assert len(dialogs) == 1
    table = dialogs[0].findChild(QTextBrowser).document().rootFrame().childFrames()[0]
    assert isinstance(table, QTextTable)

    def cell(row: int, column: int) -> str:
        return table.cellAt(row, column).firstCursorPosition().block().text()

    rows = {cell(row, 1): cell(row, 2) for row in range(table.rows() - 1, 0, -1)}  # first one wins
    dialogs[0].close()
    return rows


def test_f1_lists_menu_names_and_readable_keys_only(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    highlight(qtbot, window, "took part in the event")
    assert window.actions_.undo_annotation.text().replace("&", "") != "Undo"  # names the change
    rows = shortcut_rows(qtbot, window)
    assert rows["Undo"] == "Ctrl+Z"
    assert rows["Redo"].startswith("Ctrl+")
    assert "Ctrl+Shift+Z" in rows["Redo"]
    assert rows["Copy"] == "Ctrl+C"
    assert rows["Reload Notes"] == "F5"
    assert rows["Go to Note"] == "Ctrl+K, Ctrl+O"
    assert rows["Keyboard Shortcuts"] == "F1"
    assert rows["Highlight"] == "Ctrl+Shift+H"
    assert not any(name.startswith(("Undo ", "Redo ")) or "…" in name or "&" in name for name in rows)
    for keys in rows.values():
        for key in keys.split(", "):
            assert not re.fullmatch(r"F(1[3-9]|2\d|3[0-5])", key), keys
            assert key not in ("Copy", "Undo", "Redo", "Refresh", "Find", "Back", "Forward", "Help",
                               "Ctrl+Ins", "Shift+Del", "Alt+Backspace"), keys
