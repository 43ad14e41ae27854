"""The quick switcher (Ctrl+K, Ctrl+O): jump to a note by title, alias or file name, fuzzily.

The ranking is in viewer.core.switcher (`rank`, over `Names` folded once a sync).
A typed query is ranked in a one-thread pool, off the UI thread: each query has a
number, and a result for anything but the newest is dropped (a stale query stops
between pieces of its work). The list is a model over the top MAX_ROWS choices only.
Enter pressed while the newest query is still being ranked opens its first choice
when it comes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from viewer.core.errors import Stale
from viewer.core.model import Note
from viewer.core.switcher import MAX_ROWS, Choice, Names, rank
from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.workers import Latest

__all__ = ["MAX_ROWS", "Choice", "ChoiceModel", "Switcher", "rank"]


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
            where = f"  ·  {choice.folder}/" if choice.folder else ""
            return f"{choice.title}{alias}  ·  {choice.kind}{where}"
        if role == NOTE_ID_ROLE:
            return choice.note_id
        return None


class RankSignals(QObject):
    """Signals:
        ranked(int, object): a request number and its list of choices.
    """

    ranked = Signal(int, object)


class RankTask(QRunnable):
    """One `rank` call in the switcher's pool."""

    def __init__(self, names: Names, query: str, recent: list[str], request: int,
                 latest: Latest, signals: RankSignals) -> None:
        super().__init__()
        self.names, self.query, self.recent = names, query, recent
        self.request, self.latest, self.signals = request, latest, signals

    def run(self) -> None:
        def stale() -> bool:
            return self.request != self.latest.value
        if stale():
            return  # a newer query is waiting
        try:
            choices = rank(self.names, self.query, self.recent, stale=stale)
        except Stale:
            return
        try:
            self.signals.ranked.emit(self.request, choices)
        except RuntimeError:
            pass  # the switcher was deleted meanwhile (the window closed)


class Switcher(QDialog):
    """A field and the notes it matches; Enter opens the selected one.

    Signals:
        note_chosen(str): the reader picked a note.
        choices_shown(): the choices for the text in the field are listed.
    """

    note_chosen = Signal(str)
    choices_shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Go to note")
        self.setAccessibleName("Quick switcher")
        self.setModal(True)
        self.names = Names([])
        self.recent: list[str] = []
        self.latest = Latest()
        self.signals = RankSignals(self)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName("switcher")
        self._pending = False  # the newest query is being ranked
        self._open_when_done = False
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
        self.signals.ranked.connect(self._on_ranked)

    def open_with(self, notes: Names | Sequence[Note], recent: Sequence[str]) -> None:
        """Show the switcher over `notes` (best their `Names`, made once), `recent` ids first."""
        self.names = notes if isinstance(notes, Names) else Names(notes)
        self.recent = list(recent)
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

    def busy(self) -> bool:
        """Whether the text in the field is still being ranked."""
        return self._pending

    def shutdown(self) -> None:
        """Drop what is queued and wait for the ranking under way (on close)."""
        self.latest.next()
        self.pool.clear()
        self.pool.waitForDone(3000)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.latest.next()  # closed: a ranking under way is dropped, and opens nothing
        self._pending = self._open_when_done = False
        super().hideEvent(event)

    @Slot(str)
    def _update(self, text: str) -> None:
        request = self.latest.next()  # anything still in flight is stale now
        self._open_when_done = False
        if not text.strip():  # recent notes, then the first titles: no scan
            self._pending = False
            self._show(rank(self.names, "", self.recent), recent_first=True)
            return
        self._pending = True
        self.pool.start(RankTask(self.names, text, self.recent, request, self.latest, self.signals))

    @Slot(int, object)
    def _on_ranked(self, request: int, choices: list[Choice]) -> None:
        if request != self.latest.value:
            return  # the reader typed on
        self._pending = False
        self._show(choices, recent_first=False)
        if self._open_when_done:
            self._open_when_done = False
            self._choose_current()

    def _show(self, choices: list[Choice], recent_first: bool) -> None:
        self.model.set_choices(choices)
        if self.model.rowCount():
            # With an empty field the first row is the note shown now: suggest the one before it.
            row = 1 if recent_first and self.model.rowCount() > 1 and self.recent else 0
            self.list.setCurrentIndex(self.model.index(row, 0))
        self.choices_shown.emit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        if (watched is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)):
            moved = QKeyEvent(event.type(), event.key(), event.modifiers())
            QApplication.sendEvent(self.list, moved)  # move the selection while typing
            return True
        return super().eventFilter(watched, event)

    @Slot()
    def _choose_current(self) -> None:
        if self._pending:  # Enter before the choices for the whole text came: open the first of them
            self._open_when_done = True
            return
        self._choose(self.list.currentIndex())

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE) if index.isValid() else None
        if note_id:
            self.accept()
            self.note_chosen.emit(note_id)
