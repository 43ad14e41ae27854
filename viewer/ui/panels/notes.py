"""The note browser: notes grouped by type, with counts, in a model/view tree.

A table model of two levels (type groups, then notes) over plain lists, so a
folder of 10,000 notes costs a few lists, not 10,000 widgets; the view uses
uniform row heights. A filter field narrows the tree by title or alias.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import (QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal,
                            Slot)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from viewer.core.model import NOTE_TYPES, Note
from viewer.core.dates import format_date
from viewer.core.page import PLURAL_LABELS, type_label

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_PARENT = 0  # internal id of a group row; a note row stores its group's row + 1


@dataclass
class _Group:
    key: str
    label: str
    notes: list[Note] = field(default_factory=list)
    total: int = 0


def tooltip_html(title: str, *details: str) -> str:
    """A rich-text tooltip, so Qt wraps it: the full title in bold, then each detail on its own line."""
    lines = [f"<b>{escape(title)}</b>", *(escape(detail) for detail in details if detail)]
    return "<qt>" + "<br>".join(lines) + "</qt>"


def _sort_key(note: Note) -> tuple:
    if note.type == "event":
        return (note.date or "9999", note.title.casefold())
    return (note.title.casefold(),)


def group_notes(notes: Iterable[Note], text: str = "") -> list[_Group]:
    """Notes by type in the usual order (unknown types, then untyped, last), filtered by `text`."""
    needle = text.casefold().strip()
    groups: dict[str, _Group] = {}
    for note in notes:
        key = note.type or ""
        group = groups.get(key)
        if group is None:
            label = PLURAL_LABELS.get(key) or (type_label(key) if key else "Untyped")
            group = groups[key] = _Group(key, label)
        group.total += 1
        if needle and not any(needle in name.casefold() for name in (note.title, *note.aliases)):
            continue
        group.notes.append(note)
    order = {key: i for i, key in enumerate(NOTE_TYPES)}
    ordered = sorted(groups.values(), key=lambda g: (order.get(g.key, len(order)), g.key == "", g.key))
    for group in ordered:
        group.notes.sort(key=_sort_key)
    return [g for g in ordered if g.notes or not needle]


class NoteTreeModel(QAbstractItemModel):
    """Type groups with their notes; a note row carries its id in NOTE_ID_ROLE."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self._row_of: dict[str, tuple[int, int]] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[_Group]) -> None:
        self.beginResetModel()
        self._groups = groups
        self._row_of = {note.id: (g, n) for g, group in enumerate(groups) for n, note in enumerate(group.notes)}
        self.endResetModel()

    def group_count(self) -> int:
        return len(self._groups)

    def note_index(self, note_id: str) -> QModelIndex:
        where = self._row_of.get(note_id)
        if where is None:
            return QModelIndex()
        return self.createIndex(where[1], 0, where[0] + 1)

    # -- QAbstractItemModel -------------------------------------------------------

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _NO_PARENT) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _NO_PARENT:
            return QModelIndex()
        group = parent.row()
        if row >= len(self._groups[group].notes):
            return QModelIndex()
        return self.createIndex(row, 0, group + 1)

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid() or index.internalId() == _NO_PARENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _NO_PARENT)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _NO_PARENT:
            return len(self._groups[parent.row()].notes)
        return 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == _NO_PARENT:
            group = self._groups[index.row()]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                shown = len(group.notes)
                count = f"{shown}" if shown == group.total else f"{shown} of {group.total}"
                return f"{group.label} ({count})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        note = self._groups[index.internalId() - 1].notes[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return note.title
        if role == NOTE_ID_ROLE:
            return note.id
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [type_label(note.type)]
            if note.date:
                parts.append(format_date(note.date))
            if note.aliases:
                parts.append("also: " + ", ".join(note.aliases))
            return tooltip_html(note.title, " · ".join(parts))
        return None


class BrowserPanel(QWidget):
    """A filter field over the tree of notes by type.

    Signals:
        note_activated(str): the reader opened a note (click or Enter).
    """

    note_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by title or alias")
        self.filter.setAccessibleName("Filter notes")
        self.filter.setClearButtonEnabled(True)
        self.model = NoteTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAccessibleName("Notes by type")
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree, 1)
        self.setFocusProxy(self.tree)
        self._connect()

    def _connect(self) -> None:
        self.filter.textChanged.connect(self._on_filter)
        self.filter.returnPressed.connect(self._open_first)
        self.tree.clicked.connect(self._on_index)
        self.tree.activated.connect(self._on_index)

    def set_notes(self, notes: Iterable[Note]) -> None:
        self._notes = list(notes)
        self._on_filter(self.filter.text())

    def counts(self) -> dict[str, int]:
        """Notes per type key ('' for untyped), for the whole knowledge base."""
        return {group.key: group.total for group in group_notes(self._notes)}

    def select_note(self, note_id: str) -> None:
        """Mark the note shown, without opening anything."""
        index = self.model.note_index(note_id)
        if index.isValid():
            self.tree.expand(index.parent())
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self.tree.clearSelection()

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        current = self.tree.currentIndex().data(NOTE_ID_ROLE)
        self.model.set_groups(group_notes(self._notes, text))
        for row in range(self.model.group_count()):
            self.tree.expand(self.model.index(row, 0))
        if current:
            self.select_note(current)

    @Slot()
    def _open_first(self) -> None:
        if self.model.group_count() and self.model.rowCount(self.model.index(0, 0)):
            note_index = self.model.index(0, 0, self.model.index(0, 0))
            self.note_activated.emit(note_index.data(NOTE_ID_ROLE))

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        if note_id:
            self.note_activated.emit(note_id)
