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
from PySide6.QtGui import (QFontDatabase, QGuiApplication, QImage, QPageLayout, QPageSize, QPagedPaintDevice,
                           QPdfWriter, QTextDocument)

from viewer.core.atomic import fsync_folder
from viewer.core.export import plain_links, read_image
from viewer.core.page import page_of
from viewer.core.style import note_stylesheet

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
        if kind == QTextDocument.ResourceType.ImageResource:
            found = read_image(self.folder, bytes(url.toEncoded().data()).decode("ascii", "replace"))
            if found is not None:
                image = QImage()
                return image if image.loadFromData(found[1]) else None
        return None


def note_document(kb: KnowledgeBase, note_id: str) -> QTextDocument:
    """The note as a text document for paper (KeyError for an unknown id)."""
    page = page_of(kb, note_id)
    if page is None:
        raise KeyError(note_id)
    doc = NoteDocument(kb.folder)
    mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()
    doc.setDefaultStyleSheet(note_stylesheet(body_size="10.5pt", mono=f"'{mono}', monospace"))
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


def write_pdf(kb: KnowledgeBase, note_id: str, path: Path | str) -> Path:
    """Write the note as a PDF; the file appears whole or not at all."""
    gui_app()
    doc = note_document(kb, note_id)
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
