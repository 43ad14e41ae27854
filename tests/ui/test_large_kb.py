"""A 10,000-note folder: opened in a worker with progress while the window stays responsive,
then browsable, filterable, switchable and searchable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer

from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.panels.switcher import rank

from conftest import rendered, shown_window

N = 10_000
TYPES = ("organisation", "person", "event", "topic", "source")


def write_many(folder, count: int = N):
    folder.mkdir(parents=True)
    for i in range(count):
        kind = TYPES[i % len(TYPES)]
        date = f"date: 2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n" if kind == "event" else ""
        (folder / f"note-{i:05d}.md").write_text(
            f"---\ntitle: Note number {i}\ntype: {kind}\n{date}---\n# Note number {i}\n\n"
            f"Note {i} is about facial recognition; it links to [[note-{(i + 1) % count:05d}]] and "
            f"[[note-{(i * 7) % count:05d}]]. Marker word{i}.\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_ten_thousand_notes_load_in_a_worker_and_stay_usable(qtbot, tmp_path):
    folder = write_many(tmp_path / "big")
    window = shown_window(qtbot, )
    # Each tick notes how far the load had gone: a load in the UI thread would leave
    # no tick between its first progress report and its last.
    seen: list[tuple[str, int, int]] = []
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(len(seen)))
    timer.start(25)
    with qtbot.waitSignal(window.kb_loaded, timeout=120_000):
        window.load(folder, tmp_path / "store.json")
        window.loader.progressed.connect(lambda *args: seen.append(args))
    timer.stop()
    assert seen and seen[-1][1] == seen[-1][2]  # progress reached its end
    assert any(total == N for _, _, total in seen)
    assert len({count for count in ticks if 0 < count < len(seen)}) >= 3, "the window froze while loading"

    model = window.browser.model
    counts = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert counts == ["Organisations (2000)", "People (2000)", "Events (2000)", "Topics (2000)",
                      "Sources (2000)"]
    assert window.browser.tree.uniformRowHeights()

    assert model.rowCount(model.index(0, 0)) < 2000  # note rows are made as they come on screen
    window.browser.filter.setText("number 9999")
    qtbot.waitUntil(window.browser.is_filtered)  # filtered in a worker thread
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["Sources (1 of 2000)"]
    index = model.note_index("note-09999")
    assert index.isValid() and index.data(NOTE_ID_ROLE) == "note-09999"
    window.browser.tree.activated.emit(index)
    rendered(qtbot, window)
    assert window.current_id == "note-09999"
    assert window.links.entries("Backlinks")  # note-09998 links here

    choices = rank(window.kb.notes(), "note numbr 4242")  # how fast: python -m benchmarks.browse
    assert choices[0].note_id == "note-04242"

    if hasattr(window.kb, "search"):
        window.actions_.search.trigger()
        with qtbot.waitSignal(window.search_panel.results_shown, timeout=20_000):
            qtbot.keyClicks(window.search_panel.field, "word1234")
        assert window.search_panel.hit_ids()[:1] == ["note-01234"]
        qtbot.keyClick(window.search_panel.field, Qt.Key.Key_Return)
        assert window.current_id == "note-01234"
    window.close()
