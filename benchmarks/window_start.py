"""`kbviewer` started as a reader starts it, for `benchmarks.startup`.

    python -m benchmarks.window_start PNG [kbviewer arguments]

Once the window has painted its first note's page, the window is read from its
surface and saved as PNG (as the bare window of `benchmarks.startup` is), and a
line is printed: `painted kept` when the page was the one kept from the last
session (no page was made: the page maker is not loaded), else `painted made`.
The process goes on until the notes are read and the page the window settles on
is shown, then closes the window as a reader would, so that what it keeps for
the next start is written.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, QTimer

from viewer.ui.window import main_window


def watch(png: str) -> None:
    """Make every main window report its first painted note, and close once settled."""
    made = main_window.MainWindow.__init__

    def init(window, *args, **kwargs) -> None:
        made(window, *args, **kwargs)
        window.view.page_painted.connect(lambda: QTimer.singleShot(0, lambda: _painted(window, png)),
                                         Qt.ConnectionType.SingleShotConnection)
        window.kb_loaded.connect(lambda: _close_when_settled(window))

    main_window.MainWindow.__init__ = init


def _painted(window, png: str) -> None:
    shot = window.screen().grabWindow(window.winId())  # its surface as painted
    (shot if not shot.isNull() else window.grab()).save(png)
    print("painted made" if "viewer.core.page" in sys.modules else "painted kept", flush=True)
    window.setProperty("benchmark-painted", True)


def _close_when_settled(window) -> None:
    if window.page_pending or not window.property("benchmark-painted"):
        QTimer.singleShot(10, lambda: _close_when_settled(window))
    else:
        QTimer.singleShot(0, window.close)  # the last window closed: the application quits


def main(argv: list[str]) -> int:
    watch(argv[0])
    from viewer.cli import main as kbviewer

    return kbviewer(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
