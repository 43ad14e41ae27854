"""The quick switcher (Ctrl+K, Ctrl+O): jump to a note by title or alias, fuzzily.

Ranking is plain Python over rapidfuzz (`rank`), testable without a window;
recent notes come first when the field is empty and get a small bonus when it
is not. The list is a model over plain tuples, fine for 10,000 notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget
from rapidfuzz import fuzz, process, utils

from viewer.core.model import Note
from viewer.core.page import type_label
from viewer.ui.browser_panel import NOTE_ID_ROLE

MAX_ROWS = 50
RECENT_BONUS = 8.0
MIN_SCORE = 70.0


@dataclass(frozen=True)
class Choice:
    note_id: str
    title: str
    matched: str  # the name that matched: the title or an alias
    kind: str  # "Event", "Person"...


def rank(notes: Sequence[Note], query: str, recent: Sequence[str] = (),
         limit: int = MAX_ROWS) -> list[Choice]:
    """Notes for `query`, best first; with an empty query, recent notes then the rest by title."""
    recent_pos = {note_id: i for i, note_id in enumerate(recent)}
    by_id = {note.id: note for note in notes}
    query = query.strip()
    if not query:
        firsts = [by_id[i] for i in recent if i in by_id]
        rest = sorted((n for n in notes if n.id not in recent_pos), key=lambda n: n.title.casefold())
        return [Choice(n.id, n.title, n.title, type_label(n.type)) for n in (firsts + rest)[:limit]]
    names: list[str] = []
    owners: list[Note] = []
    for note in notes:
        for name in dict.fromkeys((note.title, *note.aliases)):
            names.append(name)
            owners.append(note)
    folded = utils.default_process(query)
    matches = process.extract(query, names, scorer=fuzz.WRatio, processor=utils.default_process,
                              limit=max(limit * 4, 200), score_cutoff=MIN_SCORE)
    best: dict[str, tuple[float, Choice]] = {}
    for name, score, position in matches:
        note = owners[position]
        key = utils.default_process(name)
        if key.startswith(folded):
            score += 6.0  # a name that starts with what was typed
        if note.id in recent_pos:
            score += RECENT_BONUS * (1.0 - recent_pos[note.id] / max(len(recent_pos), 1))
        if note.id not in best or score > best[note.id][0]:
            best[note.id] = (score, Choice(note.id, note.title, name, type_label(note.type)))
    ordered = sorted(best.values(), key=lambda pair: (-pair[0], pair[1].title.casefold()))
    return [choice for _, choice in ordered[:limit]]


class ChoiceModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.choices: list[Choice] = []

    def set_choices(self, choices: Iterable[Choice]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        choice = self.choices[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            alias = f"  ({choice.matched})" if choice.matched != choice.title else ""
            return f"{choice.title}{alias}  ·  {choice.kind}"
        if role == NOTE_ID_ROLE:
            return choice.note_id
        return None


class Switcher(QDialog):
    """A field and the notes it matches; Enter opens the selected one.

    Signals:
        note_chosen(str): the reader picked a note.
    """

    note_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Go to note")
        self.setAccessibleName("Quick switcher")
        self.setModal(True)
        self.notes: list[Note] = []
        self.recent: list[str] = []
        self.field = QLineEdit()
        self.field.setPlaceholderText("Type a title or an alias")
        self.field.setAccessibleName("Note name")
        self.model = ChoiceModel(self)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setUniformItemSizes(True)
        self.list.setAccessibleName("Matching notes")
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        hint = QLabel("↑↓ to choose, Enter to open, Esc to close")
        hint.setAccessibleName("Hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)
        self.resize(560, 420)
        self.field.installEventFilter(self)
        self._connect()

    def _connect(self) -> None:
        self.field.textChanged.connect(self._update)
        self.field.returnPressed.connect(self._choose_current)
        self.list.activated.connect(self._choose)
        self.list.clicked.connect(self._choose)

    def open_with(self, notes: Sequence[Note], recent: Sequence[str]) -> None:
        """Show the switcher over `notes`, `recent` ids first."""
        self.notes, self.recent = list(notes), list(recent)
        self.field.clear()
        self._update("")
        if self.parent() is not None:
            parent = self.parentWidget()
            geometry = parent.geometry()
            self.move(geometry.center().x() - self.width() // 2, geometry.top() + 80)
        self.show()
        self.raise_()
        self.activateWindow()
        self.field.setFocus()

    def choice_ids(self) -> list[str]:
        return [choice.note_id for choice in self.model.choices]

    @Slot(str)
    def _update(self, text: str) -> None:
        self.model.set_choices(rank(self.notes, text, self.recent))
        if self.model.rowCount():
            # With an empty field the first row is the note shown now: suggest the one before it.
            row = 1 if not text.strip() and self.model.rowCount() > 1 and self.recent else 0
            self.list.setCurrentIndex(self.model.index(row, 0))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
                moved = QKeyEvent(event.type(), event.key(), event.modifiers())
                QApplication.sendEvent(self.list, moved)  # move the selection while typing
                return True
        return super().eventFilter(watched, event)

    @Slot()
    def _choose_current(self) -> None:
        self._choose(self.list.currentIndex())

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE) if index.isValid() else None
        if note_id:
            self.accept()
            self.note_chosen.emit(note_id)
