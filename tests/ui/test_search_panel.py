"""Search as you type: off the UI thread, debounced, stale results dropped, a hit opens its note."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt, QTimer

from viewer.core import KnowledgeBase
from viewer.ui.search.panel import DEBOUNCE_MS, SearchPanel

from conftest import rendered
from test_window import click_index


@dataclass(frozen=True)
class FakeHit:
    note_id: str
    title: str
    type: str | None
    score: float
    snippet: str


class FakeResult(list):
    searched_for = None


class SlowKb:
    """A search that takes its time in a worker, and says which thread ran it."""

    def __init__(self, delays: dict[str, float]) -> None:
        self.delays = delays
        self.calls: list[tuple[str, bool]] = []
        self.busy = False

    def search(self, query: str, limit: int = 20):
        self.calls.append((query, threading.current_thread() is threading.main_thread()))
        self.busy = True
        time.sleep(self.delays.get(query, 0.0))
        self.busy = False
        return FakeResult([FakeHit(f"id-{query}", f"Title {query}", "topic", 1.0, f"about <b>{query}</b>")])


def test_typing_is_debounced_runs_off_the_ui_thread_and_drops_stale_results(qtbot):
    kb = SlowKb({"a": 0.4})
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.set_kb(kb)
    panel.show()
    ticks_while_searching: list[bool] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks_while_searching.append(kb.busy))
    timer.start(20)
    panel.field.setText("a")
    qtbot.wait(DEBOUNCE_MS + 60)  # "a" is searched, slowly
    shown: list[int] = []
    panel.results_shown.connect(shown.append)
    panel.field.setText("ab")  # the reader types on while "a" runs
    qtbot.waitUntil(lambda: panel.hit_ids() == ["id-ab"], timeout=5000)
    qtbot.wait(600)  # the late result for "a" arrives and must be dropped
    timer.stop()
    assert panel.hit_ids() == ["id-ab"]
    assert shown == [1]
    assert [query for query, _ in kb.calls] == ["a", "ab"]
    assert not any(on_main for _, on_main in kb.calls)
    assert any(ticks_while_searching), "the event loop did not run while searching"
    panel.shutdown()


def test_quick_typing_sends_one_query(qtbot):
    kb = SlowKb({})
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.set_kb(kb)
    qtbot.keyClicks(panel.field, "clearview")
    qtbot.waitUntil(lambda: panel.hit_ids() == ["id-clearview"], timeout=5000)
    assert [query for query, _ in kb.calls] == ["clearview"]
    assert "<b>clearview</b>" in panel.hit_index("id-clearview").data(Qt.ItemDataRole.UserRole + 10)
    panel.shutdown()


def test_without_a_search_engine_the_panel_says_so(qtbot):
    panel = SearchPanel()
    qtbot.addWidget(panel)
    panel.set_kb(object())
    assert not panel.field.isEnabled()
    assert "not available" in panel.status.text()


needs_search = pytest.mark.skipif(not hasattr(KnowledgeBase, "search"),
                                  reason="the search engine is not there yet")


@needs_search
def test_search_in_the_window_and_open_a_hit(qtbot, window):
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.view, Qt.Key.Key_F, ctrl_shift)
    field = window.search_panel.field
    assert field.hasFocus() and window.search_dock.isVisible()
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=10_000):
        qtbot.keyClicks(field, "founded")
    assert window.search_panel.hit_ids() == ["alpha"]
    html = window.search_panel.hit_index("alpha").data(Qt.ItemDataRole.UserRole + 10)
    assert "<b>Founded</b>" in html or "<b>founded</b>" in html
    click_index(qtbot, window.search_panel.results, window.search_panel.hit_index("alpha"))
    assert window.current_id == "alpha"


@needs_search
def test_enter_in_the_search_field_opens_the_best_hit_and_operators_filter(qtbot, window):
    window.actions_.search.trigger()
    field = window.search_panel.field
    qtbot.keyClicks(field, "alpha type:event")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_id == "the-event", timeout=10_000)
    assert window.search_panel.hit_ids() == ["the-event"]


@needs_search
def test_the_selected_hit_follows_the_note_shown(qtbot, window):
    window.actions_.search.trigger()
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=10_000):
        qtbot.keyClicks(window.search_panel.field, "founded")
    results = window.search_panel.results
    click_index(qtbot, results, window.search_panel.hit_index("alpha"))
    rendered(qtbot, window)
    assert window.current_id == "alpha" and results.selectionModel().hasSelection()
    window.open_note("the-event")  # elsewhere, by a link or the side panel
    rendered(qtbot, window)
    assert not results.selectionModel().hasSelection()
    window.actions_.back.trigger()
    rendered(qtbot, window)
    assert window.current_id == "alpha"
    assert results.selectionModel().isSelected(window.search_panel.hit_index("alpha"))


def test_the_search_panel_is_made_when_first_asked_for_and_knows_the_notes(qtbot, window):
    assert not window.docks.made("search")  # tabbed behind Notes: not part of the first paint
    qtbot.keyClick(window.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.docks.made("search") and window.search_panel.field.hasFocus()
    assert window.search_panel.kb is window.kb


def test_clicking_the_search_tab_makes_the_panel(qtbot, window):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTabBar

    bars = [bar for bar in window.findChildren(QTabBar)
            if [bar.tabText(i) for i in range(bar.count())] == ["Notes", "Search"]]
    bar = max(bars, key=lambda bar: bar.geometry().bottom())  # the one under the docks (Qt may keep another)
    assert not window.docks.made("search")
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: window.docks.made("search") and window.search_panel.isVisible())
    assert window.search_panel.kb is window.kb and window.search_panel.field.isEnabled()
