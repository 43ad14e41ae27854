"""The quick switcher ranks what is typed off the UI thread: the newest query wins, Enter waits for it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QRunnable, Qt

from viewer.core.model import Note, NoteId
from viewer.core.switcher import Names
from viewer.ui.panels import switcher as switcher_module
from viewer.ui.panels.switcher import Switcher

NOTES = [Note(NoteId("opp"), "opp.md", "Ontario Provincial Police", "organisation", ("OPP",)),
         Note(NoteId("rcmp"), "rcmp.md", "Royal Canadian Mounted Police", "organisation", ("RCMP",)),
         Note(NoteId("hill"), "people/hill.md", "Kashmir Hill", "person", ()),
         Note(NoteId("hill-2"), "places/hill.md", "Kashmir Hill", "topic", ())]


class Blocker(QRunnable):
    """Holds the switcher's one worker thread until released."""

    def __init__(self) -> None:
        super().__init__()
        self.started, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        self.started.set()
        self.release.wait(10)


@pytest.fixture
def dialog(qtbot, monkeypatch):
    calls: list[tuple[str, bool]] = []  # (query, ranked on the UI thread)
    real = switcher_module.rank

    def recording(names, query, *args, **kwargs):
        calls.append((query, threading.current_thread() is threading.main_thread()))
        return real(names, query, *args, **kwargs)
    monkeypatch.setattr(switcher_module, "rank", recording)
    widget = Switcher()
    qtbot.addWidget(widget)
    widget.open_with(Names(NOTES), ["rcmp"])
    widget.calls = calls
    yield widget
    widget.shutdown()


def hold(dialog: Switcher) -> Blocker:
    blocker = Blocker()
    dialog.pool.start(blocker)
    assert blocker.started.wait(5)
    return blocker


def test_typed_queries_are_ranked_in_a_worker_and_the_list_shows_them(qtbot, dialog):
    qtbot.keyClicks(dialog.field, "kashmr")
    qtbot.waitUntil(lambda: not dialog.busy())
    assert dialog.choice_ids() == ["hill", "hill-2"]
    shown = [dialog.model.index(row, 0).data() for row in range(2)]
    assert shown == ["Kashmir Hill  ·  Person  ·  people/", "Kashmir Hill  ·  Topic  ·  places/"]
    typed = [on_ui for query, on_ui in dialog.calls if query]
    assert typed and not any(typed)


def test_only_the_newest_query_is_ranked_and_shown(qtbot, dialog):
    blocker = hold(dialog)
    qtbot.keyClicks(dialog.field, "police")  # six queries queued behind the blocker
    assert dialog.busy() and dialog.choice_ids()[0] == "rcmp"  # the empty field's list until then
    blocker.release.set()
    qtbot.waitUntil(lambda: not dialog.busy())
    assert [query for query, _ in dialog.calls if query] == ["police"]
    assert dialog.choice_ids() == ["rcmp", "opp"]  # the recent note first among equals


def test_enter_before_the_choices_come_opens_the_first_of_them(qtbot, dialog):
    chosen: list[str] = []
    dialog.note_chosen.connect(chosen.append)
    blocker = hold(dialog)
    qtbot.keyClicks(dialog.field, "opp")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert chosen == [] and dialog.isVisible()
    blocker.release.set()
    qtbot.waitUntil(lambda: chosen == ["opp"])
    assert not dialog.isVisible()


def test_closing_while_ranking_opens_nothing(qtbot, dialog):
    chosen: list[str] = []
    dialog.note_chosen.connect(chosen.append)
    blocker = hold(dialog)
    qtbot.keyClicks(dialog.field, "opp")
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    blocker.release.set()
    dialog.pool.waitForDone(5000)
    qtbot.wait(50)
    assert chosen == [] and not dialog.isVisible()
