"""Reading notes in the main window: showing one in every part of it, Back and Forward, links followed.

`NoteNavigation` is a part of `MainWindow` (a mixin): it works on the
window's own parts, named in the attributes below, which the window makes.

A note's page is made in a worker (`viewer.ui.note.rendering`): opening a
note records it at once (`current_id`, the history) and asks for its page;
the view keeps the page it holds until the new one arrives, then the page,
its place (anchor, scroll), its highlights and the panels change together.
Work that needs the new page in the view waits for it (`after_page`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Slot

from viewer.core import start_page
from viewer.ui.theme import note_css
from viewer.ui.window import layout

RENDERING_MESSAGE = "Rendering the note…"
EARLY_LOAD_MS = 250  # the notes are read once the kept page is painted, or after this (a hidden window paints none)


@dataclass
class PendingPage:
    """A note asked for whose page has not arrived: where to put the reader, what to do then."""

    request: int
    note_id: str
    anchor: str = ""
    keep_scroll: bool = False
    scroll_to: int | None = None
    after: list[Callable[[], object]] = field(default_factory=list)
    stay_in_view: bool = False  # another view was chosen meanwhile: the page does not bring the note view back
    early: tuple[Path, str, str] | None = None  # asked for before the panels are filled: folder, title, path


class NoteNavigation:
    """Open notes, walk the history, follow links.

    Uses the window's `kb`, `current_id`, `shown_id`, `early`, `early_load`, `waiting_link`, `pending`,
    `pages`, `loading`, `history`, `zoom`, `settings`, `view`, `find_bar`, `centre`, the panels,
    `annotations`, `actions_` and its `note_shown` signal.
    """

    def start(self, folder: Path, store: Path, note: str | None = None) -> None:
        """Open `folder` as the window starts.

        The page kept from the last session is shown first, before the notes
        are read, when it is of the note read last and the files of the notes
        it shows are unchanged (`start_page.early`); else its page (or, with
        none read last or that one gone, the folder's first note's) is made
        from its file, what the kept page looked up and the names kept at the
        last sync (`remade_page`), in the page worker. The notes are then read
        in the worker once that page is painted, and the page made again if
        anything else it was made from changed. With nothing kept, the notes
        are read at once.
        """
        if note is not None or self.initial_view is not None:
            self.load(folder, store, note=note)
            return
        root = folder.resolve()
        last = self.settings.value(layout.last_note_key(root))
        found = start_page.early(store, root, str(last)) if last else None
        if found is not None:
            self._show_before_panels(root, str(last), *found)
        else:
            self.pages.remake(store, root, str(last) if last else None)
        timer = self.early_load = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self._load_early(folder, store))
        self.view.page_painted.connect(lambda: self.early_load is timer and timer.start(0),
                                       Qt.ConnectionType.SingleShotConnection)
        timer.start(EARLY_LOAD_MS)

    @Slot(object, str, str, str, str)
    def _on_remade(self, folder: Path, note_id: str, page: str, title: str, path: str) -> None:
        """The page of the note read last (or of the folder's first), made before the notes are read ('': it waits
        for them)."""
        loader = self.loading.loader
        reading = loader is not None and not self.loading.shut and loader.folder.resolve() == folder
        if self.kb is not None or self.early is not None or not (self.early_load is not None or reading):
            return  # the notes are read, another folder is being opened or the window closed
        if page:
            self._show_before_panels(folder, note_id, page, title, path)
        elif self.early_load is not None:
            self.early_load.start(0)  # read the notes now

    def _show_before_panels(self, folder: Path, note_id: str, page: str, title: str, path: str) -> None:
        """A page shown before the window has its knowledge base (`set_kb` keeps it if it still holds)."""
        self.view.kb_folder = folder
        self.view.show_page(page, note_css(self.palette(), zoom=self.zoom))
        self.early = (folder, note_id, path)
        self.setWindowTitle(f"{title} — kbviewer")

    def restyle_early(self) -> None:
        """The page shown before the notes are read, again in the zoom and colours now set, where it was."""
        if self.kb is not None or self.early is None or self.view.shown is None:
            return
        bar = self.view.verticalScrollBar()
        place = bar.value()
        self.view.show_page(self.view.shown[0], note_css(self.palette(), zoom=self.zoom))
        bar.setValue(place)

    @Slot(object, object)
    def _on_opened(self, kb, request) -> None:
        """A large folder's notes are read, its panels not yet worked out: its first page is made meanwhile."""
        if self.kb is not None or self.early is not None or self.pending is not None or self.initial_view:
            return  # a reload, a page shown already, or the window opens in another view
        first = self.first_note(kb, request.note)
        if first is not None:
            number = self.pages.request(kb, first.id)
            self.pending = PendingPage(number, first.id, early=(kb.folder, first.title, first.path))

    def _load_early(self, folder: Path, store: Path) -> None:
        if self.early_load is not None:
            self.cancel_early_load()
            self.load(folder, store)

    def cancel_early_load(self) -> None:
        """The notes are not to be read once the kept page is painted (another load, or the window closed)."""
        timer, self.early_load = self.early_load, None
        if timer is not None:
            timer.stop()
            timer.deleteLater()

    @property
    def page_pending(self) -> bool:
        """Whether the page of the note opened last is still being made."""
        return self.pending is not None

    def after_page(self, call: Callable[[], bool]) -> bool:
        """`call()` once the page of the note opened last is in the view: its result now, else True.

        The call is dropped if the reader opens another note first.
        """
        if self.pending is None:
            return call()
        self.pending.after.append(call)
        return True

    def _remember_scroll(self) -> None:
        if self.pending is None:  # else the view holds a page the history is no longer at
            self.history.remember_scroll(self.view.verticalScrollBar().value())

    @Slot(str)
    def open_note(self, note_id: str, anchor: str = "") -> bool:
        """Show a note and record it in the history; False for an unknown id."""
        self._remember_scroll()
        if not self._show(note_id, anchor):
            return False
        self.history.visit(self.current_id, anchor)
        self._update_navigation()
        return True

    def _show(self, note_id: str, anchor: str = "", keep_scroll: bool = False,
              scroll_to: int | None = None) -> bool:
        """Ask for a note's page, to be shown at `scroll_to` if given, else at `anchor`, else where it was
        (keep_scroll) or the top; False for an unknown id."""
        note = self.kb.get(note_id) if self.kb else None
        if note is None:
            self.statusBar().showMessage(f"No note '{note_id}'", 5000)
            return False
        self.current_id = note.id
        toggled = frozenset(self.toggled.get(note.id, set()))
        request = self.pages.request(self.kb, note.id, toggled)
        self.pending = PendingPage(request, note.id, anchor, keep_scroll, scroll_to)
        return True

    @Slot(int)
    def _on_slow_page(self, request: int) -> None:
        if self.pending is not None and self.pending.request == request:
            self.statusBar().showMessage(RENDERING_MESSAGE)

    @Slot(int, str, str)
    def _on_page(self, request: int, note_id: str, page: str) -> None:
        """The page of the note opened last has arrived: show it, and the note in every panel."""
        pending = self.pending
        if pending is None or pending.request != request:
            return  # stale: another note (or folder) was opened meanwhile
        self.pending = None
        if pending.early is not None:
            if self.kb is None:
                self._show_before_panels(pending.early[0], note_id, page, *pending.early[1:])
            return
        note = self.kb.get(note_id) if self.kb else None
        if note is None:
            return
        if self.statusBar().currentMessage() == RENDERING_MESSAGE:
            self.statusBar().clearMessage()
        scroll = self.view.verticalScrollBar().value()
        same = note.id == self.shown_id
        self.shown_id = note.id
        css = note_css(self.palette(), zoom=self.zoom)
        if pending.keep_scroll and same and self.view.shown == (page, css):
            self.view.keep_page()  # the view holds it already (the kept page, shown early)
        else:
            self.view.show_page(page, css)
        if pending.scroll_to is not None:
            self.view.verticalScrollBar().setValue(pending.scroll_to)
        elif pending.anchor:
            self.view.scrollToAnchor(pending.anchor)
        elif pending.keep_scroll and same:
            self.view.verticalScrollBar().setValue(scroll)
        self.annotations.note_shown(note.id)
        self.centre.refresh_find()
        self.links.show_note(self.kb, note.id)
        self.browser.select_note(note.id)
        self.centre.note_shown(note.id)
        if self.docks.made("search"):
            self.search_panel.note_shown(note.id)
        self.setWindowTitle(f"{note.title} — kbviewer")
        self.settings.setValue(layout.last_note_key(self.kb.folder), note.id)
        if self.centre.current_view != "note" and not pending.keep_scroll and not pending.stay_in_view:
            self.show_view("note")
        self.note_shown.emit(note.id)
        for call in pending.after:
            call()

    @Slot()
    def go_back(self) -> None:
        """The previous note, where the reader left it."""
        self._walk(self.history.back)

    @Slot()
    def go_forward(self) -> None:
        self._walk(self.history.forward)

    def _walk(self, step) -> None:
        self._remember_scroll()
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
        if self.kb is None and self.early is not None and (self.loader is not None or self.early_load is not None):
            self.waiting_link = (self.early[0], note_id, anchor)  # a link on the kept page, while the notes are read
            self.statusBar().showMessage("Reading the notes: the link opens once they are read", 6000)
            return
        if not self.open_note(note_id, anchor):
            self.statusBar().showMessage(f"Broken link: no note '{note_id}'", 6000)

    @Slot(str, str)
    def _on_hit(self, note_id: str, passage: str) -> None:
        """A search hit was opened: its passage on screen and marked, the matched words found."""
        if self.open_note(note_id):
            self.after_page(lambda: self._show_hit(note_id, passage))

    def _show_hit(self, note_id: str, passage: str) -> bool:
        if note_id != self.shown_id:
            return False
        origin = 0
        if passage and self.view.show_passage(passage):
            origin = self.view.textCursor().position()
        pattern, words = self.search_panel.pattern, self.search_panel.find_words
        if pattern and words:
            scroll = self.view.verticalScrollBar().value()
            self.find_bar.show_words(words, pattern, origin)
            if origin:
                self.view.verticalScrollBar().setValue(scroll)  # the passage stays where it was put
        return True

    @Slot(str, str)
    def _on_passage(self, note_id: str, passage: str) -> None:
        """A backlink or mention was opened: show the sentence that links or names the note."""
        if note_id == self.current_id:
            self.after_page(lambda: self._show_passage(note_id, passage))

    def _show_passage(self, note_id: str, passage: str) -> bool:
        if note_id != self.shown_id:
            return False
        if not self.view.show_passage(passage):
            self.statusBar().showMessage("The linking passage was not found in this note", 4000)
            return False
        return True

    @Slot(str)
    def _on_broken_link(self, target: str) -> None:
        self.statusBar().showMessage(f"Broken link: no note is named '{target}'", 6000)

    @Slot(int)
    def toggle_callout(self, number: int) -> None:
        """Open or fold a foldable callout of the note shown, keeping the place."""
        if self.current_id is None or self.current_id != self.shown_id:
            return  # the fold mark clicked is on a page the reader is leaving
        opened = self.toggled.setdefault(self.current_id, set())
        opened.symmetric_difference_update({number})
        self._show(self.current_id, keep_scroll=True)

    @Slot(str)
    def open_attachment(self, path: str) -> bool:
        """Ask, then open a file of the folder (a PDF, a sound...) in the system's application."""
        from viewer.ui.window import dialogs  # its Qt types are set up when first used

        return dialogs.open_attachment(self, self.view.kb_folder, path, self.statusBar().showMessage)

    @Slot(QUrl)
    def open_outside_link(self, url: QUrl) -> bool:
        """Ask, then hand a web link to the system browser; nothing is fetched here."""
        from viewer.ui.window import dialogs

        return dialogs.open_outside_link(self, url, self.statusBar().showMessage)
