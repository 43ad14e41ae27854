"""Citations in the window: Copy Citation, Copy with Citation (Ctrl+Shift+C) and Export Sources.

The citations come from the core (`viewer.core.citations`, in the style the
reader last chose under Edit › Citation Style); the clipboard gets plain text
and HTML (QMimeData), so a word processor pastes the italics.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # the dialogs' types are set up when first used
from PySide6.QtCore import QMimeData, QObject, QSettings
from PySide6.QtGui import QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from viewer.core.atomic import atomic_write
from viewer.core.citation_styles import DEFAULT_STYLE, STYLES

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase
    from viewer.core.annotations import Annotation
    from viewer.core.citations import Citation, CitationError
    from viewer.ui.note.view import NoteView

STYLE_KEY = "citation_style"


def quotation(passage: str, citations: list[Citation]) -> tuple[str, str]:
    """(plain text, HTML) of a passage as a quotation followed by its citations."""
    passage = " ".join(passage.replace("\u2029", "\n").split())
    text = f"“{passage}”\n\n" + "\n".join(c.text for c in citations)
    rich = (f"<blockquote><p>“{html.escape(passage)}”</p></blockquote>"
            + "".join(f"<p>{c.html}</p>" for c in citations))
    return text.rstrip("\n"), rich


def to_clipboard(text: str, rich: str) -> None:
    """Plain text and HTML on the clipboard, which owns the data from then on."""
    data = QMimeData()
    data.setText(text)
    data.setHtml(rich)
    QGuiApplication.clipboard().setMimeData(data)


def clear_clipboard() -> None:
    QGuiApplication.clipboard().clear()


class CitationCommands(QObject):
    """The window's citation commands; `kb()`, `note_id()` and `annotations()` give what is open."""

    def __init__(self, parent: QWidget, view: NoteView, settings: QSettings, say: Callable[[str, int], None],
                 kb: Callable[[], KnowledgeBase | None], note_id: Callable[[], str | None],
                 annotations: Callable[[], list[Annotation]]) -> None:
        super().__init__(parent)
        self.parent_widget, self.view, self.settings, self.say = parent, view, settings, say
        self.kb, self.note_id, self.annotations = kb, note_id, annotations
        app = QGuiApplication.instance()
        if app is not None and QGuiApplication.platformName() == "offscreen":
            # Qt's offscreen clipboard crashes at exit while it holds rich data; a real one keeps it
            app.aboutToQuit.connect(clear_clipboard)

    @property
    def style(self) -> str:
        style = str(self.settings.value(STYLE_KEY, DEFAULT_STYLE))
        return style if style in STYLES else DEFAULT_STYLE

    def set_style(self, style: str) -> None:
        if style in STYLES:
            self.settings.setValue(STYLE_KEY, style)

    def _fail(self, err: CitationError) -> None:
        QtWidgets.QMessageBox.warning(self.parent_widget, "No citation", str(err))

    def copy_citation(self) -> str | None:
        """Copy the citation of the note shown (a source), or of its sources."""
        kb, note_id = self.kb(), self.note_id()
        note = kb.get(note_id) if kb and note_id else None
        if note is None:
            return None
        from viewer.core.citations import CitationError, cite  # with the first citation

        try:
            citations = cite(kb, note, self.style)
        except CitationError as err:
            self._fail(err)
            return None
        if not citations:
            self.say(f"{note.title} cites no source", 5000)
            return None
        text = "\n".join(c.text for c in citations)
        to_clipboard(text, "".join(f"<p>{c.html}</p>" for c in citations))
        self.say(f"Copied {len(citations)} citation{'s' if len(citations) > 1 else ''} "
                 f"({STYLES[self.style][0]})", 5000)
        return text

    def copy_with_citation(self) -> str | None:
        """Ctrl+Shift+C: the selected passage as a quotation, then the citation of what it cites."""
        kb, note_id = self.kb(), self.note_id()
        note = kb.get(note_id) if kb and note_id else None
        cursor = self.view.textCursor()
        if note is None or not cursor.hasSelection():
            self.say("Select a passage in the note first, then Copy with Citation (Ctrl+Shift+C)", 5000)
            return None
        from viewer.core.annotations import note_text
        from viewer.core.citations import CitationError, cite_notes, sources_of

        found = self.view.highlights.selection(kb, note.id, note_text(kb, note.id))
        try:
            from viewer.core.cited import passage_sources

            sources = passage_sources(kb, note, *found) if found else sources_of(kb, note)
            citations = cite_notes(sources, self.style)
        except CitationError as err:
            self._fail(err)
            return None
        text, rich = quotation(cursor.selectedText(), citations)
        to_clipboard(text, rich)
        self.say("Copied the passage with its citation" if citations else
                 "Copied the passage (it cites no source)", 5000)
        return text

    def export_sources(self, path: Path | None = None, fmt: str | None = None, cited: bool | None = None) -> Path | None:
        """File › Export Sources: every source note (or those the annotations cite) as CSL-JSON, BibTeX or RIS."""
        from viewer.core.citations import CitationError
        from viewer.core.sources_export import FORMATS, export_sources  # loaded when first used

        kb = self.kb()
        if kb is None:
            return None
        if fmt is None or cited is None:
            from viewer.ui.window.export_options import ExportOptions  # a dialog: loaded when used

            chosen = ExportOptions(self.parent_widget, "Export Sources", self.settings,
                                   [("sources_format", "&Format:", [(k, v[0]) for k, v in FORMATS.items()])],
                                   [("sources_cited", "&Only the sources my annotations cite", False)]).ask()
            if chosen is None:
                return None
            fmt, cited = str(chosen["sources_format"]), bool(chosen["sources_cited"])
        if path is None:
            name, suffix = FORMATS[fmt]
            start = Path(str(self.settings.value("export_folder", str(Path.home())))) / f"sources.{suffix}"
            chosen_path, _ = QtWidgets.QFileDialog.getSaveFileName(self.parent_widget, "Export Sources", str(start),
                                                                   f"{name} (*.{suffix})")
            if not chosen_path:
                return None
            path = Path(chosen_path) if Path(chosen_path).suffix else Path(chosen_path).with_suffix(f".{suffix}")
        from viewer.core.annotations.essay import cited_sources

        notes = cited_sources(kb, self.annotations()) if cited else [n for n in kb.notes() if n.type == "source"]
        try:
            atomic_write(path, export_sources(notes, fmt).encode("utf-8"))
        except CitationError as err:
            self._fail(err)
            return None
        except OSError as err:
            QtWidgets.QMessageBox.warning(self.parent_widget, "Not exported", f"Could not write {path}:\n{err.strerror or err}")
            return None
        self.settings.setValue("export_folder", str(path.parent))
        self.say(f"{len(notes)} sources exported to {path}", 5000)
        return path



def add_style_menu(menu: QMenu, commands: CitationCommands) -> QMenu:
    """Edit › Citation Style: APA, Chicago, MLA (one checked, kept in the settings)."""
    styles = menu.addMenu("Citation St&yle")
    styles.setAccessibleName("Citation Style")
    group = QActionGroup(styles)
    group.setExclusive(True)
    for key, (name, _) in STYLES.items():
        action = styles.addAction(name)
        action.setCheckable(True)
        action.setChecked(key == commands.style)
        action.setData(key)
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, key=key: commands.set_style(key))
    return styles
