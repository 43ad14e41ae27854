"""`kbviewer --screenshot FILE`: render the window offscreen to a PNG and exit.

The window is built as a reader would see it on first start (default layout,
no saved settings read or written), at --size, showing --note in --view, with
--panel in front. Annotations come from --data only: without it the window
shows none, so a shot never holds the reader's own.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTemporaryDir
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

from viewer.core import KnowledgeBase, KnowledgeBaseError
from viewer.core.errors import ViewerError
from viewer.ui.window.app import create_app
from viewer.ui.window.main_window import MainWindow

if TYPE_CHECKING:
    from viewer.commands.common import Locations

DEFAULT_SIZE = (1400, 900)
SETTLE_SECONDS = 0.6


def settle(seconds: float) -> None:
    """Let layouts, timers and first paints run for a moment (events are processed at least once)."""
    app = QApplication.instance()
    end = time.monotonic() + seconds
    app.processEvents()
    while time.monotonic() < end:
        time.sleep(0.01)
        app.processEvents()


def wait_for_note(window: MainWindow, limit: float = 10.0) -> None:
    """Process events until the window shows its note (a render may still be on its way)."""
    app = QApplication.instance()
    end = time.monotonic() + limit
    app.processEvents()
    while window.page_pending and time.monotonic() < end:
        time.sleep(0.002)
        app.processEvents()


def grab(window: QWidget) -> QPixmap:
    """The window as it is painted.

    On the offscreen platform its surface is read as it is (what a screen
    capture does); elsewhere, or when that gives nothing, it is drawn again.
    """
    QApplication.processEvents()  # any repaint still asked for is done first
    screen = window.screen()
    if QGuiApplication.platformName() == "offscreen" and screen is not None:
        shot = screen.grabWindow(window.winId())
        if not shot.isNull() and shot.size() == window.size() * shot.devicePixelRatio():
            return shot
    return window.grab()


def render(window: MainWindow, path: Path, seconds: float = SETTLE_SECONDS) -> Path:
    wait_for_note(window)
    settle(seconds)
    image = grab(window)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:  # a file where a folder should be, no permission...
        raise ViewerError(f"cannot write {path}: {err.strerror or err}") from None
    if not image.save(str(path), "PNG"):
        raise ViewerError(f"cannot write {path}")
    return path


def run(args, where: Locations) -> int:
    """Render the window on `where`'s folder and store; annotations only from --data."""
    create_app()
    folder = where.require_kb()
    try:
        kb = KnowledgeBase.open(folder, where.store)
    except KnowledgeBaseError as err:
        raise ViewerError(str(err)) from None
    note = getattr(args, "note", None)
    if note and kb.resolve(note) is None:
        raise ViewerError(f"no note named '{note}' (try an id, a title or an alias)")
    scratch_dir = QTemporaryDir()  # the window's settings and, without --data, its annotations
    if not scratch_dir.isValid():
        raise ViewerError(f"cannot make a scratch folder: {scratch_dir.errorString()}")
    scratch = scratch_dir.path()
    window: MainWindow | None = None
    settings: QSettings | None = None
    try:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        given = getattr(args, "data", None)  # the reader's own folder is never shown by default
        window = MainWindow(settings=settings, restore=False,
                            data_dir=where.data if given else Path(scratch) / "data")
        width, height = args.size or DEFAULT_SIZE
        window.resize(width, height)
        window.show()
        window.set_kb(kb, getattr(args, "note", None))
        if args.view and args.view != "note":
            window.show_view(args.view)
        if getattr(args, "panel", None):
            window.show_panel(args.panel)
        seconds = getattr(args, "settle", None)
        path = render(window, Path(args.screenshot), SETTLE_SECONDS if seconds is None else seconds)
    finally:
        if window is not None:
            window.close()  # what closing writes goes to the scratch folder before it is removed,
        if settings is not None:
            settings.sync()  # not at exit, into a folder made again
        scratch_dir.remove()
    print(path)
    return 0
