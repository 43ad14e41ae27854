"""The history is plain Python: back, forward, dropping the forward branch, recent notes."""

import sys

from viewer.ui.window.history import Entry, History


def test_back_and_forward_walk_the_visits():
    history = History()
    for note in ("a", "b", "c"):
        history.visit(note)
    assert history.current == Entry("c")
    assert history.back() == Entry("b")
    assert history.back() == Entry("a")
    assert history.back() is None and history.current == Entry("a")
    assert history.forward() == Entry("b")
    assert history.can_go_back() and history.can_go_forward()


def test_visiting_after_going_back_drops_the_forward_entries():
    history = History()
    for note in ("a", "b", "c"):
        history.visit(note)
    history.back()
    history.visit("d")
    assert not history.can_go_forward()
    assert [history.back(), history.back()] == [Entry("b"), Entry("a")]


def test_visiting_the_current_note_again_adds_nothing_but_anchors_count():
    history = History()
    history.visit("a")
    history.visit("a")
    assert len(history) == 1
    history.visit("a", "section")
    assert len(history) == 2 and history.current == Entry("a", "section")


def test_recent_lists_notes_last_shown_first_each_once():
    history = History()
    for note in ("a", "b", "c", "b"):
        history.visit(note)
    history.back()  # shows c
    assert history.recent() == ["c", "b", "a"]


def test_history_is_bounded_and_forgets_removed_notes():
    history = History(max_entries=3)
    for note in "abcde":
        history.visit(note)
    assert len(history) == 3 and history.back() == Entry("d")
    history.forget({"d"})
    assert history.current == Entry("e")
    assert "d" not in history.recent()


def test_history_module_needs_no_qt():
    assert "PySide6" not in History.__module__
    source = sys.modules["viewer.ui.window.history"].__file__
    assert "PySide6" not in open(source, encoding="utf-8").read()


def test_each_entry_keeps_where_the_reader_left_it():
    history = History()
    history.visit("a")
    history.remember_scroll(420)
    history.visit("b")
    history.remember_scroll(90)
    assert history.back() == Entry("a") and history.current.scroll == 420
    assert history.forward().scroll == 90
    history.visit("c")
    assert history.current.scroll is None  # a new visit opens at the top
