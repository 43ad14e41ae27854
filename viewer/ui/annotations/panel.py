"""The annotations panel: this note's highlights, and every annotation with filters.

Two tabs. "This note" lists the note's highlights in reading order, then its
orphans (passages no longer found) under "Orphaned". "All" lists every
annotation grouped by note, narrowed by words (comment, tags, quote), a tag
and "Orphaned only". Each row shows the colour, the quote, the comment, the
tags and the date. Clicking a row (or Enter) opens its passage; Edit… (F2)
and Delete (the Delete key) act on the selected rows.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTabWidget, QVBoxLayout, QWidget)

from viewer.core.annotations import Annotation, AnnotationStore
from viewer.ui.annotations.rows import ANNOTATION_ROLE, annotation_item, short  # noqa: F401 (short: for search)
from viewer.ui.rich_text import HTML_ROLE, WrappingTreeView, section_item

NOTE_TAB, ALL_TAB = 0, 1
EMPTY_NOTE = "No annotations in this note. Select a passage and press Ctrl+Shift+H."

Titles = Callable[[str], "str | None"]


class AnnotationsPanel(QWidget):
    """This note's annotations and all of them, with Edit and Delete.

    Signals:
        annotation_activated(str): the reader opened an annotation (its id).
        edit_requested(str): Edit… on an annotation.
        delete_requested(list): Delete on these annotation ids.
    """

    annotation_activated = Signal(str)
    edit_requested = Signal(str)
    delete_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store: AnnotationStore | None = None
        self.titles: Titles = lambda note_id: None
        self.note_id: str | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Annotation lists")
        self.tabs.tabBar().setAccessibleName("Annotation lists")
        self.note_model = QStandardItemModel(self)
        self.note_tree = self._tree(self.note_model, "Annotations of this note")
        self.all_model = QStandardItemModel(self)
        self.all_tree = self._tree(self.all_model, "All annotations")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by words")
        self.filter.setAccessibleName("Filter annotations")
        self.filter.setToolTip("Words of the comment, the tags or the quote; tag:NAME for a tag")
        self.filter.setClearButtonEnabled(True)
        self.tag_box = QComboBox()
        self.tag_box.setAccessibleName("Filter by tag")
        self.tag_box.setToolTip("Only annotations with this tag")
        self.orphans_only = QCheckBox("&Orphaned only")
        self.orphans_only.setAccessibleName("Orphaned only")
        self.orphans_only.setToolTip("Only annotations whose passage is no longer in the note")
        self.count = QLabel()
        self.count.setAccessibleName("Annotation count")
        all_page = QWidget()
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.tag_box, 1)
        filters.addWidget(self.orphans_only)
        all_layout = QVBoxLayout(all_page)
        all_layout.setContentsMargins(0, 4, 0, 0)
        all_layout.setSpacing(4)
        all_layout.addWidget(self.filter)
        all_layout.addLayout(filters)
        all_layout.addWidget(self.all_tree, 1)
        all_layout.addWidget(self.count)
        self.tabs.addTab(self.note_tree, "This note")
        self.tabs.addTab(all_page, "All")
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.setAccessibleName("Edit annotation")
        self.edit_button.setToolTip("Edit the selected annotation's colour, comment and tags (F2)")
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setAccessibleName("Delete annotation")
        self.delete_button.setToolTip("Delete the selected annotations (Delete); Undo brings them back")
        self.message = QLabel()
        self.message.setAccessibleName("Annotations status")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.note_tree)
        self._fill_tags()
        self._update_buttons()
        self._connect()

    def _tree(self, model: QStandardItemModel, name: str) -> WrappingTreeView:
        tree = WrappingTreeView()
        tree.setModel(model)
        tree.setAccessibleName(name)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        tree.setIndentation(10)
        tree.installEventFilter(self)
        return tree

    def _connect(self) -> None:
        for tree in (self.note_tree, self.all_tree):
            tree.clicked.connect(self._on_clicked)
            tree.activated.connect(self._on_activated)
            tree.selectionModel().selectionChanged.connect(self._update_buttons)
        self.tabs.currentChanged.connect(self._on_tab)
        self.filter.textChanged.connect(self.fill_all)
        self.tag_box.currentIndexChanged.connect(self.fill_all)
        self.orphans_only.toggled.connect(self.fill_all)
        self.edit_button.clicked.connect(self._edit_selected)
        self.delete_button.clicked.connect(self._delete_selected)

    # -- content ------------------------------------------------------------------

    def set_store(self, store: AnnotationStore | None, titles: Titles | None = None,
                  message: str = "") -> None:
        """Show `store`'s annotations (None: none, and `message` says why)."""
        self.store = store
        if titles is not None:
            self.titles = titles
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.refresh()

    def show_note(self, note_id: str | None) -> None:
        """List the annotations of `note_id` under "This note"."""
        self.note_id = note_id
        self.fill_note()

    def refresh(self) -> None:
        """The annotations changed: fill both tabs again, keeping the selection."""
        self._fill_tags()
        self.fill_note()
        self.fill_all()

    def fill_note(self) -> None:
        chosen = self.selected_ids(self.note_tree)
        self.note_model.clear()
        found = self.store.for_note(self.note_id) if self.store is not None and self.note_id else []
        anchored = [a for a in found if not a.orphaned]
        orphans = [a for a in found if a.orphaned]
        if not found:
            self.note_model.appendRow(self._placeholder(EMPTY_NOTE if self.store is not None else ""))
        for a in anchored:
            self.note_model.appendRow(annotation_item(a))
        if orphans:
            section = self._section(f"Orphaned ({len(orphans)})")
            section.setToolTip("Passages no longer found in this note; their comments are kept")
            for a in orphans:
                section.appendRow(annotation_item(a))
            self.note_model.appendRow(section)
            self.note_tree.expandAll()
        self._reselect(self.note_tree, chosen)
        self.tabs.setTabText(NOTE_TAB, f"This note ({len(found)})" if found else "This note")

    @Slot()
    def fill_all(self) -> None:
        chosen = self.selected_ids(self.all_tree)
        self.all_model.clear()
        if self.store is None:
            self.count.setText("")
            return
        tag = self.tag_box.currentData()
        text = self.filter.text().strip()
        found = self.store.search(text, tags=[tag] if tag else ()) if text or tag else self.store.all()
        if self.orphans_only.isChecked():
            found = [a for a in found if a.orphaned]
        by_note: dict[str, list[Annotation]] = {}
        for a in found:
            by_note.setdefault(a.note, []).append(a)

        def title(note_id: str) -> str:
            return self.titles(note_id) or f"{note_id} (no such note)"

        for note_id in sorted(by_note, key=lambda n: (title(n).casefold(), n)):
            rows = sorted(by_note[note_id], key=lambda a: (a.orphaned, a.start, a.end, a.created))
            section = self._section(f"{title(note_id)} ({len(rows)})")
            for a in rows:
                section.appendRow(annotation_item(a))
            self.all_model.appendRow(section)
        if not found:
            filtered = text or tag or self.orphans_only.isChecked()
            self.all_model.appendRow(self._placeholder("No annotations match." if filtered else
                                                       "No annotations yet. Select a passage in a note "
                                                       "and press Ctrl+Shift+H."))
        self.all_tree.expandAll()
        self._reselect(self.all_tree, chosen)
        total = len(self.store)
        orphans = sum(a.orphaned for a in found)
        shown = f"{len(found)} of {total}" if len(found) != total else f"{total}"
        self.count.setText(f"{shown} annotation{'s' if total != 1 else ''}"
                           + (f", {orphans} orphaned" if orphans else ""))

    def _fill_tags(self) -> None:
        current = self.tag_box.currentData()
        self.tag_box.blockSignals(True)
        self.tag_box.clear()
        self.tag_box.addItem("All tags", None)
        for tag, count in (self.store.tags() if self.store is not None else []):
            self.tag_box.addItem(f"#{tag} ({count})", tag)
        index = self.tag_box.findData(current) if current else 0
        self.tag_box.setCurrentIndex(max(0, index))
        self.tag_box.blockSignals(False)

    def _section(self, text: str) -> QStandardItem:
        return section_item(text, self.font())

    def _placeholder(self, text: str) -> QStandardItem:
        """A greyed, wrapping line of text that cannot be selected."""
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        item.setForeground(self.palette().placeholderText())
        if text:
            colour = self.palette().placeholderText().color().name()
            item.setData(f'<span style="color: {colour}">{html.escape(text)}</span>', HTML_ROLE)
        return item

    # -- selection ----------------------------------------------------------------

    def ids(self, tab: int = NOTE_TAB) -> list[str]:
        """The annotation ids listed in a tab, in order."""
        model = self.note_model if tab == NOTE_TAB else self.all_model
        found: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(model.rowCount(parent)):
                index = model.index(row, 0, parent)
                if index.data(ANNOTATION_ROLE):
                    found.append(index.data(ANNOTATION_ROLE))
                walk(index)

        walk(QModelIndex())
        return found

    def index_of(self, annotation_id: str, tab: int = NOTE_TAB) -> QModelIndex:
        model = self.note_model if tab == NOTE_TAB else self.all_model
        hits = model.match(model.index(0, 0), ANNOTATION_ROLE, annotation_id, 1,
                           Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return hits[0] if hits else QModelIndex()

    def select(self, annotation_id: str) -> bool:
        """Show and select an annotation's row: in "This note" if it is there, else in "All"."""
        for tab, tree in ((NOTE_TAB, self.note_tree), (ALL_TAB, self.all_tree)):
            index = self.index_of(annotation_id, tab)
            if index.isValid():
                self.tabs.setCurrentIndex(tab)
                tree.setCurrentIndex(index)
                tree.scrollTo(index)
                return True
        return False

    def current_tree(self) -> WrappingTreeView:
        return self.note_tree if self.tabs.currentIndex() == NOTE_TAB else self.all_tree

    @staticmethod
    def selected_ids(tree: QAbstractItemView) -> list[str]:
        rows = sorted(tree.selectionModel().selectedIndexes(), key=lambda i: tree.visualRect(i).top())
        return [i.data(ANNOTATION_ROLE) for i in rows if i.data(ANNOTATION_ROLE)]

    def _reselect(self, tree: WrappingTreeView, ids: list[str]) -> None:
        model = tree.model()
        for ann_id in ids:
            hits = model.match(model.index(0, 0), ANNOTATION_ROLE, ann_id, 1,
                               Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
            if hits:
                tree.selectionModel().select(hits[0], QItemSelectionModel.SelectionFlag.Select)
                tree.selectionModel().setCurrentIndex(hits[0], QItemSelectionModel.SelectionFlag.NoUpdate)
        self._update_buttons()

    @Slot()
    def _update_buttons(self) -> None:
        chosen = self.selected_ids(self.current_tree())
        writable = self.store is not None and not self.store.read_only
        self.edit_button.setEnabled(writable and len(chosen) == 1)
        self.delete_button.setEnabled(writable and bool(chosen))

    # -- reader's actions ---------------------------------------------------------

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        self.setFocusProxy(self.note_tree if index == NOTE_TAB else self.all_tree)
        self._update_buttons()

    @Slot(QModelIndex)
    def _on_clicked(self, index: QModelIndex) -> None:
        if QApplication.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
            self._on_activated(index)  # a Ctrl or Shift click only selects

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        ann_id = index.data(ANNOTATION_ROLE)
        if ann_id:
            self.annotation_activated.emit(ann_id)

    @Slot()
    def _edit_selected(self) -> None:
        chosen = self.selected_ids(self.current_tree())
        if len(chosen) == 1:
            self.edit_requested.emit(chosen[0])

    @Slot()
    def _delete_selected(self) -> None:
        chosen = self.selected_ids(self.current_tree())
        if chosen:
            self.delete_requested.emit(chosen)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.modifiers() == Qt.KeyboardModifier.NoModifier
                and watched in (self.note_tree, self.all_tree)):
            if event.key() == Qt.Key.Key_Delete:
                self._delete_selected()
                return True
            if event.key() == Qt.Key.Key_F2:
                self._edit_selected()
                return True
        return super().eventFilter(watched, event)
