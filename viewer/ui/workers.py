"""Work that runs off the UI thread: opening a knowledge base, and searching it.

Workers never touch widgets: what they find goes back to the UI thread by
signal (queued, since the signal objects live in the UI thread).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal, Slot

from viewer.core.annotations import note_text
from viewer.core.collector import collector_paused
from viewer.core.note_tree import listing_of

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

OPENED_FROM = 2000  # notes from which the window makes the first page while the panels' work is done


class LoadCancelled(Exception):
    """The window closed while the knowledge base was loading."""


class KbLoader(QObject):
    """Opens (syncs, and indexes when its index is missing or old) a knowledge base in its own thread.

    The plain texts of the notes in `annotated` are made there too (in
    `texts`, ready when `loaded` is sent), so that placing their annotations
    again does not render notes on the UI thread.

    Signals:
        progressed(str, int, int): what is being done, done, total.
        opened(object): the KnowledgeBase, its notes read, from OPENED_FROM notes: what the
            panels need (the timeline's entries, the Notes tree...) then takes seconds.
        loaded(object): the open KnowledgeBase.
        failed(str): why it could not be opened.
    """

    progressed = Signal(str, int, int)
    opened = Signal(object)
    loaded = Signal(object)
    failed = Signal(str)

    def __init__(self, folder: Path, store: Path | None = None, annotated: list[str] | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.store = store
        self.annotated = list(annotated or [])
        self.texts: dict[str, str | None] = {}
        self.cancelled = False
        self.thread = QThread()
        self.thread.setObjectName("kb-loader")
        self.moveToThread(self.thread)
        self.thread.started.connect(self.run)

    def start(self) -> None:
        self.thread.start()

    def wait(self, msecs: int | None = 60_000) -> bool:
        """Wait for the thread to end: `msecs`, or for as long as it takes with None."""
        return self.thread.wait() if msecs is None else self.thread.wait(msecs)

    def cancel(self) -> None:
        """Stop at the next progress step; the store and index stay as they were."""
        self.cancelled = True

    @Slot()
    def run(self) -> None:
        from viewer.core import KnowledgeBase, KnowledgeBaseError  # here: the window's first paint does not wait

        try:
            with collector_paused(loading=False):  # no collection while the notes' structures are made: at
                # 50,000 notes each one held the interpreter lock, and so the window, for 60-150 ms
                from viewer.core.switcher import note_names  # here: the window's start does not need them
                from viewer.core.timeline import entries as timeline_entries

                kb = KnowledgeBase.open(self.folder, self.store, progress=self._progress)
                if len(kb) >= OPENED_FROM:
                    self.opened.emit(kb)
                if not kb.search_can_wait():  # a missing or old index is built now, not on the first keystroke
                    kb.prepare_search(progress=self._progress)
                if hasattr(kb, "derived"):  # the timeline's entries, here rather than on the UI thread
                    self._progress("Dating notes", 0, 1)
                    timeline_entries(kb)
                    self._progress("Dating notes", 1, 1)
                    self._progress("Sorting notes", 0, 1)
                    listing_of(kb)  # the Notes panel's tree, sorted here rather than on the UI thread
                    self._progress("Sorting notes", 1, 1)
                    note_names(kb)  # the quick switcher's folded names
                    gc.freeze()  # what is worked out for the notes is left out of later collections, as they are
                for done, note_id in enumerate(self.annotated, 1):
                    self.texts[note_id] = note_text(kb, note_id) if kb.get(note_id) else None
                    if done % 50 == 0 or done == len(self.annotated):
                        self._progress("Placing annotations", done, len(self.annotated))
        except LoadCancelled:
            pass  # nothing was committed: the next open finds the same work to do
        except KnowledgeBaseError as err:
            self.failed.emit(str(err))
        except Exception as err:  # noqa: BLE001 (reported to the reader, not swallowed)
            self.failed.emit(f"{type(err).__name__}: {err}")
        else:
            self.loaded.emit(kb)
        finally:
            self.thread.quit()

    def _progress(self, what: str, done: int, total: int) -> None:
        if self.cancelled:
            raise LoadCancelled
        self.progressed.emit(what, done, total)


class SearchSignals(QObject):
    """Signals:
        finished(int, object): a request number and its SearchResult.
        failed(int, str): a request number and the error.
    """

    finished = Signal(int, object)
    failed = Signal(int, str)


class Latest:
    """The number of the newest request; older ones are skipped if not yet started."""

    def __init__(self) -> None:
        self._value = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self._value += 1
            return self._value

    @property
    def value(self) -> int:
        with self._lock:
            return self._value


class Answer(QObject):
    """Signals:
        ready(int, object): a request number and what its work returned.
    """

    ready = Signal(int, object)


class NewestTask(QRunnable):
    """`work()` in a pool, for the newest request only: skipped when a newer one came before it
    started, its result sent by `answer` only if none came meanwhile. The work (and what it
    holds: a knowledge base a reload replaces, say) is let go of once run."""

    def __init__(self, work: Callable[[], object], request: int, latest: Latest, answer: Answer) -> None:
        super().__init__()
        self.work: Callable[[], object] | None = work
        self.request, self.latest, self.answer = request, latest, answer

    def run(self) -> None:
        work, self.work = self.work, None
        if work is None or self.request != self.latest.value:
            return
        result = work()
        if self.request == self.latest.value:
            self.answer.ready.emit(self.request, result)


class SearchTask(QRunnable):
    """One `kb.search(query, limit)` call in the search pool (from `offset`, for the next page)."""

    def __init__(self, kb: KnowledgeBase, query: str, limit: int, request: int,
                 latest: Latest, signals: SearchSignals, offset: int = 0, correct_typos: bool = True) -> None:
        super().__init__()
        self.kb, self.query, self.limit, self.request = kb, query, limit, request
        self.latest, self.signals = latest, signals
        self.offset, self.correct_typos = offset, correct_typos

    def run(self) -> None:
        if self.request != self.latest.value:
            return  # a newer query is waiting: this one is stale already
        try:
            if self.offset or not self.correct_typos:
                result = self.kb.search(self.query, limit=self.limit, offset=self.offset,
                                        correct_typos=self.correct_typos)
            else:
                result = self.kb.search(self.query, limit=self.limit)
            getattr(result, "total", None)  # a lazy count runs here, not in the UI thread
        except Exception as err:  # noqa: BLE001 (shown in the panel)
            self.signals.failed.emit(self.request, str(err) or type(err).__name__)
        else:
            self.signals.finished.emit(self.request, result)


def search_pool() -> QThreadPool:
    """A pool of one thread: queries run in order, never two at once."""
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    pool.setObjectName("search")
    return pool
