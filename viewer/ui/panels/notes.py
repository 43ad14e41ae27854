"""The note browser: notes grouped by type or by folder, with counts, in a model/view tree.

A tree model over plain nodes, so a folder of 10,000 notes costs a few lists,
not 10,000 widgets; the view uses uniform row heights. Folders come first and
sort as a file manager sorts them. A filter field narrows the tree by title,
alias or file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTreeView, QVBoxLayout, QWidget

from viewer.core.dates import format_date
from viewer.core.model import NOTE_TYPES, Note
from viewer.core.names import stem
from viewer.core.page import PLURAL_LABELS, type_label

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class _Group:
    key: str
    label: str
    notes: list[Note] = field(default_factory=list)
    total: int = 0


@dataclass(eq=False)
class _Node:
    """A row of the tree: a group (type or folder) with children, or a note."""

    label: str
    note: Note | None = None
    children: list[_Node] = field(default_factory=list)
    parent: _Node | None = None
    row: int = 0
    uid: int = 0
    total: int = 0  # notes under a group, before filtering
    key: str = ""


def tooltip_html(title: str, *details: str) -> str:
    """A rich-text tooltip, so Qt wraps it: the full title in bold, then each detail on its own line."""
    lines = [f"<b>{escape(title)}</b>", *(escape(detail) for detail in details if detail)]
    return "<qt>" + "<br>".join(lines) + "</qt>"


def _sort_key(note: Note) -> tuple:
    if note.type == "event":
        return (note.date or "9999", note.title.casefold())
    return (note.title.casefold(),)


def natural_key(text: str) -> tuple:
    """Sort as a file manager does: case ignored, numbers by value (`Note 2` before `Note 10`)."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(text.casefold()))


_DIGITS = re.compile(r"(\d+)")


def _matches(note: Note, needle: str) -> bool:
    return not needle or any(needle in name.casefold() for name in (note.title, *note.aliases, stem(note.path)))


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
        if not _matches(note, needle):
            continue
        group.notes.append(note)
    order = {key: i for i, key in enumerate(NOTE_TYPES)}
    ordered = sorted(groups.values(), key=lambda g: (order.get(g.key, len(order)), g.key == "", g.key))
    for group in ordered:
        group.notes.sort(key=_sort_key)
    return [g for g in ordered if g.notes or not needle]


def type_tree(notes: Iterable[Note], text: str = "") -> _Node:
    """Groups by type, each with its notes."""
    root = _Node("")
    for group in group_notes(notes, text):
        node = _Node(group.label, total=group.total, key=group.key)
        node.children = [_Node(note.title, note) for note in group.notes]
        root.children.append(node)
    return root


def folder_tree(notes: Iterable[Note], text: str = "") -> _Node:
    """Folders (first, by name) and notes (by title) as on disk; only folders holding a match when filtering."""
    needle = text.casefold().strip()
    root = _Node("")
    folders: dict[str, _Node] = {"": root}

    def folder(path: str) -> _Node:
        node = folders.get(path)
        if node is None:
            parent = folder(path.rsplit("/", 1)[0] if "/" in path else "")
            node = folders[path] = _Node(path.rsplit("/", 1)[-1], key=path)
            parent.children.append(node)
        return node

    for note in notes:
        where = note.path.rsplit("/", 1)[0] if "/" in note.path else ""
        home = folder(where)
        shown = _matches(note, needle)
        node = home
        while node is not None and node is not root:
            node.total += 1
            node = folders.get(node.key.rsplit("/", 1)[0] if "/" in node.key else "")
        if shown:
            home.children.append(_Node(note.title, note))

    def tidy(node: _Node) -> bool:
        node.children = [c for c in node.children if c.note is not None or tidy(c)]
        node.children.sort(key=lambda c: (c.note is not None, natural_key(c.label)))
        return bool(node.children) or not needle
    tidy(root)
    return root


def _count(node: _Node) -> int:
    return sum(1 if c.note is not None else _count(c) for c in node.children)


