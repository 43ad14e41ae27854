"""Search as you type: ranked hits with highlighted snippets, from `kb.search`.

Typing restarts a 150 ms timer; when it fires the query goes to a one-thread
pool, and the result comes back by signal. Each query has a number: a result
for anything but the newest query is dropped, and queued stale queries do not
run at all. Hits are listed under "Notes", then the annotations whose comment,
tags or quote hold the words under "Annotations". `in:annotations WORDS`
searches the annotations only, `in:notes WORDS` the notes only.

Annotations are searched on the UI thread, when the note hits arrive: it is a
scan of the reader's annotations held in memory (a few thousand at most, their
folded text cached), and the store is not shared with the worker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from viewer.core.annotations import Annotation, search_scope
from viewer.core.annotations.search import ANNOTATIONS, NOTES, Query
from viewer.core.page import type_label
from viewer.ui.annotations.panel import ANNOTATION_ROLE, short
from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.rich_text import HTML_ROLE, WrappingTreeView, section_item
from viewer.ui.workers import Latest, SearchSignals, SearchTask, search_pool

DEBOUNCE_MS = 150
LIMIT = 50
HINT = ('Words, "a phrase", OR, -word, prefix*, type:event, tag:police, date:2020-02, links:NOTE; '
        "in:annotations WORDS for your annotations only")
AnnotationSearch = Callable[[str], list[Annotation]]
Titles = Callable[[str], "str | None"]


def bold_terms(text: str, terms: tuple[str, ...]) -> str:
    """`text` escaped, each occurrence of a term (ignoring case) in bold."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans += [m.span() for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [html.escape(text[last:start]), "<b>", html.escape(text[start:end]), "</b>"]
        last = end
    return "".join(out) + html.escape(text[last:])


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
        note_activated(str): the reader opened a note hit.
        annotation_activated(str): the reader opened an annotation hit (its id).
        results_shown(int): hits for the newest query are on screen (how many, notes and annotations).
    """

    note_activated = Signal(str)
    annotation_activated = Signal(str)
    results_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kb = None
        self.annotation_search: AnnotationSearch | None = None
        self.titles: Titles = lambda note_id: None
        self._scope: str | None = None  # of the query shown or being run
        self._words = ""
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

    def set_annotations(self, search: AnnotationSearch | None, titles: Titles | None = None) -> None:
        """Where annotation hits come from: `search(words)`, and note titles for them."""
        self.annotation_search = search
        if titles is not None:
            self.titles = titles

    @Slot()
    def annotations_changed(self) -> None:
        """Annotations changed: search again if hits are shown."""
        if self.field.text().strip() and not self.timer.isActive() and not self._pending:
            self.run_query()

    def shutdown(self) -> None:
        """Drop pending queries and wait for the running one (on close)."""
        self.latest.next()
        self.timer.stop()
        self.pool.clear()
        self.pool.waitForDone(3000)

    # -- querying -------------------------------------------------------------------

    def set_query(self, text: str) -> None:
        """Search for `text` now, as if the reader had typed it."""
        self.field.setText(text)
        self.timer.stop()
        self.run_query()

    def note_shown(self, note_id: str) -> None:
        """Keep a hit selected only while its note is the one shown."""
        selection = self.results.selectionModel()
        index = self.hit_index(note_id)
        if index.isValid():
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        else:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)

    @Slot(str)
    def _on_text(self, _text: str) -> None:
        self.latest.next()  # anything still in flight is stale now
        self.timer.start()

    @Slot()
    def run_query(self) -> None:
        scope, words = search_scope(self.field.text().strip())
        self._scope, self._words = scope, words
        request = self.latest.next()
        if scope == ANNOTATIONS:
            self._pending = False
            self._show_results([], None, 0)
            return
        if not words or self.kb is None or not hasattr(self.kb, "search"):
            self._pending = self._open_when_done = False
            self.model.clear()
            self.status.setText(HINT)
            return
        self.status.setText("Searching…")
        self._pending = True
        self.pool.start(SearchTask(self.kb, words, LIMIT, request, self.latest, self.signals))

    @Slot(int, object)
    def _on_finished(self, request: int, result) -> None:
        if request != self.latest.value:
            return  # stale: the reader typed on
        self._pending = False
        hits = list(result)
        self._show_results(hits, getattr(result, "searched_for", None),
                           getattr(result, "total", len(hits)))  # counted in the worker

    def _show_results(self, hits: list, corrected: str | None, total: int) -> None:
        """Note hits (unless in:annotations), then annotation hits (unless in:notes)."""
        self.model.clear()
        found: list[Annotation] = []
        if self._scope != NOTES and self.annotation_search is not None:
            found = self.annotation_search(self._words)[:LIMIT]
        parts: list[str] = []
        if self._scope != ANNOTATIONS:
            count = f"{len(hits)} note{'s' if len(hits) != 1 else ''}" if hits else "No notes match"
            if total > len(hits):
                count = f"Best {len(hits)} of {total} notes"
            parts.append(count)
            section = self._section(f"Notes ({len(hits)})")
            for hit in hits:
                section.appendRow(self._hit_item(hit))
            self.model.appendRow(section)
        if found or self._scope == ANNOTATIONS:
            parts.append(f"{len(found)} annotation{'s' if len(found) != 1 else ''}" if found
                         else "No annotations match")
            section = self._section(f"Annotations ({len(found)})")
            terms = Query.parse(self._words).terms
            for annotation in found:
                section.appendRow(self._annotation_item(annotation, terms))
            self.model.appendRow(section)
        shown = ", ".join(parts) + "."
        self.status.setText(f"Showing results for “{corrected}”. {shown}" if corrected else shown)
        self.results.expandAll()
        self.results_shown.emit(len(hits) + len(found))
        if self._open_when_done:
            self._open_when_done = False
            if hits:
                self.note_activated.emit(hits[0].note_id)
            elif found:
                self.annotation_activated.emit(found[0].id)

    @Slot(int, str)
    def _on_failed(self, request: int, message: str) -> None:
        if request == self.latest.value:
            self._pending = self._open_when_done = False
            self.model.clear()
            self.status.setText(f"Cannot search: {message}")
            self.results_shown.emit(0)

    def _section(self, text: str) -> QStandardItem:
        return section_item(text, self.font())

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

    def _annotation_item(self, annotation: Annotation, terms: tuple[str, ...]) -> QStandardItem:
        title = self.titles(annotation.note) or annotation.note
        item = QStandardItem(title)
        item.setData(annotation.id, ANNOTATION_ROLE)
        lines = [f"“{bold_terms(short(annotation.exact, 160), terms)}”"]
        if annotation.comment.strip():
            lines.append(bold_terms(short(annotation.comment, 200), terms))
        if annotation.tags:
            lines.append(" ".join("#" + bold_terms(tag, terms) for tag in annotation.tags))
        kind = "Orphaned annotation" if annotation.orphaned else "Annotation"
        item.setData(f"<b>{html.escape(title)}</b> <small>{kind}</small>"
                     f'<br><span style="font-size: small">{"<br>".join(lines)}</span>', HTML_ROLE)
        item.setData(f"{kind} in {title}: {short(annotation.exact, 80)}. {annotation.comment.strip()}",
                     Qt.ItemDataRole.AccessibleTextRole)
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
        elif self.annotation_hit_ids():
            self.annotation_activated.emit(self.annotation_hit_ids()[0])

    @Slot()
    def _focus_results(self) -> None:
        ids = self.hit_ids()
        index = self.hit_index(ids[0]) if ids else self.annotation_hit_index(next(iter(self.annotation_hit_ids()), ""))
        if index.isValid():
            self.results.setFocus()
            self.results.setCurrentIndex(index)

    def annotation_hit_ids(self) -> list[str]:
        return [self.model.item(row).child(r).data(ANNOTATION_ROLE) for row in range(self.model.rowCount())
                for r in range(self.model.item(row).rowCount())
                if self.model.item(row).child(r).data(ANNOTATION_ROLE)]

    def annotation_hit_index(self, annotation_id: str) -> QModelIndex:
        for row in range(self.model.rowCount()):
            section = self.model.item(row)
            for r in range(section.rowCount()):
                if annotation_id and section.child(r).data(ANNOTATION_ROLE) == annotation_id:
                    return section.child(r).index()
        return QModelIndex()

    @Slot(QModelIndex)
    def _on_index(self, index: QModelIndex) -> None:
        note_id = index.data(NOTE_ID_ROLE)
        if note_id:
            self.note_activated.emit(note_id)
        elif index.data(ANNOTATION_ROLE):
            self.annotation_activated.emit(index.data(ANNOTATION_ROLE))
