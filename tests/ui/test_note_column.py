"""The note's text column: centred at most MAX_TEXT_WIDTH wide, laid out at the viewport's width."""

from __future__ import annotations

from viewer.ui.note.view import MAX_TEXT_WIDTH, MIN_SIDE_MARGIN, NoteView

WORDS = "of a note long enough to scroll, with words enough to fill a narrow column twice over and wrap."
LONG = "<h1>A long note</h1>" + "".join(f"<p>Paragraph {i} {WORDS}</p>" for i in range(200))
SHORT = "<h1>A short note</h1><p>One line.</p>"


def _side(view: NoteView) -> float:
    return view.document().rootFrame().frameFormat().leftMargin()


def _expected_side(view: NoteView) -> int:
    return max(MIN_SIDE_MARGIN, (view.viewport().width() - MAX_TEXT_WIDTH) // 2)


def _shown(qtbot, width: int) -> NoteView:
    view = NoteView()
    qtbot.addWidget(view)
    view.resize(width, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_long_page_is_laid_out_in_its_column_at_the_viewport_width(qtbot):
    view = _shown(qtbot, 1200)
    view.show_page(LONG, "")
    qtbot.wait(20)  # the scroll bar appears and the viewport narrows
    document = view.document()
    assert view.verticalScrollBar().isVisible()
    assert document.pageSize().width() == view.viewport().width()
    assert _side(view) == _expected_side(view) > MIN_SIDE_MARGIN
    frame = document.rootFrame().frameFormat()
    assert frame.rightMargin() == _side(view)
    assert (frame.topMargin(), frame.bottomMargin()) == (14, 24)
    assert document.documentLayout().documentSize().height() > view.viewport().height()


def test_a_short_page_keeps_its_column_and_is_laid_out(qtbot):
    view = _shown(qtbot, 1200)
    view.show_page(LONG, "")
    view.show_page(SHORT, "")
    qtbot.wait(20)
    assert not view.verticalScrollBar().isVisible()
    assert view.document().pageSize().width() == view.viewport().width()
    assert _side(view) == _expected_side(view)
    assert 0 < view.document().documentLayout().documentSize().height() < view.viewport().height()


def test_resizing_the_view_moves_the_column_and_lays_the_page_out_again(qtbot):
    view = _shown(qtbot, 1200)
    view.show_page(LONG, "")
    qtbot.wait(20)
    wide = view.document().documentLayout().documentSize().height()
    view.resize(500, 600)
    qtbot.wait(20)
    assert _side(view) == MIN_SIDE_MARGIN
    assert view.document().pageSize().width() == view.viewport().width()
    assert view.document().documentLayout().documentSize().height() > wide  # narrower: more lines
