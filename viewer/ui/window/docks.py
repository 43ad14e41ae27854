"""The window's side panels as dock widgets: Notes and Search on the left, Links and Annotations on the right.

Each panel can be resized, closed and brought back (View › Panels); two on
one side share the place as tabs. F6 and Shift+F6 move the focus round the
open panels and the centre.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QMainWindow, QTabBar, QWidget

from viewer.ui.panels.links import LinksPanel
from viewer.ui.panels.notes import BrowserPanel

if TYPE_CHECKING:
    from viewer.ui.annotations.panel import AnnotationsPanel
    from viewer.ui.search.panel import SearchPanel

PANELS = ("notes", "search", "links", "annotations")
LATER = ("search", "annotations")  # tabbed behind Notes and Links: made when first shown or asked for


def _make(name: str) -> QWidget:
    if name == "search":
        from viewer.ui.search.panel import SearchPanel

        return SearchPanel()
    from viewer.ui.annotations.panel import AnnotationsPanel

    return AnnotationsPanel()


class Docks:
    """The four panels and their docks, added to `window`.

    The Search and Annotations panels, tabbed behind Notes and Links, are not in the
    window's first paint: each is made when its dock is first shown or the panel is asked
    for (`search_panel`, `annotations_panel`), then handed to the callback of `when_made`.

    Attributes:
        browser, links: the panels always made.
        by_name: the docks, by the names in PANELS.
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.browser = BrowserPanel()
        self.links = LinksPanel()
        self._made: dict[str, QWidget] = {}
        self._on_made: Callable[[str, QWidget], None] | None = None
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.by_name: dict[str, QDockWidget] = {
            "notes": self._dock("Notes", "notes-dock", self.browser, left),
            "search": self._dock("Search", "search-dock", QWidget(), left),
            "links": self._dock("Links", "links-dock", self.links, right),
            "annotations": self._dock("Annotations", "annotations-dock", QWidget(), right),
        }
        for name in LATER:
            self.by_name[name].visibilityChanged.connect(
                lambda visible, name=name: visible and self.panel(name))
        window.tabifyDockWidget(self.by_name["notes"], self.by_name["search"])
        window.tabifyDockWidget(self.by_name["links"], self.by_name["annotations"])
        self.raise_defaults()

    def panel(self, name: str) -> QWidget:
        """A panel of LATER, made now if it was not yet."""
        if name not in self._made:
            panel = self._made[name] = _make(name)
            dock = self.by_name[name]
            placeholder = dock.widget()
            dock.setWidget(panel)
            if dock.isVisible():
                panel.show()  # a widget put in a dock already shown is not shown with it
            placeholder.deleteLater()
            if self._on_made is not None:
                self._on_made(name, panel)
        return self._made[name]

    def when_made(self, callback: Callable[[str, QWidget], None]) -> None:
        """`callback(name, panel)` for each panel of LATER once made (now, for those made already)."""
        self._on_made = callback
        for name, panel in self._made.items():
            callback(name, panel)

    def made(self, name: str) -> bool:
        return name in self._made

    @property
    def search_panel(self) -> SearchPanel:
        return self.panel("search")  # type: ignore[return-value]

    @property
    def annotations_panel(self) -> AnnotationsPanel:
        return self.panel("annotations")  # type: ignore[return-value]

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(f"{title} panel")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        dock.toggleViewAction().setText(f"{title} Panel")
        self.window.addDockWidget(area, dock)
        return dock

    def all(self) -> list[QDockWidget]:
        return list(self.by_name.values())

    def toggles(self):
        """The View › Panels entries."""
        return [dock.toggleViewAction() for dock in self.all()]

    def raise_defaults(self) -> None:
        """Notes and Links in front, and a name for Qt's tab bars."""
        self.by_name["notes"].raise_()
        self.by_name["links"].raise_()
        self.name_tabs()

    def name_tabs(self) -> None:
        """Qt makes a tab bar for tabbed panels; give it a name for screen readers."""
        for bar in self.window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.accessibleName():
                bar.setAccessibleName("Panel tabs")

    def show(self, name: str) -> None:
        """Show a panel ("notes", "search", "links", "annotations") in front of those tabbed with it."""
        if name in LATER:
            self.panel(name)  # made before it is shown
        dock = self.by_name[name]
        dock.show()
        dock.raise_()

    def show_all(self) -> None:
        for dock in self.all():
            dock.show()
        self.raise_defaults()

    def cycle_focus(self, centre: QWidget, step: int) -> None:
        """Move the focus to the next (1) or previous (-1) open panel or the centre.

        A panel tabbed behind another is brought to the front on its turn.
        """
        d = self.by_name
        panes = [(pane, dock) for pane, dock in ((self.browser.tree, d["notes"]), (centre, None),
                                                 (self.links.tree, d["links"]),
                                                 (self.annotations_panel, d["annotations"]),
                                                 (self.search_panel.field, d["search"]))
                 if dock is None or dock.toggleViewAction().isChecked()]
        focused = QApplication.focusWidget()
        current = next((i for i, (pane, dock) in enumerate(panes) if focused is not None
                        and (focused is pane or (dock or pane).isAncestorOf(focused))), -1)
        pane, dock = panes[(current + step) % len(panes)]
        if dock is not None:
            dock.raise_()
        pane.setFocus(Qt.FocusReason.TabFocusReason)
