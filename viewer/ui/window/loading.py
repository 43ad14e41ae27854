"""Opening a knowledge base without blocking the window: a worker thread and a progress bar.

The window asks `KbLoading.start`; the folder is read and indexed in a
`KbLoader` thread while a bar in the status bar shows how far it is. When it is
done, `loaded` carries the knowledge base (and the plain texts of the notes
with annotations, made in the worker) back to the window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtWidgets  # the message box's types are set up when first used
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget

from viewer.ui.workers import KbLoader

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase


class LoadRequest(NamedTuple):
    """What to show once a load is done: a note, and whether the history is kept (a reload)."""

    note: str | None = None
    keep_history: bool = False


class KbLoading(QObject):
    """One load at a time, its progress in `status_bar`.

    Attributes:
        loader: the running worker, or None.
        progress: the bar in the status bar (hidden when nothing loads).

    Signals:
        loaded(object, object, object): the knowledge base, the texts made while
            loading, and the request (`LoadRequest`) it answers.
        opened(object, object): a large folder's knowledge base, read but not yet
            worked out for the panels (KbLoader.opened), and the request.
    """

    loaded = Signal(object, object, object)
    opened = Signal(object, object)

    def __init__(self, status_bar: QStatusBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.status_bar = status_bar
        self.loader: KbLoader | None = None
        self.request: LoadRequest | None = None
        self.shut = False  # the window closed: no more results
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Loading progress")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.progress.hide()
        status_bar.addPermanentWidget(self.progress)

    def start(self, folder: Path, store: Path | None, annotated: list[str], request: LoadRequest) -> bool:
        """Open `folder` in a worker; False if a load is already running."""
        if self.loader is not None:
            return False
        self.shut = False
        self.request = request
        self.loader = KbLoader(Path(folder), store, annotated)
        self.loader.progressed.connect(self._on_progress)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.opened.connect(self._on_opened)
        self.loader.failed.connect(self._on_failed)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Opening…")
        self.progress.show()
        self.status_bar.showMessage(f"Opening {folder}…")
        self.loader.start()
        return True

    def shutdown(self) -> None:
        """Cancel a running load and wait for its thread (a thread destroyed while running aborts)."""
        if self.loader is not None:
            self.loader.cancel()
            self.loader.wait(None)
        self.shut = True  # what it sent before it saw the cancel is dropped

    @Slot(str, int, int)
    def _on_progress(self, what: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{what} %v/%m")
        self.status_bar.showMessage(f"{what}: {done} of {total}")

    @Slot(object)
    def _on_opened(self, kb: KnowledgeBase) -> None:
        if not self.shut and self.loader is not None:
            self.opened.emit(kb, self.request)

    @Slot(object)
    def _on_loaded(self, kb: KnowledgeBase) -> None:
        if self.shut:
            return
        texts = self.loader.texts if self.loader is not None else None
        request = self.request
        self._finish()
        self.loaded.emit(kb, texts, request)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self.shut:
            return
        self._finish()
        self.status_bar.showMessage(f"Cannot open the knowledge base: {message}")
        QtWidgets.QMessageBox.warning(self.parent_widget, "Cannot open",
                                      f"The knowledge base could not be opened.\n\n{message}")

    def _finish(self) -> None:
        self.progress.hide()
        if self.loader is not None:
            self.loader.wait()
            self.loader.thread.deleteLater()
            self.loader = None
        self.request = None
