"""The quick switcher (Ctrl+K, Ctrl+O): jump to a note by title or alias, fuzzily.

Ranking is plain Python over rapidfuzz (`rank`), testable without a window:
names that contain what was typed come first (exact, prefix, word prefix, substring),
then fuzzy matches that catch typos; recent notes come first among equals. The list is a model over plain tuples, fine for 10,000 notes.
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
from viewer.ui.panels.notes import NOTE_ID_ROLE

MAX_ROWS = 50
MIN_SCORE = 70.0
SHORT_QUERY = 3  # up to this many characters, only near-exact fuzzy matches are listed
SHORT_MIN_SCORE = 90.0

# How a name matches what was typed, best first.
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, FUZZY = range(5)


@dataclass(frozen=True)
class Choice:
    note_id: str
    title: str
    matched: str  # the name that matched: the title or an alias
    kind: str  # "Event", "Person"...


def match_tier(name_key: str, query_key: str) -> int | None:
    """How `name_key` contains `query_key` (both folded by `utils.default_process`), or None."""
    if name_key == query_key:
        return EXACT
    if name_key.startswith(query_key):
        return PREFIX
    if f" {query_key}" in f" {name_key}":
        return WORD_PREFIX
    if query_key in name_key:
        return SUBSTRING
    return None


def rank(notes: Sequence[Note], query: str, recent: Sequence[str] = (),
         limit: int = MAX_ROWS) -> list[Choice]:
    """Notes for `query`, best first; with an empty query, recent notes then the rest by title.

    A name that is the query, starts with it, has a word starting with it or contains it
    comes before a fuzzy match (which catches typos); among equals recent notes come first.
    """
    recent_pos = {note_id: i for i, note_id in enumerate(recent)}
    by_id = {note.id: note for note in notes}
    query = query.strip()
    if not query:
        firsts = [by_id[i] for i in recent if i in by_id]
        rest = sorted((n for n in notes if n.id not in recent_pos), key=lambda n: n.title.casefold())
        return [Choice(n.id, n.title, n.title, type_label(n.type)) for n in (firsts + rest)[:limit]]
    folded = utils.default_process(query)
    if not folded:
        return []
    names: list[str] = []
    owners: list[Note] = []
    # note id -> (tier, -score, 0 for the title or 1 for an alias, name)
    best: dict[str, tuple[int, float, int, str]] = {}

    def offer(note: Note, name: str, tier: int, score: float) -> None:
        key = (tier, -score, int(name != note.title), name)
        if note.id not in best or key < best[note.id]:
            best[note.id] = key

    for note in notes:
        for name in dict.fromkeys((note.title, *note.aliases)):
            tier = match_tier(utils.default_process(name), folded)
            if tier is None:
                names.append(name)
                owners.append(note)
            else:
                offer(note, name, tier, 100.0)
    cutoff = SHORT_MIN_SCORE if len(folded) <= SHORT_QUERY else MIN_SCORE
    for name, score, position in process.extract(folded, names, scorer=fuzz.WRatio,
                                                 processor=utils.default_process,
                                                 limit=max(limit * 4, 200), score_cutoff=cutoff):
        offer(owners[position], name, FUZZY, score)
    unranked = len(recent_pos)

    def order(note_id: str) -> tuple:
        tier, neg_score, _, _ = best[note_id]
        return (tier, recent_pos.get(note_id, unranked), neg_score, by_id[note_id].title.casefold())

    ordered = sorted(best, key=order)[:limit]
    return [Choice(i, by_id[i].title, best[i][3], type_label(by_id[i].type)) for i in ordered]


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
