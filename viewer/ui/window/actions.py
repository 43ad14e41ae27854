"""The window's QActions, its menus and toolbar, and the shortcut list for Help.

Every command is a QAction with a standard QKeySequence where one exists, so
menus, toolbar, shortcuts and the Help list come from one place. The window
connects the actions to its slots.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

Std = QKeySequence.StandardKey

# Keys that are not menu commands, for the Help list.
OTHER_KEYS = [
    ("In the note", "Tab / Shift+Tab", "Move between links"),
    ("In the note", "Enter", "Follow the selected link"),
    ("In the note", "Mouse back / forward buttons", "Back / Forward"),
    ("Find bar", "Enter / Shift+Enter", "Next / previous match"),
    ("Find bar", "Esc", "Close the find bar"),
    ("Search panel", "Down", "Move from the field to the results"),
    ("Search panel", "Enter", "Open the first (or selected) result"),
    ("Quick switcher", "Up / Down, Enter, Esc", "Choose, open, close"),
    ("Lists", "Enter", "Open the selected note"),
    ("In the note", "Right-click a highlight", "Edit or delete its annotation"),
    ("Annotations panel", "Enter", "Open the passage"),
    ("Annotations panel", "F2 / Delete", "Edit / delete the selected annotations"),
]


@dataclass(eq=False, repr=False)  # a window's own set: the same only as itself
class Actions:
    """All of the window's actions, by name."""

    open_folder: QAction
    reload: QAction
    export_html: QAction
    export_pdf: QAction
    print_note: QAction
    export_annotations_markdown: QAction
    export_annotations_w3c: QAction
    export_annotations: QAction
    export_sources: QAction
    import_annotations: QAction
    quit: QAction
    undo_annotation: QAction
    redo_annotation: QAction
    copy: QAction
    copy_with_citation: QAction
    copy_citation: QAction
    select_all: QAction
    highlight: QAction
    find: QAction
    find_next: QAction
    find_previous: QAction
    search: QAction
    back: QAction
    forward: QAction
    overview: QAction
    switcher: QAction
    view_note: QAction
    view_timeline: QAction
    view_graph: QAction
    next_pane: QAction
    previous_pane: QAction
    zoom_in: QAction
    zoom_out: QAction
    zoom_reset: QAction
    full_screen: QAction
    caret_browsing: QAction
    reset_layout: QAction
    shortcuts: QAction
    about: QAction


def _icon(name: str) -> QIcon:
    return QIcon.fromTheme(name) if QIcon.hasThemeIcon(name) else QIcon()


def _action(parent: QMainWindow, text: str, keys=(), tip: str = "", icon: str = "",
            checkable: bool = False) -> QAction:
    action = QAction(_icon(icon), text, parent)
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences += QKeySequence.keyBindings(key)
        else:
            sequences.append(QKeySequence(key))
    unique = list({seq.toString(): seq for seq in sequences if not seq.isEmpty()}.values())
    if unique:
        action.setShortcuts(unique)
    plain = text.replace("&", "").rstrip("…")
    action.setToolTip(f"{tip or plain} ({unique[0].toString(QKeySequence.SequenceFormat.NativeText)})"
                      if unique else tip or plain)
    action.setStatusTip(tip or plain)
    action.setCheckable(checkable)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    parent.addAction(action)  # shortcuts work with the menu bar hidden too
    return action


