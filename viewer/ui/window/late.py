"""The parts of the window made when first used, not before its first paint.

The Search and Annotations panels (tabbed behind Notes and Links: `Docks` makes each
when its dock is first shown or the panel asked for), the find bar, the quick switcher,
and the help dialogs. A mixin of `MainWindow`, as `NoteNavigation` is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog


class LateParts:
    """Made on first use: the hidden panels, the find bar, the quick switcher, the help dialogs."""

    @property
    def search_panel(self):
        """The Search panel (made when first shown or asked for)."""
        return self.docks.search_panel

    @property
    def annotations_panel(self):
        """The Annotations panel (made when first shown or asked for)."""
        return self.docks.annotations_panel

    def _on_panel_made(self, name: str, panel) -> None:
        """A panel made late is joined to the window and shows what the window shows."""
        if name == "annotations":
            for action in (self.actions_.undo_annotation, self.actions_.redo_annotation):
                panel.addAction(action)
            self.annotations.attach_panel(panel)
            return
        panel.set_annotations(self.annotations.search, self.annotations.title)
        panel.hit_activated.connect(self._on_hit)
        panel.annotation_activated.connect(self.annotations.open_annotation)
        self.annotations.changed.connect(panel.annotations_changed)
        if self.kb is not None:
            panel.set_kb(self.kb)
            if self.shown_id is not None:
                panel.note_shown(self.shown_id)

    @property
    def find_bar(self):
        """The find bar under the note (made when first opened)."""
        return self.centre.find_bar

    @property
    def switcher(self):
        """The quick switcher (Ctrl+K), made the first time it is asked for."""
        if self._switcher is None:
            from viewer.ui.panels.switcher import Switcher

            self._switcher = Switcher(self)
            self._switcher.note_chosen.connect(self.open_note)
        return self._switcher

    @Slot()
    def open_switcher(self) -> None:
        if self.kb is not None:
            from viewer.core.switcher import note_names

            self.switcher.open_with(note_names(self.kb), self.history.recent())

    @Slot()
    def show_shortcuts(self) -> QDialog:
        from viewer.ui.window import dialogs  # the dialogs' Qt types are set up when first used

        return dialogs.shortcuts_dialog(self, self.menus)

    @Slot()
    def show_about(self) -> None:
        from viewer.ui.window import dialogs

        dialogs.about(self)
