"""Starting the window: it is shown first, with the page kept from the last session when it holds,
then the knowledge base opens in a worker."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from viewer import __version__
from viewer.core import collector
from viewer.core.errors import ViewerError
from viewer.ui.theme import app_icon
from viewer.ui.window.main_window import MainWindow

if TYPE_CHECKING:
    from viewer.commands.common import Locations


# Qt hands every fill of 96 pixel rows or more (a tall scroll bar's gradient, say) to a pool of threads
# and waits for them: on two cores that made each paint of the window's three scroll bars 8-12 ms
# instead of 0.5. Qt's own switch turns the pool off when set to anything. Programs the viewer opens
# files with inherit it: to a Qt program it only means the same.
SERIAL_FILLS = ("QT_NO_GUI_THREADPOOL", "1")


def create_app() -> QApplication:
    """The QApplication, named so QSettings lands in kbviewer/kbviewer.conf."""
    os.environ.setdefault(*SERIAL_FILLS)  # read once, when Qt first fills a large area
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("kbviewer")
    app.setOrganizationName("kbviewer")
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName("kbviewer")
    app.setDesktopFileName("kbviewer")
    app.setWindowIcon(app_icon())
    return app


def check_display() -> None:
    """Qt aborts the process when it finds no screen: say so in one line instead."""
    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        raise ViewerError("no display to open a window on (DISPLAY is not set); "
                           "use --screenshot FILE to render the window offscreen")


def run(args, where: Locations) -> int:
    """The window on `where`'s folder, store and annotations; `args` says what to show first."""
    folder = where.require_kb()
    check_display()
    app = create_app()
    window = MainWindow(data_dir=where.data)
    view = getattr(args, "view", None)
    if view:
        window.kb_loaded.connect(lambda: window.show_view(view), Qt.ConnectionType.SingleShotConnection)
    panel = getattr(args, "panel", None)
    if panel:
        window.show_panel(panel)
    window.show()
    window.start(folder, where.store, note=getattr(args, "note", None))  # its worker pauses the collector too
    QTimer.singleShot(0, collector.start_up_done)  # once the event loop runs (the load's pause goes on)
    return app.exec()
