"""The centre switches between note, timeline and graph; their entries and nodes open notes."""

from __future__ import annotations

from PySide6.QtCore import Qt

from conftest import rendered

CTRL = Qt.KeyboardModifier.ControlModifier


def test_tabs_and_shortcuts_switch_the_centre(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)
    assert window.centre.current_view == "timeline" and window.actions_.view_timeline.isChecked()
    assert window.centre.tabs.currentIndex() == 1
    window.centre.tabs.setCurrentIndex(2)
    assert window.centre.current_view == "graph" and window.actions_.view_graph.isChecked()
    assert not window.actions_.find.isEnabled()
    window.actions_.view_note.trigger()
    assert window.centre.current_view == "note" and window.actions_.find.isEnabled()


def test_opening_a_note_from_anywhere_shows_the_note(qtbot, window):
    window.show_view("timeline")
    window.open_note("paper")
    rendered(qtbot, window)
    assert window.centre.current_view == "note"


def test_clicking_a_timeline_entry_opens_its_note(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_2, CTRL)
    timeline = window.centre.widget("timeline")
    qtbot.waitExposed(timeline)
    index = timeline.model.index(timeline.model.row_of("the-event"), 0)
    timeline.list.scrollTo(index)
    qtbot.mouseClick(timeline.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=timeline.list.visualRect(index).center())
    rendered(qtbot, window)
    assert window.current_id == "the-event"
    assert window.centre.current_view == "note"
    window.actions_.back.trigger()
    rendered(qtbot, window)
    assert window.current_id == "overview"


def test_clicking_a_graph_node_opens_its_note(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    qtbot.keyClick(window.view, Qt.Key.Key_3, CTRL)
    graph = window.centre.widget("graph")
    qtbot.waitExposed(graph)
    qtbot.waitUntil(lambda: not graph.busy())
    item = graph.node_item("paper")
    assert graph.node_item("alpha").is_centre
    graph.canvas.ensureVisible(item)
    qtbot.mouseClick(graph.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=graph.canvas.mapFromScene(item.scenePos()))
    rendered(qtbot, window)
    assert window.current_id == "paper"
    assert window.centre.current_view == "note"
    window.show_view("graph")
    qtbot.waitUntil(lambda: not graph.busy())
    assert graph.node_item("paper").is_centre  # the graph follows the note shown
