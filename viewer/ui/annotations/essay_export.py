"""File › Export Annotations with Citations…: the export dialog (format, style, grouping), then the file.

Markdown, HTML and Word come from `viewer.core.annotations.essay`, W3C JSON-LD
from `viewer.core.annotations.export`; the file is written atomically.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from viewer.core.annotations import to_w3c_bytes
from viewer.core.annotations.essay import export_essay
from viewer.core.atomic import atomic_write
from viewer.core.citations import STYLES, CitationError
from viewer.ui.window.export_options import ExportOptions

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase
    from viewer.core.annotations import Annotation

FORMATS = {"docx": ("Word", "docx"), "html": ("HTML", "html"), "markdown": ("Markdown", "md"),
           "w3c": ("W3C JSON-LD", "jsonld")}


def ask_options(parent: QWidget, settings: QSettings) -> dict | None:
    return ExportOptions(parent, "Export Annotations", settings, [
        ("annotations_format", "&Format:", [(k, v[0]) for k, v in FORMATS.items()]),
        ("citation_style", "Citation &style:", [(k, v[0]) for k, v in STYLES.items()]),
        ("annotations_by", "&Group by:", [("note", "Note"), ("tag", "Tag")]),
    ]).ask()


def export_annotations(parent: QWidget, settings: QSettings, kb: KnowledgeBase, annotations: list[Annotation],
                       options: dict | None = None, path: Path | None = None) -> Path | None:
    """Ask (unless given) how and where, then write; a message box if it fails."""
    options = options or ask_options(parent, settings)
    if options is None:
        return None
    fmt = str(options["annotations_format"])
    name, suffix = FORMATS[fmt]
    if path is None:
        start = Path(str(settings.value("export_folder", str(Path.home())))) / f"annotations.{suffix}"
        chosen, _ = QFileDialog.getSaveFileName(parent, f"Export Annotations as {name}", str(start),
                                                f"{name} (*.{suffix})")
        if not chosen:
            return None
        path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(f".{suffix}")
    try:
        data = (to_w3c_bytes(annotations) if fmt == "w3c" else
                export_essay(kb, annotations, fmt, str(options["citation_style"]), str(options["annotations_by"])))
        atomic_write(path, data)
    except CitationError as err:
        QMessageBox.warning(parent, "Not exported", str(err))
        return None
    except OSError as err:
        QMessageBox.warning(parent, "Not exported", f"Could not write {path}:\n{err.strerror or err}")
        return None
    settings.setValue("export_folder", str(path.parent))
    return path
