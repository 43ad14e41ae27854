"""The drawn graph: a QGraphicsScene of notes (circles in their type's colour) and links.

The core (viewer.core.graph) picks the notes and places them; this module only
draws: edges under nodes, nodes in their type's colour, labels under nodes.
Notes two links away are secondary: smaller (the core gives them a smaller
radius), their colour washed towards the background, a thinner outline and a
muted label.
Labels too small to read (the view zoomed out below LABEL_ZOOM, as a big graph
fitted to the view is) are left out; the centre and the hovered or focused node
are always labelled, then at screen size. The widget round it is in graph.py.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from viewer.core.graph import LABEL_GAP, LABEL_HEIGHT, LABEL_PADDING, Graph, GraphNode, wrap_label
from viewer.ui.panels.notes import tooltip_html

# Mid-tone colours that keep their contrast on light and on dark backgrounds.
TYPE_COLOURS: dict[str, str] = {
    "overview": "#8e6fd8",
    "organisation": "#3a86c8",
    "person": "#e07b39",
    "event": "#d4477c",
    "topic": "#2e9e6e",
    "source": "#a8892e",
}
OTHER_COLOUR = "#8a8a8a"
LABEL_ZOOM = 0.6  # below this scale labels are too small to read
SECOND_WASH = 0.5  # how far a depth-2 node's colour is mixed towards the background
SECOND_LEGEND = "lighter, smaller: 2 links away"



def type_colour(note_type: str | None) -> QColor:
    """The fixed colour of a note type (grey for none or an unknown type)."""
    return QColor(TYPE_COLOURS.get(note_type or "", OTHER_COLOUR))


def washed(colour: QColor, background: QColor, amount: float = SECOND_WASH) -> QColor:
    """`colour` mixed `amount` (0 to 1) of the way towards `background`: lighter on a
    light background, darker on a dark one, and less saturated on both."""
    def mix(a: int, b: int) -> int:
        return round(a + (b - a) * amount)

    return QColor(mix(colour.red(), background.red()), mix(colour.green(), background.green()),
                  mix(colour.blue(), background.blue()))


def muted_text(palette: QPalette) -> QColor:
    """The palette's colour for secondary text."""
    return palette.color(QPalette.ColorRole.PlaceholderText)


def _draw_label(painter: QPainter, lines: list[str], font: QFont, palette: QPalette,
                top: float, width: float, opaque: bool, text: QColor | None = None) -> None:
    """Centred lines of text on a rounded patch of the background colour."""
    rect = QRectF(-width / 2 - LABEL_PADDING, top, width + 2 * LABEL_PADDING, LABEL_HEIGHT * len(lines))
    back = QColor(palette.color(QPalette.ColorRole.Base))
    back.setAlpha(245 if opaque else 210)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(back)
    painter.drawRoundedRect(rect, 4, 4)
    painter.setFont(font)
    painter.setPen(text or palette.color(QPalette.ColorRole.Text))
    for index, line in enumerate(lines):
        line_rect = QRectF(rect.left(), top + index * LABEL_HEIGHT, rect.width(), LABEL_HEIGHT)
        painter.drawText(line_rect, Qt.AlignmentFlag.AlignCenter, line)


