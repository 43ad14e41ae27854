"""The main window: the list of notes and the rendered note."""

from __future__ import annotations


from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMainWindow, QSplitter

from viewer.core import KnowledgeBase
from viewer.ui.note_view import NoteView


class MainWindow(QMainWindow):
    def __init__(self, kb: KnowledgeBase) -> None:
        super().__init__()
        self.kb = kb
        self.current_id: str | None = None
        self.note_list = QListWidget()
        self.note_list.setAccessibleName("Notes")
        for note in sorted(kb, key=lambda n: n.title.casefold()):
            item = QListWidgetItem(note.title)
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.note_list.addItem(item)
        self.view = NoteView()
        self.view.kb_folder = kb.folder
        splitter = QSplitter()
        splitter.addWidget(self.note_list)
        splitter.addWidget(self.view)
        splitter.setSizes([260, 740])
        self.setCentralWidget(splitter)
        self.resize(1100, 750)
        self._connect()

    def _connect(self) -> None:
        self.note_list.currentItemChanged.connect(self._on_list_item)
        self.view.note_link_clicked.connect(self._on_note_link)
        self.view.broken_link_clicked.connect(self._on_broken_link)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_list_item(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None:
            self.open_note(item.data(Qt.ItemDataRole.UserRole))

    @Slot(str, str)
    def _on_note_link(self, note_id: str, anchor: str) -> None:
        self.open_note(note_id, anchor)

    @Slot(str)
    def _on_broken_link(self, target: str) -> None:
        self.statusBar().showMessage(f"Broken link: no note named '{target}'", 5000)

    def open_note(self, note_id: str, anchor: str = "") -> bool:
        note = self.kb.get(note_id)
        if note is None:
            self.statusBar().showMessage(f"No note '{note_id}'", 5000)
            return False
        self.current_id = note.id
        self.view.setHtml(self.kb.render(note.id))
        if anchor:
            self.view.scrollToAnchor(anchor)
        self.setWindowTitle(f"{note.title} — kbviewer")
        return True
