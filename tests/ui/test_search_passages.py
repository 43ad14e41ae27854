"""Search hits in the window: a hit opens at its passage, more pages as the list scrolls,
the correction link, phrases marked whole in the note."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from viewer.core import KnowledgeBase
from viewer.ui.search.panel import LIMIT

from conftest import rendered, shown_window
from test_window import click_index

KB = Path(__file__).resolve().parents[2] / "kb"


@pytest.fixture
def story_window(qtbot, tmp_path):

    win = shown_window(qtbot, KnowledgeBase.open(KB, store=tmp_path / "store.json"), size=(1200, 800))
    yield win
    win.close()


def type_query(qtbot, win, text: str) -> None:
    win.actions_.search.trigger()
    with qtbot.waitSignal(win.search_panel.results_shown, timeout=10_000):
        qtbot.keyClicks(win.search_panel.field, text)


def passage_mark(win) -> str:
    marks = win.view._layers.get("passage", [])
    return marks[0].cursor.selectedText() if marks else ""


def on_screen(win, position: int) -> bool:
    from PySide6.QtGui import QTextCursor

    cursor = QTextCursor(win.view.document())
    cursor.setPosition(position)
    rect = win.view.cursorRect(cursor)
    return rect.top() >= 0 and rect.bottom() <= win.view.viewport().height()


def test_enter_on_a_question_opens_the_answer_at_its_passage_with_the_words_found(qtbot, story_window):
    win = story_window
    type_query(qtbot, win, "when did the OPP stop using clearview")
    assert win.search_panel.hit_ids()[0] == "opp-orders-testing-stopped"
    assert "1 note has every word; best matches for “OPP stop using clearview”" in win.search_panel.status.text()
    qtbot.keyClick(win.search_panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.current_id == "opp-orders-testing-stopped", timeout=5000)
    rendered(qtbot, win)
    marked = passage_mark(win)
    assert "stop" in marked and "OPP" in marked
    start = win.view._layers["passage"][0].cursor.selectionStart()
    assert start > 0 and on_screen(win, start)
    bar = win.find_bar
    assert bar.isVisible() and bar.field.text() == "OPP stop using clearview"
    assert len(bar.matches) > 5
    assert {m.selectedText().lower()[:4] for m in bar.matches} >= {"opp", "stop", "clea", "use"}
    first = bar.current
    assert bar.matches[first].selectionStart() >= start  # the current word is in the passage
    qtbot.keyClick(win.view, Qt.Key.Key_F3)
    assert bar.current == (first + 1) % len(bar.matches)
    qtbot.keyClick(win.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert bar.current == first


def test_clicking_a_hit_opens_its_passage(qtbot, story_window):
    win = story_window
    type_query(qtbot, win, "what did the OPP say about the breach")
    panel = win.search_panel
    assert "client-list-breach-disclosed" in panel.hit_ids()[:3]
    click_index(qtbot, panel.results, panel.hit_index("client-list-breach-disclosed"))
    rendered(qtbot, win)
    assert win.current_id == "client-list-breach-disclosed"
    marked = passage_mark(win)  # the title holds "breach": the passage is what the OPP said
    assert "OPP" in marked and "no compromise" in marked
    assert on_screen(win, win.view._layers["passage"][0].cursor.selectionStart())


def test_a_role_question_opens_the_company_at_the_sentence_stating_the_role(qtbot, story_window):
    win = story_window
    type_query(qtbot, win, "who runs clearview")
    panel = win.search_panel
    assert panel.hit_ids()[:2] in (["clearview-ai", "hoan-ton-that"], ["hoan-ton-that", "clearview-ai"])
    click_index(qtbot, panel.results, panel.hit_index("clearview-ai"))
    rendered(qtbot, win)
    assert win.current_id == "clearview-ai"
    marked = passage_mark(win)
    assert "Hoan Ton-That" in marked and "chief executive" in marked
    assert on_screen(win, win.view._layers["passage"][0].cursor.selectionStart())


def test_a_phrase_is_marked_whole_in_the_note(qtbot, story_window):
    win = story_window
    type_query(qtbot, win, '"facial recognition"')
    qtbot.keyClick(win.search_panel.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.current_id == "facial-recognition", timeout=5000)
    rendered(qtbot, win)
    found = [m.selectedText().lower() for m in win.find_bar.matches]
    assert found and all(text.startswith("facial") and "recognition" in text for text in found)
    html = win.search_panel.hit_index("facial-recognition").data(Qt.ItemDataRole.UserRole + 10)
    assert "<b>facial recognition</b>" in html.lower()


def test_more_hits_load_as_the_list_scrolls(qtbot, tmp_path):

    folder = tmp_path / "kb"
    folder.mkdir()
    for i in range(130):
        (folder / f"n{i:03}.md").write_text(f"# Note {i}\n\nThe harbour was busy, note {i}.\n", encoding="utf-8")
    win = shown_window(qtbot, KnowledgeBase.open(folder, store=tmp_path / "store.json"), size=(1000, 700))
    type_query(qtbot, win, "harbour")
    panel = win.search_panel
    assert len(panel.hit_ids()) == LIMIT
    assert "130 notes match" in panel.status.text()
    assert panel.model.item(0).text() == f"Notes ({LIMIT} of 130)"
    for shown in (2 * LIMIT, 130):
        panel.results.verticalScrollBar()
        panel.results.setFocus()
        qtbot.keyClick(panel.results, Qt.Key.Key_End)  # the reader goes to the end of the list
        qtbot.waitUntil(lambda shown=shown: len(panel.hit_ids()) == shown, timeout=10_000)
    assert len(set(panel.hit_ids())) == 130
    assert panel.model.item(0).text() == "Notes (130)"
    win.close()


def test_a_correction_offers_the_words_as_typed(qtbot, window):
    type_query(qtbot, window, "fonded")
    panel = window.search_panel
    assert panel.hit_ids() == ["alpha"]
    assert panel.correction.isVisible()
    assert "Searched for founded" in panel.correction.text().replace("<b>", "").replace("</b>", "")
    assert "search for fonded instead" in panel.correction.text()
    panel.correction.setFocus()
    qtbot.keyClick(panel.correction, Qt.Key.Key_Tab)  # to the link, as a keyboard reader would
    with qtbot.waitSignal(panel.results_shown, timeout=10_000):
        qtbot.keyClick(panel.correction, Qt.Key.Key_Return)
    assert panel.hit_ids() == [] and not panel.correction.isVisible()
    assert panel.status.text().startswith("No notes match")
