"""The rendered note: a QTextBrowser that never fetches anything."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import QUrl, Signal, Slot
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from viewer.core.render import BROKEN_SCHEME, NOTE_SCHEME


class NoteView(QTextBrowser):
    """Shows sanitised note HTML; links are handed to the window by signal.

    Signals:
        note_link_clicked(str, str): a note id and an anchor ('' for none).
        broken_link_clicked(str): the target of a link to no note.
        outside_link_clicked(QUrl): a web or mail link, to confirm before opening.
    """

    note_link_clicked = Signal(str, str)
    broken_link_clicked = Signal(str)
    outside_link_clicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.kb_folder: Path | None = None
        self.setAccessibleName("Note")
        self.anchorClicked.connect(self._on_anchor)

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == NOTE_SCHEME:
            self.note_link_clicked.emit(unquote(url.path()), url.fragment())
        elif scheme == BROKEN_SCHEME:
            self.broken_link_clicked.emit(unquote(url.path()))
        elif scheme == "" and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        else:
            self.outside_link_clicked.emit(url)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt override)
        """Serve images only from inside the knowledge base; never the network."""
        if kind != QTextDocument.ResourceType.ImageResource or self.kb_folder is None:
            return None
        if url.scheme() not in ("", "file") or url.host():
            return None
        candidate = (self.kb_folder / unquote(url.path()).lstrip("/")).resolve()
        if not candidate.is_relative_to(self.kb_folder) or not candidate.is_file():
            return None
        try:
            return candidate.read_bytes()
        except OSError:
            return None