def create_actions(window: QMainWindow) -> Actions:
    a = Actions(
        open_folder=_action(window, "&Open Knowledge Base…", ["Ctrl+Shift+O"], "Open a folder of notes",
                            "document-open"),
        reload=_action(window, "&Reload Notes", [Std.Refresh], "Read the folder again for changed notes",
                       "view-refresh"),
        export_html=_action(window, "Export as &HTML…", ["Ctrl+E"], "Save the note as one HTML file"),
        export_pdf=_action(window, "Export as &PDF…", ["Ctrl+Shift+E"], "Save the note as a PDF"),
        print_note=_action(window, "&Print…", [Std.Print], "Print the note", "document-print"),
        export_annotations_markdown=_action(window, "Export Annotations as &Markdown…", [],
                                            "Save every annotation as a Markdown file"),
        export_annotations_w3c=_action(window, "Export Annotations as &W3C JSON-LD…", [],
                                       "Save every annotation as W3C Web Annotation JSON-LD"),
        export_annotations=_action(window, "Export Annotations with &Citations…", [],
                                   "Save annotations as Markdown, HTML or Word with citations and a bibliography"),
        export_sources=_action(window, "Export &Sources…", [],
                               "Save the source notes as CSL-JSON, BibTeX or RIS for a reference manager"),
        import_annotations=_action(window, "&Import Annotations…", [],
                                   "Merge annotations from a W3C Web Annotation JSON file"),
        quit=_action(window, "&Quit", [Std.Quit, "Ctrl+Q"], "Quit kbviewer", "application-exit"),
        undo_annotation=_action(window, "&Undo", [Std.Undo], "Undo the last change to annotations", "edit-undo"),
        redo_annotation=_action(window, "&Redo", [Std.Redo], "Redo the change to annotations", "edit-redo"),
        copy=_action(window, "&Copy", [Std.Copy], "Copy the selected text", "edit-copy"),
        copy_with_citation=_action(window, "Copy &with Citation", ["Ctrl+Shift+C"],
                                   "Copy the selected passage as a quotation with the citation of its source"),
        copy_citation=_action(window, "Copy Ci&tation", [],
                              "Copy the citation of this source, or of this note's sources"),
        select_all=_action(window, "Select &All", [Std.SelectAll], "Select the whole note"),
        highlight=_action(window, "&Highlight…", ["Ctrl+Shift+H"],
                          "Highlight the selected passage with a colour, a comment and tags"),
        find=_action(window, "&Find in Note…", [Std.Find], "Find text in this note", "edit-find"),
        find_next=_action(window, "Find &Next", [Std.FindNext], "Next match in the note"),
        find_previous=_action(window, "Find Pre&vious", [Std.FindPrevious], "Previous match in the note"),
        search=_action(window, "&Search All Notes…", ["Ctrl+Shift+F"], "Search every note", "system-search"),
        back=_action(window, "&Back", [Std.Back], "Back to the previous note", "go-previous"),
        forward=_action(window, "&Forward", [Std.Forward], "Forward to the next note", "go-next"),
        overview=_action(window, "&Overview", ["Alt+Home"], "Open the overview note", "go-home"),
        switcher=_action(window, "&Go to Note…", ["Ctrl+K", "Ctrl+O"], "Jump to a note by name", "go-jump"),
        view_note=_action(window, "&Note", ["Ctrl+1"], "Show the note", checkable=True),
        view_timeline=_action(window, "&Timeline", ["Ctrl+2"], "Show the timeline of events", checkable=True),
        view_graph=_action(window, "&Graph", ["Ctrl+3"], "Show the graph of links", checkable=True),
        next_pane=_action(window, "Next &Panel", ["F6"], "Move the focus to the next panel"),
        previous_pane=_action(window, "Previous Pa&nel", ["Shift+F6"], "Move the focus to the previous panel"),
        zoom_in=_action(window, "Zoom &In", [Std.ZoomIn, "Ctrl+="], "Larger text", "zoom-in"),
        zoom_out=_action(window, "Zoom &Out", [Std.ZoomOut], "Smaller text", "zoom-out"),
        zoom_reset=_action(window, "&Actual Size", ["Ctrl+0"], "Text at its usual size", "zoom-original"),
        full_screen=_action(window, "&Full Screen", ["F11"], "Full screen", checkable=True),
        caret_browsing=_action(window, "&Caret Browsing", ["F7"],
                               "Move a text cursor in the note with the keys; Shift+arrows select",
                               checkable=True),
        reset_layout=_action(window, "&Reset Layout", [], "Show every panel in its first place"),
        shortcuts=_action(window, "&Keyboard Shortcuts", [Std.HelpContents, "F1"], "List the shortcuts",
                          "help-contents"),
        about=_action(window, "&About kbviewer", [], "About this program", "help-about"),
    )
    group = QActionGroup(window)
    group.setExclusive(True)
    for action in (a.view_note, a.view_timeline, a.view_graph):
        group.addAction(action)
    a.view_note.setChecked(True)
    a.quit.setMenuRole(QAction.MenuRole.QuitRole)
    a.about.setMenuRole(QAction.MenuRole.AboutRole)
    return a


def limit_to(action: QAction, widgets: list[QWidget]) -> None:
    """Make `action`'s shortcut work only when the focus is in one of `widgets`.

    For Undo and Redo of annotations: a text field keeps its own Ctrl+Z.
    """
    window = action.parent()
    if isinstance(window, QWidget):
        window.removeAction(action)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    for widget in widgets:
        widget.addAction(action)


