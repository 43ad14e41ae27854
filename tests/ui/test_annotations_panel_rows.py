"""The annotations panel's rows: the empty-note message wraps; a selected row keeps its swatch visible."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFontMetrics

from viewer.core.annotations import COLOURS, AnnotationStore
from viewer.ui.annotations.panel import EMPTY_NOTE, AnnotationsPanel

from test_annotations_window import add


@pytest.fixture
def panel(qtbot, reader_kb, tmp_path):
    data = tmp_path / "data"
    add(reader_kb, data, "alpha", "took part in the event", colour="yellow")
    widget = AnnotationsPanel()
    qtbot.addWidget(widget)
    widget.resize(240, 400)
    widget.set_store(AnnotationStore.open(data))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_empty_note_message_wraps_instead_of_being_cut(qtbot, panel):
    panel.show_note("paper")
    tree = panel.note_tree
    index = panel.note_model.index(0, 0)
    assert index.data() == EMPTY_NOTE
    line = QFontMetrics(tree.font()).lineSpacing()
    assert QFontMetrics(tree.font()).horizontalAdvance(EMPTY_NOTE) > tree.viewport().width()  # too long for a line
    qtbot.waitUntil(lambda: tree.visualRect(index).height() >= 2 * line)
    assert tree.visualRect(index).right() <= tree.viewport().width()


def distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def test_the_swatch_of_a_selected_row_has_a_contrasting_frame(qtbot, panel):
    panel.show_note("alpha")
    tree = panel.note_tree
    index = panel.note_model.index(0, 0)
    tree.setFocus()
    tree.setCurrentIndex(index)
    assert tree.selectionModel().isSelected(index)
    rect = tree.visualRect(index)
    image = tree.viewport().grab(rect).toImage()
    swatch = QColor(COLOURS["yellow"])
    spots = [(x, y) for y in range(image.height()) for x in range(min(60, image.width()))
             if distance(image.pixelColor(x, y), swatch) < 12]
    assert spots, "the swatch is drawn"
    left = min(x for x, _ in spots)
    ys = sorted(y for x, y in spots if x == left)
    middle = ys[len(ys) // 2]
    background = image.pixelColor(rect.width() - 3, middle)  # the selection colour as drawn
    edge = image.pixelColor(left - 1, middle)
    assert distance(edge, background) > 150 and distance(edge, swatch) > 150
