"""The note browser: notes grouped by type or by folder, with counts, in a model/view tree.

The tree and its sort orders come worked out (`viewer.core.note_tree`, made
in the loading worker); the model makes note rows a chunk at a time, more as
the reader scrolls to the end of a group. The filter field narrows the tree
by title, alias or file name: in a large folder in a worker thread, the
newest text winning, so typing never waits for the notes to be scanned.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTreeView, QVBoxLayout, QWidget

from viewer.core.model import Note
from viewer.core.note_tree import BY_FOLDER, BY_TYPE, Branch, NoteListing, natural_key
from viewer.ui.panels.note_model import NOTE_ID_ROLE, NoteTreeModel, tooltip_html
from viewer.ui.viewport import ViewportSize
from viewer.ui.workers import Answer, Latest, NewestTask

__all__ = ["BY_FOLDER", "BY_TYPE", "NOTE_ID_ROLE", "BrowserPanel", "NoteTreeModel", "default_grouping",
           "natural_key", "tooltip_html"]

FILTER_IN_WORKER_FROM = 2000  # notes; fewer are filtered at once, on the UI thread


def default_grouping(notes: Iterable[Note]) -> str:
    """By type when at least half the notes have a type, else by folder."""
    return NoteListing(notes).default_grouping()


class _Tree(ViewportSize, QTreeView):
    """A tree that says when its viewport changed size (more rows may fit)."""

    resized = Signal()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override: the viewport's resize)
        super().resizeEvent(event)
        self.resized.emit()


class BrowserPanel(QWidget):
    """A filter field and a switch over the tree of notes, by type or by folder.

    Signals:
        note_activated(str): the reader opened a note (click or Enter).
        grouping_changed(str): the reader chose "type" or "folder".
        filtered(): the tree now shows the filter's text.
    """

    note_activated = Signal(str)
    grouping_changed = Signal(str)
    filtered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.listing = NoteListing(())
        self.grouping = BY_TYPE
        self.shown_text = ""  # the filter text the tree shows
        self._open_first_when_filtered = False
        self._latest = Latest()
        self._filtered = Answer()  # no parent: a task may outlive the panel
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by title, alias or file name")
        self.filter.setAccessibleName("Filter notes")
        self.filter.setClearButtonEnabled(True)
        self.group_by = QComboBox()
        self.group_by.addItem("By type", BY_TYPE)
        self.group_by.addItem("By folder", BY_FOLDER)
        self.group_by.setAccessibleName("Group notes")
        self.group_by.setToolTip("Group the notes by type or by folder")
        self.model = NoteTreeModel(self)
        self.tree = _Tree()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Notes by type")
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._more = QTimer(self)  # makes more rows once a group's last row is on screen
        self._more.setSingleShot(True)
        self._more.setInterval(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.group_by)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree)
        self._connect()

    def _connect(self) -> None:
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self._open_first)
        self.tree.clicked.connect(self._on_index)
        self.tree.activated.connect(self._on_index)
        self.group_by.currentIndexChanged.connect(lambda row: self._choose(self.group_by.itemData(row)))
        self._filtered.ready.connect(self._on_filtered)
        self._more.timeout.connect(self._fetch_shown)
        bar = self.tree.verticalScrollBar()
        bar.valueChanged.connect(self._more.start)
        bar.rangeChanged.connect(self._more.start)
        self.tree.expanded.connect(self._more.start)
        self.tree.resized.connect(self._more.start)

    def set_notes(self, notes: Iterable[Note], grouping: str | None = None,
                  listing: NoteListing | None = None) -> None:
        """Show `notes` (sorted already in `listing` if given), grouped as `grouping` says, else as the notes suggest."""
        self.listing = listing if listing is not None else NoteListing(notes)
        self.set_grouping(grouping if grouping in (BY_TYPE, BY_FOLDER) else self.listing.default_grouping())

    def set_grouping(self, grouping: str) -> None:
        self.grouping = grouping
        self.group_by.setCurrentIndex(0 if grouping == BY_TYPE else 1)
        self.tree.setAccessibleName("Notes by type" if grouping == BY_TYPE else "Notes by folder")
        self._on_filter(self.filter.text())

    def _choose(self, grouping: str) -> None:
        if grouping != self.grouping:
            self.set_grouping(grouping)
            self.grouping_changed.emit(grouping)

    def counts(self) -> dict[str, int]:
        """Notes per type key ('' for untyped), for the whole knowledge base."""
        return self.listing.counts()

    def shutdown(self) -> None:
        """Drop a pending filter and wait for the running one (on close)."""
        self._latest.next()
        self._pool.clear()
        self._pool.waitForDone(3000)

    def select_note(self, note_id: str) -> None:
        """Mark the note shown, without opening anything."""
        index = self.model.note_index(note_id)
        if index.isValid():
            parent = index.parent()
            while parent.isValid():
                self.tree.expand(parent)
                parent = parent.parent()
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()

    # -- filtering ------------------------------------------------------------------

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        request = self._latest.next()
        self._open_first_when_filtered = False  # Enter was for the text before
        if not text.strip() or len(self.listing) < FILTER_IN_WORKER_FROM:
            self._show(self.listing.tree(self.grouping, text), text)  # no filter: the sorted tree as it is
        else:
            work = partial(self.listing.tree, self.grouping, text)  # in the filter's thread, the newest text only
            self._pool.start(NewestTask(work, request, self._latest, self._filtered))

    @Slot(int, object)
    def _on_filtered(self, request: int, tree: Branch) -> None:
        if request == self._latest.value:  # else a newer text is on its way
            self._show(tree, self.filter.text())

    def _show(self, tree: Branch, text: str) -> None:
        current = self.tree.currentIndex().data(NOTE_ID_ROLE)
        self.model.set_tree(tree, self.listing, self.grouping)
        self.shown_text = text
        for index in self.model.group_indexes():
            self.tree.expand(index)
        if current:
            self.select_note(current)
        self._more.start()
        self.filtered.emit()
        if self._open_first_when_filtered:
            self._open_first_when_filtered = False
            self._open_first()

    def is_filtered(self) -> bool:
        """Whether the tree shows the text now in the filter field."""
        return self.shown_text == self.filter.text()

    # -- rows made as they come on screen ---------------------------------------------

    @Slot()
    def _fetch_shown(self) -> None:
        """A group whose last row so far, or whose row for the notes above, is on screen gets more rows."""
        for group in [QModelIndex(), *self.model.group_indexes()]:
            if group.isValid() and not self.tree.isExpanded(group):
                continue
            if self.model.has_more(group) and self._on_screen(self.model.last_row(group)):
                self.model.fetch(group)
            earlier = self.model.earlier_row(group)
            if earlier.isValid() and self._on_screen(earlier):
                self._fetch_earlier(group, earlier)

    def _on_screen(self, index: QModelIndex) -> bool:
        rect = self.tree.visualRect(index)
        return rect.isValid() and rect.top() < self.tree.viewport_size().height() and rect.bottom() >= 0

    def _fetch_earlier(self, group: QModelIndex, earlier: QModelIndex) -> None:
        """Rows for the notes above, the rows on screen kept where they are."""
        below = QPersistentModelIndex(self.model.index(earlier.row() + 1, 0, group))
        top = self.tree.visualRect(below).top() if below.isValid() else 0
        came_up = self.tree.currentIndex() == earlier  # the reader went up to it: on to the note above
        self.model.fetch_earlier(group)
        if came_up and below.isValid():
            self.tree.setCurrentIndex(self.model.index(below.row() - 1, 0, group))
        if below.isValid():
            bar = self.tree.verticalScrollBar()
            moved = self.tree.visualRect(self.model.index(below.row(), 0, group)).top() - top
            step = 1 if self.tree.verticalScrollMode() == QTreeView.ScrollMode.ScrollPerPixel else max(
                1, self.tree.visualRect(self.model.index(below.row(), 0, group)).height())
            bar.setValue(bar.value() + moved // step)

    # -- opening ----------------------------------------------------------------------

    @Slot()
    def _open_first(self) -> None:
        if not self.is_filtered():
            self._open_first_when_filtered = True  # the tree for this text is on its way
            return
        note_id = self.model.first_note_id()
        if note_id:
            self.note_activated.emit(note_id)

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        if note_id:
            self.note_activated.emit(note_id)
