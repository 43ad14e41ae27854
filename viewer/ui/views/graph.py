"""The graph of the current note's neighbourhood: click a node to open its note.

`GraphView` is the widget: a depth switch (1 or 2 links), zoom buttons, a
legend and a summary round `GraphCanvas`, the QGraphicsView that zooms, pans
and moves between notes by keyboard. What is drawn is in graph_scene.py.

The neighbourhood is found and laid out (viewer.core.graph) in a one-thread
pool, off the UI thread, at most NODE_LIMIT notes of it; the newest request
wins (a stale one stops between pieces of its work). The UI thread only makes
the items of the notes shown.
"""

from __future__ import annotations

import html
import time

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtGui import QFocusEvent, QFont, QFontMetricsF, QKeyEvent, QPainter, QWheelEvent
from PySide6.QtWidgets import QButtonGroup, QGraphicsView, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from viewer.core.errors import Stale
from viewer.core.graph import Graph, neighbourhood
from viewer.core.kb import KnowledgeBase
from viewer.core.model import NOTE_TYPES
from viewer.ui.views.graph_scene import SECOND_LEGEND, GraphScene, NodeItem, muted_text, type_colour
from viewer.ui.workers import Latest

NODE_LIMIT = 500  # notes shown at most round one centre
ZOOM_STEP = 1.25
FINDING_MS = 250  # a graph not drawn after this long says it is being found
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0


class GraphCanvas(QGraphicsView):
    """The view of the scene: Ctrl+wheel and +/- zoom, 0 fits, drag pans,
    arrow keys move between notes, Enter opens one.

    Signals:
        zoomed(float): the scale after a zoom or a fit.
    """

    zoomed = Signal(float)

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Link graph")
        self.setAccessibleDescription("Arrow keys move between notes and Enter opens one; "
                                      "plus and minus zoom, 0 fits the graph; drag to pan.")

    def graph_scene(self) -> GraphScene:
        scene = self.scene()
        assert isinstance(scene, GraphScene)
        return scene

    def scale_factor(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        current = self.scale_factor()
        factor = min(max(current * factor, MIN_ZOOM), MAX_ZOOM) / current
        self.scale(factor, factor)
        self.zoomed.emit(self.scale_factor())

    def fit(self) -> None:
        """Show the whole graph, but never enlarge it past 1:1."""
        rect = self.sceneRect()
        self.resetTransform()
        if not rect.isEmpty():
            self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
            if self.scale_factor() > 1.0:
                self.resetTransform()
            self.centerOn(rect.center())
        self.zoomed.emit(self.scale_factor())

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP ** steps)
            event.accept()
            return
        super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.fit()
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._step_focus(1)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._step_focus(-1)
        elif key == Qt.Key.Key_Home:
            self._step_focus(0)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        scene = self.graph_scene()
        keyboard = event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
        if keyboard and scene.focusItem() is None and scene.graph is not None:
            self._step_focus(0)  # show where the arrow keys start

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override)
        # Tab leaves the graph (arrows move inside it), as for any other widget.
        return QWidget.focusNextPrevChild(self, forward)

    def _step_focus(self, step: int) -> None:
        """Focus the next (1) or previous (-1) note in graph order, or the centre (0)."""
        scene = self.graph_scene()
        items = list(scene.items_by_id.values())
        if not items:
            return
        current = scene.focusItem()
        index = items.index(current) if step and current in items else 0
        target = items[(index + step) % len(items)]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ensureVisible(target, 40, 40)


class GraphSignals(QObject):
    """Signals:
        drawn(int, object): a request number and its laid-out Graph.
        failed(int, str): a request number and what went wrong.
    """

    drawn = Signal(int, object)
    failed = Signal(int, str)


class GraphTask(QRunnable):
    """One neighbourhood, found and laid out in the graph's pool (labels measured in `fonts`)."""

    def __init__(self, kb: KnowledgeBase, note_id: str, depth: int, fonts: tuple[QFont, QFont],
                 request: int, latest: Latest, signals: GraphSignals) -> None:
        super().__init__()
        self.kb, self.note_id, self.depth, self.fonts = kb, note_id, depth, fonts
        self.request, self.latest, self.signals = request, latest, signals

    def run(self) -> None:
        def stale() -> bool:
            return self.request != self.latest.value
        if stale():
            return
        try:
            plain, bold = QFontMetricsF(self.fonts[0]), QFontMetricsF(self.fonts[1])
            graph = neighbourhood(self.kb, self.note_id, self.depth, limit=NODE_LIMIT,
                                  measure=plain.horizontalAdvance, measure_centre=bold.horizontalAdvance, stale=stale)
        except Stale:
            return
        except Exception as err:  # noqa: BLE001 (shown under the graph)
            self._send(self.signals.failed, str(err) or type(err).__name__)
            return
        self._send(self.signals.drawn, graph)

    def _send(self, signal, value) -> None:
        try:
            signal.emit(self.request, value)
        except RuntimeError:
            pass  # the view was deleted meanwhile (a new knowledge base, the window closed)