class NodeItem(QGraphicsItem):
    """A note: a circle in its type's colour, with its label under it."""

    def __init__(self, node: GraphNode, scene: GraphScene) -> None:
        super().__init__()
        self.node = node
        self._scene = scene
        self.setPos(node.x, node.y)
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setZValue(3 if self.is_centre else 2)
        self.setToolTip(tooltip_html(node.title, node.type or "note"))  # escaped: a title may hold markup

    @property
    def is_centre(self) -> bool:
        return self.node.depth == 0

    @property
    def is_secondary(self) -> bool:
        """Two links from the centre: drawn smaller and lighter."""
        return self.node.depth >= 2

    def fill(self) -> QColor:
        """The circle's colour: its type's, washed towards the background if secondary."""
        colour = type_colour(self.node.type)
        if self.is_secondary:
            return washed(colour, self._scene.palette().color(QPalette.ColorRole.Base))
        return colour

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        r = self.node.radius + 8  # room for the centre's halo
        half = max(r, self.node.label_width / 2 + LABEL_PADDING + 1)
        lines = max(1, len(self.node.label))
        return QRectF(-half, -r, 2 * half, r + self.node.radius + LABEL_GAP + LABEL_HEIGHT * lines + 2)

    def shape(self) -> QPainterPath:  # noqa: D102 (Qt override): clicks hit the circle only
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.node.radius + 2, self.node.radius + 2)
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        palette = self._scene.palette()
        highlight = palette.color(QPalette.ColorRole.Highlight)
        r = self.node.radius
        pen = QPen(palette.color(QPalette.ColorRole.Text), 1.0)
        if self.is_secondary:
            pen = QPen(muted_text(palette), 0.6)
        if self.is_centre:
            halo = QColor(highlight)
            halo.setAlpha(70)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(halo)
            painter.drawEllipse(QPointF(0, 0), r + 7, r + 7)
            pen = QPen(highlight, 3.0)
        if self._scene.pointed is self or self.isSelected():
            pen = QPen(highlight, 3.0)
        painter.setPen(pen)
        painter.setBrush(self.fill())
        painter.drawEllipse(QPointF(0, 0), r, r)
        if self._scene.labels_itself(self):
            _draw_label(painter, list(self.node.label), self._scene.label_font(self.is_centre),
                        palette, r + LABEL_GAP, self.node.label_width, False,
                        muted_text(palette) if self.is_secondary else None)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self._scene.set_hovered(self)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        self._scene.set_hovered(None)
        super().hoverLeaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self._scene.refresh_pointer()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._scene.refresh_pointer()

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mousePressEvent(event)
        event.accept()  # a press on a node never pans

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self.shape().contains(event.pos()):
            self._scene.node_activated.emit(self.node.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._scene.node_activated.emit(self.node.id)
            return
        super().keyPressEvent(event)


class LinesItem(QGraphicsItem):
    """Straight lines in one pen: drawn as lines, much faster than stroking one path of them."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[QLineF] = []
        self.pen = QPen()
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_lines(self, lines: list[QLineF]) -> None:
        self.prepareGeometryChange()
        self.lines = lines
        xs = [x for line in lines for x in (line.x1(), line.x2())]
        ys = [y for line in lines for y in (line.y1(), line.y2())]
        self._rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)) if lines else QRectF()
        self.update()

    def set_pen(self, pen: QPen) -> None:
        self.pen = pen
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        grow = self.pen.widthF() + 1
        return self._rect.adjusted(-grow, -grow, grow, grow)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        painter.setPen(self.pen)
        painter.drawLines(self.lines)


class FloatingLabel(QGraphicsItem):
    """A node's label drawn at screen size whatever the zoom."""

    def __init__(self, scene: GraphScene) -> None:
        super().__init__()
        self._scene = scene
        self.lines: list[str] = []
        self.bold = False
        self.width = 0.0
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(20)
        self.hide()

    def show_for(self, node: GraphNode, lines: list[str], bold: bool) -> None:
        self.prepareGeometryChange()
        self.lines, self.bold = lines, bold
        metrics = self._scene.metrics(bold)
        self.width = math.ceil(max(metrics.horizontalAdvance(line) for line in lines))
        self.setPos(node.x, node.y + node.radius)  # just under the circle
        self.show()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        half = self.width / 2 + LABEL_PADDING + 1
        return QRectF(-half, 0, 2 * half, LABEL_GAP + LABEL_HEIGHT * max(1, len(self.lines)) + 1)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None) -> None:
        _draw_label(painter, self.lines, self._scene.label_font(self.bold), self._scene.palette(),
                    LABEL_GAP, self.width, True)


