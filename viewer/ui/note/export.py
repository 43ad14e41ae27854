"""The window's export of the current note: a self-contained HTML file, a PDF, or a printout.

`NoteExports` is File › Export and Print: it asks where to save (starting in
the folder last exported to) and says where it saved. The HTML is made in the core
(`viewer.core.export`), the PDF and the printout
with Qt (`viewer.ui.note.pdf`), both from the note's page in light colours,
whatever the window's palette. Both end with the note's sources.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the dialogs' types are set up when first used
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget

from viewer.core.atomic import atomic_write

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from viewer.core import KnowledgeBase


def html_document(kb: KnowledgeBase, note_id: str) -> str:
    """A whole HTML document for the note: no external references at all."""
    from viewer.core.export import note_html  # export code is loaded when first used

    return note_html(kb, note_id)


def export_html(kb: KnowledgeBase, note_id: str, path: Path | str, annotations=None) -> Path:
    from viewer.core.export import note_html

    path = Path(path)
    atomic_write(path, note_html(kb, note_id, annotations=annotations).encode("utf-8"))
    return path


def export_pdf(kb: KnowledgeBase, note_id: str, path: Path | str, annotations=None) -> Path:
    """Write the note as a PDF (A4, 18 mm margins)."""
    from viewer.ui.note.pdf import write_pdf

    return write_pdf(kb, note_id, path, annotations)


def print_document(kb: KnowledgeBase, note_id: str) -> QTextDocument:
    """The note laid out for paper."""
    from viewer.ui.note.pdf import note_document

    return note_document(kb, note_id)


def print_note(kb: KnowledgeBase, note_id: str, printer: QPrinter) -> None:
    print_document(kb, note_id).print_(printer)  # on the paper chosen in the print dialog


KINDS = {"html": ("HTML", export_html), "pdf": ("PDF", export_pdf)}


class NoteExports:
    """Export and print the note shown, asking the reader where (dialogs parented to `parent`).

    `say(message, msecs)` puts a message in the status bar.
    """

    def __init__(self, parent: QWidget, settings: QSettings, say: Callable[[str, int], None]) -> None:
        self.parent = parent
        self.settings = settings
        self.say = say

    def save(self, kind: str, kb: KnowledgeBase | None, note_id: str | None, path: Path | None = None,
             annotations: Callable[[], list] | None = None, highlights: bool | None = None) -> Path | None:
        """Write the note as "html" or "pdf" to `path`, else where the reader chooses.

        With `annotations`, the export dialog asks whether to show the reader's highlights
        (unless `highlights` says).
        """
        if kb is None or note_id is None:
            return None
        if annotations is not None and highlights is None and path is None:
            from viewer.ui.window.export_options import ExportOptions

            chosen = ExportOptions(self.parent, f"Export as {KINDS[kind][0]}", self.settings, [],
                                   [("highlights", "Show my &highlights, with comments as numbered notes",
                                     True)]).ask()
            if chosen is None:
                return None
            highlights = bool(chosen["highlights"])
        path = path or self.ask_path(kind, note_id)
        if path is not None:
            KINDS[kind][1](kb, note_id, path, annotations() if annotations and highlights else None)
            self.say(f"Saved {path}", 5000)
        return path

    def ask_path(self, kind: str, note_id: str) -> Path | None:
        """Ask where to save; None if cancelled."""
        label = KINDS[kind][0]
        start = str(Path(str(self.settings.value("export_folder", str(Path.home())))) / f"{note_id}.{kind}")
        name, _ = QtWidgets.QFileDialog.getSaveFileName(self.parent, f"Export as {label}", start, f"{label} (*.{kind})")
        if not name:
            return None
        path = Path(name)
        self.settings.setValue("export_folder", str(path.parent))
        return path if path.suffix else path.with_suffix(f".{kind}")

    def print(self, kb: KnowledgeBase | None, note_id: str | None) -> None:
        """The print dialog, then the note on the printer chosen."""
        if kb is None or not note_id:
            return
        try:
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError as err:  # a system library Qt's printing needs is missing
            from viewer.qtcheck import explain

            lead = "Printing is not available"  # the window runs: only printing cannot
            QtWidgets.QMessageBox.warning(self.parent, "Print note", explain(err, lead) or f"{lead}: {err}")
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.parent)
        dialog.setWindowTitle("Print note")
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            print_note(kb, note_id, printer)
