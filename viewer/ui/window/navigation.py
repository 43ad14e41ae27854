"""Reading notes in the main window: showing one in every part of it, Back and Forward, links followed.

`NoteNavigation` is a part of `MainWindow` (a mixin): it works on the
window's own parts, named in the attributes below, which the window makes.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl, Slot

from viewer.core.page import note_page
from viewer.ui.theme import note_css
from viewer.ui.window import dialogs, layout


class NoteNavigation:
    """Open notes, walk the history, follow links.

    Uses the window's `kb`, `current_id`, `history`, `zoom`, `settings`,
    `view`, `find_bar`, `centre`, the panels, `annotations`, `actions_` and
    its `note_shown` signal.
    """

    @Slot(str)
    def open_note(self, note_id: str, anchor: str = "") -> bool:
        """Show a note and record it in the history; False for an unknown id."""
        self.history.remember_scroll(self.view.verticalScrollBar().value())
        if not self._show(note_id, anchor):
            return False
        self.history.visit(self.current_id, anchor)
        self._update_navigation()
        return True

    def _show(self, note_id: str, anchor: str = "", keep_scroll: bool = False,
              scroll_to: int | None = None) -> bool:
        """Show a note: at `scroll_to` if given, else at `anchor`, else where it was (keep_scroll) or the top."""
        note = self.kb.get(note_id) if self.kb else None
        if note is None:
            self.statusBar().showMessage(f"No note '{note_id}'", 5000)
            return False
        scroll = self.view.verticalScrollBar().value()
        same = note.id == self.current_id
        self.current_id = note.id
        self.view.show_page(note_page(self.kb, note.id), note_css(self.palette(), zoom=self.zoom))
        if scroll_to is not None:
            self.view.verticalScrollBar().setValue(scroll_to)
        elif anchor:
            self.view.scrollToAnchor(anchor)
        elif keep_scroll and same:
            self.view.verticalScrollBar().setValue(scroll)
        self.annotations.note_shown(note.id)
        self.find_bar.refresh()
        self.links.show_note(self.kb, note.id)
        self.browser.select_note(note.id)
        self.centre.note_shown(note.id)
        self.search_panel.note_shown(note.id)
        self.setWindowTitle(f"{note.title} — kbviewer")
        self.settings.setValue(layout.last_note_key(self.kb.folder), note.id)
        if self.centre.current_view != "note" and not keep_scroll:
            self.show_view("note")
        self.note_shown.emit(note.id)
        return True

    @Slot()
    def go_back(self) -> None:
        """The previous note, where the reader left it."""
        self._walk(self.history.back)

    @Slot()
    def go_forward(self) -> None:
        self._walk(self.history.forward)

    def _walk(self, step) -> None:
        self.history.remember_scroll(self.view.verticalScrollBar().value())
        entry = step()
        if entry is not None:
            self._show(entry.note_id, entry.anchor, scroll_to=entry.scroll)
        self._update_navigation()

    @Slot()
    def open_overview(self) -> None:
        overview = self.kb.overview() if self.kb else None
        if overview is not None:
            self.open_note(overview.id)

    def _update_navigation(self) -> None:
        self.actions_.back.setEnabled(self.history.can_go_back())
        self.actions_.forward.setEnabled(self.history.can_go_forward())
        has_note = self.current_id is not None
        for action in (self.actions_.export_html, self.actions_.export_pdf, self.actions_.print_note):
            action.setEnabled(has_note)

    @Slot(str, str)
    def _on_note_link(self, note_id: str, anchor: str) -> None:
        if not self.open_note(note_id, anchor):
            self.statusBar().showMessage(f"Broken link: no note '{note_id}'", 6000)

    @Slot(str, str)
    def _on_passage(self, note_id: str, passage: str) -> None:
        """A backlink or mention was opened: show the sentence that links or names the note."""
        if note_id == self.current_id and not self.view.show_passage(passage):
            self.statusBar().showMessage("The linking passage was not found in this note", 4000)

    @Slot(str)
    def _on_broken_link(self, target: str) -> None:
        self.statusBar().showMessage(f"Broken link: no note is named '{target}'", 6000)

    @Slot(QUrl)
    def open_outside_link(self, url: QUrl) -> bool:
        """Ask, then hand a web link to the system browser; nothing is fetched here."""
        return dialogs.open_outside_link(self, url, self.statusBar().showMessage)
