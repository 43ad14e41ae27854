"""Search as you type: ranked hits with highlighted snippets, from `kb.search`.

Typing restarts a 150 ms timer; when it fires the query goes to a one-thread
pool, and the result comes back by signal. Each query has a number: a result
for anything but the newest query is dropped, and queued stale queries do not
run at all. Hits come a page at a time: scrolling near the end of the list
asks for the next page. Hits are listed under "Notes", then the annotations whose comment,
tags or quote hold the words under "Annotations". `in:annotations WORDS`
searches the annotations only, `in:notes WORDS` the notes only.

Annotations are searched on the UI thread, when the note hits arrive: it is a
scan of the reader's annotations held in memory (a few thousand at most, their
folded text cached), and the store is not shared with the worker.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from viewer.core.annotations import Annotation, search_scope
from viewer.core.annotations.search import ANNOTATIONS, NOTES, Query
from viewer.ui.annotations.panel import ANNOTATION_ROLE
from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.rich_text import WrappingTreeView, section_item
from viewer.ui.search.rows import HIT_ROLE, annotation_item, hit_item
from viewer.ui.workers import Latest, SearchSignals, SearchTask, search_pool

DEBOUNCE_MS = 150
LIMIT = 50  # hits a page; scrolling to the end of the list loads the next
MORE_PIXELS = 80  # this close to the end of the list, the next page is asked for
HINT = ('Words, "a phrase", OR, -word, prefix*, type:event, tag:police, date:2020-02, links:NOTE; '
        "in:annotations WORDS for your annotations only")
AnnotationSearch = Callable[[str], list[Annotation]]
Titles = Callable[[str], "str | None"]


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
        hit_activated(str, str): the same, with the hit's passage (plain text, '' for none).
        annotation_activated(str): the reader opened an annotation hit (its id).
        results_shown(int): hits for the newest query are on screen (how many, notes and annotations).
    """

    note_activated = Signal(str)
    hit_activated = Signal(str, str)
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
        self._exact = False  # search the words as typed: no typo correction
        self._more_request = 0  # the request number of a next page being fetched
        self._shown_notes = 0
        self._total = 0
        self.pattern = ""  # the matched words of the hits shown, as a regular expression
        self.find_words = ""  # and as typed in a find bar
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
        self.correction = QLabel()  # "Searched for X — search for Y instead", Y a link
        self.correction.setAccessibleName("Spelling correction")
        self.correction.setWordWrap(True)
        self.correction.setTextFormat(Qt.TextFormat.RichText)
        self.correction.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.correction.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.correction.hide()
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
        layout.addWidget(self.correction)
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
        self.results.verticalScrollBar().valueChanged.connect(self._maybe_more)
        self.correction.linkActivated.connect(self._search_as_typed)

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
        self._exact = False
        self.timer.start()

    @Slot(str)
    def _search_as_typed(self, _link: str) -> None:
        """The reader turned down a spelling correction: search the words as typed."""
        self.timer.stop()
        self.run_query(exact=True)

    @Slot()
    def run_query(self, exact: bool = False) -> None:
        self._exact = exact
        self._more_request = 0
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
            self.correction.hide()
            self.status.setText(HINT)
            return
        self.status.setText("Searching…")
        self._pending = True
        self.pool.start(SearchTask(self.kb, words, LIMIT, request, self.latest, self.signals,
                                   correct_typos=not exact))

    @Slot()
    def _maybe_more(self, *_args) -> None:
        """Near the end of the list, with more notes to show: ask for the next page."""
        self.results.executeDelayedItemsLayout()  # rows just added move the end: lay them out before looking
        bar = self.results.verticalScrollBar()
        if (self._pending or self._shown_notes >= self._total or self._scope == ANNOTATIONS
                or bar.value() < bar.maximum() - MORE_PIXELS or self.kb is None):
            return
        self._pending = True
        self._more_request = self.latest.next()
        self.pool.start(SearchTask(self.kb, self._words, LIMIT, self._more_request, self.latest, self.signals,
                                   offset=self._shown_notes, correct_typos=not self._exact))

    @Slot(int, object)
    def _on_finished(self, request: int, result) -> None:
        if request != self.latest.value:
            return  # stale: the reader typed on
        self._pending = False
        hits = list(result)
        if request == self._more_request:
            self._append_page(hits)
            return
        self.pattern = getattr(result, "pattern", "")
        self.find_words = getattr(result, "find_words", "")
        self._show_results(hits, getattr(result, "searched_for", None),
                           getattr(result, "total", len(hits)), getattr(result, "notice", ""))  # counted in the worker

    def _append_page(self, hits: list) -> None:
        """The next page of note hits, after those shown."""
        section = self.model.item(0)
        if section is None or not hits:
            self._total = self._shown_notes  # nothing more came: stop asking
            return
        known = set(self.hit_ids())
        for hit in hits:
            if hit.note_id not in known:
                section.appendRow(self._hit_item(hit))
        self._shown_notes += len(hits)
        section.setText(self._notes_heading())
        QTimer.singleShot(0, self._maybe_more)  # the list may still not fill the panel

    def _notes_heading(self) -> str:
        shown = len(self.hit_ids())
        return f"Notes ({shown} of {self._total})" if self._total > shown else f"Notes ({shown})"

    def _show_correction(self, corrected: str | None) -> None:
        if not corrected:
            self.correction.hide()
            return
        typed = self._words
        self.correction.setText(f"Searched for <b>{html.escape(corrected)}</b> — "
                                f"<a href=\"as-typed\">search for {html.escape(typed)} instead</a>")
        self.correction.show()

    def _show_results(self, hits: list, corrected: str | None, total: int, notice: str = "") -> None:
        """Note hits (unless in:annotations), then annotation hits (unless in:notes)."""
        self.model.clear()
        self._shown_notes, self._total = len(hits), max(total, len(hits))
        self._show_correction(corrected)
        found: list[Annotation] = []
        if self._scope != NOTES and self.annotation_search is not None:
            found = self.annotation_search(self._words)[:LIMIT]
        parts: list[str] = []
        if self._scope != ANNOTATIONS:
            count = f"{total} note{'s' if total != 1 else ''} match" if hits else "No notes match"
            parts.append(f"{notice}. {count}" if notice and hits else count)
            section = self._section(f"Notes ({len(hits)} of {total})" if total > len(hits) else f"Notes ({len(hits)})")
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
        self.status.setText(", ".join(parts) + ".")
        self.results.expandAll()
        self.results_shown.emit(len(hits) + len(found))
        if self._open_when_done:
            self._open_when_done = False
            if hits:
                self._activate(hits[0].note_id, _passage(hits[0]))
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
        return hit_item(hit)

    def _annotation_item(self, annotation: Annotation, terms: tuple[str, ...]) -> QStandardItem:
        return annotation_item(annotation, terms, self.titles(annotation.note) or annotation.note)

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
            self._activate(ids[0], _passage(self.hit_index(ids[0]).data(HIT_ROLE)))
        elif self.annotation_hit_ids():
            self.annotation_activated.emit(self.annotation_hit_ids()[0])

    @Slot()
    def _focus_results(self) -> None:
        ids = self.hit_ids()
        first_annotation = next(iter(self.annotation_hit_ids()), "")
        index = self.hit_index(ids[0]) if ids else self.annotation_hit_index(first_annotation)
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
            self._activate(note_id, _passage(index.data(HIT_ROLE)))
        elif index.data(ANNOTATION_ROLE):
            self.annotation_activated.emit(index.data(ANNOTATION_ROLE))

    def _activate(self, note_id: str, passage: str) -> None:
        self.note_activated.emit(note_id)
        self.hit_activated.emit(note_id, passage)


def _passage(hit) -> str:
    return getattr(hit, "passage", "") or ""
