"""The rendered note: a QTextBrowser that never fetches anything.

Links are not followed by the browser itself (`setOpenLinks(False)`): each
click becomes a signal the window handles. Images load only from inside the
knowledge-base folder. Hovering an internal link shows a preview of the note
it leads to; the text is kept to a readable column in the middle.

Annotations are drawn over the text as extra selections (`highlights`), in a
layer under the find bar's matches; resting the pointer on one shows its
comment, clicking it says so by signal, and its right-click menu offers to
edit or delete it. The right-click menu keeps the standard Copy and Select
All and adds the window's Highlight… command. A passage the reader was sent
to (the sentence of a backlink) is marked for a few seconds in its own layer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import QEvent, QSizeF, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QHelpEvent,
    QMouseEvent,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QToolTip, QWidget

from viewer.core.annotations import find_quote
from viewer.core.safe_html import ATTACHMENT_SCHEME, BROKEN_SCHEME, FOLD_SCHEME, NOTE_SCHEME, TAG_SCHEME
from viewer.ui.annotations.highlights import Highlights
from viewer.ui.theme import mix
from viewer.ui.viewport import ViewportSize

MAX_TEXT_WIDTH = 760  # pixels: a comfortable line length
MIN_SIDE_MARGIN = 18
LAYERS = ("highlights", "passage", "find")  # extra selections, bottom to top
PASSAGE_MS = 4000  # how long a passage the reader was sent to stays marked


def note_target(url: QUrl) -> tuple[str, str] | None:
    """(note id, anchor) for a `note:` URL, else None."""
    if url.scheme() != NOTE_SCHEME:
        return None
    return unquote(url.path()), unquote(url.fragment())


def _find_passage(text: str, passage: str, window: int = 6) -> tuple[int, int] | None:
    """Where `passage` is in `text`; else its best part: a table cell, else a run of words in a paragraph.

    The core's context is close to, not always the same as, the rendered words (a table row
    is joined by ' · ', a link may read as its note's title), so the parts are tried in turn.
    """
    span = find_quote(text, passage)
    if span is not None:
        return span
    parts = passage.split(" · ")
    cells = sorted((c for c in parts if len(c.split()) >= 2), key=len, reverse=True)
    for cell in cells if len(parts) > 1 else ():
        span = find_quote(text, cell)
        if span is not None:
            return span
    words = passage.split()
    last = max(0, len(words) - window)
    for start in [*range(0, last, max(1, window // 2)), last]:
        span = find_quote(text, " ".join(words[start:start + window]))
        if span is not None:  # the whole paragraph it is in
            begin = text.rfind("\n", 0, span[0]) + 1
            end = text.find("\n", span[1])
            return begin, end if end >= 0 else len(text)
    return None


class NoteView(ViewportSize, QTextBrowser):
    """Shows note HTML; links are handed to the window by signal.

    Attributes:
        kb_folder: images are read from inside this folder only.
        preview_for: gives the rich-text preview for a hovered link (or None).
        highlights: the annotations drawn over the text.
        highlight_action: the window's Highlight… command, for the right-click menu.

    Signals:
        note_link_clicked(str, str): a note id and an anchor ('' for none).
        broken_link_clicked(str): the target of a link to no note.
        tag_clicked(str): the reader clicked one of the note's tags (its name, without '#').
        attachment_clicked(str): a file of the folder to open (its path from the folder's top).
        fold_clicked(int): the fold mark of a callout (its number in the note, from 1).
        outside_link_clicked(QUrl): a web or mail link, to confirm before opening.
        highlight_clicked(str): the reader clicked an annotation's highlight (its id).
        edit_requested(str): the reader chose Edit Annotation… on a highlight.
        delete_requested(str): the reader chose Delete Annotation on a highlight.
    """

    note_link_clicked = Signal(str, str)
    broken_link_clicked = Signal(str)
    tag_clicked = Signal(str)
    attachment_clicked = Signal(str)
    fold_clicked = Signal(int)
    outside_link_clicked = Signal(QUrl)
    highlight_clicked = Signal(str)
    edit_requested = Signal(str)
    delete_requested = Signal(str)
    page_painted = Signal()  # once per show_page, when the new page is first drawn

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.kb_folder: Path | None = None
        self._unpainted = False  # a page shown but not yet drawn
        self.shown: tuple[str, str] | None = None  # the page and style sheet shown last
        self.preview_for: Callable[[QUrl], str | None] | None = None
        self.highlight_action: QAction | None = None
        self.citation_actions: list[QAction] = []  # Copy with Citation, Copy Citation
        self._layers: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.highlights = Highlights(self)
        self._passage_timer = QTimer(self)
        self._passage_timer.setSingleShot(True)
        self._passage_timer.setInterval(PASSAGE_MS)
        self._passage_timer.timeout.connect(self.clear_passage)
        self.setAccessibleName("Note")
        self.setAccessibleDescription("The rendered note. Tab moves between its links, Enter follows one.")
        self.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.setLineWrapMode(QTextEdit.LineWrapMode.FixedPixelWidth)  # page_width(), set by show_page and resizes
        self.anchorClicked.connect(self._on_anchor)

    def set_caret_browsing(self, on: bool) -> None:
        """A text cursor moved by the arrow keys, so Shift+arrows select (F7)."""
        flags = Qt.TextInteractionFlag.TextBrowserInteraction
        if on:
            flags |= Qt.TextInteractionFlag.TextSelectableByKeyboard
        self.setTextInteractionFlags(flags)
        self.setCursorWidth(2 if on else 1)

    # -- content ----------------------------------------------------------------

    def show_page(self, page_html: str, css: str) -> None:
        """Replace the content with a note page styled by `css`.

        The page is laid out once, in its column: a document without a page
        size is not laid out, so it gets one only when its margins are set.
        """
        self.clear_passage()
        document = self.document()
        document.setPageSize(QSizeF(0, 0))
        document.setDefaultStyleSheet(css)
        self.setHtml(page_html)
        self.shown = (page_html, css)
        self._unpainted = True
        width = self.page_width()
        self._fit_column(width)
        self.setLineWrapColumnOrWidth(width)  # lays the page out

    def keep_page(self) -> None:
        """The page shown stays as it is: what waits for its paint goes on, if it is painted already."""
        if not self._unpainted:
            self.page_painted.emit()

    def show_passage(self, passage: str) -> bool:
        """Scroll to `passage` (found despite white space and case), mark it a moment, put the caret there.

        Returns False, changing nothing, when the text does not hold it.
        """
        span = _find_passage(self.toPlainText(), passage)
        if span is None:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0])
        cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
        mark = QTextEdit.ExtraSelection()
        mark.cursor = cursor
        palette = self.palette()
        mark.format.setBackground(mix(palette.color(QPalette.ColorRole.Base),
                                      palette.color(QPalette.ColorRole.Highlight), 0.35))
        self.set_selection_layer("passage", [mark])
        caret = QTextCursor(self.document())
        caret.setPosition(span[0])
        self.setTextCursor(caret)
        top = self.cursorRect(caret).top() + self.verticalScrollBar().value()
        self.verticalScrollBar().setValue(top - self.viewport_size().height() // 3)  # a third down: context above
        self._passage_timer.start()
        return True

    @Slot()
    def clear_passage(self) -> None:
        """Remove the passage mark (after a moment, or when the page changes)."""
        self._passage_timer.stop()
        if self._layers.get("passage"):
            self.set_selection_layer("passage", [])

    def set_selection_layer(self, name: str, selections: list[QTextEdit.ExtraSelection]) -> None:
        """Replace one layer of extra selections (LAYERS: highlights under find matches)."""
        self._layers[name] = list(selections)
        self.setExtraSelections([s for layer in LAYERS for s in self._layers.get(layer, [])])

    def page_width(self) -> int:
        """The width the page is laid out at: the inside less the room of the scroll bar, shown or not.

        A steady gutter: the bar coming or going (a long page after a short one) never lays the
        page out a second time, nor moves its lines; an overlaid bar never covers the text.
        """
        inside = self.maximumViewportSize().width()
        if self.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAsNeeded:
            return inside  # always on: already left out; always off: no room to keep
        return max(1, inside - self.verticalScrollBar().sizeHint().width())

    def _fit_column(self, width: int) -> None:
        """Centre the text in a column no wider than MAX_TEXT_WIDTH of a page `width` wide."""
        side = max(MIN_SIDE_MARGIN, (width - MAX_TEXT_WIDTH) // 2)
        root = self.document().rootFrame()
        fmt: QTextFrameFormat = root.frameFormat()
        if fmt.leftMargin() != side or fmt.rightMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(14)
            fmt.setBottomMargin(24)
            root.setFrameFormat(fmt)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override: the viewport's)
        super().resizeEvent(event)  # keeps the viewport's size; Qt's own part only sets the scroll bars
        width = self.page_width()
        if width != self.lineWrapColumnOrWidth():  # the view itself, not the scroll bar, changed width
            self.document().setPageSize(QSizeF(0, 0))  # the column first, then one layout
            self._fit_column(width)
            self.setLineWrapColumnOrWidth(width)

    # -- links ------------------------------------------------------------------

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme()
        target = note_target(url)
        if target is not None:
            self.note_link_clicked.emit(*target)
        elif scheme == BROKEN_SCHEME:
            self.broken_link_clicked.emit(unquote(url.path()))
        elif scheme == TAG_SCHEME:
            self.tag_clicked.emit(unquote(url.path()))
        elif scheme == ATTACHMENT_SCHEME:
            self.attachment_clicked.emit(unquote(url.path()))
        elif scheme == FOLD_SCHEME and url.path().isdigit():
            self.fold_clicked.emit(int(url.path()))
        elif scheme == "" and url.hasFragment():
            self.scrollToAnchor(url.fragment())
        else:
            self.outside_link_clicked.emit(url)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if self._unpainted and event.type() == QEvent.Type.Paint:
            self._unpainted = False
            done = super().viewportEvent(event)
            self.page_painted.emit()
            return done
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            href = self.anchorAt(event.pos())
            text = self.preview_for(QUrl(href)) if href and self.preview_for else None
            if not text:
                text = "<hr>".join(span.tip for span in self.highlights.at(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
                return True
        return super().viewportEvent(event)  # elsewhere: the usual tooltip (an abbr's title...)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        point = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection()
                and not self.anchorAt(point)):
            spans = self.highlights.at(point)
            if spans:
                self.highlight_clicked.emit(spans[0].annotation_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        menu = self.createStandardContextMenu(event.pos())
        menu.setAccessibleName("Note menu")
        if self.highlight_action is not None:
            menu.addSeparator()
            menu.addAction(self.highlight_action)
        for action in self.citation_actions:
            menu.addAction(action)
        spans = self.highlights.at(event.pos())
        if spans:
            ann_id = spans[0].annotation_id
            menu.addAction("Edit Annotation…", lambda: self.edit_requested.emit(ann_id))
            menu.addAction("Delete Annotation", lambda: self.delete_requested.emit(ann_id))
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt override)
        """Serve images only from inside the knowledge base; never the network."""
        from viewer.ui.note.resources import kb_resource  # with the first image of a page

        return kb_resource(self.kb_folder, kind, url)
