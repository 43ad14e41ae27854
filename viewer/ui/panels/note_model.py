"""The Notes panel's item model: a `viewer.core.note_tree` tree, its note rows made a chunk at a time.

A view lays out every row it is given, so a branch of 20,000 notes shown in
full would cost the UI thread 20,000 calls into Python on each layout. So a
branch (a type or a folder) shows its folders, then a window of its notes:
at first its first CHUNK notes; `fetch` adds the next chunk. A note far past
the window (`note_index`) moves the window to it, and a row standing for the
notes above ("… 9,800 more notes") takes their place until `fetch_earlier`.

Internal ids: a branch row carries its branch number times two; a note row
(or the row for the notes above) carries its branch's number times two plus
one, and its row says which note.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from viewer.core.labels import type_label
from viewer.core.note_tree import BY_TYPE, Branch, NoteListing

NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
CHUNK = 200  # note rows added at a time
REACH = CHUNK  # a note this far past the window extends it; further, the window moves
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)

Index = QModelIndex | QPersistentModelIndex


def tooltip_html(title: str, *details: str) -> str:
    """A rich-text tooltip, so Qt wraps it: the full title in bold, then each detail on its own line."""
    lines = [f"<b>{escape(title)}</b>", *(escape(detail) for detail in details if detail)]
    return "<qt>" + "<br>".join(lines) + "</qt>"


class NoteTreeModel(QAbstractItemModel):
    """Groups (types or folders) with their notes; a note row carries its id in NOTE_ID_ROLE."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.listing = NoteListing(())
        self.grouping = BY_TYPE
        self._set(Branch(""))
        self._bold = QFont()
        self._bold.setBold(True)

    def set_tree(self, root: Branch, listing: NoteListing, grouping: str) -> None:
        """Show `root`, a tree from `listing.tree(grouping, ...)`."""
        self.beginResetModel()
        self.listing, self.grouping = listing, grouping
        self._set(root)
        self.endResetModel()

    def _set(self, root: Branch) -> None:
        self._root = root
        self._branches: list[Branch] = [root]  # parents first; a branch's number is its place here
        self._parent, self._row = [0], [0]
        self._folders: list[list[int]] = []  # each branch's folders, by number
        self._by_key: dict[str, int] = {}
        for number, branch in enumerate(self._branches):  # grows as it goes
            self._by_key[branch.key] = number  # a type's key may be "", as the root's: the type wins
            first = len(self._branches)
            self._branches.extend(branch.folders)
            self._parent.extend([number] * len(branch.folders))
            self._row.extend(range(len(branch.folders)))
            self._folders.append(list(range(first, len(self._branches))))
        self._start = [0] * len(self._branches)  # the first note in the window
        self._fetched = [min(CHUNK, len(branch.notes)) for branch in self._branches]  # notes in the window

    # -- for the panel ----------------------------------------------------------------

    def group_count(self) -> int:
        return len(self._root.folders)

    def group_indexes(self) -> list[QModelIndex]:
        """Every group row (folders at every depth), parents before children."""
        return [self.createIndex(self._row[n], 0, n << 1) for n in range(1, len(self._branches))]

    def note_index(self, note_id: str) -> QModelIndex:
        """The note's row (the window of its branch reaching it first), or an invalid index when it is not shown."""
        number = self.listing.number.get(note_id)
        if number is None:
            return QModelIndex()
        branch_number = self._by_key.get(self.listing.home(self.grouping, number))
        if branch_number is None:
            return QModelIndex()
        branch = self._branches[branch_number]
        row = self.listing.row_in(self.grouping, branch, number)
        if row is None:
            return QModelIndex()
        start, end = self._start[branch_number], self._start[branch_number] + self._fetched[branch_number]
        if start <= row < end + REACH:
            self._fetch(branch_number, (row - start) // CHUNK * CHUNK + CHUNK)
        else:
            self._move_window(branch_number, max(0, row - CHUNK // 2))
        return self.createIndex(self._first_note_row(branch_number) + row - self._start[branch_number], 0,
                                branch_number << 1 | 1)

    def first_note_id(self) -> str | None:
        """The first note of the tree as shown (folders come before notes), made into a row or not."""
        def first(branch: Branch) -> int | None:
            for folder in branch.folders:
                found = first(folder)
                if found is not None:
                    return found
            return branch.notes[0] if branch.notes else None
        found = first(self._root)
        return None if found is None else self.listing.notes[found].id

    def has_more(self, parent: Index) -> bool:
        """Whether the group has notes after its last row."""
        number = self._branch_number(parent)
        return number is not None and self._start[number] + self._fetched[number] < len(self._branches[number].notes)

    def last_row(self, parent: Index) -> QModelIndex:
        """The group's last row made so far (invalid if it has none)."""
        rows = self.rowCount(parent)
        return self.index(rows - 1, 0, parent) if rows else QModelIndex()

    def earlier_row(self, parent: Index) -> QModelIndex:
        """The row standing for the notes above the group's window, or an invalid index when there is none."""
        number = self._branch_number(parent)
        if number is None or not self._start[number]:
            return QModelIndex()
        return self.createIndex(len(self._folders[number]), 0, number << 1 | 1)

    def fetch(self, parent: Index) -> None:
        """Make the group's next CHUNK notes into rows."""
        number = self._branch_number(parent)
        if number is not None:
            self._fetch(number, self._fetched[number] + CHUNK)

    def fetch_earlier(self, parent: Index) -> None:
        """Make the CHUNK notes above the group's window into rows (below the row standing for them)."""
        number = self._branch_number(parent)
        if number is None or not self._start[number]:
            return
        taken = min(CHUNK, self._start[number])
        first = len(self._folders[number])
        parent_index = self._branch_index(number)
        last = taken == self._start[number]  # then the row for the notes above becomes the first note
        added = taken - (1 if last else 0)
        if added:
            self.beginInsertRows(parent_index, first + 1, first + added)
        self._start[number] -= taken
        self._fetched[number] += taken
        if added:
            self.endInsertRows()
        if last:
            row = self.createIndex(first, 0, number << 1 | 1)
            self.dataChanged.emit(row, row)

    def _fetch(self, number: int, upto: int) -> None:
        upto = min(upto, len(self._branches[number].notes) - self._start[number])
        done = self._fetched[number]
        if upto <= done:
            return
        first = self._first_note_row(number)
        self.beginInsertRows(self._branch_index(number), first + done, first + upto - 1)
        self._fetched[number] = upto
        self.endInsertRows()

    def _move_window(self, number: int, start: int) -> None:
        parent = self._branch_index(number)
        first = len(self._folders[number])
        rows = self.rowCount(parent) - first
        if rows:
            self.beginRemoveRows(parent, first, first + rows - 1)
            self._start[number], self._fetched[number] = 0, 0
            self.endRemoveRows()
        notes = min(CHUNK, len(self._branches[number].notes) - start)
        self.beginInsertRows(parent, first, first + notes - (0 if start else 1))
        self._start[number], self._fetched[number] = start, notes
        self.endInsertRows()

    def _first_note_row(self, number: int) -> int:
        return len(self._folders[number]) + (1 if self._start[number] else 0)

    def _branch_index(self, number: int) -> QModelIndex:
        return self.createIndex(self._row[number], 0, number << 1) if number else QModelIndex()

    def _branch_number(self, index: Index) -> int | None:
        if not index.isValid():
            return 0
        internal = index.internalId()
        return None if internal & 1 else internal >> 1

    # -- QAbstractItemModel -------------------------------------------------------

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid():
            internal = parent.internalId()
            if internal & 1:
                return QModelIndex()
            number = internal >> 1
        else:
            number = 0
        if column != 0 or row < 0:
            return QModelIndex()
        folders = self._folders[number]
        if row < len(folders):
            return self.createIndex(row, 0, folders[row] << 1)
        if row < len(folders) + (1 if self._start[number] else 0) + self._fetched[number]:
            return self.createIndex(row, 0, number << 1 | 1)
        return QModelIndex()

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        internal = index.internalId()
        number = internal >> 1 if internal & 1 else self._parent[internal >> 1]
        if number == 0:
            return QModelIndex()
        return self.createIndex(self._row[number], 0, number << 1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        number = self._branch_number(parent)
        if number is None or parent.column() > 0:
            return 0
        return self._first_note_row(number) + self._fetched[number]

    def hasChildren(self, parent=QModelIndex()) -> bool:  # noqa: N802, B008
        if not parent.isValid():
            return True
        internal = parent.internalId()
        if internal & 1:
            return False
        number = internal >> 1
        return bool(self._folders[number] or self._branches[number].notes)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    # flags: Qt's own (enabled, selectable), so that laying out rows makes no call into Python for them

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        internal = index.internalId()
        number = internal >> 1
        branch = self._branches[number]
        if not internal & 1:
            if role in _TEXT_ROLES:
                return f"{branch.label} ({branch.count_text()})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        place = index.row() - self._first_note_row(number)
        if place < 0:  # the row for the notes above the window
            if role in _TEXT_ROLES:
                return f"… {self._start[number]:,} more notes"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Scroll up to show them"
            return None
        note = self.listing.notes[branch.notes[self._start[number] + place]]
        if role in _TEXT_ROLES:
            return note.title
        if role == NOTE_ID_ROLE:
            return note.id
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [type_label(note.type)]
            if note.date:
                from viewer.core.dates import format_date  # with the first tooltip of a dated note

                parts.append(format_date(note.date))
            if note.aliases:
                parts.append("also: " + ", ".join(note.aliases))
            return tooltip_html(note.title, " · ".join(parts), note.path)
        return None