class GraphScene(QGraphicsScene):
    """The drawn graph: edges under nodes, the centre highlighted.

    Signals:
        node_activated(str): a node was clicked, or Enter was pressed on it.
    """

    node_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graph: Graph | None = None
        self.items_by_id: dict[str, NodeItem] = {}
        self.zoom = 1.0
        self.labels_shown = True
        self.pointed: NodeItem | None = None  # hovered, else focused
        self._hovered: NodeItem | None = None
        self._fonts: dict[bool, QFont] = {}
        self.reset()

    def reset(self) -> None:
        """Remove everything, then add the (empty) edge layers and floating labels."""
        self.clear()
        self.graph = None
        self.items_by_id = {}
        self.pointed = self._hovered = None
        self._edges = LinesItem()  # between a note and one a step further out
        self._cross = LinesItem()  # between notes at the same depth: fainter
        self._arrows = QGraphicsPathItem()
        self._lit = QGraphicsPathItem()  # the edges of the pointed node
        for item, z in ((self._cross, 0), (self._edges, 0.2), (self._arrows, 0.5), (self._lit, 1)):
            item.setZValue(z)
            self.addItem(item)
        self._pointer_label = FloatingLabel(self)
        self._centre_label = FloatingLabel(self)
        self.addItem(self._pointer_label)
        self.addItem(self._centre_label)
        self.apply_palette()

    def label_font(self, bold: bool) -> QFont:
        if bold not in self._fonts:
            font = QFont(self.font())
            font.setBold(bold)
            self._fonts[bold] = font
        return self._fonts[bold]

    def metrics(self, bold: bool) -> QFontMetricsF:
        return QFontMetricsF(self.label_font(bold))

    def show_graph(self, graph: Graph) -> None:
        """Replace the drawing with `graph` (already laid out)."""
        self.reset()
        self.graph = graph
        for node in graph.nodes.values():
            item = NodeItem(node, self)
            self.addItem(item)
            self.items_by_id[node.id] = item
        self._draw_edges()
        left, top, right, bottom = graph.bounds()
        self.setSceneRect(QRectF(left, top, right - left, bottom - top).adjusted(-30, -30, 30, 30))
        self.set_zoom(self.zoom)

    def labels_itself(self, item: NodeItem) -> bool:
        """Whether `item` draws its own label (else a floating label does, or none)."""
        if item is self.pointed:
            return False
        if item.is_centre:
            return self.zoom >= LABEL_ZOOM
        return self.labels_shown

    def set_zoom(self, zoom: float) -> None:
        """Follow the view's scale: labels for big graphs, the centre's label."""
        self.zoom = zoom
        self.labels_shown = zoom >= LABEL_ZOOM
        self.refresh_pointer()
        self.update()

    def set_hovered(self, item: NodeItem | None) -> None:
        self._hovered = item
        self.refresh_pointer()

    def refresh_pointer(self) -> None:
        """Highlight the hovered (else focused) node: its edges and its whole title."""
        focused = self.focusItem()
        pointed = self._hovered or (focused if isinstance(focused, NodeItem) else None)
        previous, self.pointed = self.pointed, pointed
        for item in (previous, pointed):
            if item is not None:
                item.setZValue(10 if item is pointed else (3 if item.is_centre else 2))
                item.update()
        path = QPainterPath()
        if pointed is not None and self.graph is not None:
            for edge in self.graph.edges:
                if pointed.node.id in (edge.source, edge.target):
                    a, b = self.graph.nodes[edge.source], self.graph.nodes[edge.target]
                    path.moveTo(a.x, a.y)
                    path.lineTo(b.x, b.y)
            lines = list(pointed.node.label) if pointed.is_centre else \
                list(wrap_label(pointed.node.title, self.metrics(False).horizontalAdvance, 320, 4))
            self._pointer_label.show_for(pointed.node, lines, pointed.is_centre)
        else:
            self._pointer_label.hide()
        self._lit.setPath(path)
        centre = self.items_by_id.get(self.graph.centre) if self.graph is not None else None
        if centre is not None and self.zoom < LABEL_ZOOM and centre is not pointed:
            self._centre_label.show_for(centre.node, list(centre.node.label), True)
        else:
            self._centre_label.hide()

    def apply_palette(self) -> None:
        """Take colours from the scene's palette (set it from the widget first)."""
        palette = self.palette()
        self._fonts = {}
        self.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
        line = QColor(palette.color(QPalette.ColorRole.Text))
        line.setAlpha(110)
        self._edges.set_pen(QPen(line, 1.2))
        faint = QColor(line)
        faint.setAlpha(35)
        self._cross.set_pen(QPen(faint, 0.8))
        arrow = QColor(line)
        arrow.setAlpha(150)
        self._arrows.setPen(Qt.PenStyle.NoPen)
        self._arrows.setBrush(arrow)
        self._lit.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.0))
        self.update()

    def _draw_edges(self) -> None:
        assert self.graph is not None
        lines: list[QLineF] = []
        cross: list[QLineF] = []
        arrows = QPainterPath()
        for edge in self.graph.edges:
            a, b = self.graph.nodes[edge.source], self.graph.nodes[edge.target]
            if a.depth == b.depth:
                cross.append(QLineF(a.x, a.y, b.x, b.y))
                continue
            lines.append(QLineF(a.x, a.y, b.x, b.y))
            if edge.forward:  # arrowheads show which way the links go
                _arrow_head(arrows, a, b)
            if edge.backward:
                _arrow_head(arrows, b, a)
        self._edges.set_lines(lines)
        self._cross.set_lines(cross)
        self._arrows.setPath(arrows)


def _arrow_head(path: QPainterPath, start: GraphNode, end: GraphNode) -> None:
    """A small triangle touching `end`'s circle, pointing at it."""
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy)
    if length < 1:
        return
    ux, uy = dx / length, dy / length
    tip = QPointF(end.x - ux * (end.radius + 1), end.y - uy * (end.radius + 1))
    back = QPointF(tip.x() - ux * 8, tip.y() - uy * 8)
    side = QPointF(-uy * 3.5, ux * 3.5)
    path.moveTo(tip)
    path.lineTo(back + side)
    path.lineTo(back - side)
    path.closeSubpath()
