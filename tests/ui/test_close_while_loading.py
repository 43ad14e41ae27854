"""Closing the window while a folder is still loading stops the load cleanly."""

from __future__ import annotations

import time

from viewer.core import KnowledgeBase
from viewer.ui.window.main_window import MainWindow

from conftest import write_kb


def test_close_during_a_long_load_cancels_it_and_waits(qtbot, tmp_path, monkeypatch):
    steps: list[int] = []
    real_open = KnowledgeBase.open

    def slow_open(folder, store=None, progress=None):
        for done in range(1, 1000):  # about 20 s if nothing stops it
            steps.append(done)
            progress("Reading notes", done, 1000)
            time.sleep(0.02)
        return real_open(folder, store, progress)

    monkeypatch.setattr(KnowledgeBase, "open", staticmethod(slow_open))
    window = MainWindow(data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    loaded = []
    window.load(write_kb(tmp_path / "kb"), tmp_path / "s.json")
    window.loader.loaded.connect(loaded.append)
    qtbot.waitUntil(lambda: len(steps) >= 3)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 2.0
    assert not window.loader.thread.isRunning()
    assert len(steps) < 200 and loaded == []
