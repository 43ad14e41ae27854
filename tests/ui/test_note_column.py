"""The note's text column: centred at most MAX_TEXT_WIDTH wide, laid out once at the width a shown scroll bar leaves."""

from __future__ import annotations

from viewer.ui.note.view import MAX_TEXT_WIDTH, MIN_SIDE_MARGIN, NoteView

WORDS = "of a note long enough to scroll, with words enough to fill a narrow column twice over and wrap."
LONG = "<h1>A long note</h1>" + "".join(f"<p>Paragraph {i} {WORDS}</p>" for i in range(200))
SHORT = "<h1>A short note</h1><p>One line.</p>"


def _side(view: NoteView) -> float:
    return view.document().rootFrame().frameFormat().leftMargin()


def _expected_side(view: NoteView) -> int:
    return max(MIN_SIDE_MARGIN, (_beside_bar(view) - MAX_TEXT_WIDTH) // 2)


def _beside_bar(view: NoteView) -> int:
    """The viewport's width with the scroll bar shown."""
    return view.maximumViewportSize().width() - view.verticalScrollBar().sizeHint().width()


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
    assert document.pageSize().width() == view.viewport().width() == _beside_bar(view)
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
    assert view.document().pageSize().width() == _beside_bar(view) < view.viewport().width()  # the bar's room kept
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
    assert view.document().pageSize().width() == view.viewport().width()  # the scroll bar shown
    assert view.document().documentLayout().documentSize().height() > wide  # narrower: more lines


def test_the_scroll_bar_coming_or_going_does_not_lay_the_page_out_again(qtbot):
    view = _shown(qtbot, 1200)
    widths: list[int] = []
    lay_out = view.setLineWrapColumnOrWidth  # the view lays a page out by setting its line width
    view.setLineWrapColumnOrWidth = lambda width: (widths.append(width), lay_out(width))  # type: ignore[method-assign]
    view.show_page(LONG, "")  # the bar appears: the viewport narrows to the width the page was laid out at
    qtbot.wait(30)
    assert view.verticalScrollBar().isVisible()
    assert widths == [_beside_bar(view)]
    view.show_page(SHORT, "")  # the bar goes: the viewport widens, the page stays
    qtbot.wait(30)
    assert not view.verticalScrollBar().isVisible()
    assert widths == [_beside_bar(view)] * 2
    view.resize(900, 600)  # the view itself narrower: laid out again, once
    qtbot.wait(30)
    assert widths == [_beside_bar(view) + 300, _beside_bar(view) + 300, _beside_bar(view)]
