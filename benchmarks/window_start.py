"""`kbviewer` started as a reader starts it, for `benchmarks.startup`.

    python -m benchmarks.window_start PNG [kbviewer arguments]

Once the window has painted its first note's page, the window is read from its
surface and saved as PNG (as the bare window of `benchmarks.startup` is), and a
line is printed: `painted kept` when the page was the one kept from the last
session (no page was made: the page maker is not loaded), `painted remade` when
it was made again before the notes were read (`viewer.core.remade_page`), else
`painted made`.
The process goes on until the notes are read and the page the window settles on
is shown, then closes the window as a reader would, so that what it keeps for
the next start is written.
"""

from __future__ import annotations

import importlib.util
import sys


class _Watch:
    """Patches the window's class once its module is loaded by the program itself: importing it here
    first would load Qt before the modules the program loads ahead of it, and change what it costs."""

    def __init__(self, png: str) -> None:
        self.png = png

    def find_spec(self, name, path, target=None):
        if name != "viewer.ui.window.main_window":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        assert spec is not None and spec.loader is not None
        load = spec.loader.exec_module

        def exec_module(module) -> None:
            load(module)
            _patch(module.MainWindow, self.png)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _patch(window_class, png: str) -> None:
    from PySide6.QtCore import Qt, QTimer

    made = window_class.__init__
    remade = window_class._on_remade

    def on_remade(window, folder, note_id, page, *args) -> None:
        remade(window, folder, note_id, page, *args)
        if page and window.early is not None:
            window.setProperty("benchmark-remade", True)

    def init(window, *args, **kwargs) -> None:
        made(window, *args, **kwargs)
        window.view.page_painted.connect(lambda: QTimer.singleShot(0, lambda: _painted(window, png)),
                                         Qt.ConnectionType.SingleShotConnection)
        window.kb_loaded.connect(lambda: _close_when_settled(window))

    window_class.__init__ = init
    window_class._on_remade = on_remade


def _painted(window, png: str) -> None:
    shot = window.screen().grabWindow(window.winId())  # its surface as painted
    (shot if not shot.isNull() else window.grab()).save(png)
    kind = ("kept" if "viewer.core.page" not in sys.modules
            else "remade" if window.property("benchmark-remade") else "made")
    print(f"painted {kind}", flush=True)
    window.setProperty("benchmark-painted", True)


def _close_when_settled(window) -> None:
    from PySide6.QtCore import QTimer

    if window.page_pending or not window.property("benchmark-painted"):
        QTimer.singleShot(10, lambda: _close_when_settled(window))
    else:
        QTimer.singleShot(0, window.close)  # the last window closed: the application quits


def main(argv: list[str]) -> int:
    sys.meta_path.insert(0, _Watch(argv[0]))
    from viewer.cli import main as kbviewer

    return kbviewer(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