class GraphView(QWidget):
    """The neighbourhood of one note, with a depth switch, zoom and a legend.

    Signals:
        note_activated(str): a node was clicked (or Enter pressed on it).
    """

    note_activated = Signal(str)

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.note_id: str | None = None
        self.depth = 1
        self.build_seconds = 0.0  # how long the last drawing took, from the request
        self._summary = ""
        self._wanted: tuple[str, int] | None = None  # the note and depth drawn or being drawn
        self._pending = False
        self._finding_title = ""
        self._started = 0.0
        self.latest = Latest()
        self.signals = GraphSignals(self)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName("graph")
        self.scene = GraphScene(self)
        self.scene.setPalette(self.palette())
        self.scene.setFont(self.font())
        self.canvas = GraphCanvas(self.scene, self)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        depth_label = QLabel("Depth:", self)
        depth_label.setAccessibleName("Depth")
        bar.addWidget(depth_label)
        self.depth_buttons = QButtonGroup(self)
        for depth, text, tip in ((1, "1 link", "Show notes one link away"),
                                 (2, "2 links", "Show notes up to two links away")):
            button = self._tool_button(text, tip, f"Depth {depth}: {tip.lower()}")
            button.setCheckable(True)
            self.depth_buttons.addButton(button, depth)
            bar.addWidget(button)
        self.depth_buttons.button(1).setChecked(True)
        bar.addSpacing(12)
        self.zoom_out_button = self._tool_button("−", "Zoom out (minus key)", "Zoom out")
        self.zoom_in_button = self._tool_button("+", "Zoom in (plus key, Ctrl+wheel)", "Zoom in")
        self.fit_button = self._tool_button("Fit", "Fit the graph to the view (0 key)", "Fit to view")
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(button)
        bar.addStretch(1)

        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setAccessibleName("Legend: note types and their colours")
        self.status = QLabel("No note open.", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Graph summary")
        self._keep_status_height()
        self._finding = QTimer(self)  # "Finding…" only for a graph slow to come: no flicker, no resize
        self._finding.setSingleShot(True)
        self._finding.setInterval(FINDING_MS)
        self._finding.timeout.connect(self._say_finding)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        self.setAccessibleName("Graph of linked notes")
        self._connect()

    def _tool_button(self, text: str, tip: str, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(name)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _connect(self) -> None:
        self.scene.node_activated.connect(self.note_activated)
        self.depth_buttons.idClicked.connect(self.set_depth)
        self.zoom_in_button.clicked.connect(self._zoom_in)
        self.zoom_out_button.clicked.connect(self._zoom_out)
        self.fit_button.clicked.connect(self.fit)
        self.canvas.zoomed.connect(self._on_zoomed)
        self.signals.drawn.connect(self._on_drawn)
        self.signals.failed.connect(self._on_failed)

    # -- what the main window calls ---------------------------------------------

    @Slot(str)
    def show_note(self, note_id: str) -> None:
        """Draw the neighbourhood of `note_id` (a message if there is no such note)."""
        if note_id == self.note_id and self._wanted == (note_id, self.depth):
            return  # drawn already, or on its way
        self.note_id = note_id
        self._rebuild()

    def busy(self) -> bool:
        """Whether a neighbourhood is still being found and laid out."""
        return self._pending

    @Slot(int)
    def set_depth(self, depth: int) -> None:
        """Show notes 1 or 2 links away."""
        depth = 2 if depth >= 2 else 1
        self.depth_buttons.button(depth).setChecked(True)
        if depth != self.depth:
            self.depth = depth
            self._rebuild()

    @Slot()
    def fit(self) -> None:
        self.canvas.fit()

    def node_item(self, note_id: str) -> NodeItem | None:
        return self.scene.items_by_id.get(note_id)

    # -- inside -----------------------------------------------------------------

    def _rebuild(self) -> None:
        request = self.latest.next()  # anything in flight is stale now
        note = self.kb.get(self.note_id) if self.note_id else None
        if note is None:
            self._pending, self._wanted = False, None
            self._finding.stop()
            self.scene.reset()
            self._summary = f"No note '{self.note_id}'." if self.note_id else "No note open."
            self._show_status()
            self._fill_legend()
            return
        self._pending, self._wanted = True, (note.id, self.depth)
        self._started = time.perf_counter()
        fonts = (QFont(self.scene.label_font(False)), QFont(self.scene.label_font(True)))
        self._finding_title = note.title
        self._finding.start()
        self.pool.start(GraphTask(self.kb, note.id, self.depth, fonts, request, self.latest, self.signals))

    @Slot(int, object)
    def _on_drawn(self, request: int, graph: Graph) -> None:
        if request != self.latest.value:
            return  # another note or depth was asked for meanwhile
        self._pending = False
        self._finding.stop()
        self.scene.show_graph(graph)
        self.canvas.fit()
        self.build_seconds = time.perf_counter() - self._started
        self._summary = summary(graph, graph.node(graph.centre).title)
        self._show_status()
        self._fill_legend()

    @Slot(int, str)
    def _on_failed(self, request: int, message: str) -> None:
        if request != self.latest.value:
            return
        self._pending, self._wanted = False, None
        self._finding.stop()
        self.scene.reset()
        self._summary = f"The graph could not be drawn: {message}"
        self._show_status()
        self._fill_legend()

    def _fill_legend(self) -> None:
        graph = self.scene.graph
        types = {n.type for n in graph.nodes.values()} if graph is not None else set()
        order = sorted(types, key=lambda t: (NOTE_TYPES.index(t) if t in NOTE_TYPES else 99, t or ""))
        parts = [f'<span style="color:{type_colour(t).name()}">&#9679;</span>&nbsp;{html.escape(t or "other")}'
                 for t in order]
        if graph is not None and any(n.depth >= 2 for n in graph.nodes.values()):
            muted = muted_text(self.palette()).name()
            parts.append(f'<span style="color:{muted}">&#9675;&nbsp;{SECOND_LEGEND}</span>')
        self.legend.setText("&nbsp;&nbsp; ".join(parts))

    @Slot()
    def _zoom_in(self) -> None:
        self.canvas.zoom_by(ZOOM_STEP)

    @Slot()
    def _zoom_out(self) -> None:
        self.canvas.zoom_by(1 / ZOOM_STEP)

    @Slot(float)
    def _on_zoomed(self, scale: float) -> None:
        self.scene.set_zoom(scale)
        self._show_status()

    @Slot()
    def _say_finding(self) -> None:
        if self._pending:
            self.status.setText(f"Finding the notes linked to {self._finding_title}…")

    def _keep_status_height(self) -> None:
        """Room for two lines, so a shorter summary does not resize the graph (and draw it again)."""
        self.status.setMinimumHeight(2 * self.status.fontMetrics().lineSpacing())

    def _show_status(self) -> None:
        hidden = self.scene.graph is not None and not self.scene.labels_shown
        hint = " Zoom in or point at a note to see its name." if hidden else ""
        self.status.setText(self._summary + hint)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.FontChange:
            self._keep_status_height()
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.scene.setPalette(self.palette())
            self.scene.setFont(self.font())
            self.scene.apply_palette()
            self._fill_legend()  # its muted entry follows the palette
            if event.type() == QEvent.Type.FontChange and self.note_id:
                self._rebuild()  # label sizes depend on the font
        super().changeEvent(event)


def summary(graph: Graph, title: str) -> str:
    """What the status line says of `graph`: how many notes, how many two links away, how many left out."""
    count = len(graph.nodes) - 1
    far = sum(1 for n in graph.nodes.values() if n.depth >= 2)
    within = " within two links" if graph.depth == 2 else ""
    if graph.omitted:
        text = (f"{title}: showing {count:,} of {count + graph.omitted:,} linked notes{within}, "
                "the nearest first, then by type and title.")
        if far:
            text += f" {far:,} of those shown are 2 links away, shown lighter."
        return text
    text = f"{title}: {count} linked note{'' if count == 1 else 's'}"
    if graph.depth == 2 and far:
        return text + f" within two links ({far} of them 2 links away, shown lighter)."
    return text + within + "."
