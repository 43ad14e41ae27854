"""Find in the note (Ctrl+F) and the quick switcher (Ctrl+K, Ctrl+O)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from viewer.core.model import Note, NoteId
from viewer.ui.panels.switcher import rank

from conftest import rendered

CTRL = Qt.KeyboardModifier.ControlModifier


def test_ctrl_f_highlights_every_match_and_f3_walks_them(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.field.hasFocus()
    qtbot.keyClicks(bar.field, "alpha")
    expected = window.view.toPlainText().lower().count("alpha")
    assert expected >= 2
    assert len(window.view.extraSelections()) == expected
    assert bar.count.text() == f"1 of {expected}"
    qtbot.keyClick(bar.field, Qt.Key.Key_F3)
    assert bar.count.text() == f"2 of {expected}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count.text() == f"1 of {expected}"
    qtbot.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible() and window.view.extraSelections() == []


def test_find_says_when_nothing_matches_and_follows_the_note(qtbot, window):
    window.actions_.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "zebra")
    assert window.find_bar.count.text() == "No matches"
    window.find_bar.field.setText("the")
    window.open_note("paper")
    rendered(qtbot, window)
    assert len(window.view.extraSelections()) == window.view.toPlainText().lower().count("the")


def test_find_options_whole_words_and_case(qtbot, window):
    window.open_note("the-event")
    rendered(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    qtbot.keyClicks(bar.field, "the")
    text = window.view.toPlainText()
    anywhere = text.lower().count("the")
    words = len(__import__("re").findall(r"\bthe\b", text, flags=__import__("re").IGNORECASE))
    assert anywhere > words  # "The" inside other words too, e.g. "there"
    assert len(window.view.extraSelections()) == anywhere
    qtbot.keyClick(bar.field, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    assert bar.whole_words.isChecked()
    assert len(window.view.extraSelections()) == words
    qtbot.keyClick(bar.field, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert bar.match_case.isChecked() and bar.field.hasFocus()  # typing goes on in the field
    assert len(window.view.extraSelections()) == len(__import__("re").findall(r"\bthe\b", text))


def note(note_id, title, aliases=(), kind="topic"):
    return Note(NoteId(note_id), f"{note_id}.md", title, kind, tuple(aliases))


NOTES = [note("opp", "Ontario Provincial Police", ["OPP"], "organisation"),
         note("rcmp", "Royal Canadian Mounted Police", ["RCMP"], "organisation"),
         note("hill", "Kashmir Hill", kind="person"),
         note("fr", "Facial recognition")]


def test_rank_is_fuzzy_over_titles_and_aliases():
    assert rank(NOTES, "ontaro police")[0].note_id == "opp"
    assert rank(NOTES, "rcmp")[0].note_id == "rcmp"
    assert rank(NOTES, "rcmp")[0].matched == "RCMP"
    assert rank(NOTES, "kashmr")[0].note_id == "hill"
    assert rank(NOTES, "qqqqzzzz") == []


def test_rank_puts_recent_notes_first():
    assert [c.note_id for c in rank(NOTES, "", recent=["hill", "fr"])][:2] == ["hill", "fr"]
    # two equally good matches: the recent one wins
    assert rank(NOTES, "police", recent=["rcmp"])[0].note_id == "rcmp"
    assert rank(NOTES, "police", recent=["opp"])[0].note_id == "opp"


def test_ctrl_k_jumps_to_a_note_by_alias(qtbot, window):
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_K, CTRL)
    switcher = window.switcher
    qtbot.waitUntil(switcher.isVisible)
    qtbot.keyClicks(switcher.field, "AA")
    qtbot.waitUntil(lambda: not switcher.busy())
    assert switcher.choice_ids()[0] == "alpha"
    qtbot.keyClick(switcher.field, Qt.Key.Key_Return)
    assert window.current_id == "alpha" and not switcher.isVisible()


def test_ctrl_o_lists_recent_notes_first_and_arrows_choose(qtbot, window):
    window.open_note("paper")
    rendered(qtbot, window)
    window.open_note("the-event")
    rendered(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_O, CTRL)
    switcher = window.switcher
    qtbot.waitUntil(switcher.isVisible)
    assert switcher.choice_ids()[:3] == ["the-event", "paper", "overview"]
    assert switcher.list.currentIndex().row() == 1  # the note before this one
    qtbot.keyClick(switcher.field, Qt.Key.Key_Down)
    qtbot.keyClick(switcher.field, Qt.Key.Key_Return)
    assert window.current_id == "overview"
    window.actions_.back.trigger()
    assert window.current_id == "the-event"


def tab_stops(start, count: int) -> list:
    """The next `count` widgets Tab stops at after `start` (visible, enabled, taking Tab focus)."""
    stops, widget = [], start
    for _ in range(1000):
        widget = widget.nextInFocusChain()
        if widget is start or len(stops) == count:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible() and widget.isEnabled():
            stops.append(widget)
    return stops


def test_the_find_bar_made_when_first_opened_comes_right_after_the_note_in_tab_order(qtbot, window):
    after_note = tab_stops(window.view, 1)[0]
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible()
    assert tab_stops(window.view, 7) == [*bar.tab_order(), after_note]  # Tab: note, the bar's controls, then on
    qtbot.keyClick(bar.field, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.hasFocus()  # Shift+Tab from the field goes back to the note
