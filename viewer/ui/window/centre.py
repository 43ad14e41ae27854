"""The centre of the window: a tab bar over the note, the timeline and the graph.

The timeline and graph widgets (viewer/ui/views/timeline.py, graph.py) are
built on first use, so a large knowledge base does not pay for them at start
(the find bar under the note, too, is made when first opened);
if one cannot be built, its tab says why instead. A notice above them says
what the reader must know and stays until dismissed (an annotations file set
aside, for one).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from viewer.ui.note.view import NoteView
from viewer.ui.theme import mix

if TYPE_CHECKING:
    from viewer.ui.note.find_bar import FindBar

VIEWS = ("note", "timeline", "graph")
MIN_WIDTH = 360  # pixels: below this a note's title breaks mid-word; the side panels give way first
_WIDGETS = {"timeline": ("viewer.ui.views.timeline", "TimelineView"),
            "graph": ("viewer.ui.views.graph", "GraphView")}


class Notice(QFrame):
    """A banner of warnings, kept until the reader dismisses it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setAccessibleName("Notice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setAccessibleName("Notice text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setAccessibleName("Dismiss notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.dismiss.clicked.connect(self.close_notice)
        self._tint()
        self.hide()

    def _tint(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        palette.setColor(QPalette.ColorRole.Window, mix(base, palette.color(QPalette.ColorRole.Highlight), 0.18))
        self.setPalette(palette)

    def add(self, text: str) -> None:
        """Show `text` under what is already there."""
        shown = self.label.text()
        self.label.setText(f"{shown}\n{text}" if shown and not self.isHidden() else text)
        self.show()

    @Slot()
    def close_notice(self) -> None:
        self.hide()
        self.label.clear()


class Centre(QWidget):
    """Switches between the note, the timeline and the graph.

    Signals:
        view_changed(str): "note", "timeline" or "graph" is now shown.
        note_activated(str): the timeline or the graph asked to open a note.
    """

    view_changed = Signal(str)
    note_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = None
        self.current_note: str | None = None
        self.tabs = QTabBar()
        self.tabs.setAccessibleName("View")
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        for label, tip in (("Note", "The note (Ctrl+1)"), ("Timeline", "Events by date (Ctrl+2)"),
                           ("Graph", "Links between notes (Ctrl+3)")):
            index = self.tabs.addTab(label)
            self.tabs.setTabToolTip(index, tip)
        self.view = NoteView()
        self._find_bar: FindBar | None = None  # made when first asked for (`find_bar`)
        note_page = QWidget()
        self._note_layout = QVBoxLayout(note_page)
        self._note_layout.setContentsMargins(0, 0, 0, 0)
        self._note_layout.setSpacing(0)
        self._note_layout.addWidget(self.view, 1)
        note_page.setFocusProxy(self.view)
        self.stack = QStackedWidget()
        self.stack.addWidget(note_page)
        self.pages: dict[str, QWidget | None] = {"note": self.view, "timeline": None, "graph": None}
        self._placeholders: dict[str, QWidget] = {}
        for name in ("timeline", "graph"):
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._placeholders[name] = holder
            self.stack.addWidget(holder)
        self.notice = Notice()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs)
        layout.addWidget(self.stack, 1)
        self.setMinimumWidth(MIN_WIDTH)
        self._connect()

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._on_tab)

    # -- public -------------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the note, made the first time it is asked for (its icons are looked up in
        the desktop's icon theme: not before the window's first paint)."""
        if self._find_bar is None:
            from viewer.ui.note.find_bar import FindBar

            self._find_bar = FindBar(self.view)
            self._note_layout.addWidget(self._find_bar)
            self._find_bar.closed.connect(self.view.setFocus)
            previous: QWidget = self.view
            for widget in self._find_bar.tab_order():  # Tab goes from the note to the bar, as if made with it
                QWidget.setTabOrder(previous, widget)
                previous = widget
        return self._find_bar

    def refresh_find(self) -> None:
        """Find again in the page shown now, if the find bar was ever made."""
        if self._find_bar is not None:
            self._find_bar.refresh()

    @property
    def current_view(self) -> str:
        return VIEWS[self.stack.currentIndex()]

    def set_kb(self, kb) -> None:
        """A new knowledge base: the timeline and graph are built again on next use."""
        self.kb = kb
        for name, holder in self._placeholders.items():
            widget = self.pages.get(name)
            if widget is not None:
                holder.layout().removeWidget(widget)
                widget.deleteLater()
            self.pages[name] = None
        if self.current_view != "note":
            self._ensure(self.current_view)

    def show_view(self, name: str) -> None:
        """Show "note", "timeline" or "graph"."""
        if name not in VIEWS:
            raise ValueError(f"no view named {name!r}")
        if self.tabs.currentIndex() != VIEWS.index(name):
            self.tabs.setCurrentIndex(VIEWS.index(name))  # -> _on_tab
        else:
            self._on_tab(VIEWS.index(name))

    def widget(self, name: str) -> QWidget | None:
        """The timeline or graph widget, built if needed (None if it cannot be)."""
        return self._ensure(name) if name in _WIDGETS else self.view

    def note_shown(self, note_id: str) -> None:
        """The note changed: the graph (when built) centres on it."""
        self.current_note = note_id
        graph = self.pages.get("graph")
        if graph is not None and hasattr(graph, "show_note") and self.current_view == "graph":
            graph.show_note(note_id)

    def refresh(self) -> None:
        """The palette or the notes changed: views redraw."""
        timeline = self.pages.get("timeline")
        if timeline is not None and hasattr(timeline, "refresh"):
            timeline.refresh()

    # -- inside -------------------------------------------------------------------

    def _ensure(self, name: str) -> QWidget | None:
        widget = self.pages.get(name)
        if widget is not None or self.kb is None:
            return widget
        holder = self._placeholders[name]
        module_name, class_name = _WIDGETS[name]
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            widget = cls(self.kb)
        except Exception as err:  # noqa: BLE001 (the tab says what is missing)
            label = QLabel(f"The {name} is not available: {type(err).__name__}: {err}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            label.setAccessibleName(f"{name.capitalize()} unavailable")
            holder.layout().addWidget(label)
            self.pages[name] = label
            return None
        widget.setAccessibleName(name.capitalize()) if not widget.accessibleName() else None
        holder.layout().addWidget(widget)
        holder.setFocusProxy(widget)
        self.pages[name] = widget
        if hasattr(widget, "note_activated"):
            widget.note_activated.connect(self.note_activated)
        return widget

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        name = VIEWS[index]
        widget = self._ensure(name) if name != "note" else None
        self.stack.setCurrentIndex(index)  # shown first, so the graph knows its size
        if name == "graph" and widget is not None and self.current_note and hasattr(widget, "show_note"):
            widget.show_note(self.current_note)
        self.view_changed.emit(name)
