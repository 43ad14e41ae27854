"""Rows drawn from HTML (links and search panels): the style's selection under the row's own text."""

from __future__ import annotations

from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel

from viewer.ui import rich_text
from viewer.ui.rich_text import HTML_ROLE, WrappingTreeView


def _colours(view, row) -> set[int]:
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.model().index(row, 0))
    return {image.pixel(x, y) for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom())}


def test_a_selected_row_has_the_highlight_and_its_text_in_the_highlighted_text_colour(qtbot):
    view = WrappingTreeView()
    qtbot.addWidget(view)
    model = QStandardItemModel()
    view.setModel(model)
    for i in range(3):
        item = QStandardItem(f"plain {i}")  # the display text, not drawn over the HTML
        item.setData(f"<b>Row {i}</b> and a few words", HTML_ROLE)
        model.appendRow(item)
    view.resize(320, 200)
    view.show()
    qtbot.waitExposed(view)
    view.setCurrentIndex(model.index(1, 0))
    palette = view.palette()
    highlight = palette.color(QPalette.ColorRole.Highlight).rgb()
    on_highlight = palette.color(QPalette.ColorRole.HighlightedText).rgb()
    selected, other = _colours(view, 1), _colours(view, 0)
    assert highlight in selected and on_highlight in selected
    assert highlight not in other and palette.color(QPalette.ColorRole.Text).rgb() in other


def _rows_view(qtbot, texts, width=320):
    view = WrappingTreeView()
    qtbot.addWidget(view)
    model = QStandardItemModel()
    view.setModel(model)
    for text in texts:
        item = QStandardItem()
        item.setData(text, HTML_ROLE)
        model.appendRow(item)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_row_is_laid_out_once_for_its_size_and_its_paints(qtbot, monkeypatch):
    made = []

    class Counted(rich_text.QTextDocument):
        def setHtml(self, html):  # noqa: N802 (Qt override)
            made.append(html)
            super().setHtml(html)

    monkeypatch.setattr(rich_text, "QTextDocument", Counted)
    view = _rows_view(qtbot, [f"<b>Row {i}</b> and a few words" for i in range(4)])
    for _ in range(3):
        view.viewport().grab()  # painted there and then
    assert sorted(made) == sorted(f"<b>Row {i}</b> and a few words" for i in range(4))  # each read once


def test_a_narrower_view_wraps_its_rows_again(qtbot):
    words = "<b>A title</b> " + "and a sentence that goes on " * 6
    view = _rows_view(qtbot, [words], width=900)
    index = view.model().index(0, 0)
    wide = view.visualRect(index).height()
    view.resize(200, 300)
    qtbot.waitUntil(lambda: view.visualRect(index).height() > wide)  # laid out at the new width, not the kept one


def test_only_the_rows_laid_out_last_are_kept(qtbot, monkeypatch):
    monkeypatch.setattr(rich_text, "KEPT_DOCUMENTS", 3)
    view = _rows_view(qtbot, [f"<b>Row {i}</b> and a few words" for i in range(6)])
    view.viewport().grab()
    kept = view.itemDelegate()._kept
    assert len(kept) == 3  # a long list's memory is bounded
    assert [key[0] for key in kept] == [f"<b>Row {i}</b> and a few words" for i in range(3, 6)]  # the last painted
