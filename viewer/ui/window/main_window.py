"""The main window: notes by type on the left, the note in the centre, its links on the right.

The window asks the core and shows what it computes. It owns the history and
showing a note in every part of the window; the rest is in its own module:
the panels and their docks (`docks.py`), opening a knowledge base in a worker
(`loading.py`), the parts made when first used (`late.py`), the dialogs
(`dialogs.py`), the actions and menus (`actions.py`), the centre's views
(`centre.py`) and the annotations (`viewer.ui.annotations.controller`). The
layout, the text size and the last note read are kept in QSettings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the dialogs' types are set up when first used
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from viewer.core.note_tree import listing_of
from viewer.core.release import release_later
from viewer.ui.annotations.controller import AnnotationController, WindowHooks, open_store
from viewer.ui.note import export
from viewer.ui.note.citations import CitationCommands, add_style_menu
from viewer.ui.note.rendering import PageRenderer
from viewer.ui.theme import app_icon, note_css
from viewer.ui.window import layout
from viewer.ui.window.actions import build_menus, build_toolbar, create_actions, limit_to
from viewer.ui.window.centre import VIEWS, Centre
from viewer.ui.window.docks import Docks
from viewer.ui.window.history import History
from viewer.ui.window.late import LateParts
from viewer.ui.window.loading import KbLoading, LoadRequest
from viewer.ui.window.navigation import NoteNavigation, PendingPage

if TYPE_CHECKING:  # the knowledge base's modules load in the loading worker, after the first paint
    from viewer.core import KnowledgeBase
    from viewer.core.model import Note

ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
# How long a worker thread may keep the interpreter lock once the window's thread asks for it
# (Python's default is 5 ms). Every Python callback of a paint (delegates, overridden events) waits
# for the lock, so with a folder loading in a worker a first paint of many callbacks took 170 ms.
SWITCH_INTERVAL_S = 0.001


class MainWindow(LateParts, NoteNavigation, QMainWindow):
    """The kbviewer window.

    Args:
        kb: the knowledge base to show, or None to load one later with `load`.
        settings: where layout and last note are kept (default: the user's file).
        restore: read the saved layout and geometry (off for screenshots).
        data_dir: the folder of the annotations file (default: the user data folder).

    Signals:
        note_shown(str): a note is now in the centre.
        kb_loaded(): a knowledge base finished loading and is shown.
    """

    note_shown = Signal(str)
    kb_loaded = Signal()

    def __init__(self, kb: KnowledgeBase | None = None, settings: QSettings | None = None,
                 restore: bool = True, data_dir: Path | str | None = None) -> None:
        super().__init__()
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL_S))
        self.kb: KnowledgeBase | None = None
        self.settings = settings if settings is not None else layout.default_settings()
        self.current_id: str | None = None  # the note opened last (its page may still be being made)
        self.shown_id: str | None = None  # the note whose page the view holds
        self.early: tuple[Path, str, str] | None = None  # folder, note, path: a page shown before its notes
        self.early_load: QTimer | None = None  # starts reading the notes once that page is painted
        self.waiting_link: tuple[Path, str, str] | None = None  # folder, note, anchor: a link followed on it
        self.pages = PageRenderer(self)
        self.pending: PendingPage | None = None
        self.toggled: dict[str, set[int]] = {}  # by note: the callouts the reader folded or opened
        self.history = History()
        self.zoom = 1.0
        self.initial_view: str | None = None  # the view the reader left the window in
        self.setWindowTitle("kbviewer")
        self.setWindowIcon(app_icon())
        self.setObjectName("main-window")
        self.setAccessibleName("kbviewer")
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self.centre = Centre()
        self.view = self.centre.view
        self.view.preview_for = self._link_preview
        self.setCentralWidget(self.centre)
        self.docks = Docks(self)
        self.browser = self.docks.browser
        self.links = self.docks.links
        self.notes_dock, self.search_dock = self.docks.by_name["notes"], self.docks.by_name["search"]
        self.links_dock, self.annotations_dock = self.docks.by_name["links"], self.docks.by_name["annotations"]
        self._switcher = None  # made when first opened
        self.actions_ = create_actions(self)
        for action in (self.actions_.undo_annotation, self.actions_.redo_annotation):
            limit_to(action, [self.view])  # fields keep their own Ctrl+Z (the Annotations panel's: when made)
        self.view.highlight_action = self.actions_.highlight
        self.menus = build_menus(self, self.actions_, self.docks.toggles())
        self.toolbar = build_toolbar(self, self.actions_)
        store, unavailable = open_store(data_dir)
        hooks = WindowHooks(open_note=self.open_note, show_note_view=lambda: self.show_view("note"),
                            note_view_shown=lambda: self.centre.current_view == "note",
                            show_panel=lambda: self.show_panel("annotations"), notice=self.show_notice,
                            say=self.statusBar().showMessage, after_page=self.after_page)
        self.annotations = AnnotationController(self.view, self.actions_, store, hooks, self.settings, self,
                                                unavailable)
        self.docks.when_made(self._on_panel_made)
        self.exports = export.NoteExports(self, self.settings, self.statusBar().showMessage)
        self.citations = CitationCommands(self, self.view, self.settings, self.statusBar().showMessage,
                                          lambda: self.kb, lambda: self.shown_id, self._all_annotations)
        self.view.citation_actions = [self.actions_.copy_with_citation, self.actions_.copy_citation]
        add_style_menu(self.menus["Edit"], self.citations)
        self.loading = KbLoading(self.statusBar(), self)
        self.progress = self.loading.progress
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Note count")
        self.statusBar().addPermanentWidget(self.count_label)
        self.resize(1280, 820)
        self.resizeDocks([self.notes_dock, self.links_dock], [300, 330], Qt.Orientation.Horizontal)
        self.default_state = self.saveState(layout.SETTINGS_VERSION)
        if restore:
            self.zoom, view = layout.restore(self, self.settings)
            self.initial_view = view if view in VIEWS and view != "note" else None
        self._connect()
        self._update_navigation()
        if kb is not None:
            self.set_kb(kb)

    def _link_preview(self, url: QUrl) -> str | None:
        from viewer.ui.note.preview import link_preview  # with the first link hovered

        return link_preview(self.kb, url)

    def _on_screen(self) -> bool:
        handle = self.windowHandle()
        return handle is not None and handle.isExposed()

    @property
    def loader(self):
        """The worker opening a knowledge base, or None."""
        return self.loading.loader

    def show_panel(self, name: str) -> None:
        """Show a panel ("notes", "search", "links", "annotations") in front of those tabbed with it."""
        self.docks.show(name)

    def show_notice(self, text: str) -> None:
        """A warning kept above the note until the reader dismisses it."""
        self.centre.notice.add(text)

    def _connect(self) -> None:
        a = self.actions_
        for action, slot in ((a.open_folder, self.choose_folder), (a.reload, self.reload),
                             (a.export_html, self.export_html), (a.export_pdf, self.export_pdf),
                             (a.print_note, lambda: self.exports.print(self.kb, self.current_id)), (a.quit, self.close),
                             (a.copy, self.view.copy),
                             (a.select_all, self.view.selectAll),
                             (a.copy_citation, self.citations.copy_citation),
                             (a.copy_with_citation, self.citations.copy_with_citation),
                             (a.export_sources, self.citations.export_sources), (a.find, self.open_find),
                             (a.find_next, lambda: self.find_bar.find_next()),
                             (a.find_previous, lambda: self.find_bar.find_previous()),
                             (a.search, self.open_search), (a.back, self.go_back), (a.forward, self.go_forward),
                             (a.overview, self.open_overview), (a.switcher, self.open_switcher),
                             (a.reset_layout, self.reset_layout), (a.shortcuts, self.show_shortcuts),
                             (a.about, self.show_about)):
            action.triggered.connect(lambda _checked=False, slot=slot: slot())
        for name in VIEWS:
            getattr(a, f"view_{name}").triggered.connect(lambda _checked=False, name=name: self.show_view(name))
        a.next_pane.triggered.connect(lambda: self.cycle_focus(1))
        a.previous_pane.triggered.connect(lambda: self.cycle_focus(-1))
        a.zoom_in.triggered.connect(lambda: self.set_zoom(self._zoom_step(1)))
        a.zoom_out.triggered.connect(lambda: self.set_zoom(self._zoom_step(-1)))
        a.zoom_reset.triggered.connect(lambda: self.set_zoom(1.0))
        a.full_screen.toggled.connect(self._on_full_screen)
        a.caret_browsing.toggled.connect(self._on_caret_browsing)
        self.view.note_link_clicked.connect(self._on_note_link)
        self.view.page_painted.connect(self.links.page_painted)
        self.view.broken_link_clicked.connect(self._on_broken_link)
        self.view.outside_link_clicked.connect(self.open_outside_link)
        self.view.tag_clicked.connect(self.search_tag)
        self.view.attachment_clicked.connect(self.open_attachment)
        self.browser.grouping_changed.connect(
            lambda grouping: self.kb and self.settings.setValue(layout.grouping_key(self.kb.folder), grouping))
        self.view.fold_clicked.connect(self.toggle_callout)
        self.centre.view_changed.connect(self._on_view_changed)
        for source in (self.centre, self.browser, self.links):
            source.note_activated.connect(self.open_note)
        self.links.broken_link_activated.connect(self._on_broken_link)
        self.links.passage_activated.connect(self._on_passage)
        self.loading.loaded.connect(self._on_loaded)
        self.loading.opened.connect(self._on_opened)
        self.pages.ready.connect(self._on_page)
        self.pages.remade.connect(self._on_remade)
        self.pages.slow.connect(self._on_slow_page)

    # -- knowledge base -------------------------------------------------------------

    def load(self, folder: Path, store: Path | None = None, note: str | None = None,
             keep_history: bool = False) -> None:
        """Open `folder` in a worker thread; the window stays usable and shows progress."""
        self.cancel_early_load()
        store_ = self.annotations.store
        annotated = store_.notes() if store_ is not None else []
        self.loading.start(Path(folder), store, annotated, LoadRequest(note, keep_history))

    @Slot()
    def choose_folder(self) -> None:
        start = str(self.kb.folder.parent) if self.kb else str(Path.home())
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Open a knowledge base", start)
        if folder:
            self.load(Path(folder))

    def first_note(self, kb: KnowledgeBase, note: str | None = None, path: str | None = None) -> Note | None:
        """The note a folder opens at: `note` if it names one, else the last one read (else the one now at
        `path`, the file it was read from, when its id changed since), else the overview."""
        first = kb.resolve(note) if note else None
        if first is None:
            last = self.settings.value(layout.last_note_key(kb.folder))
            first = kb.get(str(last)) if last else None
        if first is None and path:
            found = kb.resolve(path)
            first = found if found is not None and found.path == path else None
        return first or kb.overview()

    @Slot(object, object, object)
    def _on_loaded(self, kb: KnowledgeBase, texts, request: LoadRequest) -> None:
        waiting, self.waiting_link = self.waiting_link, None
        self.set_kb(kb, request.note, keep_history=request.keep_history, texts=texts)
        if waiting is not None and waiting[0] == kb.folder:  # after the page it was followed on, so Back goes there
            self._on_note_link(waiting[1], waiting[2])
        self.statusBar().showMessage(f"{len(kb)} notes", 4000)
        self.kb_loaded.emit()

    @Slot()
    def reload(self) -> None:
        """Read the folder again (only changed files are parsed), keeping the note and the history."""
        if self.kb is not None:
            self.load(self.kb.folder, self.kb.store_path, note=self.current_id, keep_history=True)

    def set_kb(self, kb: KnowledgeBase, note: str | None = None, keep_history: bool = False,
               texts: dict[str, str | None] | None = None) -> None:
        """Show `kb`: fill the panels and open `note`, else the last note read, else the overview.

        `texts`: plain texts of annotated notes, made while loading.
        """
        old, self.kb = self.kb, kb
        early, path = self.early[1:] if self.early is not None and self.early[0] == kb.folder else (None, None)
        self.early = None
        self.view.kb_folder = kb.folder
        if keep_history:
            self.history.forget({entry for entry in self.history.recent(10**6) if kb.get(entry) is None})
        else:
            self.history = History()
        self.current_id = None
        self.shown_id = early  # the view holds its page: kept there, and where the reader scrolled it, if it holds
        self.pending = None
        self.pages.cancel()
        self.pages.offer_kept(kb)
        self.toggled = {}
        saved = self.settings.value(layout.grouping_key(kb.folder))
        self.browser.set_notes((), str(saved) if saved else None, listing_of(kb))
        self.annotations.set_kb(kb, texts)
        if self.docks.made("search"):
            self.search_panel.set_kb(kb)
        self.centre.set_kb(kb)
        self.count_label.setText(f"{len(kb)} notes")
        if note and kb.resolve(note) is None:
            self.statusBar().showMessage(f"No note named '{note}'", 5000)
        first = self.first_note(kb, note, path)
        if first is not None:
            self.open_note(first.id)
            if self.pending is not None and first.id == early:
                self.pending.keep_scroll = True
            if not self._on_screen():  # the first paint holds the kept page with the panels
                self.pages.hand_on_kept()  # (on screen, it comes next: two short stalls, not one long)
        else:
            self.view.show_page("<p>This folder holds no notes.</p>", note_css(self.palette()))
        if self.initial_view:
            self.show_view(self.initial_view)
            self.initial_view = None
        self._update_navigation()
        if old is not None and old is not kb:
            release_later(old)  # freed in the background once the panels' workers are done with it
        del old

    # -- views, panels, search --------------------------------------------------------

    def show_view(self, name: str) -> None:
        self.centre.show_view(name)

    @Slot(str)
    def _on_view_changed(self, name: str) -> None:
        getattr(self.actions_, f"view_{name}").setChecked(True)
        if name != "note" and self.pending is not None:
            self.pending.stay_in_view = True
        for action in (self.actions_.find, self.actions_.find_next, self.actions_.find_previous):
            action.setEnabled(name == "note")
        if name == "note":
            self.centre.refresh_find()

    @Slot()
    def open_find(self) -> None:
        if self.centre.current_view != "note":
            self.show_view("note")
        selected = self.view.textCursor().selectedText()
        self.find_bar.open_bar(selected if selected and len(selected) < 80 else None)

    @Slot()
    def open_search(self) -> None:
        self.show_panel("search")
        self.search_panel.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_panel.field.selectAll()

    @Slot(str)
    def search_tag(self, tag: str) -> None:
        """Show the notes with this tag in the search panel (the reader clicked it in a header)."""
        self.show_panel("search")
        self.search_panel.set_query(f"tag:{tag}")

    def cycle_focus(self, step: int) -> None:
        """F6 / Shift+F6: move the focus between the open panels and the centre."""
        self.docks.cycle_focus(self.centre.stack.currentWidget(), step)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        self.settings.setValue("zoom", self.zoom)
        if self.current_id:
            self._show(self.current_id, keep_scroll=True)
        else:
            self.restyle_early()

    def _zoom_step(self, direction: int) -> float:
        steps = [z for z in ZOOM_STEPS if (z > self.zoom + 1e-6 if direction > 0 else z < self.zoom - 1e-6)]
        if not steps:
            return self.zoom
        return steps[0] if direction > 0 else steps[-1]

    @Slot(bool)
    def _on_caret_browsing(self, on: bool) -> None:
        self.view.set_caret_browsing(on)
        if on:
            self.view.setFocus()
        self.statusBar().showMessage(
            "Caret browsing on: Shift+arrows select text (F7 to turn off)" if on else "Caret browsing off", 4000)

    @Slot(bool)
    def _on_full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    @Slot()
    def reset_layout(self) -> None:
        self.restoreState(self.default_state, layout.SETTINGS_VERSION)
        self.docks.show_all()

    # -- export, help -------------------------------------------------------------------

    def _all_annotations(self) -> list:
        store = self.annotations.store
        return store.all() if store is not None else []

    def _note_annotations(self) -> list:
        store = self.annotations.store
        return store.for_note(self.current_id) if store is not None and self.current_id else []

    @Slot()
    def export_html(self, path: Path | None = None, highlights: bool | None = None) -> Path | None:
        return self.exports.save("html", self.kb, self.current_id, path, self._note_annotations, highlights)

    @Slot()
    def export_pdf(self, path: Path | None = None, highlights: bool | None = None) -> Path | None:
        return self.exports.save("pdf", self.kb, self.current_id, path, self._note_annotations, highlights)

    # -- settings, events ----------------------------------------------------------------

    def save_layout(self) -> None:
        layout.save(self, self.settings, self.centre.current_view)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        self.cancel_early_load()
        if self.docks.made("search"):
            self.search_panel.shutdown()
        self.pages.shutdown()
        self.links.shutdown()
        if self._switcher is not None:
            self._switcher.shutdown()
        self.browser.shutdown()
        self.loading.shutdown()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.docks.name_tabs()
        handle = self.windowHandle()
        if handle is not None and not handle.property("kbviewer-buttons"):
            # mouse back/forward buttons anywhere in the window: watched where the window receives them,
            # not at every widget (a filter on the application runs Python for each event of each widget)
            handle.installEventFilter(self)
            handle.setProperty("kbviewer-buttons", True)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.annotations.refresh()  # the command line may have changed them meanwhile
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            if self.current_id and self.kb is not None:
                self._show(self.current_id, keep_scroll=True)
            else:
                self.restyle_early()
            self.centre.refresh()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            button = event.button()
            if (button in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton)
                    and watched is self.windowHandle()):
                self.go_back() if button == Qt.MouseButton.BackButton else self.go_forward()
                return True
        return super().eventFilter(watched, event)
