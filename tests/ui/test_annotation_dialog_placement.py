"""The highlight dialog is placed clear of the passage it quotes: below it, else above it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QTextCursor

from viewer.ui.annotations.dialog import CLEARANCE, clear_position

from conftest import rendered
from test_annotations_window import CTRL_SHIFT, data, kb, select_text, window  # noqa: F401 (fixtures)

SCREEN = QRect(0, 0, 1200, 800)


def selection_on_screen(view) -> QRect:
    """The selection's start and end cursor rectangles, united, in global coordinates."""
    selection = view.textCursor()
    rects = []
    for position in (selection.selectionStart(), selection.selectionEnd()):
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        rects.append(view.cursorRect(cursor))
    rect = rects[0].united(rects[1])
    return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())


def test_the_dialog_opens_below_a_passage_near_the_top_without_covering_it(qtbot, window):
    window.open_note("long")
    rendered(qtbot, window)
    select_text(window.view, "Paragraph 1 says something")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    assert dialog is not None and dialog.isVisible()
    passage = selection_on_screen(window.view)
    assert passage.isValid()
    assert not dialog.frameGeometry().intersects(passage)
    assert dialog.frameGeometry().top() > passage.bottom()  # below: the passage is near the top
    assert dialog.frameGeometry().top() - passage.bottom() <= CLEARANCE + 1
    assert window.view.screen().availableGeometry().contains(dialog.frameGeometry())
    dialog.reject()


def test_a_passage_where_qt_would_centre_the_dialog_is_left_uncovered(qtbot, window):
    window.open_note("long")
    rendered(qtbot, window)
    view = window.view
    middle = view.cursorForPosition(QPoint(60, view.viewport().height() * 2 // 3))
    middle.select(QTextCursor.SelectionType.BlockUnderCursor)
    view.setTextCursor(middle)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    assert dialog is not None and dialog.isVisible()
    passage = selection_on_screen(view)
    assert not dialog.frameGeometry().intersects(passage)
    assert view.screen().availableGeometry().contains(dialog.frameGeometry())
    dialog.reject()


def test_the_dialog_stays_non_blocking(qtbot, window):
    window.open_note("long")
    rendered(qtbot, window)
    select_text(window.view, "Paragraph 1 says something")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    dialog.reject()


def test_below_when_it_fits():
    spot = clear_position(QSize(400, 300), QRect(100, 100, 200, 20), SCREEN)
    assert spot == QPoint(100, 120 + CLEARANCE)


def test_above_when_below_does_not_fit():
    avoid = QRect(100, 600, 200, 20)
    spot = clear_position(QSize(400, 300), avoid, SCREEN)
    assert spot == QPoint(100, 600 - CLEARANCE - 300)
    assert not QRect(spot, QSize(400, 300)).intersects(avoid)


def test_none_when_neither_fits():
    assert clear_position(QSize(400, 500), QRect(100, 300, 200, 100), SCREEN) is None


def test_kept_on_the_screen_sideways():
    spot = clear_position(QSize(400, 300), QRect(1000, 100, 150, 20), SCREEN)
    assert spot is not None and spot.x() == SCREEN.right() + 1 - 400
    spot = clear_position(QSize(400, 300), QRect(-50, 100, 150, 20), SCREEN)
    assert spot is not None and spot.x() == 0
