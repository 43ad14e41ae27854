"""Annotations to and from files in the window: where to save, what was read, what went wrong.

Markdown and W3C JSON-LD come from the core (`viewer.core.annotations`); the
files are written atomically. A file that cannot be read or is malformed is
refused whole, with a message box saying why; nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtWidgets  # the dialogs' types are set up when first used
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from viewer.core.annotations import (
    Annotation,
    AnnotationFormatError,
    ImportResult,
    read_w3c,
    to_markdown,
    to_w3c_bytes,
)
from viewer.core.atomic import atomic_write

FORMATS = {"markdown": ("Markdown", "md", "Markdown (*.md)"),
           "w3c": ("W3C JSON-LD", "jsonld", "W3C Web Annotation JSON-LD (*.jsonld *.json)")}
FOLDER_KEY = "export_folder"  # the folder last exported to or imported from, in the settings


def count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _start(settings: QSettings) -> Path:
    return Path(str(settings.value(FOLDER_KEY, str(Path.home()))))


def export_path(parent: QWidget, settings: QSettings, kind: str) -> Path | None:
    """Ask where to save annotations as `kind` ("markdown" or "w3c"); None if cancelled."""
    name, suffix, filters = FORMATS[kind]
    chosen, _ = QtWidgets.QFileDialog.getSaveFileName(parent, f"Export Annotations as {name}",
                                                      str(_start(settings) / f"annotations.{suffix}"), filters)
    if not chosen:
        return None
    return Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(f".{suffix}")


def write(parent: QWidget, settings: QSettings, annotations: list[Annotation], kind: str, path: Path,
          title: Callable[[str], str | None]) -> bool:
    """Write `annotations` to `path`; a message box if it cannot be written."""
    data = to_w3c_bytes(annotations) if kind == "w3c" else to_markdown(annotations, title).encode()
    try:
        atomic_write(path, data)
    except OSError as err:
        QtWidgets.QMessageBox.warning(parent, "Not exported", f"Could not write {path}:\n{err.strerror or err}")
        return False
    settings.setValue(FOLDER_KEY, str(path.parent))
    return True


def import_path(parent: QWidget, settings: QSettings) -> Path | None:
    """Ask for a W3C Web Annotation file to import; None if cancelled."""
    chosen, _ = QtWidgets.QFileDialog.getOpenFileName(parent, "Import Annotations", str(_start(settings)),
                                                      "W3C Web Annotation JSON (*.jsonld *.json);;All files (*)")
    return Path(chosen) if chosen else None


def read(parent: QWidget, path: Path) -> list[Annotation] | None:
    """The annotations in a W3C file, or None after saying why it was refused."""
    try:
        return read_w3c(path.read_bytes())
    except (OSError, AnnotationFormatError) as err:
        reason = (err.strerror or str(err)) if isinstance(err, OSError) else str(err)
        QtWidgets.QMessageBox.warning(parent, "Annotations not imported",
                                      f"{path.name} was not imported; nothing changed.\n\n{reason}")
        return None


def summary(result: ImportResult) -> str:
    """'3 added, 1 updated, 2 already here; 1 could not be placed ...'"""
    text = f"{result.added} added, {result.updated} updated"
    if result.unchanged:
        text += f", {result.unchanged} already here"
    if result.orphaned:
        text += f"; {len(result.orphaned)} could not be placed in their notes (orphaned)"
    return text
