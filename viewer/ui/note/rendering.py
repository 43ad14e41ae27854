"""Note pages made off the UI thread: the newest request wins.

A page (header, body, sources) is made in a pool of one thread by
`viewer.core.page.note_page`, whose Markdown has a time budget (past it, the
note comes as plain text with a notice). The UI thread only lays out the HTML
it is handed. A request not yet started when a newer one comes is skipped; the
result of one that had started is dropped.

Each page made without folded or opened callouts is kept beside the store
(`viewer.core.start_page`); the first page asked for after a folder is
opened is taken from there when nothing it was made from has changed.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from viewer.core import start_page
from viewer.ui.workers import Latest

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

SLOW_MS = 250  # a page not ready after this long is announced as being rendered


class PageSignals(QObject):
    """Signals:
        finished(int, str, str): a request number, its note id and the page's HTML.
        remade(int, object, str, str, str, str): a request number, and what `RemadeTask` made (see `PageRenderer`).
    """

    finished = Signal(int, str, str)
    remade = Signal(int, object, str, str, str, str)


class PageTask(QRunnable):
    """One `note_page(kb, note_id, toggled)` call in the page pool."""

    def __init__(self, kb: KnowledgeBase, note_id: str, toggled: frozenset[int], request: int,
                 latest: Latest, signals: PageSignals) -> None:
        super().__init__()
        self.kb, self.note_id, self.toggled = kb, note_id, toggled
        self.request, self.latest, self.signals = request, latest, signals

    def run(self) -> None:
        if self.request != self.latest.value:
            return  # the reader has asked for another page already
        syncs = self.kb.syncs  # the page is kept only if no sync began or ended while it was made
        try:
            from viewer.core.page import note_page  # with the first page made: a kept page needs none of it

            page = note_page(self.kb, self.note_id, self.toggled)
        except Exception as err:  # noqa: BLE001 (shown in the view)
            page = (f'<p class="render-notice"><i>This note could not be shown: '
                    f'{html.escape(str(err) or type(err).__name__)}</i></p>')
        self.signals.finished.emit(self.request, self.note_id, page)
        if not self.toggled and self.request == self.latest.value and 'class="render-notice"' not in page:
            self._keep(page, syncs)

    def _keep(self, page: str, syncs: int) -> None:
        """Keep the page for the next start, with what it was made from."""
        kb = self.kb
        try:
            deps = start_page.page_deps(kb, self.note_id)
            if syncs % 2 == 0 and kb.syncs == syncs:
                note = kb.get(self.note_id)
                start_page.save(kb.store_path, self.note_id, kb.page_state, page, deps, note.title if note else None)
        except Exception:  # noqa: BLE001 (the page is shown all the same; the next start makes it again)
            pass


class RemadeTask(QRunnable):
    """One `remade_page.remake` call in the page pool: the note read last, before the notes are read."""

    def __init__(self, store: Path, folder: Path, note_id: str | None, request: int, latest: Latest,
                 signals: PageSignals) -> None:
        super().__init__()
        self.store, self.folder, self.note_id = store, folder, note_id
        self.request, self.latest, self.signals = request, latest, signals

    def run(self) -> None:
        made = None
        if self.request == self.latest.value:
            from viewer.core.remade_page import remake

            try:
                made = remake(self.store, self.folder, self.note_id)
            except Exception:  # noqa: BLE001 (the notes are read and the page made as any other)
                made = None
        note_id, page, title, path = made or (self.note_id or "", "", "", "")
        self.signals.remade.emit(self.request, self.folder, note_id, page, title, path)


class PageRenderer(QObject):
    """Makes note pages in a worker thread; only the newest request's page is handed on.

    Signals:
        ready(int, str, str): the newest request's number, note id and page HTML.
        slow(int): that request has taken more than SLOW_MS so far.
        remade(object, str, str, str, str): the page `remake` asked for: the folder, the note id, the page
            ('': none), its title and its file's path.
    """

    ready = Signal(int, str, str)
    slow = Signal(int)
    remade = Signal(object, str, str, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.latest = Latest()
        self.signals = PageSignals()
        self.signals.finished.connect(self._on_finished)
        self.signals.remade.connect(self._on_remade)
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName("pages")
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_MS)
        self._slow.timeout.connect(lambda: self.slow.emit(self.latest.value))
        self.pending = False
        self._kept_for: KnowledgeBase | None = None
        self._kept_page: tuple[int, str, str] | None = None  # asked for, not yet handed on

    def offer_kept(self, kb: KnowledgeBase) -> None:
        """The next request for `kb` may take the page kept from the last session."""
        self._kept_for = kb

    def request(self, kb: KnowledgeBase, note_id: str, toggled: frozenset[int] = frozenset()) -> int:
        """Ask for a note's page; its number is returned (older requests are forgotten)."""
        number = self.latest.next()
        self.pending = True
        kept = self._kept_for is kb and not toggled and start_page.load(kb, note_id)
        self._kept_for = None
        if kept:  # handed on after the caller has its number: by `hand_on_kept`, else from the event loop
            self._kept_page = (number, note_id, kept)
            QTimer.singleShot(0, self, self.hand_on_kept)
            return number
        self._slow.start()
        self.pool.start(PageTask(kb, note_id, toggled, number, self.latest, self.signals))
        return number

    def remake(self, store: Path, folder: Path, note_id: str | None) -> None:
        """Make the page of the note read last (None: none) from what its kept page looked up and the kept
        names (`remade_page`), before the notes are read; `remade` says what came of it, and of which note
        (the folder's first, when that one is gone). A request made after it drops it."""
        self.pool.start(RemadeTask(store, folder, note_id, self.latest.next(), self.latest, self.signals))

    def hand_on_kept(self) -> None:
        """Hand on the kept page asked for, if it is still waiting: the window then paints the
        note with its panels in one go, not the panels first and the note a moment later."""
        waiting, self._kept_page = self._kept_page, None
        if waiting is not None:
            self._on_finished(*waiting)

    def cancel(self) -> None:
        """Forget every request made so far."""
        self.latest.next()
        self.pending = False
        self._slow.stop()

    def shutdown(self) -> None:
        """Forget every request and wait for the page being made, if any (the window is closing)."""
        self.cancel()
        self.pool.clear()
        self.pool.waitForDone()

    @Slot(int, object, str, str, str, str)
    def _on_remade(self, number: int, folder: Path, note_id: str, page: str, title: str, path: str) -> None:
        if number == self.latest.value:
            self.remade.emit(folder, note_id, page, title, path)

    @Slot(int, str, str)
    def _on_finished(self, number: int, note_id: str, page: str) -> None:
        if number != self.latest.value or not self.pending:
            return  # stale: the reader opened another note meanwhile
        self.pending = False
        self._slow.stop()
        self.ready.emit(number, note_id, page)
