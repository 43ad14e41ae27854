"""A note laid out for paper with Qt: a PDF file, or a document to print.

Only QtGui is needed (no widgets, no display with the offscreen platform), so
`kbviewer export --format pdf` uses this module too. The page comes from the
core (`viewer.core.page`), links between notes as text, images read with the
core's export rules; the style sheet is the light one export uses.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import (
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)

from viewer.core.atomic import fsync_folder
from viewer.core.export import export_page, plain_links
from viewer.core.export_highlights import HIGHLIGHT_CSS
from viewer.core.style import note_stylesheet
from viewer.ui.note.resources import kb_resource

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

MARGIN_MM = 18


def gui_app() -> QGuiApplication:
    """The running Qt application, or a new one (fonts and layout need one)."""
    app = QGuiApplication.instance()
    return app if app is not None else QGuiApplication(sys.argv[:1])


class NoteDocument(QTextDocument):
    """A text document that loads images from inside the notes folder only."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt override)
        return kb_resource(self.folder, kind, url)  # never None: Qt would open the path itself


def note_document(kb: KnowledgeBase, note_id: str, annotations=None) -> QTextDocument:
    """The note as a text document for paper, `annotations` highlighted if given (KeyError for an unknown id)."""
    page = export_page(kb, note_id, annotations)
    doc = NoteDocument(kb.folder)
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    doc.setDefaultStyleSheet(note_stylesheet(body_size="10.5pt", mono=f"'{mono}', monospace") + HIGHLIGHT_CSS)
    doc.setHtml(plain_links(page.html))
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, page.title)
    return doc


def page_layout() -> QPageLayout:
    """A4, portrait, 18 mm margins."""
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                       QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)


def print_on(doc: QTextDocument, device: QPagedPaintDevice) -> None:
    device.setPageLayout(page_layout())
    doc.print_(device)


def write_pdf(kb: KnowledgeBase, note_id: str, path: Path | str, annotations=None) -> Path:
    """Write the note as a PDF (`annotations` highlighted if given); the file appears whole or not at all."""
    gui_app()
    doc = note_document(kb, note_id, annotations)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    try:
        writer = QPdfWriter(str(partial))
        writer.setTitle(doc.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
        writer.setCreator("kbviewer")
        print_on(doc, writer)
        del writer  # closes the file
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    fsync_folder(path.parent)
    return path
