"""The window's export of the current note: a self-contained HTML file, a PDF, or a printout.

The HTML is made in the core (`viewer.core.export`), the PDF and the printout
with Qt (`viewer.ui.note.pdf`), both from the note's page in light colours,
whatever the window's palette. Both end with the note's sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument

from viewer.core.atomic import atomic_write
from viewer.core.export import note_html
from viewer.ui.note.pdf import note_document, write_pdf

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from viewer.core import KnowledgeBase


def html_document(kb: KnowledgeBase, note_id: str) -> str:
    """A whole HTML document for the note: no external references at all."""
    return note_html(kb, note_id)


def export_html(kb: KnowledgeBase, note_id: str, path: Path | str) -> Path:
    path = Path(path)
    atomic_write(path, html_document(kb, note_id).encode("utf-8"))
    return path


def export_pdf(kb: KnowledgeBase, note_id: str, path: Path | str) -> Path:
    """Write the note as a PDF (A4, 18 mm margins)."""
    return write_pdf(kb, note_id, path)


def print_document(kb: KnowledgeBase, note_id: str) -> QTextDocument:
    """The note laid out for paper."""
    return note_document(kb, note_id)


def print_note(kb: KnowledgeBase, note_id: str, printer: QPrinter) -> None:
    print_document(kb, note_id).print_(printer)  # on the paper chosen in the print dialog
