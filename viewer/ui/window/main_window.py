"""The main window: notes by type on the left, the note in the centre, its links on the right.

The window asks the core and shows what it computes. It owns the history,
the panels (dock widgets: resizable, closable, restored from QSettings with
the window geometry and the last note), and the loading of a knowledge base
in a worker thread with a progress bar. Annotations (highlights, their panel,
undo, import and export) are in `AnnotationController`.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QMouseEvent
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QFileDialog, QLabel, QMainWindow,
                               QMessageBox, QProgressBar, QTabBar, QTextBrowser, QVBoxLayout, QWidget)

from viewer import __version__
from viewer.core import KnowledgeBase
from viewer.core.dates import format_date
from viewer.core.page import excerpt, note_page, type_label
from viewer.core.render import TAG_SCHEME
from viewer.ui.note import export
from viewer.ui.window.actions import build_menus, build_toolbar, create_actions, limit_to, shortcuts_html
from viewer.ui.annotations.controller import AnnotationController
from viewer.ui.annotations.panel import AnnotationsPanel
from viewer.ui.panels.notes import BrowserPanel
from viewer.ui.window.centre import VIEWS, Centre
from viewer.ui.window.history import History
from viewer.ui.panels.links import LinksPanel
from viewer.ui.note.view import note_target
from viewer.ui.search.panel import SearchPanel
from viewer.ui.panels.switcher import Switcher
from viewer.ui.theme import app_icon, note_css
from viewer.ui.workers import KbLoader

SETTINGS_VERSION = 1
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.4, 1.6, 1.8, 2.0)
OUTSIDE_SCHEMES = ("http", "https", "mailto")


def default_settings() -> QSettings:
    """The reader's settings file (in XDG_CONFIG_HOME on Linux)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "kbviewer", "kbviewer")


