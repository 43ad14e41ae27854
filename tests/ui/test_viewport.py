"""A scroll area's viewport size, kept from its resizes, is the viewport's size in every style."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QProxyStyle, QStyle

from viewer.ui.note.view import NoteView
from viewer.ui.rich_text import WrappingTreeView

LONG = "<h1>A long note</h1>" + "".join(f"<p>Paragraph {i} of a note long enough to scroll.</p>" for i in range(300))


class Overlay(QProxyStyle):
    """Scroll bars drawn over the content, as macOS shows them: the viewport keeps its width."""

    def styleHint(self, hint, option=None, widget=None, data=None):  # noqa: N802 (Qt override)
        if hint == QStyle.StyleHint.SH_ScrollBar_Transient:
            return 1
        return super().styleHint(hint, option, widget, data)

    def pixelMetric(self, metric, option=None, widget=None):  # noqa: N802 (Qt override)
        if metric == QStyle.PixelMetric.PM_ScrollView_ScrollBarOverlap:
            return super().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, option, widget)
        return super().pixelMetric(metric, option, widget)


def _filled(area, lines: int) -> None:
    if isinstance(area, NoteView):
        area.show_page(LONG if lines > 1 else "<p>One line.</p>", "")
    else:
        model = QStandardItemModel(area)
        for i in range(lines):
            model.appendRow(QStandardItem(f"row {i}"))
        area.setModel(model)


@pytest.mark.parametrize("make", [NoteView, WrappingTreeView])
@pytest.mark.parametrize("lines", [1, 300])
@pytest.mark.parametrize("setting", ["plain", "overlay", "always on"])
def test_the_kept_size_is_the_viewport_size(qtbot, make, lines, setting):
    area = make()
    qtbot.addWidget(area)
    if setting == "overlay":
        style = Overlay("Fusion")
        for widget in (area, area.verticalScrollBar(), area.horizontalScrollBar()):
            widget.setStyle(style)
    elif setting == "always on":
        area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    area.resize(420, 300)
    area.show()
    qtbot.waitExposed(area)
    _filled(area, lines)
    qtbot.wait(30)
    _filled(area, lines)  # again, with the scroll bar already there: no resize follows
    qtbot.wait(30)
    assert area.viewport_size() == area.viewport().size()
    if isinstance(area, NoteView):  # laid out beside the scroll bar, shown or not (a steady gutter)
        assert area.document().pageSize().width() == area.page_width()
        beside = area.maximumViewportSize().width()
        if setting != "always on":
            beside -= area.verticalScrollBar().sizeHint().width()
        assert area.page_width() == beside
        if setting != "overlay" and area.verticalScrollBar().isVisible():
            assert area.page_width() == area.viewport().width()


def test_a_view_never_shown_gives_its_inside(qtbot):
    area = WrappingTreeView()
    qtbot.addWidget(area)
    area.resize(300, 200)
    assert area.viewport_size() == area.maximumViewportSize()
