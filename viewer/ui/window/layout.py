"""What the window keeps between runs, in QSettings: its geometry and panels, the text size,
the view it was left in, and the last note read in each folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from viewer.core.digest import sha1

SETTINGS_VERSION = 1


def default_settings() -> QSettings:
    """The reader's settings file (in XDG_CONFIG_HOME on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kbviewer", "kbviewer")


def restore(window: QMainWindow, settings: QSettings) -> tuple[float, str]:
    """Put back the saved geometry and panels; the saved text size and view ("note" if none)."""
    geometry = settings.value("window/geometry")
    state = settings.value("window/state")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    if isinstance(state, QByteArray):
        window.restoreState(state, SETTINGS_VERSION)
    try:
        zoom = float(settings.value("zoom", 1.0))
    except (TypeError, ValueError):
        zoom = 1.0
    return zoom, str(settings.value("window/view", "note"))


def save(window: QMainWindow, settings: QSettings, view: str) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState(SETTINGS_VERSION))
    settings.setValue("window/view", view)
    settings.sync()


def last_note_key(folder: Path | None) -> str:
    """The settings key of the last note read in `folder`."""
    return f"last_note/{sha1(str(folder or '').encode()).hexdigest()[:16]}"


def grouping_key(folder: Path | None) -> str:
    """The settings key of how the Notes panel groups the notes of `folder` (by type or by folder)."""
    return f"notes_grouping/{sha1(str(folder or '').encode()).hexdigest()[:16]}"
