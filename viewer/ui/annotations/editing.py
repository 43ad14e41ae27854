"""Making and changing annotations in the window: highlight a passage, edit, delete, undo, redo.

`AnnotationEditing` is a part of `AnnotationController` (a mixin): it works
on the controller's store, note view, panel and actions. One dialog is open
at a time; a change the store refuses opens the dialog again with what was
typed, so nothing the reader wrote is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Slot

from viewer.core.annotations import AnnotationStore

if TYPE_CHECKING:
    from viewer.ui.annotations.dialog import AnnotationDialog


def _dialog_module():
    from viewer.ui.annotations import dialog  # loaded with the first dialog, not at start-up

    return dialog


class AnnotationEditing:
    """The commands that change annotations (see `AnnotationController` for what they use)."""

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
        if note_id is None or kb is None or texts is None or not self.hooks.note_view_shown():
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
        self._ask_new(note_id, plain, start, end, _dialog_module().selection_rect(self.view))

    def _ask_new(self, note_id: str, plain: str, start: int, end: int, selected: QRect, *,
                 comment: str = "", tags: tuple[str, ...] | list[str] = (), colour: str | None = None) -> None:
        """The dialog for a new annotation of plain[start:end], placed clear of `selected`."""
        store = self.store
        known = [tag for tag, _ in store.tags()] if store is not None else []
        extra = {"colour": colour} if colour else {}
        dialog = self._open_dialog(_dialog_module().AnnotationDialog(plain[start:end], known, self.parent_widget,
                                                    comment=comment, tags=tags, **extra))
        screen = self.view.screen()
        if screen is not None:
            dialog.place_clear_of(selected, screen.availableGeometry())
        dialog.accepted.connect(lambda: self._add(note_id, plain, start, end, dialog, selected))

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
            if self.panel is not None:
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
        dialog = self._open_dialog(_dialog_module().AnnotationDialog(
            quote, known, self.parent_widget, comment=comment, tags=tags, colour=colour, editing=True))
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
