"""The Notes panel at scale: rows made a chunk at a time, and the filter in a worker thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from viewer.core.model import Note, NoteId
from viewer.ui.panels import notes as notes_panel
from viewer.ui.panels.note_model import CHUNK
from viewer.ui.panels.notes import NOTE_ID_ROLE, BrowserPanel

TYPES = ("organisation", "person", "event", "topic", "source")
N = 5_000


def many(count: int = N) -> list[Note]:
    return [Note(id=NoteId(f"note-{i:05d}"), path=f"{TYPES[i % 5]}s/note-{i:05d}.md", title=f"Note number {i}",
                 type=TYPES[i % 5], date=f"2020-{i % 12 + 1:02d}" if i % 5 == 2 else None) for i in range(count)]


def rows_made(model, parent=None) -> int:
    """Every row the model has handed out so far, at every depth."""
    parent = parent if parent is not None else QModelIndex()
    return sum(1 + rows_made(model, model.index(row, 0, parent)) for row in range(model.rowCount(parent)))


@pytest.fixture
def panel(qtbot):
    panel = BrowserPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.set_notes(many())
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.shutdown()


def test_a_large_folder_is_shown_a_chunk_of_rows_a_group(qtbot, panel):
    model = panel.model
    groups = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert groups == ["Organisations (1000)", "People (1000)", "Events (1000)", "Topics (1000)", "Sources (1000)"]
    qtbot.wait(50)  # the view has laid out and asked for what is on screen
    assert all(panel.tree.isExpanded(group) for group in model.group_indexes())
    assert rows_made(model) <= 5 * (1 + CHUNK) < N  # not a row per note


def test_rows_for_the_rest_of_a_group_come_once_its_last_row_is_on_screen(qtbot, panel):
    model = panel.model
    first = model.index(0, 0)
    assert model.rowCount(first) == CHUNK and model.has_more(first)
    panel.tree.scrollTo(model.last_row(first))
    qtbot.waitUntil(lambda: model.rowCount(first) >= 2 * CHUNK)
    assert model.rowCount(model.index(4, 0)) == CHUNK  # groups not scrolled to stay as they were


def test_the_selection_follows_a_note_far_down_its_group(qtbot, panel):
    panel.select_note("note-04999")  # the last of the sources, by title
    current = panel.tree.currentIndex()
    assert current.data(NOTE_ID_ROLE) == "note-04999"
    assert panel.tree.visualRect(current).intersects(panel.tree.viewport().rect())


def test_the_filter_runs_in_a_worker_and_the_newest_text_wins(qtbot, panel):
    assert len(panel.listing) >= notes_panel.FILTER_IN_WORKER_FROM
    qtbot.keyClicks(panel.filter, "number 4999")
    qtbot.waitUntil(panel.is_filtered)
    model = panel.model
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["Sources (1 of 1000)"]
    assert model.index(0, 0, model.index(0, 0)).data(NOTE_ID_ROLE) == "note-04999"
    panel.filter.clear()  # no filter: the whole tree at once, no worker
    assert panel.is_filtered() and model.rowCount() == 5


def test_enter_before_the_filter_is_done_opens_the_first_match(qtbot, panel):
    opened: list[str] = []
    panel.note_activated.connect(opened.append)
    panel.filter.setText("number 123")  # 123, 1230-1239
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: opened != [])
    assert opened == ["note-01230"]  # organisations come first, and 1230 before 1235
    panel.filter.setText("number 12")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    panel.filter.setText("number 1")  # typed on after Enter: nothing opens by itself
    qtbot.waitUntil(panel.is_filtered)
    qtbot.wait(50)
    assert opened == ["note-01230"]


def test_folders_group_and_filter_the_same_way(qtbot, panel):
    panel.group_by.setCurrentIndex(1)
    model = panel.model
    assert [model.index(row, 0).data() for row in range(model.rowCount())][:2] == ["events (1000)", "organisations (1000)"]
    qtbot.keyClicks(panel.filter, "number 42")
    qtbot.waitUntil(panel.is_filtered)
    matches = [i for i in range(N) if "number 42" in f"note number {i}"]  # 42, 420-429, 4200-4299
    expected = [f"{kind}s ({sum(1 for i in matches if TYPES[i % 5] == kind)} of 1000)" for kind in sorted(TYPES)]
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == expected
    first = model.index(0, 0)
    assert [model.index(row, 0, first).data() for row in range(model.rowCount(first))] == sorted(
        (f"Note number {i}" for i in matches if i % 5 == 2), key=lambda title: int(title.split()[-1]))


@pytest.fixture
def one_group(qtbot):
    """5,000 people."""
    panel = BrowserPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.set_notes([Note(id=NoteId(f"p{i:05d}"), path=f"p{i:05d}.md", title=f"Person {i:05d}", type="person")
                     for i in range(N)])
    panel.show()
    qtbot.waitExposed(panel)
    yield panel
    panel.shutdown()


def test_a_note_far_down_a_big_group_moves_its_window_and_the_notes_above_come_on_scrolling_up(qtbot, one_group):
    panel = one_group
    model, tree = panel.model, panel.tree
    people = model.index(0, 0)
    panel.select_note("p04000")
    assert tree.currentIndex().data(NOTE_ID_ROLE) == "p04000"
    earlier = model.earlier_row(people)
    assert earlier.isValid() and earlier.data() == f"… {4000 - CHUNK // 2:,} more notes"
    assert earlier.data(NOTE_ID_ROLE) is None
    assert rows_made(model) <= 2 + CHUNK
    assert model.index(earlier.row() + 1, 0, people).data(NOTE_ID_ROLE) == f"p{4000 - CHUNK // 2:05d}"

    tree.scrollTo(earlier)  # the notes above come, the rows on screen stay where they are
    qtbot.waitUntil(lambda: model.rowCount(people) > 1 + CHUNK)
    below = model.index(model.earlier_row(people).row() + CHUNK + 1, 0, people)
    assert below.data(NOTE_ID_ROLE) == f"p{4000 - CHUNK // 2:05d}"
    assert tree.visualRect(below).top() >= 0 and tree.visualRect(model.earlier_row(people)).bottom() < 0
    for _ in range(40):  # and so on up to the first note
        if not model.earlier_row(people).isValid():
            break
        tree.scrollTo(model.earlier_row(people))
        qtbot.wait(10)
    assert not model.earlier_row(people).isValid()
    shown = [model.index(row, 0, people).data(NOTE_ID_ROLE) for row in range(model.rowCount(people))]
    assert shown == [f"p{i:05d}" for i in range(len(shown))] and len(shown) >= 4000


def test_enter_opens_the_first_note_even_when_its_group_shows_a_window_further_down(qtbot, one_group):
    opened: list[str] = []
    one_group.note_activated.connect(opened.append)
    one_group.select_note("p04000")
    assert one_group.model.earlier_row(one_group.model.index(0, 0)).isValid()
    qtbot.keyClick(one_group.filter, Qt.Key.Key_Return)
    assert opened == ["p00000"]


def test_going_up_past_the_window_by_keyboard_reaches_the_note_above(qtbot, one_group):
    model, tree = one_group.model, one_group.tree
    one_group.select_note("p04000")
    people = model.index(0, 0)
    first = model.index(model.earlier_row(people).row() + 1, 0, people)
    assert first.data(NOTE_ID_ROLE) == "p03900"
    tree.setCurrentIndex(first)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Up)  # onto the row for the notes above, which brings them
    qtbot.waitUntil(lambda: tree.currentIndex().data(NOTE_ID_ROLE) is not None)
    assert tree.currentIndex().data(NOTE_ID_ROLE) == "p03899"


def test_the_tree_is_sorted_in_the_loading_worker_not_when_the_notes_are_shown(qtbot, tmp_path, monkeypatch):
    import threading

    from viewer.core import note_tree
    from viewer.ui.window.main_window import MainWindow

    from conftest import write_kb

    made_in: list[str] = []
    make = note_tree.NoteListing.__init__

    def noting(self, notes):
        made_in.append(threading.current_thread().name)
        make(self, notes)
    monkeypatch.setattr(note_tree.NoteListing, "__init__", noting)
    window = MainWindow()
    qtbot.addWidget(window)
    made_in.clear()  # the empty panel's own
    with qtbot.waitSignal(window.kb_loaded, timeout=20_000):
        window.load(write_kb(tmp_path / "kb"), tmp_path / "store.json")
    assert len(made_in) == 1 and made_in[0] != threading.main_thread().name
    assert window.browser.listing is note_tree.listing_of(window.kb)
    window.close()
