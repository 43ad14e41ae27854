"""Annotations in the window, driven as a reader would: select, Ctrl+Shift+H, the dialog,
the highlight, the panel, edit, delete and undo, search, export and import, a corrupt file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox, QToolTip

from viewer.core import KnowledgeBase
from viewer.core.annotations import COLOURS, AnnotationStore, note_text
from viewer.ui.annotations.panel import ALL_TAB, NOTE_TAB

from conftest import NOTES, rendered, shown_window, write_kb
from test_window import click_index

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LONG_NOTE = ("---\ntitle: Long Read\ntype: topic\n---\n# Long Read\n\n"
             + "\n\n".join(f"Paragraph {i} says something ordinary about the story." for i in range(80))
             + "\n\nThe hidden passage near the end is the one to find.\n")


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = write_kb(tmp_path / "kb", {**NOTES, "long.md": LONG_NOTE})
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def make_window(qtbot, kb, data):

    win = shown_window(qtbot, kb, data_dir=data)
    return win


@pytest.fixture
def window(qtbot, kb, data):
    win = make_window(qtbot, kb, data)
    yield win
    win.close()


def select_text(view, text: str) -> None:
    """Select the last occurrence of `text` in the view (the body, not the title above it)."""
    start = view.toPlainText().rindex(text)
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(start + len(text), QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def highlight(qtbot, window, text: str, comment: str = "", tags: str = "", colour: str | None = None):
    """Select `text`, press Ctrl+Shift+H, fill the dialog by typing, save."""
    select_text(window.view, text)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    assert dialog is not None and dialog.isVisible()
    if colour:
        qtbot.mouseClick(dialog.swatch(colour), Qt.MouseButton.LeftButton)
    if comment:
        qtbot.keyClicks(dialog.comment, comment)
    if tags:
        qtbot.keyClicks(dialog.tags, tags)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.annotations.dialog is None
    return dialog


def highlighted(window) -> list[tuple[str, str]]:
    """(text, colour name) of each highlight drawn in the note view."""
    by_rgb = {QColor(value).rgb(): name for name, value in COLOURS.items()}
    found = []
    for selection in window.view.extraSelections():
        colour = QColor(selection.format.background().color())
        colour.setAlpha(255)
        found.append((selection.cursor.selectedText(), by_rgb.get(colour.rgb(), colour.name())))
    return found


def point_of(view, text: str) -> QPoint:
    start = view.toPlainText().rindex(text) + len(text) // 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    rect = view.cursorRect(cursor)
    return QPoint(rect.x() + 1, rect.center().y())


def add(kb, data, note: str, quote: str, **fields) -> str:
    store = AnnotationStore.open(data)
    return store.add_quote(note, note_text(kb, note), quote, **fields).added[0]


def test_select_ctrl_shift_h_and_the_dialog_make_a_highlight_listed_in_the_panel(qtbot, window):
    window.open_note("alpha")
    rendered(qtbot, window)
    dialog = highlight(qtbot, window, "took part in the event", comment="Key sentence",
                       tags="police, 2020", colour="green")
    assert dialog.windowTitle() == "Highlight Passage"
    [annotation] = window.annotations.store.all()
    assert (annotation.note, annotation.exact, annotation.comment, annotation.tags, annotation.colour) == (
        "alpha", "took part in the event", "Key sentence", ("police", "2020"), "green")
    assert highlighted(window) == [("took part in the event", "green")]
    assert window.annotations_panel.ids(NOTE_TAB) == [annotation.id]
    assert window.annotations_panel.ids(ALL_TAB) == [annotation.id]
    row = window.annotations_panel.index_of(annotation.id).data(Qt.ItemDataRole.UserRole + 10)
    assert "took part in the event" in row and "Key sentence" in row and "#police" in row
    assert "highlighted" in window.statusBar().currentMessage()
    assert not window.view.textCursor().hasSelection()


def test_the_dialog_is_keyboard_reachable_and_completes_tags(qtbot, window, kb, data):
    add(kb, data, "alpha", "Founded long ago", tags=["police", "privacy"])
    window.annotations.refresh()
    window.open_note("paper")
    rendered(qtbot, window)
    select_text(window.view, "About Alpha Agency")
    window.actions_.highlight.trigger()
    dialog = window.annotations.dialog
    assert dialog.colour() == "yellow"
    qtbot.waitUntil(dialog.comment.hasFocus)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Backtab)  # back from the comment to the checked swatch
    assert dialog.swatch("yellow").hasFocus()
    qtbot.keyClick(dialog.swatch("yellow"), Qt.Key.Key_Right)
    assert dialog.colour() == "green"
    assert all(b.accessibleName() for b in dialog.colours.buttons())
    qtbot.keyClick(dialog.swatch("green"), Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Tab)
    qtbot.waitUntil(dialog.tags.hasFocus)
    qtbot.keyClicks(dialog.tags, "source, pri")
    completer = dialog.tags.completer()
    assert completer.splitPath(dialog.tags.text()) == ["pri"]
    qtbot.waitUntil(completer.popup().isVisible)
    assert completer.completionModel().index(0, 0).data() == "privacy"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert dialog.tags.text() == "source, privacy"
    qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter saves
    new = [a for a in window.annotations.store.all() if a.note == "paper"]
    assert [(a.exact, a.tags, a.colour) for a in new] == [("About Alpha Agency", ("source", "privacy"), "green")]


def test_a_selection_outside_the_notes_text_is_refused(qtbot, window):
    window.open_note("paper")
    rendered(qtbot, window)
    cursor = QTextCursor(window.view.document())
    cursor.setPosition(0)
    cursor.setPosition(6, QTextCursor.MoveMode.KeepAnchor)  # the note's type, in the header
    window.view.setTextCursor(cursor)
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    assert window.annotations.dialog is None
    assert "header" in window.statusBar().currentMessage()
    window.view.setTextCursor(QTextCursor(window.view.document()))
    window.actions_.highlight.trigger()
    assert window.annotations.dialog is None and "Select a passage" in window.statusBar().currentMessage()


def test_hovering_a_highlight_shows_its_comment_and_clicking_selects_it_in_the_panel(qtbot, window, kb, data):
    ann_id = add(kb, data, "alpha", "Founded long ago", comment="Since <1900> & before", tags=["history"])
    window.annotations.refresh()
    window.links_dock.raise_()
    window.open_note("alpha")
    rendered(qtbot, window)
    assert highlighted(window) == [("Founded long ago", "yellow")]
    pos = point_of(window.view, "Founded long ago")
    viewport = window.view.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Since &lt;1900&gt; &amp; before" in QToolTip.text() and "#history" in QToolTip.text()
    QToolTip.hideText()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=pos)
    assert window.annotations_dock.isVisible() and not window.annotations_dock.visibleRegion().isEmpty()
    panel = window.annotations_panel
    assert panel.tabs.currentIndex() == NOTE_TAB and panel.selected_ids(panel.note_tree) == [ann_id]


def test_the_context_menu_keeps_copy_and_select_all_and_offers_highlight(qtbot, window, kb, data):
    add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    window.open_note("alpha")
    rendered(qtbot, window)
    pos = point_of(window.view, "Founded long ago")
    before = set(QApplication.topLevelWidgets())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, window.view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(window.view.viewport(), event)
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w not in before)
    texts = [a.text().replace("&", "").split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert "Copy" in texts and "Select All" in texts and "Highlight…" in texts
    assert "Edit Annotation…" in texts and "Delete Annotation" in texts
    menu.close()


def test_opening_an_annotation_from_the_all_tab_shows_the_passage(qtbot, window, kb, data):
    ann_id = add(kb, data, "long", "The hidden passage near the end", comment="far down")
    add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    window.resize(900, 500)
    window.open_note("overview")
    rendered(qtbot, window)
    window.show_panel("annotations")
    panel = window.annotations_panel
    panel.tabs.setCurrentIndex(ALL_TAB)
    assert [panel.all_model.item(row).text() for row in (0, 1)] == ["Alpha Agency (1)", "Long Read (1)"]
    click_index(qtbot, panel.all_tree, panel.index_of(ann_id, ALL_TAB))
    rendered(qtbot, window)
    assert window.current_id == "long" and window.centre.current_view == "note"
    cursor = window.view.textCursor()
    assert cursor.selectedText() == "The hidden passage near the end"
    assert window.view.verticalScrollBar().value() > 0
    assert window.view.viewport().rect().contains(window.view.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: not window.view.textCursor().hasSelection(), timeout=3000)  # selected briefly


def test_edit_the_comment_from_the_panel(qtbot, window, kb, data):
    ann_id = add(kb, data, "alpha", "Founded long ago", comment="old words", colour="blue")
    window.annotations.refresh()
    window.open_note("alpha")
    rendered(qtbot, window)
    panel = window.annotations_panel
    window.show_panel("annotations")
    panel.note_tree.setCurrentIndex(panel.index_of(ann_id))
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = window.annotations.dialog
    assert dialog.windowTitle() == "Edit Annotation"
    assert dialog.comment.toPlainText() == "old words" and dialog.colour() == "blue"
    dialog.comment.selectAll()
    qtbot.keyClicks(dialog.comment, "new words")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert window.annotations.store.get(ann_id).comment == "new words"
    assert "new words" in panel.index_of(ann_id).data(Qt.ItemDataRole.UserRole + 10)
    assert window.view.highlights.span(ann_id).tip.count("new words") == 1
    assert window.actions_.undo_annotation.text().replace("&", "") == "Undo Edit Annotation"


def test_delete_with_the_delete_key_then_undo_and_redo_with_the_keyboard(qtbot, window, kb, data):
    ann_id = add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    window.open_note("alpha")
    rendered(qtbot, window)
    panel = window.annotations_panel
    window.show_panel("annotations")
    window.activateWindow()
    panel.note_tree.setFocus()
    panel.note_tree.setCurrentIndex(panel.index_of(ann_id))
    qtbot.keyClick(panel.note_tree, Qt.Key.Key_Delete)
    assert window.annotations.store.all() == [] and highlighted(window) == []
    assert window.statusBar().currentMessage() == "Annotation deleted — Undo (Ctrl+Z)"
    assert window.actions_.undo_annotation.text().replace("&", "") == "Undo Delete Annotation"
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.id for a in window.annotations.store.all()] == [ann_id]
    assert highlighted(window) == [("Founded long ago", "yellow")] and panel.ids(NOTE_TAB) == [ann_id]
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert window.annotations.store.all() == []
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(window.annotations.store.all()) == 1
    # in a text field Ctrl+Z is the field's own undo
    panel.tabs.setCurrentIndex(ALL_TAB)
    panel.filter.setFocus()
    qtbot.keyClicks(panel.filter, "xyz")
    qtbot.keyClick(panel.filter, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.filter.text() == "" and len(window.annotations.store.all()) == 1


def test_delete_from_the_highlights_menu_entry(qtbot, window, kb, data):
    ann_id = add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    window.open_note("alpha")
    rendered(qtbot, window)
    window.view.delete_requested.emit(ann_id)  # what the highlight's right-click menu entry sends
    assert window.annotations.store.all() == [] and highlighted(window) == []
    window.actions_.undo_annotation.trigger()  # Edit › Undo Delete Annotation
    assert highlighted(window) == [("Founded long ago", "yellow")]


def test_the_all_tab_filters_by_words_tag_and_orphans(qtbot, window, kb, data):
    a = add(kb, data, "alpha", "Founded long ago", comment="Première fondation", tags=["history"])
    b = add(kb, data, "paper", "About Alpha Agency", comment="the source", tags=["source"])
    window.annotations.refresh()
    panel = window.annotations_panel
    panel.tabs.setCurrentIndex(ALL_TAB)
    assert sorted(panel.ids(ALL_TAB)) == sorted([a, b])
    qtbot.keyClicks(panel.filter, "premiere")
    assert panel.ids(ALL_TAB) == [a]
    panel.filter.clear()
    panel.tag_box.setCurrentIndex(panel.tag_box.findData("source"))
    assert panel.ids(ALL_TAB) == [b]
    assert panel.count.text() == "1 of 2 annotations"


def test_an_orphaned_annotation_is_listed_under_orphaned(qtbot, kb, data):
    store = AnnotationStore.open(data)
    text = note_text(kb, "alpha") + "\nA sentence that was deleted from the note since."
    orphan = store.add_quote("alpha", text, "A sentence that was deleted from the note", comment="lost words").added[0]
    kept = store.add_quote("alpha", text, "Founded long ago").added[0]
    window = make_window(qtbot, kb, data)
    window.open_note("alpha")
    rendered(qtbot, window)
    panel = window.annotations_panel
    assert window.annotations.store.get(orphan).orphaned
    assert highlighted(window) == [("Founded long ago", "yellow")]
    section = panel.note_model.item(panel.note_model.rowCount() - 1)
    assert section.text() == "Orphaned (1)"
    assert section.child(0).data(Qt.ItemDataRole.UserRole + 20) == orphan
    assert "lost words" in section.child(0).data(Qt.ItemDataRole.UserRole + 10)
    assert panel.ids(NOTE_TAB) == [kept, orphan]
    panel.tabs.setCurrentIndex(ALL_TAB)
    panel.orphans_only.setChecked(True)
    assert panel.ids(ALL_TAB) == [orphan]
    assert window.annotations.open_annotation(orphan) is False
    assert "orphaned" in window.statusBar().currentMessage()
    window.close()


def test_in_annotations_search_shows_annotation_hits_that_open_the_passage(qtbot, window, kb, data):
    ann_id = add(kb, data, "long", "The hidden passage near the end", comment="Treasure map", tags=["clue"])
    window.annotations.refresh()
    search = window.search_panel
    window.actions_.search.trigger()
    with qtbot.waitSignal(search.results_shown, timeout=10_000):
        qtbot.keyClicks(search.field, "in:annotations treasure")
    assert [search.model.item(r).text() for r in range(search.model.rowCount())] == ["Annotations (1)"]
    assert search.hit_ids() == [] and search.annotation_hit_ids() == [ann_id]
    assert "<b>Treasure</b> map" in search.annotation_hit_index(ann_id).data(Qt.ItemDataRole.UserRole + 10)
    click_index(qtbot, search.results, search.annotation_hit_index(ann_id))
    rendered(qtbot, window)
    assert window.current_id == "long"
    assert window.view.textCursor().selectedText() == "The hidden passage near the end"
    search.field.clear()
    with qtbot.waitSignal(search.results_shown, timeout=10_000):
        qtbot.keyClicks(search.field, "hidden")  # notes and annotations together
    sections = [search.model.item(r).text() for r in range(search.model.rowCount())]
    assert sections == ["Notes (1)", "Annotations (1)"]
    search.field.clear()
    with qtbot.waitSignal(search.results_shown, timeout=10_000):
        qtbot.keyClicks(search.field, "in:annotations tag:clue")
    assert search.annotation_hit_ids() == [ann_id]


def test_export_then_import_through_the_menus(qtbot, window, kb, data, tmp_path, monkeypatch):
    a = add(kb, data, "alpha", "Founded long ago", comment="one", tags=["x"])
    b = add(kb, data, "paper", "About Alpha Agency", comment="two", colour="purple")
    window.annotations.refresh()
    out = tmp_path / "out"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(out / "mine"), ""))
    window.actions_.export_annotations_w3c.trigger()
    exported = json.loads((out / "mine.jsonld").read_text(encoding="utf-8"))
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 2
    window.actions_.export_annotations_markdown.trigger()
    markdown = (out / "mine.md").read_text(encoding="utf-8")
    assert "## Alpha Agency" in markdown and "> Founded long ago" in markdown
    assert "Note: Alpha Agency" in markdown and "## Bibliography" in markdown

    window.annotations.delete([a, b])
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *rest: told.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: told.append("WARN " + text))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(out / "mine.jsonld"), ""))
    window.open_note("alpha")
    rendered(qtbot, window)
    window.actions_.import_annotations.trigger()
    assert told == ["2 annotations read from mine.jsonld: 2 added, 0 updated."]
    assert sorted(x.id for x in window.annotations.store.all()) == sorted([a, b])
    assert window.annotations.store.get(b).colour == "purple"
    assert highlighted(window) == [("Founded long ago", "yellow")]
    assert sorted(window.annotations_panel.ids(ALL_TAB)) == sorted([a, b])
    assert "2 added, 0 updated" in window.statusBar().currentMessage()

    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "AnnotationCollection", "first": {"items": [{"type": "Annotation"}]}}')
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(bad), ""))
    before = window.annotations.store.all()
    window.actions_.import_annotations.trigger()
    assert told[-1].startswith("WARN bad.json was not imported; nothing changed.") and "item 1" in told[-1]
    assert window.annotations.store.all() == before


def test_a_corrupt_annotations_file_is_reported_and_the_backup_shown(qtbot, kb, data, capsys):
    first = add(kb, data, "alpha", "Founded long ago", comment="kept in the backup")
    add(kb, data, "paper", "About Alpha Agency")  # the file now holds two; the backup one
    (data / "annotations.json").write_text('{"annotations": {"1": ', encoding="utf-8")
    window = make_window(qtbot, kb, data)
    notice = window.centre.notice
    assert notice.isVisible() and "could not be read" in notice.label.text() and "backup" in notice.label.text()
    assert "kbviewer: warning:" in capsys.readouterr().err
    assert window.annotations_panel.ids(ALL_TAB) == [first]
    qtbot.mouseClick(notice.dismiss, Qt.MouseButton.LeftButton)
    assert not notice.isVisible()
    window.close()


def test_the_window_uses_the_data_folder_given_on_the_command_line(qtbot, monkeypatch, tmp_path, kb, data):
    from viewer.cli import build_parser
    from viewer.commands.common import Locations
    from viewer.ui.window.app import run
    from viewer.ui.window.main_window import MainWindow

    ann_id = add(kb, data, "alpha", "Founded long ago")
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    args = build_parser().parse_args(["--kb", str(kb.folder), "--store", str(tmp_path / "s2.json"),
                                      "--data", str(data), "--note", "alpha", "--panel", "annotations"])
    assert run(args, Locations.from_args(args)) == 0
    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.current_id == "alpha", timeout=20_000)
    rendered(qtbot, window)
    assert window.annotations.store.path == data / "annotations.json"
    assert window.annotations_panel.ids(NOTE_TAB) == [ann_id]
    assert highlighted(window) == [("Founded long ago", "yellow")]
    window.close()


def test_highlights_stay_under_find_matches_and_survive_zoom(qtbot, window, kb, data):
    add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    window.open_note("alpha")
    rendered(qtbot, window)
    window.actions_.find.trigger()
    qtbot.keyClicks(window.find_bar.field, "long")
    assert len(window.view.extraSelections()) == 2  # the highlight, then the match over it
    window.find_bar.close_bar()
    assert highlighted(window) == [("Founded long ago", "yellow")]
    window.actions_.zoom_in.trigger()
    assert highlighted(window) == [("Founded long ago", "yellow")]


def test_the_panel_and_the_dialog_name_every_control_and_help_lists_the_keys(qtbot, window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTabBar, QTextEdit

    window.open_note("alpha")
    rendered(qtbot, window)
    window.show_panel("annotations")
    select_text(window.view, "took part in the event")
    window.actions_.highlight.trigger()
    dialog = window.annotations.dialog
    missing = []
    for root in (window.annotations_panel, dialog):
        for widget in (root.findChildren(QAbstractButton) + root.findChildren(QLineEdit)
                       + root.findChildren(QComboBox) + root.findChildren(QAbstractItemView)
                       + root.findChildren(QTextEdit) + root.findChildren(QTabBar)):
            if widget.isVisibleTo(root) and not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {widget.objectName()}")
    assert missing == []
    dialog.reject()
    listed = window.show_shortcuts()
    text = listed.findChild(QTextEdit).toPlainText()
    assert "Highlight" in text and "Ctrl+Shift+H" in text and "Ctrl+Z" in text
    listed.close()


def test_an_unusable_data_folder_or_a_newer_file_leaves_the_window_working(qtbot, kb, tmp_path, capsys):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    window = make_window(qtbot, kb, blocked)
    assert window.annotations.store is None
    assert window.centre.notice.isVisible() and "not available" in window.centre.notice.label.text()
    assert window.annotations_panel.message.isVisible()
    assert not window.actions_.highlight.isEnabled() and not window.actions_.import_annotations.isEnabled()
    assert window.open_note("alpha") and highlighted(window) == []
    window.close()

    newer = tmp_path / "newer"
    add(kb, newer, "alpha", "Founded long ago")
    raw = json.loads((newer / "annotations.json").read_text())
    raw["_meta"] = {"1": {"schema": 99}}
    (newer / "annotations.json").write_text(json.dumps(raw))
    window = make_window(qtbot, kb, newer)
    window.open_note("alpha")
    rendered(qtbot, window)
    assert "newer kbviewer" in window.centre.notice.label.text() and "newer kbviewer" in capsys.readouterr().err
    assert highlighted(window) == [("Founded long ago", "yellow")]  # shown, not changeable
    assert not window.actions_.highlight.isEnabled() and not window.annotations_panel.delete_button.isEnabled()
    window.close()


def test_caret_browsing_selects_a_passage_with_the_keyboard_alone(qtbot, window, data):
    window.open_note("long")
    rendered(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_F7)
    assert window.actions_.caret_browsing.isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    for _ in range(5):
        qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.textCursor().selectedText() == "find."
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = window.annotations.dialog
    qtbot.keyClicks(dialog.comment, "by keys")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    (saved,) = AnnotationStore.open(data).all()
    assert (saved.note, saved.exact, saved.comment) == ("long", "find.", "by keys")
    qtbot.keyClick(window.view, Qt.Key.Key_F7)
    assert not window.actions_.caret_browsing.isChecked()


def _with_bad_colour(data: Path) -> dict:
    """Add to the data file a copy of its first entry whose colour is a list; returns that entry."""
    path = data / "annotations.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    first = next(iter(raw["annotations"].values()))
    bad = {**first, "id": "bad-colour", "colour": ["yellow", "pink"]}
    raw["annotations"]["99"] = bad
    path.write_text(json.dumps(raw), encoding="utf-8")
    return bad


def test_an_entry_with_a_list_colour_is_kept_and_the_rest_shown(qtbot, kb, data, capsys):
    good = add(kb, data, "alpha", "Founded long ago", comment="fine")
    bad = _with_bad_colour(data)
    window = make_window(qtbot, kb, data)
    assert window.annotations.store is not None
    notice = window.centre.notice
    assert notice.isVisible() and "could not be read" in notice.label.text()
    err = capsys.readouterr().err
    assert "kbviewer: warning:" in err and "Traceback" not in err
    assert window.annotations_panel.ids(ALL_TAB) == [good]
    window.open_note("alpha")
    rendered(qtbot, window)
    assert highlighted(window) == [("Founded long ago", "yellow")]
    select_text(window.view, "took part in the event")  # a write keeps the bad entry
    window.actions_.highlight.trigger()
    qtbot.mouseClick(window.annotations.dialog.save_button, Qt.MouseButton.LeftButton)
    raw = json.loads((data / "annotations.json").read_text(encoding="utf-8"))
    assert raw["annotations"]["99"] == bad and len(raw["annotations"]) == 3
    window.close()


def test_an_import_with_a_list_style_class_is_refused_and_changes_nothing(qtbot, window, kb, data, tmp_path,
                                                                          monkeypatch):
    add(kb, data, "alpha", "Founded long ago", comment="one")
    window.annotations.refresh()
    doc = {"type": "AnnotationCollection", "first": {"items": [
        {"type": "Annotation", "target": {"source": "paper", "styleClass": ["pink"],
                                          "selector": {"type": "TextQuoteSelector", "exact": "About Alpha"}}}]}}
    bad = tmp_path / "bad-colour.jsonld"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: told.append(text))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *rest: told.append(text))
    before, raw = window.annotations.store.all(), (data / "annotations.json").read_bytes()
    assert window.annotations.import_file(bad) is None
    assert len(told) == 1 and told[0].startswith("bad-colour.jsonld was not imported; nothing changed.")
    assert "styleClass" in told[0]
    assert window.annotations.store.all() == before and (data / "annotations.json").read_bytes() == raw
    assert not window.annotations.store.can_undo


def test_a_failed_save_shows_the_dialog_again_with_what_was_typed(qtbot, window, monkeypatch):
    from viewer.core.annotations import AnnotationStoreError

    store = window.annotations.store
    real_add = store.add
    calls: list[str] = []

    def failing_once(*args, **kw):
        calls.append(kw.get("comment", ""))
        if len(calls) == 1:
            raise AnnotationStoreError("annotations are busy: held by another process")
        return real_add(*args, **kw)

    monkeypatch.setattr(store, "add", failing_once)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *rest: told.append(text))
    window.open_note("alpha")
    rendered(qtbot, window)
    select_text(window.view, "took part in the event")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_SHIFT)
    first = window.annotations.dialog
    qtbot.mouseClick(first.swatch("pink"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(first.comment, "Words I typed")
    qtbot.keyClicks(first.tags, "police, 2020")
    qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    assert told == ["annotations are busy: held by another process"] and len(store) == 0
    again = window.annotations.dialog
    assert again is not None and again is not first and again.isVisible()
    assert again.windowTitle() == "Highlight Passage"
    assert (again.comment_text(), again.tag_list(), again.colour()) == (
        "Words I typed", ["police", "2020"], "pink")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert window.annotations.dialog is None and calls == ["Words I typed", "Words I typed"]
    [annotation] = store.all()
    assert (annotation.exact, annotation.comment, annotation.tags, annotation.colour) == (
        "took part in the event", "Words I typed", ("police", "2020"), "pink")
    assert highlighted(window) == [("took part in the event", "pink")]


def test_a_failed_edit_shows_the_dialog_again_with_what_was_typed(qtbot, window, kb, data, monkeypatch):
    from viewer.core.annotations import AnnotationStoreError

    ann_id = add(kb, data, "alpha", "Founded long ago", comment="old words", colour="blue")
    window.annotations.refresh()
    store = window.annotations.store
    real_update = store.update
    failures = [AnnotationStoreError("could not save annotations: No space left on device")]

    def failing_once(*args, **kw):
        if failures:
            raise failures.pop()
        return real_update(*args, **kw)

    monkeypatch.setattr(store, "update", failing_once)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: None)
    window.annotations.edit(ann_id)
    first = window.annotations.dialog
    first.comment.selectAll()
    qtbot.keyClicks(first.comment, "new words")
    qtbot.keyClicks(first.tags, "later")
    qtbot.mouseClick(first.save_button, Qt.MouseButton.LeftButton)
    assert store.get(ann_id).comment == "old words"
    again = window.annotations.dialog
    assert again is not None and again is not first and again.windowTitle() == "Edit Annotation"
    assert (again.comment_text(), again.tag_list(), again.colour()) == ("new words", ["later"], "blue")
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert window.annotations.dialog is None
    assert (store.get(ann_id).comment, store.get(ann_id).tags) == ("new words", ("later",))


def test_opening_a_note_waits_only_briefly_for_a_busy_annotations_file(qtbot, window, kb, data, lock_clock):
    from viewer.core.filelock import FileLock
    from viewer.ui.annotations.controller import AUTO_LOCK_TIMEOUT

    add(kb, data, "alpha", "Founded long ago")
    window.annotations.refresh()
    add(kb, data, "alpha", "took part in the event")  # the file changed: the window reads it again
    with FileLock(data / "annotations.json.lock"):
        lock_clock.waits.clear()
        window.open_note("alpha")
        rendered(qtbot, window)
        # it tried, and gave up each time after AUTO_LOCK_TIMEOUT (2 s), not the lock's 15 s
        assert lock_clock.waits and AUTO_LOCK_TIMEOUT == 2.0
        assert all(AUTO_LOCK_TIMEOUT <= wait < AUTO_LOCK_TIMEOUT + 0.05 for wait in lock_clock.waits)
    assert "busy" in window.statusBar().currentMessage()
    window.annotations.refresh()
    assert len(window.annotations.store) == 2


def test_the_panel_is_made_when_its_tab_is_clicked_and_lists_what_was_there(qtbot, kb, data):
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QTabBar

    first = add(kb, data, "alpha", "Founded long ago", comment="old")
    window = make_window(qtbot, kb, data)
    window.open_note("alpha")
    rendered(qtbot, window)
    assert not window.docks.made("annotations")  # behind Links: not part of the first paint
    assert highlighted(window) == [("Founded long ago", "yellow")]  # highlights do not wait for it
    bars = [bar for bar in window.findChildren(QTabBar)
            if [bar.tabText(i) for i in range(bar.count())] == ["Links", "Annotations"]]
    bar = max(bars, key=lambda bar: bar.geometry().bottom())  # the one under the docks (Qt may keep another)
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    qtbot.waitUntil(lambda: window.docks.made("annotations") and window.annotations_panel.isVisible())
    assert window.annotations_panel.ids(NOTE_TAB) == [first]
    highlight(qtbot, window, "Alpha Agency took part")  # a new highlight is listed as well
    ids = window.annotations_panel.ids(NOTE_TAB)
    assert len(ids) == 2 and first in ids
    window.close()
