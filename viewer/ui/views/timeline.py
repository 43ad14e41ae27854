"""The timeline: every dated note in date order, grouped by month, filterable.

The core (viewer.core.timeline) orders and groups; the rows (a model and the
delegate that draws them) are in timeline_rows.py; here are the list, which
opens a note on click or Enter, and the widget with its type and tag filters.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from viewer.core.kb import KnowledgeBase
from viewer.core.timeline import dated_tags, dated_types, entries, timeline
from viewer.ui.viewport import ViewportSize
from viewer.ui.views.timeline_rows import EntryRole, NoteIdRole, TimelineDelegate, TimelineModel


class TimelineList(ViewportSize, QListView):
    """The list of headers and entries: a click or Enter on an entry opens it.

    Signals:
        entry_activated(str): the note id of the clicked (or Enter-ed) entry.
    """

    entry_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        # rows are measured a batch at a time between events, not all at once
        self.setLayoutMode(QListView.LayoutMode.Batched)
        self.setBatchSize(50)
        self.setMouseTracking(True)  # hover highlight
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName("Timeline of dated notes")
        self.setAccessibleDescription("A click or Enter opens the note.")
        self.clicked.connect(self._on_clicked)

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        note_id = index.data(NoteIdRole)
        if note_id:
            self.entry_activated.emit(note_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            note_id = self.currentIndex().data(NoteIdRole)
            if note_id:
                self.entry_activated.emit(note_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        if not self.currentIndex().isValid():
            self._select_first_entry()

    def _select_first_entry(self) -> None:
        model = self.model()
        for row in range(model.rowCount() if model is not None else 0):
            index = model.index(row, 0)
            if index.flags() & Qt.ItemFlag.ItemIsSelectable:
                self.setCurrentIndex(index)
                return


class TimelineView(QWidget):
    """Every dated note in date order, grouped by month, filterable by type and tag.

    Signals:
        note_activated(str): an entry was clicked, or Enter was pressed on it.
    """

    note_activated = Signal(str)

    ALL = ""  # the combo data meaning "no filter"

    def __init__(self, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = kb
        self.type_filter = QComboBox(self)
        self.type_filter.setAccessibleName("Filter by type")
        self.type_filter.setToolTip("Show only notes of this type")
        self.tag_filter = QComboBox(self)
        self.tag_filter.setAccessibleName("Filter by tag")
        self.tag_filter.setToolTip("Show only notes with this tag")
        for combo in (self.type_filter, self.tag_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of notes shown")
        self.model = TimelineModel(self)
        self.list = TimelineList(self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(TimelineDelegate(self.list))
        self.empty = QLabel("No dated notes match these filters.", self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("No dated notes")
        self.empty.setWordWrap(True)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        for text, combo in (("Type:", self.type_filter), ("Tag:", self.tag_filter)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            label.setAccessibleName(text.rstrip(":"))
            bar.addWidget(label)
            bar.addWidget(combo)
            bar.addSpacing(8)
        bar.addStretch(1)
        bar.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        self.setAccessibleName("Timeline")
        self.setFocusProxy(self.list)
        self._connect()
        self.refresh()

    def _connect(self) -> None:
        self.list.entry_activated.connect(self.note_activated)
        self.type_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.tag_filter.currentIndexChanged.connect(self._on_filter_changed)

    @Slot()
    def refresh(self) -> None:
        """Re-read the knowledge base (after a sync), keeping filters that still apply."""
        self._fill_combo(self.type_filter, "All types", dated_types(self.kb))
        self._fill_combo(self.tag_filter, "All tags", dated_tags(self.kb))
        self._apply_filters()

    def set_filters(self, note_type: str | None = None, tag: str | None = None) -> None:
        """Choose a type and a tag (None or '' for all); unknown names mean all."""
        for combo, value in ((self.type_filter, note_type), (self.tag_filter, tag)):
            found = combo.findData(value or self.ALL)
            combo.setCurrentIndex(max(found, 0))

    def _fill_combo(self, combo: QComboBox, all_text: str, names: list[str]) -> None:
        current = combo.currentData() or self.ALL
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(all_text, self.ALL)
        for name in names:
            combo.addItem(name, name)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    @Slot(int)
    def _on_filter_changed(self, _index: int) -> None:
        self._apply_filters()

    def _apply_filters(self) -> None:
        current = self.list.currentIndex().data(EntryRole)
        note_type = self.type_filter.currentData() or None
        tag = self.tag_filter.currentData() or None
        groups = timeline(self.kb, types=[note_type] if note_type else None, tags=[tag] if tag else None)
        self.model.set_groups(groups)
        shown = self.model.entry_count()
        total = len(entries(self.kb)) if (note_type or tag) else shown
        self.count.setText(f"{shown} of {total} dated notes" if note_type or tag
                           else f"{shown} dated note{'' if shown == 1 else 's'}")
        self.list.setVisible(shown > 0)
        self.empty.setVisible(shown == 0)
        if shown == 0 and not (note_type or tag):
            self.empty.setText("No note has a date.")
        else:
            self.empty.setText("No dated notes match these filters.")
        row = self.model.row_of(current.note_id, current.date) if current is not None else -1
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.list.doItemsLayout()  # sizes depend on the font
            self.list.viewport().update()
        super().changeEvent(event)
