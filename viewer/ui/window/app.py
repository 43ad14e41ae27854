"""Starting the window: it is shown first, then the knowledge base opens in a worker."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer import __version__
from viewer.commands.common import CommandError
from viewer.core.paths import bundled_kb
from viewer.ui.window.main_window import MainWindow
from viewer.ui.theme import app_icon


def create_app() -> QApplication:
    """The QApplication, named so QSettings lands in kbviewer/kbviewer.conf."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kbviewer")
    app.setOrganizationName("kbviewer")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("kbviewer")
    app.setDesktopFileName("kbviewer")
    app.setWindowIcon(app_icon())
    return app


def kb_folder(args) -> Path:
    folder = Path(args.kb).expanduser() if getattr(args, "kb", None) else bundled_kb()
    if not folder.is_dir():
        raise CommandError(f"no such folder: {folder}")
    return folder


def check_display() -> None:
    """Qt aborts the process when it finds no screen: say so in one line instead."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        raise CommandError("no display to open a window on (DISPLAY is not set); "
                           "use --screenshot FILE to render the window offscreen")


def run(args) -> int:
    folder = kb_folder(args)
    check_display()
    app = create_app()
    store = getattr(args, "store", None)
    data = getattr(args, "data", None)
    window = MainWindow(data_dir=Path(data).expanduser() if data else None)
    view = getattr(args, "view", None)
    if view:
        window.kb_loaded.connect(lambda: window.show_view(view), Qt.ConnectionType.SingleShotConnection)
    panel = getattr(args, "panel", None)
    if panel:
        window.show_panel(panel)
    window.show()
    window.load(folder, Path(store) if store else None, note=getattr(args, "note", None))
    return app.exec()
