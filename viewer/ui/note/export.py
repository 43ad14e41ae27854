"""Export the current note: a self-contained HTML file, a PDF, or a printout.

The HTML inlines the note style sheet and any image from inside the knowledge
base (as data: URLs); links between notes become plain text, since the file
stands alone. PDF and print go through QTextDocument.print_ with a light
palette, whatever the window's. Both end with the note's sources.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import os
import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize, QPalette, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QStyleFactory

from viewer.core import KnowledgeBase
from viewer.core.atomic import atomic_write, fsync_folder
from viewer.core.page import note_page
from viewer.ui.note.view import read_kb_image
from viewer.ui.theme import note_css

_NOTE_LINK = re.compile(r'<a\b[^>]*\bhref="(?:note|broken|tag):[^"]*"[^>]*>(.*?)</a>', re.S)
_IMG_SRC = re.compile(r'(<img\b[^>]*\bsrc=")([^"]*)(")')
_PAGE_CSS = """
body { max-width: 46em; margin: 2em auto; padding: 0 1em; font-family: system-ui, sans-serif; }
span.wikilink { font-weight: 600; }
"""


def print_palette() -> QPalette:
    """A light palette for paper and for files read elsewhere."""
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def standalone_fragment(kb: KnowledgeBase, note_id: str, inline_images: bool) -> str:
    """The note page with internal links as text and local images inlined (or dropped)."""
    page = note_page(kb, note_id)
    page = _NOTE_LINK.sub(lambda m: f'<span class="wikilink">{m.group(1)}</span>', page)

    def image(match: re.Match[str]) -> str:
        src = html.unescape(match.group(2))
        data = read_kb_image(kb.folder, QUrl(src))
        if data is None or not inline_images:
            return match.group(1) + match.group(3)
        kind = mimetypes.guess_type(src)[0] or "application/octet-stream"
        return f"{match.group(1)}data:{kind};base64,{base64.b64encode(data).decode('ascii')}{match.group(3)}"

    return _IMG_SRC.sub(image, page)


def html_document(kb: KnowledgeBase, note_id: str) -> str:
    """A whole HTML document for the note: no external references at all."""
    note = kb.get(note_id)
    if note is None:
        raise KeyError(note_id)
    css = note_css(print_palette()) + _PAGE_CSS
    body = standalone_fragment(kb, note_id, inline_images=True)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(note.title)}</title>\n"
            "<meta name=\"generator\" content=\"kbviewer\">\n"
            f"<style>\n{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def export_html(kb: KnowledgeBase, note_id: str, path: Path | str) -> Path:
    path = Path(path)
    atomic_write(path, html_document(kb, note_id).encode("utf-8"))
    return path


class _KbDocument(QTextDocument):
    """A text document that loads images from inside the knowledge base only."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt override)
        if kind == QTextDocument.ResourceType.ImageResource:
            return read_kb_image(self.folder, url)
        return None


def print_document(kb: KnowledgeBase, note_id: str) -> QTextDocument:
    """The note laid out for paper."""
    doc = _KbDocument(kb.folder)
    doc.setDefaultStyleSheet(note_css(print_palette(), body_size="10.5pt"))
    doc.setHtml(standalone_fragment(kb, note_id, inline_images=False))
    note = kb.get(note_id)
    doc.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, note.title if note else note_id)
    return doc


def print_note(kb: KnowledgeBase, note_id: str, printer: QPrinter) -> None:
    print_document(kb, note_id).print_(printer)


def export_pdf(kb: KnowledgeBase, note_id: str, path: Path | str) -> Path:
    """Write the note as a PDF (A4, 18 mm margins) through Qt's printing."""
    if kb.get(note_id) is None:
        raise KeyError(note_id)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(partial))
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                      QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    note = kb.get(note_id)
    printer.setDocName(note.title if note else note_id)
    printer.setCreator("kbviewer")
    try:
        print_note(kb, note_id, printer)
        del printer  # closes the file
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    fsync_folder(path.parent)
    return path
