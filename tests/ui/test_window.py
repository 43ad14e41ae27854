"""The window driven as a reader would: side panel, links, history, links panel, previews."""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QToolTip,
)

from conftest import mentions_found, rendered, shown_window, write_kb
from linkclick import click_link, link_position


def click_index(qtbot, view: QAbstractItemView, index) -> None:
    view.scrollTo(index)
    rect = view.visualRect(index)
    assert rect.isValid(), "the row is not on screen"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_overview_opens_first_and_the_title_names_it(window):
    assert window.current_id == "overview"
    assert window.windowTitle() == "Story Overview — kbviewer"
    text = window.view.toPlainText()
    assert "OVERVIEW" in text.upper() and "The story starts with the agency" in text


def test_header_shows_type_date_aliases_tags_and_sources(qtbot, window):
    window.open_note("the-event")
    rendered(qtbot, window)
    text = window.view.toPlainText()
    assert "Event · 21 February 2020" in text
    window.open_note("alpha")
    rendered(qtbot, window)
    text = window.view.toPlainText()
    assert "Also known as" in text and "AA" in text and "#police" in text
    assert "The Paper" in text  # its source, by title
    assert text.count("Alpha Agency") >= 1 and "Sources" in text


def test_side_panel_groups_notes_by_type_with_counts_and_opens_one(qtbot, window):
    model = window.browser.model
    groups = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert groups == ["Overview (1)", "Organisations (1)", "People (1)", "Events (1)", "Sources (1)"]
    index = model.note_index("paper")
    click_index(qtbot, window.browser.tree, index)
    rendered(qtbot, window)
    assert window.current_id == "paper"
    assert window.windowTitle().startswith("The Paper")


def test_side_panel_filter_narrows_and_enter_opens_the_first(qtbot, window):
    qtbot.keyClicks(window.browser.filter, "alph")
    model = window.browser.model
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["Organisations (1)"]
    qtbot.keyClick(window.browser.filter, Qt.Key.Key_Return)
    assert window.current_id == "alpha"


def test_clicking_links_back_forward_by_keys_toolbar_and_mouse(qtbot, window):
    click_link(qtbot, window.view, "note:alpha")
    rendered(qtbot, window)
    assert window.current_id == "alpha"
    click_link(qtbot, window.view, "note:the-event")
    rendered(qtbot, window)
    assert window.current_id == "the-event"
    assert "The AA was there" in window.view.toPlainText()

    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    rendered(qtbot, window)
    assert window.current_id == "alpha"
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    rendered(qtbot, window)
    assert window.current_id == "overview"
    assert not window.actions_.back.isEnabled()
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    rendered(qtbot, window)
    assert window.current_id == "alpha"

    back_button = window.toolbar.widgetForAction(window.actions_.back)
    forward_button = window.toolbar.widgetForAction(window.actions_.forward)
    qtbot.mouseClick(forward_button, Qt.MouseButton.LeftButton)
    rendered(qtbot, window)
    assert window.current_id == "the-event"
    qtbot.mouseClick(back_button, Qt.MouseButton.LeftButton)
    rendered(qtbot, window)
    assert window.current_id == "alpha"

    def press(button, widget):  # as the mouse does it: at the window, over the widget
        QTest.mouseClick(window.windowHandle(), button, Qt.KeyboardModifier.NoModifier,
                         widget.mapTo(window, QPoint(20, 20)))

    press(Qt.MouseButton.BackButton, window.view.viewport())
    rendered(qtbot, window)
    assert window.current_id == "overview"
    press(Qt.MouseButton.ForwardButton, window.browser.tree.viewport())
    rendered(qtbot, window)
    assert window.current_id == "alpha"


def test_link_with_a_heading_scrolls_to_it(qtbot, window):
    window.resize(700, 300)
    window.open_note("the-event")
    rendered(qtbot, window)
    click_link(qtbot, window.view, "note:alpha#history")
    rendered(qtbot, window)
    assert window.current_id == "alpha"
    qtbot.waitUntil(lambda: window.view.verticalScrollBar().value() > 0 or
                    window.view.verticalScrollBar().maximum() == 0)


def test_a_broken_link_says_it_is_broken(qtbot, window):
    click_link(qtbot, window.view, "broken:")
    assert window.current_id == "overview"
    assert "Broken link" in window.statusBar().currentMessage()
    assert "nowhere" in window.statusBar().currentMessage()


