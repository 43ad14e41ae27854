"""A note edited while the viewer was closed: the window opens without indexing it, and finds it by its new words."""

from __future__ import annotations

import os
import time

from viewer.core import KnowledgeBase
from viewer.core.search import index_path
from viewer.core.search.index import PENDING_FILE
from viewer.ui.window.main_window import MainWindow

from conftest import write_kb


def test_the_loader_leaves_an_edit_to_the_index_and_the_search_panel_finds_it(qtbot, tmp_path, monkeypatch):
    folder, store = write_kb(tmp_path / "kb"), tmp_path / "store.json"
    KnowledgeBase.open(folder, store=store)  # the last session: store and index built
    edited = folder / "alpha.md"
    edited.write_text("# Alpha\n\nThe quokka smiles at the camera.\n", encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000
    os.utime(edited, ns=(stamp, stamp))
    checks: list[bool] = []
    real = KnowledgeBase.prepare_search
    monkeypatch.setattr(KnowledgeBase, "prepare_search",
                        lambda kb, progress=None: (checks.append(True), real(kb, progress))[1])
    window = MainWindow()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.kb_loaded, timeout=20_000):
        window.load(folder, store)
    assert checks == [] and (index_path(store) / PENDING_FILE).exists()  # not indexed while loading
    window.show_panel("search")
    window.search_panel.field.setFocus()
    qtbot.keyClicks(window.search_panel.field, "quokka")
    qtbot.waitUntil(lambda: window.search_panel.hit_ids() == ["alpha"], timeout=10_000)
    assert not (index_path(store) / PENDING_FILE).exists()
    window.close()