class NoteTreeModel(QAbstractItemModel):
    """Groups (types or folders) with their notes; a note row carries its id in NOTE_ID_ROLE."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._root = _Node("")
        self._nodes: list[_Node] = [self._root]
        self._row_of: dict[str, _Node] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[_Group]) -> None:
        """Type groups (kept for callers of the first version): see set_tree."""
        root = _Node("")
        for group in groups:
            node = _Node(group.label, total=group.total, key=group.key)
            node.children = [_Node(note.title, note) for note in group.notes]
            root.children.append(node)
        self.set_tree(root)

    def set_tree(self, root: _Node) -> None:
        self.beginResetModel()
        self._root = root
        self._nodes = []
        self._row_of = {}
        pending = [root]
        while pending:
            node = pending.pop()
            node.uid = len(self._nodes)
            self._nodes.append(node)
            if node.note is not None:
                self._row_of[node.note.id] = node
            for row, child in enumerate(node.children):
                child.parent, child.row = node, row
                pending.append(child)
        self.endResetModel()

    def group_count(self) -> int:
        return len(self._root.children)

    def group_indexes(self) -> list[QModelIndex]:
        """Every group row (folders at every depth), parents before children."""
        found = []
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop(0)
            for row in range(self.rowCount(parent)):
                index = self.index(row, 0, parent)
                if self._nodes[index.internalId()].note is None:
                    found.append(index)
                    pending.append(index)
        return found

    def note_index(self, note_id: str) -> QModelIndex:
        node = self._row_of.get(note_id)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node.uid)

    # -- QAbstractItemModel -------------------------------------------------------

    def _node(self, index) -> _Node:
        return self._nodes[index.internalId()] if index.isValid() else self._root

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        node = self._node(parent)
        if column != 0 or row < 0 or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].uid)

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        parent = self._nodes[index.internalId()].parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent.uid)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return len(self._node(parent).children)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        note = node.note
        if note is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                shown = _count(node)
                count = f"{shown}" if shown == node.total else f"{shown} of {node.total}"
                return f"{node.label} ({count})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
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
            return tooltip_html(note.title, " · ".join(parts), note.path)
        return None


BY_TYPE, BY_FOLDER = "type", "folder"


def default_grouping(notes: Iterable[Note]) -> str:
    """By type when at least half the notes have a type, else by folder."""
    notes = list(notes)
    return BY_TYPE if notes and 2 * sum(1 for n in notes if n.type) >= len(notes) else BY_FOLDER


class BrowserPanel(QWidget):
    """A filter field and a switch over the tree of notes, by type or by folder.

    Signals:
        note_activated(str): the reader opened a note (click or Enter).
        grouping_changed(str): the reader chose "type" or "folder".
    """

    note_activated = Signal(str)
    grouping_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._notes: list[Note] = []
        self.grouping = BY_TYPE
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

    def set_notes(self, notes: Iterable[Note], grouping: str | None = None) -> None:
        """Show `notes`, grouped as `grouping` says (else as `default_grouping` finds)."""
        self._notes = list(notes)
        self.set_grouping(grouping if grouping in (BY_TYPE, BY_FOLDER) else default_grouping(self._notes))

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
        return {group.key: group.total for group in group_notes(self._notes)}

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

    @Slot(str)
    def _on_filter(self, text: str) -> None:
        current = self.tree.currentIndex().data(NOTE_ID_ROLE)
        build = type_tree if self.grouping == BY_TYPE else folder_tree
        self.model.set_tree(build(self._notes, text))
        for index in self.model.group_indexes():
            self.tree.expand(index)
        if current:
            self.select_note(current)

    @Slot()
    def _open_first(self) -> None:
        index = self.model.index(0, 0)
        while index.isValid() and not index.data(NOTE_ID_ROLE):
            index = self.model.index(0, 0, index)
        if index.isValid():
            self.note_activated.emit(index.data(NOTE_ID_ROLE))

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex | QPersistentModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        if note_id:
            self.note_activated.emit(note_id)
