"""The window's annotations: the store, the highlights, the panel, the dialog, undo, files.

The store (`AnnotationStore`) lives in the data folder (`--data DIR`, else the
user data folder). When a note is shown its annotations are placed again in
its current plain text and drawn; the panel lists them. Every change goes
through the store and comes back as `AnnotationChanges`, which says what to
redraw. Warnings from the store (a corrupt file set aside, a backup loaded)
go to the window's notice and to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QRect, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

from viewer.core.annotations import (
    Annotation, AnnotationChanges, AnnotationError, AnnotationFormatError, AnnotationStore,
    AnnotationStoreError, ImportResult, NoteTexts, read_w3c, to_markdown, to_w3c_bytes,
)
from viewer.core.atomic import atomic_write
from viewer.ui.annotations.dialog import AnnotationDialog

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase
    from viewer.ui.window.main_window import MainWindow

T = TypeVar("T")
FLASH_MS = 1500  # how long an opened passage stays selected
AUTO_LOCK_TIMEOUT = 2.0  # seconds to wait for the file's lock when placing annotations by itself
FORMATS = {"markdown": ("Markdown", "md", "Markdown (*.md)"),
           "w3c": ("W3C JSON-LD", "jsonld", "W3C Web Annotation JSON-LD (*.jsonld *.json)")}


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class AnnotationController(QObject):
    """Connects the annotation store to the note view, the panel and the menus.

    Args:
        window: the main window (its view, panel, actions and status bar).
        data_dir: the folder of the annotations file (None: the user data folder).

    Signals:
        changed(): annotations were added, edited, deleted, imported or placed again.
    """

    changed = Signal()

    def __init__(self, window: MainWindow, data_dir: Path | str | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.view = window.view
        self.panel = window.annotations_panel
        self.actions = window.actions_
        self.kb: KnowledgeBase | None = None
        self.texts: NoteTexts | None = None
        self.note_id: str | None = None
        self.dialog: AnnotationDialog | None = None
        self.flash = QTimer(self)
        self.flash.setSingleShot(True)
        self.flash.setInterval(FLASH_MS)
        self.store: AnnotationStore | None = None
        message = ""
        try:
            self.store = AnnotationStore.open(data_dir)
        except AnnotationStoreError as err:
            message = f"Annotations are not available: {err}"
            self._notify([message])
        self._report_warnings()
        self.panel.set_store(self.store, self.title, message)
        self._connect()
        self._update_actions()

    def _connect(self) -> None:
        a = self.actions
        a.highlight.triggered.connect(self.highlight_selection)
        a.undo_annotation.triggered.connect(self.undo)
        a.redo_annotation.triggered.connect(self.redo)
        a.export_annotations_markdown.triggered.connect(lambda: self.export("markdown"))
        a.export_annotations_w3c.triggered.connect(lambda: self.export("w3c"))
        a.import_annotations.triggered.connect(lambda: self.import_file())
        self.view.highlight_clicked.connect(self._on_highlight_clicked)
        self.view.edit_requested.connect(self.edit)
        self.view.delete_requested.connect(self.delete_one)
        self.panel.annotation_activated.connect(self.open_annotation)
        self.panel.edit_requested.connect(self.edit)
        self.panel.delete_requested.connect(self.delete)
        self.flash.timeout.connect(self._end_flash)

    # -- the knowledge base and the note shown -------------------------------------------

    def set_kb(self, kb: KnowledgeBase, texts: dict[str, str | None] | None = None) -> None:
        """A knowledge base was opened: place every annotation in its notes' current text.

        `texts` holds plain texts already made (in the loading worker).
        """
        self.kb = kb
        self.texts = NoteTexts(kb)
        self.note_id = None
        ready = texts or {}
        store, notes = self.store, self.texts
        if store is not None and len(store) and not store.read_only:
            changes = self._guard(lambda: store.reanchor_all(lambda n: ready[n] if n in ready else notes(n),
                                                             timeout=AUTO_LOCK_TIMEOUT), quiet=True)
            self._after(changes, redraw=False)
        self.panel.refresh()

    def note_shown(self, note_id: str) -> None:
        """A note is in the view: place its annotations again, draw them, list them."""
        self.note_id = note_id
        changes = AnnotationChanges()
        store = self.store
        if store is not None:
            changes = self._guard(lambda: store.refresh(timeout=AUTO_LOCK_TIMEOUT), quiet=True) or changes
            if store.for_note(note_id) and not store.read_only and self.texts is not None:
                plain = self.texts(note_id)
                changes = self._guard(lambda: store.reanchor(note_id, plain, timeout=AUTO_LOCK_TIMEOUT),
                                      quiet=True) or changes
        self.redraw()
        self.panel.show_note(note_id)
        if changes:
            self._after(changes, redraw=False)

    def redraw(self) -> None:
        """Draw the shown note's highlights again."""
        found = self.store.for_note(self.note_id) if self.store is not None and self.note_id else []
        if not found or self.kb is None or self.texts is None:
            self.view.highlights.clear()
            return
        self.view.highlights.draw(self.kb, self.note_id, self.texts(self.note_id), found)

    def refresh(self) -> None:
        """Take in changes another process (the command line) made to the file."""
        if self.store is not None:
            store = self.store
            self._after(self._guard(lambda: store.refresh(timeout=AUTO_LOCK_TIMEOUT), quiet=True))

    def title(self, note_id: str) -> str | None:
        note = self.kb.get(note_id) if self.kb is not None else None
        return note.title if note else None

    def search(self, query: str) -> list[Annotation]:
        """Annotations matching `query` (words of comment, tags or quote; tag:NAME)."""
        return self.store.search(query) if self.store is not None else []

    # -- making and changing annotations ------------------------------------------------

    def _writable(self) -> AnnotationStore | None:
        if self.store is None:
            self._say("Annotations are not available (see the notice above the note)")
            return None
        if self.store.read_only:
            self._say("The annotations file was written by a newer kbviewer: it cannot be changed")
            return None
        return self.store

    @Slot()
    def highlight_selection(self) -> None:
        """Ctrl+Shift+H: the dialog for the selected passage, then the new annotation."""
        store = self._writable()
        if store is None:
            return
        note_id, kb, texts = self.note_id, self.kb, self.texts
        if note_id is None or kb is None or texts is None or self.window.centre.current_view != "note":
            self._say("Open a note and select a passage to highlight")
            return
        if not self.view.textCursor().hasSelection():
            self._say("Select a passage in the note first, then choose Highlight (Ctrl+Shift+H)")
            return
        plain = texts(note_id)
        found = self.view.highlights.selection(kb, note_id, plain) if plain is not None else None
        if found is None:
            self._say("Only the note's own text can be highlighted, not its header or its sources")
            return
        start, end = found
        self._ask_new(note_id, plain, start, end, self._selection_rect())

    def _ask_new(self, note_id: str, plain: str, start: int, end: int, selected: QRect, *,
                 comment: str = "", tags: tuple[str, ...] | list[str] = (), colour: str | None = None) -> None:
        """The dialog for a new annotation of plain[start:end], placed clear of `selected`."""
        store = self.store
        known = [tag for tag, _ in store.tags()] if store is not None else []
        extra = {"colour": colour} if colour else {}
        dialog = self._open_dialog(AnnotationDialog(plain[start:end], known, self.window,
                                                    comment=comment, tags=tags, **extra))
        screen = self.view.screen()
        if screen is not None:
            dialog.place_clear_of(selected, screen.availableGeometry())
        dialog.accepted.connect(lambda: self._add(note_id, plain, start, end, dialog, selected))

    def _selection_rect(self) -> QRect:
        """The note view's selection on screen (global coordinates), for the dialog to keep clear.

        From the start of the selection to its end; a selection over several
        lines takes the view's whole width.
        """
        selection = self.view.textCursor()
        viewport = self.view.viewport()
        ends = []
        for position in (selection.selectionStart(), selection.selectionEnd()):
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(position)
            ends.append(self.view.cursorRect(cursor))
        rect = ends[0].united(ends[1])
        if ends[0].top() != ends[1].top():
            rect.setLeft(0)
            rect.setRight(viewport.width() - 1)
        return QRect(viewport.mapToGlobal(rect.topLeft()), rect.size())

    def _add(self, note_id: str, plain: str, start: int, end: int, dialog: AnnotationDialog,
             selected: QRect) -> None:
        store = self.store
        if store is None:
            return
        comment, tags, colour = dialog.comment_text(), dialog.tag_list(), dialog.colour()
        changes = self._guard(lambda: store.add(note_id, plain, start, end, comment=comment,
                                                tags=tags, colour=colour))
        if changes is None:  # not saved: the dialog again, with what was typed, to retry or copy it
            self._ask_new(note_id, plain, start, end, selected, comment=comment, tags=tags, colour=colour)
            return
        if changes:
            self._after(changes)
            self.panel.select(changes.added[0])
            cursor = self.view.textCursor()
            cursor.clearSelection()
            self.view.setTextCursor(cursor)
            self._say("Passage highlighted")

    @Slot(str)
    def edit(self, annotation_id: str) -> None:
        store = self._writable()
        annotation = store.get(annotation_id) if store is not None else None
        if store is None or annotation is None:
            return
        self._ask_edit(annotation_id, annotation.exact, annotation.comment, annotation.tags, annotation.colour)

    def _ask_edit(self, annotation_id: str, quote: str, comment: str, tags: tuple[str, ...] | list[str],
                  colour: str) -> None:
        store = self.store
        known = [tag for tag, _ in store.tags()] if store is not None else []
        dialog = self._open_dialog(AnnotationDialog(quote, known, self.window, comment=comment, tags=tags,
                                                    colour=colour, editing=True))
        dialog.accepted.connect(lambda: self._save_edit(annotation_id, quote, dialog))

    def _save_edit(self, annotation_id: str, quote: str, dialog: AnnotationDialog) -> None:
        store = self.store
        if store is None:
            return
        comment, tags, colour = dialog.comment_text(), dialog.tag_list(), dialog.colour()
        changes = self._guard(lambda: store.update(annotation_id, comment=comment, tags=tags, colour=colour))
        if changes is None:  # not saved: the dialog again, with what was typed, to retry or copy it
            self._ask_edit(annotation_id, quote, comment, tags, colour)
            return
        if changes:
            self._after(changes)
            self._say("Annotation saved")

    def _open_dialog(self, dialog: AnnotationDialog) -> AnnotationDialog:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: AnnotationDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    @Slot(str)
    def delete_one(self, annotation_id: str) -> None:
        self.delete([annotation_id])

    @Slot(list)
    def delete(self, annotation_ids: list[str]) -> None:
        store = self._writable()
        ids = list(annotation_ids)
        if store is None or not ids:
            return
        changes = self._guard(lambda: store.delete(ids))
        if changes:
            self._after(changes)
            what = "Annotation deleted" if len(ids) == 1 else f"{len(ids)} annotations deleted"
            self._say(f"{what} — Undo ({self._keys(self.actions.undo_annotation)})", 10_000)

    @Slot()
    def undo(self) -> None:
        store = self._writable()
        if store is None or not store.can_undo:
            return
        label = store.undo_label or "change"
        changes = self._guard(store.undo)
        if changes is not None:
            self._after(changes)
            self._say(f"Undone: {label}")

    @Slot()
    def redo(self) -> None:
        store = self._writable()
        if store is None or not store.can_redo:
            return
        label = store.redo_label or "change"
        changes = self._guard(store.redo)
        if changes is not None:
            self._after(changes)
            self._say(f"Redone: {label}")

    # -- opening an annotation ------------------------------------------------------------

    @Slot(str)
    def open_annotation(self, annotation_id: str) -> bool:
        """Show an annotation's note with its passage selected for a moment."""
        annotation = self.store.get(annotation_id) if self.store is not None else None
        if annotation is None:
            return False
        if self.kb is None or self.kb.get(annotation.note) is None:
            self._say(f"The note '{annotation.note}' of this annotation is not in the knowledge base")
            return False
        if self.note_id != annotation.note:
            self.window.open_note(annotation.note)
        self.window.show_view("note")
        if not self.view.highlights.select(annotation_id):
            self._say("This passage is no longer in the note (the annotation is orphaned)")
            return False
        self.flash.start()
        return True

    @Slot()
    def _end_flash(self) -> None:
        cursor = self.view.textCursor()
        if cursor.hasSelection():
            cursor.setPosition(cursor.selectionStart())
            self.view.setTextCursor(cursor)

    @Slot(str)
    def _on_highlight_clicked(self, annotation_id: str) -> None:
        self.window.show_panel("annotations")
        self.panel.select(annotation_id)

    # -- files --------------------------------------------------------------------------

    def export(self, kind: str, path: Path | None = None) -> Path | None:
        """Save every annotation as Markdown ("markdown") or W3C JSON-LD ("w3c")."""
        store = self.store
        if store is None:
            return None
        name, suffix, filters = FORMATS[kind]
        if path is None:
            start = Path(str(self.window.settings.value("export_folder", str(Path.home()))))
            chosen, _ = QFileDialog.getSaveFileName(self.window, f"Export Annotations as {name}",
                                                    str(start / f"annotations.{suffix}"), filters)
            if not chosen:
                return None
            path = Path(chosen) if Path(chosen).suffix else Path(chosen).with_suffix(f".{suffix}")
        if not store.read_only and self.texts is not None:
            self._after(self._guard(lambda: store.reanchor_all(self.texts)))
        annotations = store.all()
        data = to_w3c_bytes(annotations) if kind == "w3c" else to_markdown(annotations, self.title).encode()
        try:
            atomic_write(path, data)
        except OSError as err:
            QMessageBox.warning(self.window, "Not exported", f"Could not write {path}:\n{err.strerror or err}")
            return None
        self.window.settings.setValue("export_folder", str(path.parent))
        self._say(f"{_count(len(annotations), 'annotation')} exported to {path}")
        return path

    def import_file(self, path: Path | None = None) -> ImportResult | None:
        """Merge annotations from a W3C Web Annotation file; a bad file changes nothing."""
        store = self._writable()
        if store is None:
            return None
        if path is None:
            start = str(self.window.settings.value("export_folder", str(Path.home())))
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Import Annotations", start,
                                                    "W3C Web Annotation JSON (*.jsonld *.json);;All files (*)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            incoming = read_w3c(path.read_bytes())
        except (OSError, AnnotationFormatError) as err:
            reason = (err.strerror or str(err)) if isinstance(err, OSError) else str(err)
            QMessageBox.warning(self.window, "Annotations not imported",
                                f"{path.name} was not imported; nothing changed.\n\n{reason}")
            return None
        result = self._guard(lambda: store.merge(incoming, self.texts))
        if result is None:
            return None
        self._after(result.changes)
        summary = f"{result.added} added, {result.updated} updated"
        if result.unchanged:
            summary += f", {result.unchanged} already here"
        if result.orphaned:
            summary += f"; {len(result.orphaned)} could not be placed in their notes (orphaned)"
        self._say(f"Imported {path.name}: {summary}", 10_000)
        QMessageBox.information(self.window, "Annotations imported",
                                f"{_count(len(incoming), 'annotation')} read from {path.name}: {summary}.")
        return result

    # -- inside ---------------------------------------------------------------------------

    def _guard(self, action: Callable[[], T], quiet: bool = False) -> T | None:
        """Run a store operation; a refusal or a file problem is shown, not raised.

        `quiet` (for what the window does by itself: reading the file again,
        placing annotations): in the status bar rather than a message box.
        """
        try:
            return action()
        except (AnnotationError, AnnotationStoreError) as err:
            if quiet:
                self._say(f"Annotations: {err}", 10_000)
            else:
                QMessageBox.warning(self.window, "Annotations", str(err))
            return None
        finally:
            self._report_warnings()

    def _after(self, changes: AnnotationChanges | None, redraw: bool = True) -> None:
        """Redraw what `changes` touched; the Undo and Redo entries follow."""
        self._update_actions()
        if not changes:
            return
        if redraw and self.note_id in changes.notes:
            self.redraw()
        self.panel.refresh()
        self.changed.emit()

    def _update_actions(self) -> None:
        store = self.store
        writable = store is not None and not store.read_only
        undo, redo = self.actions.undo_annotation, self.actions.redo_annotation
        undo.setEnabled(writable and store.can_undo)
        redo.setEnabled(writable and store.can_redo)
        undo.setText(f"&Undo {store.undo_label.title()}" if writable and store.undo_label else "&Undo")
        redo.setText(f"&Redo {store.redo_label.title()}" if writable and store.redo_label else "&Redo")
        self.actions.highlight.setEnabled(writable)
        self.actions.import_annotations.setEnabled(writable)
        for action in (self.actions.export_annotations_markdown, self.actions.export_annotations_w3c):
            action.setEnabled(store is not None)

    def _report_warnings(self) -> None:
        if self.store is not None:
            self._notify(self.store.take_warnings())

    def _notify(self, warnings: list[str]) -> None:
        for warning in warnings:
            print(f"kbviewer: warning: {warning}", file=sys.stderr)
            self.window.show_notice(warning)

    def _say(self, message: str, msecs: int = 6000) -> None:
        self.window.statusBar().showMessage(message, msecs)

    @staticmethod
    def _keys(action) -> str:
        keys = action.shortcuts()
        return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
