"""A scroll area's viewport size, worked out without the viewport widget, is the viewport's size."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTextBrowser, QTreeView

from viewer.ui.note.view import NoteView
from viewer.ui.rich_text import WrappingTreeView
from viewer.ui.viewport import viewport_size


@pytest.mark.parametrize("make", [QTextBrowser, QTreeView, NoteView, WrappingTreeView])
@pytest.mark.parametrize("lines", [1, 400])
def test_the_size_matches_the_viewport_with_and_without_a_scroll_bar(qtbot, make, lines):
    area = make()
    qtbot.addWidget(area)
    area.resize(420, 300)
    area.show()
    qtbot.waitExposed(area)
    if isinstance(area, QTextBrowser):
        area.setHtml("<p>" + "<br>".join(f"line {i}" for i in range(lines)) + "</p>")
    else:
        from PySide6.QtGui import QStandardItem, QStandardItemModel

        model = QStandardItemModel(area)
        for i in range(lines):
            model.appendRow(QStandardItem(f"row {i}"))
        area.setModel(model)
    qtbot.wait(30)
    assert area.verticalScrollBar().isVisible() == (lines > 1)
    assert viewport_size(area) == area.viewport().size()


def test_a_hidden_area_gives_its_inside_less_nothing(qtbot):
    area = QTreeView()
    qtbot.addWidget(area)
    area.resize(300, 200)
    assert viewport_size(area).width() == area.maximumViewportSize().width()
