"""A load leaves no cyclic garbage behind: it runs with the collector paused and freezes what it made,
so garbage left then would never be freed (a leak at every Reload Notes)."""

from __future__ import annotations

import gc
import pickle  # noqa: F401 - loaded here: its first import leaves its pure-Python exception classes as garbage

from viewer.core import collector
from viewer.ui.window.main_window import MainWindow

from conftest import write_kb


def nested_notes(count: int) -> dict[str, str]:
    notes = {}
    for number in range(count):
        folder = f"area-{number % 4}/part-{number % 3}"
        notes[f"{folder}/note-{number}.md"] = (f"---\ntitle: Note {number}\ntype: event\ndate: 2021-03-{number % 28 + 1:02d}\n"
                                               f"---\nSee [[note-{(number + 1) % count}]], Note {number + 2}.\n")
    return notes


def test_a_load_freezes_no_garbage(qtbot, tmp_path, monkeypatch):
    folder = write_kb(tmp_path / "kb", nested_notes(120))
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
