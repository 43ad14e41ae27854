"""The loading thread runs no garbage collection: at 50,000 notes each one held the lock, and the window, 60-150 ms."""

from __future__ import annotations

import gc

from PySide6.QtCore import QThread

from viewer.ui.window.main_window import MainWindow

from conftest import write_kb


def many_notes(count: int) -> dict[str, str]:
    notes = {}
    for number in range(count):
        linked = f"note-{(number + 1) % count}"
        notes[f"note-{number}.md"] = (f"---\ntitle: Note {number}\ntype: event\ndate: 2020-02-{number % 28 + 1:02d}\n"
                                      f"tags: [t{number % 7}]\n---\nSee [[{linked}]] about note {number}.\n")
    return notes


def test_no_collection_runs_in_the_loading_thread_and_collection_resumes_after(qtbot, tmp_path):
    folder = write_kb(tmp_path / "kb", many_notes(400))
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