def build_menus(window: QMainWindow, a: Actions, panel_toggles: list[QAction]) -> dict[str, QMenu]:
    bar = window.menuBar()
    menus: dict[str, QMenu] = {}

    def menu(title: str, items: list[QAction | None]) -> QMenu:
        m = bar.addMenu(title)
        m.setAccessibleName(title.replace("&", ""))
        for item in items:
            if item is None:
                m.addSeparator()
            else:
                m.addAction(item)
        menus[title.replace("&", "")] = m
        return m

    menu("&File", [a.open_folder, a.reload, None, a.export_html, a.export_pdf, a.print_note, None,
                   a.export_annotations, a.export_annotations_markdown, a.export_annotations_w3c,
                   a.import_annotations, None, a.export_sources, None, a.quit])
    menu("&Edit", [a.undo_annotation, a.redo_annotation, None, a.copy, a.copy_with_citation, a.copy_citation,
                   a.select_all, a.highlight, None, a.find, a.find_next, a.find_previous, None, a.search])
    menu("&Go", [a.back, a.forward, a.overview, None, a.switcher])
    view = menu("&View", [a.view_note, a.view_timeline, a.view_graph, None])
    panels = view.addMenu("&Panels")
    panels.setAccessibleName("Panels")
    for toggle in panel_toggles:
        panels.addAction(toggle)
    panels.addSeparator()
    panels.addAction(a.reset_layout)
    for item in (None, a.next_pane, a.previous_pane, None, a.zoom_in, a.zoom_out, a.zoom_reset, None,
                 a.caret_browsing, a.full_screen):
        view.addSeparator() if item is None else view.addAction(item)
    menu("&Help", [a.shortcuts, None, a.about])
    return menus


def build_toolbar(window: QMainWindow, a: Actions) -> QToolBar:
    bar = QToolBar("Navigation", window)
    bar.setObjectName("navigation-toolbar")
    bar.setAccessibleName("Navigation toolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for item in (a.back, a.forward, a.overview, None, a.switcher, a.search, a.find, None, a.export_pdf):
        bar.addSeparator() if item is None else bar.addAction(item)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    return bar


# Keys Qt binds on some platforms besides the main one (Ctrl+Ins for Copy, Alt+Backspace for Undo).
_EXTRA_KEYS = {"Ctrl+Ins", "Shift+Ins", "Shift+Del", "Alt+Backspace", "Alt+Shift+Backspace",
               "Shift+Backspace"}


def _readable(sequence: QKeySequence) -> bool:
    """False for keys a reader cannot type on a usual keyboard: F13–F35, Copy, Undo, Refresh..."""
    for i in range(sequence.count()):
        key = sequence[i].key().value
        if key >= Qt.Key.Key_F13.value:
            return False
    return True


def readable_keys(action: QAction) -> list[str]:
    """The action's shortcuts as a reader types them, the platform's extras left out when a main one exists."""
    keys = [seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in action.shortcuts() if _readable(seq)]
    main = [key for key in keys if QKeySequence(key).toString() not in _EXTRA_KEYS]
    return main or keys


def command_name(action: QAction) -> str:
    """The action's menu name without '&' and '…', the same whatever undo would undo."""
    name = action.text().replace("&", "").replace("…", "").strip()
    first = name.split(" ", 1)[0]
    return first if first in ("Undo", "Redo") else name


def shortcuts_html(menus: dict[str, QMenu]) -> str:
    """A table of every menu command with its shortcuts, then the other keys."""
    rows: list[str] = []

    def walk(title: str, menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(f"{title} › {action.text().replace('&', '')}", action.menu())
                continue
            keys = readable_keys(action)
            if action.isSeparator() or not keys:
                continue
            rows.append(f"<tr><td>{html.escape(title)}</td><td>{html.escape(command_name(action))}</td>"
                        f"<td><b>{html.escape(', '.join(keys))}</b></td></tr>")

    for title, menu in menus.items():
        walk(title, menu)
    for where, keys, what in OTHER_KEYS:
        rows.append(f"<tr><td>{html.escape(where)}</td><td>{html.escape(what)}</td>"
                    f"<td><b>{html.escape(keys)}</b></td></tr>")
    return ('<table cellspacing="0" cellpadding="4" width="100%"><tr><th align="left">Where</th>'
            '<th align="left">Command</th><th align="left">Keys</th></tr>' + "".join(rows) + "</table>")