class MainWindow(QMainWindow):
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
        self.kb: KnowledgeBase | None = None
        self.settings = settings if settings is not None else default_settings()
        self.current_id: str | None = None
        self.history = History()
        self.zoom = 1.0
        self.loader: KbLoader | None = None
        self._pending_note: str | None = None
        self._keep_history = False
        self._initial_view: str | None = None
        self.setWindowTitle("kbviewer")
        self.setWindowIcon(app_icon())
        self.setObjectName("main-window")
        self.setAccessibleName("kbviewer")
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self.centre = Centre()
        self.view = self.centre.view
        self.find_bar = self.centre.find_bar
        self.view.preview_for = self.link_preview
        self.setCentralWidget(self.centre)
        self.browser = BrowserPanel()
        self.search_panel = SearchPanel()
        self.links = LinksPanel()
        self.annotations_panel = AnnotationsPanel()
        self.notes_dock = self._dock("Notes", "notes-dock", self.browser, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.search_dock = self._dock("Search", "search-dock", self.search_panel,
                                      Qt.DockWidgetArea.LeftDockWidgetArea)
        self.links_dock = self._dock("Links", "links-dock", self.links, Qt.DockWidgetArea.RightDockWidgetArea)
        self.annotations_dock = self._dock("Annotations", "annotations-dock", self.annotations_panel,
                                           Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.notes_dock, self.search_dock)
        self.tabifyDockWidget(self.links_dock, self.annotations_dock)
        self.notes_dock.raise_()
        self.links_dock.raise_()
        self._name_dock_tabs()
        self.switcher = Switcher(self)
        self.actions_ = create_actions(self)
        for action in (self.actions_.undo_annotation, self.actions_.redo_annotation):
            limit_to(action, [self.view, self.annotations_panel])  # fields keep their own Ctrl+Z
        self.view.highlight_action = self.actions_.highlight
        self.menus = build_menus(self, self.actions_, [d.toggleViewAction() for d in self._docks()])
        self.toolbar = build_toolbar(self, self.actions_)
        self.annotations = AnnotationController(self, data_dir)
        self.search_panel.set_annotations(self.annotations.search, self.annotations.title)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Loading progress")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Note count")
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.count_label)
        self.resize(1280, 820)
        self.resizeDocks([self.notes_dock, self.links_dock], [300, 330], Qt.Orientation.Horizontal)
        self._default_state = self.saveState(SETTINGS_VERSION)
        if restore:
            self._restore_layout()
        self._connect()
        self._update_navigation()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # mouse back/forward buttons anywhere in the window
        if kb is not None:
            self.set_kb(kb)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(f"{title} panel")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.toggleViewAction().setText(f"{title} Panel")
        self.addDockWidget(area, dock)
        return dock

    def _name_dock_tabs(self) -> None:
        """Qt makes a tab bar for tabbed panels; give it a name for screen readers."""
        for bar in self.findChildren(QTabBar):
            if not bar.accessibleName():
                bar.setAccessibleName("Panel tabs")

    def _docks(self) -> list[QDockWidget]:
        return [self.notes_dock, self.search_dock, self.links_dock, self.annotations_dock]

    def show_panel(self, name: str) -> None:
        """Show a panel ("notes", "search", "links", "annotations") in front of those tabbed with it."""
        dock = {"notes": self.notes_dock, "search": self.search_dock, "links": self.links_dock,
                "annotations": self.annotations_dock}[name]
        dock.show()
        dock.raise_()

    def show_notice(self, text: str) -> None:
        """A warning kept above the note until the reader dismisses it."""
        self.centre.notice.add(text)

    def _connect(self) -> None:
        a = self.actions_
        a.open_folder.triggered.connect(self.choose_folder)
        a.reload.triggered.connect(self.reload)
        a.export_html.triggered.connect(self.export_html)
        a.export_pdf.triggered.connect(self.export_pdf)
        a.print_note.triggered.connect(self.print_note)
        a.quit.triggered.connect(self.close)
        a.copy.triggered.connect(self.view.copy)
        a.select_all.triggered.connect(self.view.selectAll)
        a.find.triggered.connect(self.open_find)
        a.find_next.triggered.connect(self.find_bar.find_next)
        a.find_previous.triggered.connect(self.find_bar.find_previous)
        a.search.triggered.connect(self.open_search)
        a.back.triggered.connect(self.go_back)
        a.forward.triggered.connect(self.go_forward)
        a.overview.triggered.connect(self.open_overview)
        a.switcher.triggered.connect(self.open_switcher)
        a.view_note.triggered.connect(lambda: self.show_view("note"))
        a.view_timeline.triggered.connect(lambda: self.show_view("timeline"))
        a.view_graph.triggered.connect(lambda: self.show_view("graph"))
        a.next_pane.triggered.connect(lambda: self.cycle_focus(1))
        a.previous_pane.triggered.connect(lambda: self.cycle_focus(-1))
        a.zoom_in.triggered.connect(lambda: self.set_zoom(self._zoom_step(1)))
        a.zoom_out.triggered.connect(lambda: self.set_zoom(self._zoom_step(-1)))
        a.zoom_reset.triggered.connect(lambda: self.set_zoom(1.0))
        a.full_screen.toggled.connect(self._on_full_screen)
        a.caret_browsing.toggled.connect(self._on_caret_browsing)
        a.reset_layout.triggered.connect(self.reset_layout)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.about.triggered.connect(self.show_about)
        self.view.note_link_clicked.connect(self._on_note_link)
        self.view.broken_link_clicked.connect(self._on_broken_link)
        self.view.outside_link_clicked.connect(self.open_outside_link)
        self.find_bar.closed.connect(self.view.setFocus)
        self.centre.view_changed.connect(self._on_view_changed)
        self.centre.note_activated.connect(self._on_activated)
        self.browser.note_activated.connect(self._on_activated)
        self.links.note_activated.connect(self._on_activated)
        self.links.broken_link_activated.connect(self._on_broken_link)
        self.links.passage_activated.connect(self._on_passage)
        self.view.tag_clicked.connect(self.search_tag)
        self.search_panel.note_activated.connect(self._on_activated)
        self.search_panel.annotation_activated.connect(self.annotations.open_annotation)
        self.annotations.changed.connect(self.search_panel.annotations_changed)
        self.switcher.note_chosen.connect(self._on_activated)

    # -- knowledge base -------------------------------------------------------------

    def load(self, folder: Path, store: Path | None = None, note: str | None = None,
             keep_history: bool = False) -> None:
        """Open `folder` in a worker thread; the window stays usable and shows progress."""
        if self.loader is not None:
            return
        self._pending_note = note
        self._keep_history = keep_history
        annotated = self.annotations.store.notes() if self.annotations.store is not None else []
        self.loader = KbLoader(Path(folder), store, annotated)
        self.loader.progressed.connect(self._on_progress)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_load_failed)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Opening…")
        self.progress.show()
        self.statusBar().showMessage(f"Opening {folder}…")
        self.loader.start()

    @Slot()
    def choose_folder(self) -> None:
        start = str(self.kb.folder.parent) if self.kb else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open a knowledge base", start)
        if folder:
            self.load(Path(folder))

    @Slot(str, int, int)
    def _on_progress(self, what: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(f"{what} %v/%m")
        self.statusBar().showMessage(f"{what}: {done} of {total}")

    @Slot(object)
    def _on_loaded(self, kb: KnowledgeBase) -> None:
        texts = self.loader.texts if self.loader is not None else None
        self._finish_loading()
        self.set_kb(kb, self._pending_note, keep_history=self._keep_history, texts=texts)
        self.statusBar().showMessage(f"{len(kb)} notes", 4000)
        self.kb_loaded.emit()

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._finish_loading()
        self.statusBar().showMessage(f"Cannot open the knowledge base: {message}")
        QMessageBox.warning(self, "Cannot open", f"The knowledge base could not be opened.\n\n{message}")

    def _finish_loading(self) -> None:
        self.progress.hide()
        if self.loader is not None:
            self.loader.wait()
            self.loader.thread.deleteLater()
            self.loader = None

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
        self.kb = kb
        self.view.kb_folder = kb.folder
        if keep_history:
            self.history.forget({entry for entry in self.history.recent(10**6) if kb.get(entry) is None})
        else:
            self.history = History()
        self.current_id = None
        self.browser.set_notes(kb.notes())
        self.annotations.set_kb(kb, texts)
        self.search_panel.set_kb(kb)
        self.centre.set_kb(kb)
        self.count_label.setText(f"{len(kb)} notes")
        first = kb.resolve(note) if note else None
        if first is None and note:
            self.statusBar().showMessage(f"No note named '{note}'", 5000)
        if first is None:
            last = self.settings.value(self._last_note_key())
            first = kb.get(str(last)) if last else None
        first = first or kb.overview()
        if first is not None:
            self.open_note(first.id)
        else:
            self.view.show_page("<p>This folder holds no notes.</p>", note_css(self.palette()))
        if self._initial_view:  # the view the reader left the window in
            self.show_view(self._initial_view)
            self._initial_view = None
        self._update_navigation()

    def _last_note_key(self) -> str:
        folder = str(self.kb.folder) if self.kb else ""
        return f"last_note/{hashlib.sha1(folder.encode()).hexdigest()[:16]}"

    # -- showing notes --------------------------------------------------------------

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
        self.view.show_page(note_page(self.kb, note.id), self._css())
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
        self.settings.setValue(self._last_note_key(), note.id)
        if self.centre.current_view != "note" and not keep_scroll:
            self.show_view("note")
        self.note_shown.emit(note.id)
        return True

    def _css(self) -> str:
        return note_css(self.palette(), zoom=self.zoom)

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

    @Slot(str)
    def _on_activated(self, note_id: str) -> None:
        self.open_note(note_id)

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

    def link_preview(self, url: QUrl) -> str | None:
        """Rich text shown when the pointer rests on a link."""
        target = note_target(url)
        if target is not None and self.kb is not None:
            note = self.kb.get(target[0])
            if note is None:
                return f"<b>Broken link</b>: no note '{html.escape(target[0])}'"
            kind = type_label(note.type) + (f" · {format_date(note.date)}" if note.date else "")
            text = html.escape(excerpt(note)).replace("\n", "<br>")
            return (f"<p style='white-space: pre-wrap'><b>{html.escape(note.title)}</b><br>"
                    f"<i>{html.escape(kind)}</i></p><p>{text}</p>")
        if url.scheme() == TAG_SCHEME:
            return f"Search the notes tagged <b>#{html.escape(url.path())}</b>"
        if url.scheme() == "broken":
            return f"<b>Broken link</b>: no note is named '{html.escape(url.path())}'"
        if url.scheme() in OUTSIDE_SCHEMES:
            return f"Outside link (opens in your browser after you confirm):<br>{html.escape(url.toString())}"
        return None

    @Slot(QUrl)
    def open_outside_link(self, url: QUrl) -> bool:
        """Ask, then hand a web link to the system browser; nothing is fetched here."""
        if url.scheme() not in OUTSIDE_SCHEMES:
            self.statusBar().showMessage(f"Not opened: '{url.toString()}' is not a web link", 6000)
            return False
        answer = QMessageBox.question(
            self, "Open outside link?",
            f"Open this address in your web browser?\n\n{url.toString()}\n\n"
            "kbviewer itself never connects to the network.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.statusBar().showMessage("Link not opened", 3000)
            return False
        return QDesktopServices.openUrl(url)

    # -- views, panels, search --------------------------------------------------------

    def show_view(self, name: str) -> None:
        self.centre.show_view(name)

    @Slot(str)
    def _on_view_changed(self, name: str) -> None:
        getattr(self.actions_, f"view_{name}").setChecked(True)
        for action in (self.actions_.find, self.actions_.find_next, self.actions_.find_previous):
            action.setEnabled(name == "note")
        if name == "note":
            self.find_bar.refresh()

    @Slot()
    def open_find(self) -> None:
        if self.centre.current_view != "note":
            self.show_view("note")
        selected = self.view.textCursor().selectedText()
        self.find_bar.open_bar(selected if selected and len(selected) < 80 else None)

    @Slot()
    def open_search(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_panel.field.selectAll()

    @Slot(str)
    def search_tag(self, tag: str) -> None:
        """Show the notes with this tag in the search panel (the reader clicked it in a header)."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.set_query(f"tag:{tag}")

    @Slot()
    def open_switcher(self) -> None:
        if self.kb is not None:
            self.switcher.open_with(self.kb.notes(), self.history.recent())

    def cycle_focus(self, step: int) -> None:
        """F6 / Shift+F6: move the focus between the open panels and the centre.

        A panel tabbed behind another is brought to the front on its turn.
        """
        centre = self.centre.stack.currentWidget()
        panes = [(pane, dock) for pane, dock in ((self.browser.tree, self.notes_dock), (centre, None),
                                                 (self.links.tree, self.links_dock),
                                                 (self.annotations_panel, self.annotations_dock),
                                                 (self.search_panel.field, self.search_dock))
                 if dock is None or dock.toggleViewAction().isChecked()]
        focused = QApplication.focusWidget()
        current = next((i for i, (pane, dock) in enumerate(panes) if focused is not None
                        and (focused is pane or (dock or pane).isAncestorOf(focused))), -1)
        pane, dock = panes[(current + step) % len(panes)]
        if dock is not None:
            dock.raise_()
        pane.setFocus(Qt.FocusReason.TabFocusReason)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], zoom))
        self.settings.setValue("zoom", self.zoom)
        if self.current_id:
            self._show(self.current_id, keep_scroll=True)

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
        self.restoreState(self._default_state, SETTINGS_VERSION)
        for dock in self._docks():
            dock.show()
        self.notes_dock.raise_()
        self.links_dock.raise_()
        self._name_dock_tabs()

    # -- export -------------------------------------------------------------------------

    def _save_path(self, kind: str, suffix: str) -> Path | None:
        note = self.kb.get(self.current_id) if self.kb and self.current_id else None
        if note is None:
            return None
        start = str(Path(self.settings.value("export_folder", str(Path.home()))) / f"{note.id}.{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, f"Export as {kind}", start, f"{kind} (*.{suffix})")
        if not name:
            return None
        path = Path(name)
        self.settings.setValue("export_folder", str(path.parent))
        return path if path.suffix else path.with_suffix(f".{suffix}")

    @Slot()
    def export_html(self, path: Path | None = None) -> Path | None:
        path = path or self._save_path("HTML", "html")
        if path is not None and self.current_id:
            export.export_html(self.kb, self.current_id, path)
            self.statusBar().showMessage(f"Saved {path}", 5000)
        return path

    @Slot()
    def export_pdf(self, path: Path | None = None) -> Path | None:
        path = path or self._save_path("PDF", "pdf")
        if path is not None and self.current_id:
            export.export_pdf(self.kb, self.current_id, path)
            self.statusBar().showMessage(f"Saved {path}", 5000)
        return path

    @Slot()
    def print_note(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if not self.current_id:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print note")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            export.print_note(self.kb, self.current_id, printer)

    # -- help -------------------------------------------------------------------------

    @Slot()
    def show_shortcuts(self) -> QDialog:
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        dialog.setAccessibleName("Keyboard shortcuts")
        text = QTextBrowser()
        text.setAccessibleName("Shortcut list")
        text.setHtml(shortcuts_html(self.menus))
        QVBoxLayout(dialog).addWidget(text)
        dialog.resize(620, 560)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(self, "About kbviewer",
                          f"<b>kbviewer {html.escape(__version__)}</b><p>An offline viewer for linked Markdown "
                          "notes. Nothing it shows is fetched from the network.</p>")

    # -- settings, events ----------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, SETTINGS_VERSION)
        try:
            self.zoom = float(self.settings.value("zoom", 1.0))
        except (TypeError, ValueError):
            self.zoom = 1.0
        view = self.settings.value("window/view", "note")
        self._initial_view = view if view in VIEWS and view != "note" else None

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState(SETTINGS_VERSION))
        self.settings.setValue("window/view", self.centre.current_view)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.save_layout()
        self.search_panel.shutdown()
        if self.loader is not None:
            self.loader.cancel()
            self.loader.wait(None)  # a thread destroyed while running would abort the process
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._name_dock_tabs()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.annotations.refresh()  # the command line may have changed them meanwhile
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            if self.current_id and self.kb is not None:
                self._show(self.current_id, keep_scroll=True)
            self.centre.refresh()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            button = event.button()
            if button in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton):
                if isinstance(watched, QWidget) and watched.window() is self:
                    self.go_back() if button == Qt.MouseButton.BackButton else self.go_forward()
                    return True
        return super().eventFilter(watched, event)
