"""The window's annotations: the store, the highlights, the panel, the dialog, undo, files.

The store (`AnnotationStore`) lives in the data folder (`--data DIR`, else the
user data folder; `open_store`). The controller is given what it works with:
the note view, the Annotations panel, the window's actions, the store, and a
few calls back into the window (`WindowHooks`). When a note is shown its annotations are placed again in
its current plain text and drawn; the panel lists them. Every change goes
through the store and comes back as `AnnotationChanges`, which says what to
redraw. Warnings from the store (a corrupt file set aside, a backup loaded)
go to the window's notice and to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from PySide6 import QtWidgets  # its dialogs' types are set up when first used
from PySide6.QtCore import QObject, QSettings, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWidget

from viewer.core.annotations import (
    Annotation,
    AnnotationChanges,
    AnnotationError,
    AnnotationStore,
    AnnotationStoreError,
    ImportResult,
    NoteTexts,
)
from viewer.ui.annotations.editing import AnnotationEditing

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase
    from viewer.ui.annotations.dialog import AnnotationDialog
    from viewer.ui.annotations.panel import AnnotationsPanel
    from viewer.ui.note.view import NoteView
    from viewer.ui.window.actions import Actions

T = TypeVar("T")
FLASH_MS = 1500  # how long an opened passage stays selected
AUTO_LOCK_TIMEOUT = 2.0  # seconds to wait for the file's lock when placing annotations by itself


def open_store(data_dir: Path | str | None) -> tuple[AnnotationStore | None, str]:
    """The annotation store of `data_dir` (None: the user data folder), or None and why not."""
    try:
        return AnnotationStore.open(data_dir), ""
    except AnnotationStoreError as err:
        return None, f"Annotations are not available: {err}"


class WindowHooks(NamedTuple):
    """What the controller asks of the window around it."""

    open_note: Callable[[str], object]  # show a note (and record it in the history)
    show_note_view: Callable[[], None]  # bring the note to the centre
    note_view_shown: Callable[[], bool]  # whether the note (not the timeline or graph) is in the centre
    show_panel: Callable[[], None]  # bring the Annotations panel to the front
    notice: Callable[[str], None]  # a warning kept above the note
    say: Callable[[str, int], None]  # a message in the status bar for some milliseconds
    # run a call once the note opened last is in the view (now if it is): its result, or True when it waits
    after_page: Callable[[Callable[[], bool]], bool] = lambda call: call()


class AnnotationController(AnnotationEditing, QObject):
    """Connects the annotation store to the note view, the panel and the menus.

    Args:
        view: the note view (its highlights, selection and right-click menu).
        panel: the Annotations panel.
        actions: the window's actions (Highlight, Undo, Redo, export and import).
        store: the open store, or None when it could not be opened (`unavailable` says why).
        hooks: calls back into the window.
        settings: where the folder last exported to is kept.
        parent: the window, parent of the dialogs.

    Signals:
        changed(): annotations were added, edited, deleted, imported or placed again.
    """

    changed = Signal()

    def __init__(self, view: NoteView, actions: Actions, store: AnnotationStore | None,
                 hooks: WindowHooks, settings: QSettings, parent: QWidget, unavailable: str = "") -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.view = view
        self.panel: AnnotationsPanel | None = None  # attached when the window makes it
        self._unavailable = unavailable
        self.actions = actions
        self.hooks = hooks
        self.settings = settings
        self.kb: KnowledgeBase | None = None
        self.texts: NoteTexts | None = None
        self.note_id: str | None = None
        self.dialog: AnnotationDialog | None = None
        self.flash = QTimer(self)
        self.flash.setSingleShot(True)
        self.flash.setInterval(FLASH_MS)
        self.store = store
        if unavailable:
            self._notify([unavailable])
        self._report_warnings()
        self._connect()
        self._update_actions()

    def _connect(self) -> None:
        a = self.actions
        a.highlight.triggered.connect(self.highlight_selection)
        a.undo_annotation.triggered.connect(self.undo)
        a.redo_annotation.triggered.connect(self.redo)
        a.export_annotations_markdown.triggered.connect(lambda: self.export("markdown"))
        a.export_annotations_w3c.triggered.connect(lambda: self.export("w3c"))
        a.export_annotations.triggered.connect(lambda: self.export("ask"))
        a.import_annotations.triggered.connect(lambda: self.import_file())
        self.view.highlight_clicked.connect(self._on_highlight_clicked)
        self.view.edit_requested.connect(self.edit)
        self.view.delete_requested.connect(self.delete_one)
        self.flash.timeout.connect(self._end_flash)

    def attach_panel(self, panel: AnnotationsPanel) -> None:
        """The Annotations panel, made when first shown: it lists the store's annotations from now on."""
        self.panel = panel
        panel.set_store(self.store, self.title, self._unavailable)
        panel.annotation_activated.connect(self.open_annotation)
        panel.edit_requested.connect(self.edit)
        panel.delete_requested.connect(self.delete)
        panel.refresh()
        if self.note_id is not None:
            panel.show_note(self.note_id)

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
        if self.panel is not None:
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
        if self.panel is not None:
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
            self.hooks.open_note(annotation.note)
        self.hooks.show_note_view()
        return self.hooks.after_page(lambda: self._select(annotation_id, annotation.note))

    def _select(self, annotation_id: str, note_id: str) -> bool:
        """Select an annotation's passage in its note, shown, for a moment."""
        if self.note_id != note_id:
            return False  # the reader went on to another note meanwhile
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
        self.hooks.show_panel()  # makes the panel if it was not yet
        if self.panel is not None:
            self.panel.select(annotation_id)

    # -- files --------------------------------------------------------------------------

    def export(self, kind: str, path: Path | None = None, options: dict | None = None) -> Path | None:
        """Save every annotation: Markdown with citations ("markdown"), W3C JSON-LD ("w3c"),
        or ("ask") as the export dialog's format, style and grouping say."""
        store = self.store
        if store is None or (kind != "w3c" and self.kb is None):
            return None
        from viewer.ui.annotations import essay_export, files  # loaded when first used

        if kind == "ask" and options is None:
            options = essay_export.ask_options(self.parent_widget, self.settings)
            if options is None:
                return None
        if kind == "markdown":
            options = {"annotations_format": "markdown", "annotations_by": "note",
                       "citation_style": str(self.settings.value("citation_style", "apa"))}
        path = path or (files.export_path(self.parent_widget, self.settings, kind) if kind != "ask" else None)
        if path is None and kind != "ask":
            return None
        if not store.read_only and self.texts is not None:
            self._after(self._guard(lambda: store.reanchor_all(self.texts)))
        annotations = store.all()
        if kind == "w3c":
            if not files.write(self.parent_widget, self.settings, annotations, kind, path, self.title):
                return None
        else:
            path = essay_export.export_annotations(self.parent_widget, self.settings, self.kb, annotations,
                                                   options, path)
            if path is None:
                return None
        self._say(f"{files.count(len(annotations), 'annotation')} exported to {path}")
        return path

    def import_file(self, path: Path | None = None) -> ImportResult | None:
        """Merge annotations from a W3C Web Annotation file; a bad file changes nothing."""
        from viewer.ui.annotations import files  # loaded when first used

        store = self._writable()
        path = path or (files.import_path(self.parent_widget, self.settings) if store is not None else None)
        incoming = files.read(self.parent_widget, path) if store is not None and path is not None else None
        if incoming is None:
            return None
        result = self._guard(lambda: store.merge(incoming, self.texts))
        if result is None:
            return None
        self._after(result.changes)
        summary = files.summary(result)
        self._say(f"Imported {path.name}: {summary}", 10_000)
        QtWidgets.QMessageBox.information(self.parent_widget, "Annotations imported",
                                          f"{files.count(len(incoming), 'annotation')} read from {path.name}: {summary}.")
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
                QtWidgets.QMessageBox.warning(self.parent_widget, "Annotations", str(err))
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
        if self.panel is not None:
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
            self.hooks.notice(warning)

    def _say(self, message: str, msecs: int = 6000) -> None:
        self.hooks.say(message, msecs)

    @staticmethod
    def _keys(action) -> str:
        keys = action.shortcuts()
        return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