def test_hovering_a_link_previews_the_target(qtbot, window):
    pos = link_position(window.view, "note:alpha")
    event = QHelpEvent(QEvent.Type.ToolTip, pos, window.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(window.view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Alpha Agency" in QToolTip.text() and "took part in the event" in QToolTip.text()
    QToolTip.hideText()
    pos = link_position(window.view, "broken:")
    QApplication.sendEvent(window.view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, pos, window.view.viewport().mapToGlobal(pos)))
    assert "Broken link" in QToolTip.text()


def test_links_panel_lists_outgoing_backlinks_with_sentences_and_mentions(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    links = window.links
    assert links.entries("Links") == ["the-event", "paper"]
    # the event links here twice, in two sentences: each is listed with its own
    assert sorted(links.entries("Backlinks")) == ["overview", "paper", "the-event", "the-event"]
    assert links.entries("Unlinked mentions") == ["bystander"]
    index = links.index_of("Backlinks", "the-event")
    html = index.data(Qt.ItemDataRole.UserRole + 10)
    assert "The <b>AA</b> was there." in html
    mention = links.index_of("Unlinked mentions", "bystander").data(Qt.ItemDataRole.UserRole + 10)
    assert "<b>Alpha Agency</b>" in mention


def test_opening_a_backlink_and_a_mention_from_the_links_panel(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    click_index(qtbot, window.links.tree, window.links.index_of("Backlinks", "the-event"))
    assert window.current_id == "the-event"
    window.open_note("alpha")
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    window.links.tree.setFocus()
    window.links.tree.setCurrentIndex(window.links.index_of("Unlinked mentions", "bystander"))
    qtbot.keyClick(window.links.tree, Qt.Key.Key_Return)
    assert window.current_id == "bystander"


def test_panels_hide_and_come_back_and_the_layout_is_remembered(qtbot, reader_kb, window):
    from viewer.ui.window.main_window import MainWindow

    window.links_dock.toggleViewAction().trigger()
    assert not window.links_dock.isVisible()
    window.open_note("paper")
    rendered(qtbot, window)
    window.resize(760, 540)  # inside the offscreen screen (800x600): restoring does not clamp it
    window.close()

    again = shown_window(qtbot, reader_kb)
    assert again.current_id == "paper"  # the last note read
    assert not again.links_dock.isVisible()
    assert (again.width(), again.height()) == (760, 540)
    assert again.centre.current_view == "note"
    again.show_view("timeline")
    again.close()

    third = MainWindow(reader_kb)
    qtbot.addWidget(third)
    assert third.centre.current_view == "timeline"  # the view it was left in
    third.close()
    again = MainWindow(reader_kb)
    qtbot.addWidget(again)
    again.show()
    again.actions_.reset_layout.trigger()
    assert again.links_dock.isVisible() and again.notes_dock.isVisible()
    again.close()


def test_every_control_has_an_accessible_name_or_text(window):
    window.find_bar.open_bar()
    missing = []
    for widget in window.findChildren(QAbstractButton) + window.findChildren(QLineEdit) \
            + window.findChildren(QAbstractItemView) + window.findChildren(QTextEdit) \
            + window.findChildren(QTabBar):
        if not widget.isVisibleTo(window):
            continue
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text):
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    assert missing == []


def test_f6_moves_the_focus_between_panels(qtbot, window):
    window.activateWindow()
    window.browser.tree.setFocus()
    qtbot.waitUntil(lambda: window.browser.tree.hasFocus())
    window.actions_.next_pane.trigger()
    assert window.view.hasFocus()
    window.actions_.next_pane.trigger()
    assert window.links.tree.hasFocus()
    window.actions_.previous_pane.trigger()
    assert window.view.hasFocus()


def test_shortcuts_are_unique_and_listed_in_help(window):
    seen: dict[str, str] = {}
    for action in window.actions():
        for key in action.shortcuts():
            assert key.toString() not in seen, f"{key.toString()} used by {seen.get(key.toString())}"
            seen[key.toString()] = action.text()
    for key in ("Ctrl+K", "Ctrl+O", "Ctrl+F", "Ctrl+Shift+F", "Alt+Left", "Alt+Right", "Ctrl+1", "Ctrl+2",
                "Ctrl+3"):
        assert key in seen
    dialog = window.show_shortcuts()
    listed = dialog.findChild(QTextEdit).toPlainText()
    assert "Ctrl+Shift+F" in listed and "Go to Note" in listed and "Alt+Left" in listed
    dialog.close()


def test_zoom_changes_the_note_text_size(qtbot, window):
    before = window.view.document().defaultStyleSheet()
    window.actions_.zoom_in.trigger()
    rendered(qtbot, window)
    assert window.zoom > 1.0
    assert window.view.document().defaultStyleSheet() != before
    window.actions_.zoom_reset.trigger()
    rendered(qtbot, window)
    assert window.view.document().defaultStyleSheet() == before


def test_the_window_shows_first_and_loads_in_a_worker_with_progress(qtbot, tmp_path):
    from viewer.ui.window.main_window import MainWindow

    from conftest import write_kb

    folder = write_kb(tmp_path / "folder")
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    progress: list[tuple[str, int, int]] = []
    win.loader_progress = progress
    with qtbot.waitSignal(win.kb_loaded, timeout=20_000):
        win.load(folder, tmp_path / "s.json")
        win.loader.progressed.connect(lambda *a: progress.append(a))
        assert win.progress.isVisible()
    assert win.current_id == "overview"
    assert not win.progress.isVisible()
    assert win.count_label.text() == "5 notes"
    win.close()


def test_the_window_has_the_app_icon(window):
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes() or window.windowIcon().pixmap(32, 32).width() == 32


def test_the_icon_files_are_read_once(qapp, monkeypatch):
    from viewer.ui import theme

    asked: list[int] = []
    folder = theme.resources_dir
    monkeypatch.setattr(theme, "_icon", None)
    monkeypatch.setattr(theme, "resources_dir", lambda: (asked.append(1), folder())[1])
    first, second = theme.app_icon(), theme.app_icon()  # the application's, then the window's
    assert not first.isNull() and first.cacheKey() == second.cacheKey()
    assert len(asked) == 3  # each of its files, looked for once


def test_reload_reads_changed_notes_and_keeps_the_note_and_history(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    folder = window.kb.folder
    (folder / "alpha.md").write_text("---\ntitle: Alpha Agency\ntype: organisation\n---\n# Alpha Agency\n\n"
                                     "Rewritten text about [[newcomer]].\n", encoding="utf-8")
    (folder / "newcomer.md").write_text("---\ntitle: Newcomer\ntype: person\n---\n# Newcomer\n\nNew.\n",
                                        encoding="utf-8")
    with qtbot.waitSignal(window.kb_loaded, timeout=20_000):
        window.actions_.reload.trigger()
    rendered(qtbot, window)
    assert window.current_id == "alpha" and "Rewritten text about Newcomer" in window.view.toPlainText()
    assert window.browser.model.index(2, 0).data() == "People (2)"
    assert window.links.entries("Links") == ["newcomer"]
    window.actions_.back.trigger()
    assert window.current_id == "overview"


def test_the_notes_a_reload_replaces_are_freed_off_the_window_thread(qtbot, tmp_path):
    from viewer.core import release
    from viewer.ui.window.main_window import MainWindow

    window = MainWindow(data_dir=tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.kb_loaded, timeout=20_000):
        window.load(write_kb(tmp_path / "kb"), tmp_path / "store.json")
    rendered(qtbot, window)
    freed_in: list[str] = []
    old = weakref.ref(window.kb, lambda _ref: freed_in.append(threading.current_thread().name))
    with qtbot.waitSignal(window.kb_loaded, timeout=20_000):
        window.actions_.reload.trigger()
    rendered(qtbot, window)
    qtbot.waitUntil(lambda: old() is None, timeout=10_000)  # once the panels' workers let go of it
    assert freed_in == ["release"] and release.WAIT_S > 1
    assert window.current_id == "overview" and "Story Overview" in window.view.toPlainText()
    window.close()


def test_f6_reaches_a_panel_tabbed_behind_another(qtbot, window):
    window.activateWindow()
    window.links.tree.setFocus()
    qtbot.waitUntil(window.links.tree.hasFocus)
    window.actions_.next_pane.trigger()  # the annotations panel, behind the links panel
    assert window.annotations_dock.isAncestorOf(QApplication.focusWidget())
    window.actions_.next_pane.trigger()  # the search panel, behind the notes panel
    assert window.search_panel.field.hasFocus()
    window.actions_.next_pane.trigger()  # and back to the notes, brought to the front again
    assert window.browser.tree.hasFocus()


def test_kbviewer_kb_dir_opens_any_folder_window_first(qtbot, monkeypatch, tmp_path):
    from viewer.cli import build_parser
    from viewer.commands.common import Locations
    from viewer.ui.window.app import run
    from viewer.ui.window.main_window import MainWindow

    from conftest import write_kb

    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)  # return at once instead of looping
    folder = write_kb(tmp_path / "any-folder")
    args = build_parser().parse_args(["--kb", str(folder), "--store", str(tmp_path / "s.json"),
                                      "--note", "The Paper", "--view", "timeline"])
    assert run(args, Locations.from_args(args)) == 0
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    qtbot.addWidget(window)
    assert window.kb is None and window.progress.isVisible()  # shown first; the folder opens in a worker
    qtbot.waitUntil(lambda: window.current_id == "paper", timeout=20_000)
    assert window.kb.folder == folder.resolve()
    assert window.centre.current_view == "timeline"
    window.close()


def test_backspace_edits_a_field_and_goes_back_elsewhere(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    window.activateWindow()
    field = window.browser.filter
    field.setFocus()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "ab" and window.current_id == "alpha"
    field.clear()
    if "Backspace" in [key.toString() for key in window.actions_.back.shortcuts()]:
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_Backspace)  # a standard Back key on this platform
        assert window.current_id == "overview"
