"""Search as you type: ranked hits with highlighted snippets, from `kb.search`.

Typing restarts a 150 ms timer; when it fires the query goes to a one-thread
pool, and the result comes back by signal. Each query has a number: a result
for anything but the newest query is dropped, and queued stale queries do not
run at all. Hits are listed under "Notes"; the model leaves room for more
sections (annotation comments will come later).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from viewer.core.page import type_label
from viewer.ui.browser_panel import NOTE_ID_ROLE
from viewer.ui.rich_text import HTML_ROLE, WrappingTreeView
from viewer.ui.workers import Latest, SearchSignals, SearchTask, search_pool

DEBOUNCE_MS = 150
LIMIT = 50
HINT = 'Words, "a phrase", OR, -word, prefix*, type:event, tag:police, date:2020-02, links:NOTE'


class _Field(QLineEdit):
    """The query field: Down moves into the hits."""

    down_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """A query field and its hits.

    Signals:
        note_activated(str): the reader opened a hit.
        results_shown(int): hits for the newest query are on screen (how many).
    """

    note_activated = Signal(str)
    results_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = None
        self.latest = Latest()
        self._pending = False  # a query is in the pool
        self._open_when_done = False
        self.signals = SearchSignals(self)
        self.pool = search_pool()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.field = _Field()
        self.field.setPlaceholderText("Search notes")
        self.field.setToolTip("Search every note. " + HINT)
        self.field.setAccessibleName("Search notes")
        self.field.setClearButtonEnabled(True)
        self.status = QLabel(HINT)
        self.status.setAccessibleName("Search status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.model = QStandardItemModel(self)
        self.results = WrappingTreeView()
        self.results.setModel(self.model)
        self.results.setAccessibleName("Search results")
        self.results.setEditTriggers(WrappingTreeView.EditTrigger.NoEditTriggers)
        self.results.setIndentation(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.field)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self.setFocusProxy(self.field)
        self._connect()

    def _connect(self) -> None:
        self.field.textChanged.connect(self._on_text)
        self.field.returnPressed.connect(self._open_first)
        self.field.down_pressed.connect(self._focus_results)
        self.timer.timeout.connect(self.run_query)
        self.signals.finished.connect(self._on_finished)
        self.signals.failed.connect(self._on_failed)
        self.results.clicked.connect(self._on_index)
        self.results.activated.connect(self._on_index)

    def set_kb(self, kb) -> None:
        self.kb = kb
        available = hasattr(kb, "search")
        self.field.setEnabled(available)
        self.status.setText(HINT if available else "Search is not available for this knowledge base.")
        if available and self.field.text():
            self.run_query()

    def shutdown(self) -> None:
        """Drop pending queries and wait for the running one (on close)."""
        self.latest.next()
        self.timer.stop()
        self.pool.clear()
        self.pool.waitForDone(3000)

    # -- querying -------------------------------------------------------------------

    @Slot(str)
    def _on_text(self, _text: str) -> None:
        self.latest.next()  # anything still in flight is stale now
        self.timer.start()

    @Slot()
    def run_query(self) -> None:
        query = self.field.text().strip()
        request = self.latest.next()
        if not query or self.kb is None or not hasattr(self.kb, "search"):
            self._pending = self._open_when_done = False
            self.model.clear()
            self.status.setText(HINT)
            return
        self.status.setText("Searching…")
        self._pending = True
        self.pool.start(SearchTask(self.kb, query, LIMIT, request, self.latest, self.signals))

    @Slot(int, object)
    def _on_finished(self, request: int, result) -> None:
        if request != self.latest.value:
            return  # stale: the reader typed on
        self._pending = False
        self.model.clear()
        hits = list(result)
        corrected = getattr(result, "searched_for", None)
        total = getattr(result, "total", len(hits))  # counted in the worker
        count = f"{len(hits)} note{'s' if len(hits) != 1 else ''}" if hits else "No notes match"
        if total > len(hits):
            count = f"Best {len(hits)} of {total} notes"
        self.status.setText(f"Showing results for “{corrected}”. {count}." if corrected else f"{count}.")
        section = self._section(f"Notes ({len(hits)})")
        for hit in hits:
            section.appendRow(self._hit_item(hit))
        self.model.appendRow(section)
        self.results.expandAll()
        self.results_shown.emit(len(hits))
        if self._open_when_done:
            self._open_when_done = False
            if hits:
                self.note_activated.emit(hits[0].note_id)

    @Slot(int, str)
    def _on_failed(self, request: int, message: str) -> None:
        if request == self.latest.value:
            self._pending = self._open_when_done = False
            self.model.clear()
            self.status.setText(f"Cannot search: {message}")
            self.results_shown.emit(0)

    def _section(self, text: str) -> QStandardItem:
        item = QStandardItem(text)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        return item

    def _hit_item(self, hit) -> QStandardItem:
        item = QStandardItem(hit.title)
        item.setData(hit.note_id, NOTE_ID_ROLE)
        kind = html.escape(type_label(hit.type))
        snippet = hit.snippet or ""  # HTML-safe from the search engine, matched words in <b>
        item.setData(f"<b>{html.escape(hit.title)}</b> <small>{kind}</small>"
                     f'<br><span style="font-size: small">{snippet}</span>', HTML_ROLE)
        item.setData(f"{hit.title}, {type_label(hit.type)}", Qt.ItemDataRole.AccessibleTextRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return item

    # -- opening ----------------------------------------------------------------------

    def hit_ids(self) -> list[str]:
        ids: list[str] = []
        for row in range(self.model.rowCount()):
            section = self.model.item(row)
            ids += [section.child(r).data(NOTE_ID_ROLE) for r in range(section.rowCount())]
        return [i for i in ids if i]

    def hit_index(self, note_id: str) -> QModelIndex:
        for row in range(self.model.rowCount()):
            section = self.model.item(row)
            for r in range(section.rowCount()):
                if section.child(r).data(NOTE_ID_ROLE) == note_id:
                    return section.child(r).index()
        return QModelIndex()

    @Slot()
    def _open_first(self) -> None:
        if self.timer.isActive() or self._pending:
            self.timer.stop()
            self._open_when_done = True  # Enter before the results: open the first when they come
            if not self._pending:
                self.run_query()
            return
        ids = self.hit_ids()
        if ids:
            self.note_activated.emit(ids[0])

    @Slot()
    def _focus_results(self) -> None:
        ids = self.hit_ids()
        if ids:
            self.results.setFocus()
            self.results.setCurrentIndex(self.hit_index(ids[0]))

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        if note_id:
            self.note_activated.emit(note_id)
