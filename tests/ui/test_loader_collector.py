"""A load and Python's garbage collector.

The loading thread runs no collection (at 50,000 notes each one held the lock, and the window, 60-150 ms),
and a load leaves no cyclic garbage behind: it freezes what it made, so garbage left then would never be
freed (a leak at every Reload Notes).
"""

from __future__ import annotations

import gc
import pickle  # noqa: F401 - loaded here: its first import leaves its pure-Python exception classes as garbage

from PySide6.QtCore import QThread

from viewer.core import collector
from viewer.ui.window.main_window import MainWindow

from conftest import write_kb


def folder_of_notes(count: int) -> dict[str, str]:
    """Dated, typed and tagged notes in nested folders (the Notes tree groups them by folder too), linked in a ring."""
    notes = {}
    for number in range(count):
        folder = f"area-{number % 4}/part-{number % 3}"
        notes[f"{folder}/note-{number}.md"] = (
            f"---\ntitle: Note {number}\ntype: event\ndate: 2020-02-{number % 28 + 1:02d}\ntags: [t{number % 7}]\n"
            f"---\nSee [[note-{(number + 1) % count}]] about Note {number + 2}.\n")
    return notes


def test_no_collection_runs_in_the_loading_thread_and_collection_resumes_after(qtbot, tmp_path):
    folder = write_kb(tmp_path / "kb", folder_of_notes(400))
    collections: list[str] = []

    def record(phase, info):
        if phase == "start":
            collections.append(QThread.currentThread().objectName())

    window = MainWindow(data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    gc.callbacks.append(record)
    try:
        with qtbot.waitSignal(window.kb_loaded, timeout=30_000):
            window.load(folder, tmp_path / "store.json")
    finally:
        gc.callbacks.remove(record)
    assert window.kb is not None and len(window.kb.notes()) == 400
    assert "kb-loader" not in collections
    assert gc.isenabled()


def test_a_load_freezes_no_garbage(qtbot, tmp_path, monkeypatch):
    folder = write_kb(tmp_path / "kb", folder_of_notes(120))
    garbage: list[int] = []
    real_freeze = gc.freeze

    def checked_freeze():
        gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection would free is kept in gc.garbage, to be counted
        try:
            garbage.append(gc.collect())
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
        real_freeze()

    monkeypatch.setattr(collector.gc, "freeze", checked_freeze)  # the sync's freeze and the loader's
    window = MainWindow(data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    gc.collect()  # what the window's making left: not the load's
    with qtbot.waitSignal(window.kb_loaded, timeout=30_000):
        window.load(folder, tmp_path / "store.json")
    assert len(garbage) >= 2 and garbage == [0] * len(garbage)


def test_the_window_started_by_kbviewer_runs_the_collector_once_on_screen_and_loaded(qtbot, monkeypatch, tmp_path):
    """`kbviewer` pauses the collector while it starts; the reader's session runs with it on."""
    from PySide6.QtWidgets import QApplication

    from viewer.cli import main

    folder = write_kb(tmp_path / "kb", folder_of_notes(30))
    seen: list[bool] = []

    def session(*_args) -> int:  # instead of the event loop: wait for the first note, then look
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: window.current_id is not None, timeout=20_000)
        qtbot.wait(20)
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(QApplication, "exec", session)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["--kb", str(folder), "--store", str(tmp_path / "s.json"), "--data", str(tmp_path / "data")]) == 0
    assert seen == [True]
    assert gc.isenabled()
