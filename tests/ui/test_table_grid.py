"""A Markdown table is drawn as a grid by its cells' own borders, not by collapsed borders (laid out sooner)."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

from viewer.core.render import Renderer
from viewer.ui.note.view import NoteView
from viewer.ui.theme import note_css

TABLE = "| Date | Event |\n|---|---|\n| 2020-01 | First |\n| 2020-02 | Second |\n"


def shown_table(qtbot, source: str):
    view = NoteView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    view.show_page(Renderer(lambda target: None).render(source), note_css(view.palette()))
    block = view.document().begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None:
            return table
        block = block.next()
    raise AssertionError("no table on the page")


def borders(table, row: int, column: int) -> tuple[float, float, float, float]:
    cell = table.cellAt(row, column).format().toTableCellFormat()
    return cell.leftBorder(), cell.topBorder(), cell.rightBorder(), cell.bottomBorder()


def test_a_markdown_table_is_drawn_by_its_cells_borders(qtbot):
    table = shown_table(qtbot, TABLE)
    assert not table.format().borderCollapse() and table.format().cellSpacing() == 0
    assert borders(table, 0, 0) == (1, 1, 1, 1)  # the header's first cell: a whole box
    assert borders(table, 0, 1) == (0, 1, 1, 1)
    assert borders(table, 1, 0) == (1, 0, 1, 1)  # the first column draws the left edge
    assert borders(table, 2, 1) == (0, 0, 1, 1)  # the others their right and bottom only


def test_a_table_written_in_html_keeps_collapsed_borders(qtbot):
    table = shown_table(qtbot, "<table><tr><td>a</td><td>b</td></tr></table>\n")
    assert table.format().borderCollapse()
    assert borders(table, 0, 1) == (1, 1, 1, 1)
