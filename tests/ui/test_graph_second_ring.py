"""At depth 2 the notes two links away are drawn as secondary: smaller, lighter, muted labels."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from viewer.ui.views.graph_scene import SECOND_LEGEND, type_colour, washed

from test_graph_view import _depth, _show, _view, kb  # noqa: F401 (fixture)


def _saturation_gap(colour: QColor, base: QColor) -> int:
    return abs(colour.red() - base.red()) + abs(colour.green() - base.green()) + abs(colour.blue() - base.blue())


def test_depth_two_nodes_are_smaller_and_lighter_than_depth_one(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    _depth(qtbot, view, 2)
    near, far = view.node_item("agency"), view.node_item("far")
    assert near.node.depth == 1 and far.node.depth == 2
    assert far.is_secondary and not near.is_secondary
    assert far.node.radius < near.node.radius
    assert far.boundingRect().height() < near.boundingRect().height()
    assert far.shape().boundingRect().width() < near.shape().boundingRect().width()
    base = view.scene.palette().color(QPalette.ColorRole.Base)
    assert far.fill() != type_colour(far.node.type)  # washed, yet its type's hue
    assert _saturation_gap(far.fill(), base) < _saturation_gap(type_colour(far.node.type), base)
    assert near.fill() == type_colour(near.node.type)


def test_legend_and_status_say_two_links_away_is_lighter(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    assert SECOND_LEGEND not in view.legend.text()
    _depth(qtbot, view, 2)
    assert SECOND_LEGEND in view.legend.text()
    assert "2 links away, shown lighter" in view.status.text()
    _depth(qtbot, view, 1)
    assert SECOND_LEGEND not in view.legend.text() and "lighter" not in view.status.text()


def test_washed_moves_towards_the_background():
    colour, white, black = QColor("#3a86c8"), QColor("#ffffff"), QColor("#000000")
    assert washed(colour, white).lightness() > colour.lightness()
    assert washed(colour, black).lightness() < colour.lightness()
    assert washed(colour, white, 0.0) == colour
