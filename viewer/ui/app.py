"""Starting the window: it is shown first, then the knowledge base opens in a worker."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from viewer import __version__
from viewer.commands.common import CommandError
from viewer.core.paths import bundled_kb
from viewer.ui.main_window import MainWindow
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


def run(args) -> int:
    app = create_app()
    folder = kb_folder(args)
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
