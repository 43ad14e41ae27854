"""Annotations drawn in the note view, and a selection turned into an annotation's offsets.

An annotation's offsets count in the note's plain text (`note_text`): the
rendered body only. The note view shows more: a header above the body and the
sources under it, and Qt's own plain text (`QTextDocument.toPlainText()`, whose
offsets are document positions) differs in small ways (a table adds blank
lines). So each way goes through the quote: a passage is looked for with
`find_quote` in the body part of the view's text, near the place its offsets
map to once the header's length is added; a selection is looked for in the
plain text near its own place less the header.

Highlights are extra selections (`QTextEdit.ExtraSelection`): the document
is not changed, and the colour is laid semi-transparently over the text so it
reads on light and dark palettes alike.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QTextEdit

from viewer.core.annotations import COLOURS, DEFAULT_COLOUR, Annotation, find_quote, html_to_text

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

LAYER = "highlights"
LIGHT_ALPHA = 150  # of 255: how much of the colour covers the text on a light page
DARK_ALPHA = 105  # and on a dark one, so light text stays readable


def highlight_colour(colour: str, palette: QPalette) -> QColor:
    """The colour named `colour`, semi-transparent for `palette`'s page."""
    value = QColor(COLOURS.get(colour, COLOURS[DEFAULT_COLOUR]))
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    value.setAlpha(DARK_ALPHA if dark else LIGHT_ALPHA)
    return value


def _text_length(fragment: str) -> int:
    if not fragment:
        return 0
    doc = QTextDocument()
    doc.setHtml(fragment)
    return len(doc.toPlainText())


class PageMap(NamedTuple):
    """Where a note's body lies in the view's text, and where it starts in the plain text.

    Attributes:
        text: the view's plain text (its offsets are document positions).
        body_start, body_end: the body's range in `text`.
        plain: the note's plain text (annotation offsets count in it).
        plain_start: where the body shown in the view starts in `plain` (the
            view leaves out a first heading that repeats the title).
    """

    text: str
    body_start: int
    body_end: int
    plain: str
    plain_start: int

    @classmethod
    def of(cls, kb: KnowledgeBase, note_id: str, document: QTextDocument, plain: str) -> PageMap:
        """The map for `document` showing `note_page(kb, note_id)`."""
        from viewer.core.page import body_html, header_html, sources_html  # with the first note annotated

        text = document.toPlainText()
        note = kb.get(note_id)
        if note is None:
            return cls(text, 0, len(text), plain, 0)
        header = _text_length(header_html(kb, note))
        sources = _text_length(sources_html(kb, note))
        body_start = min(len(text), header + 1 if header else 0)
        body_end = max(body_start, len(text) - (sources + 1 if sources else 0))
        shown = html_to_text(body_html(kb, note))
        return cls(text, body_start, body_end, plain, max(0, len(plain) - len(shown)))

    def to_document(self, annotation: Annotation) -> tuple[int, int] | None:
        """The view's range showing an annotation's passage, or None."""
        body = self.text[self.body_start:self.body_end]
        near = max(0, annotation.start - self.plain_start)
        found = find_quote(body, annotation.exact, near)
        return (self.body_start + found[0], self.body_start + found[1]) if found else None

    def to_plain(self, start: int, end: int) -> tuple[int, int] | None:
        """The plain-text range of the view's range start..end, or None when it
        is not inside the note's text (the header, the sources)."""
        if start >= end or start < self.body_start or end > self.body_end:
            return None
        quote = self.text[start:end].replace("\ufffc", " ").strip()  # an image has no text
        if not quote:
            return None
        return find_quote(self.plain, quote, start - self.body_start + self.plain_start)


class Span(NamedTuple):
    """One highlight in the view: an annotation's id, its document range, its tooltip."""

    annotation_id: str
    start: int
    end: int
    tip: str


def tooltip(annotation: Annotation) -> str:
    """Rich text for the pointer resting on a highlight: the comment, the tags."""
    comment = html.escape(annotation.comment.strip()).replace("\n", "<br>")
    parts = [comment or "<i>Highlight without a comment</i>"]
    if annotation.tags:
        parts.append("<small>" + " ".join(f"#{html.escape(t)}" for t in annotation.tags) + "</small>")
    return "<p style='white-space: pre-wrap'>" + "<br>".join(parts) + "</p>"


class Highlights:
    """The annotations drawn in one note view.

    The view must offer `set_selection_layer(name, selections)` and `viewport_size()` (a NoteView).
    """

    def __init__(self, view: QTextEdit) -> None:
        self.view = view
        self.spans: list[Span] = []
        self.page: PageMap | None = None

    def draw(self, kb: KnowledgeBase, note_id: str, plain: str | None,
             annotations: Iterable[Annotation]) -> list[str]:
        """Highlight the anchored `annotations` of the note shown; the ids of
        those whose passage the view does not hold are returned."""
        annotations = [a for a in annotations if not a.orphaned]
        self.page = PageMap.of(kb, note_id, self.view.document(), plain) if plain is not None else None
        self.spans = []
        missing: list[str] = []
        for annotation in annotations:
            found = self.page.to_document(annotation) if self.page else None
            if found is None:
                missing.append(annotation.id)
                continue
            self.spans.append(Span(annotation.id, found[0], found[1], tooltip(annotation)))
        colours = {a.id: a.colour for a in annotations}
        palette = self.view.palette()
        selections = []
        for span in self.spans:
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.view.document())
            cursor.setPosition(span.start)
            cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setBackground(highlight_colour(colours[span.annotation_id], palette))
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.view.set_selection_layer(LAYER, selections)
        return missing

    def clear(self) -> None:
        self.spans = []
        self.page = None
        self.view.set_selection_layer(LAYER, [])

    def span(self, annotation_id: str) -> Span | None:
        return next((s for s in self.spans if s.annotation_id == annotation_id), None)

    def position_at(self, point: QPoint) -> int:
        """The document position under a viewport point, -1 off the text."""
        offset = QPointF(self.view.horizontalScrollBar().value(), self.view.verticalScrollBar().value())
        layout = self.view.document().documentLayout()
        return layout.hitTest(QPointF(point) + offset, Qt.HitTestAccuracy.ExactHit)

    def at(self, point: QPoint) -> list[Span]:
        """The highlights under a viewport point, the shortest first."""
        position = self.position_at(point)
        if position < 0:
            return []
        found = [s for s in self.spans if s.start <= position < s.end]
        return sorted(found, key=lambda s: s.end - s.start)

    def selection(self, kb: KnowledgeBase, note_id: str, plain: str) -> tuple[int, int] | None:
        """The range in `plain` (the note's plain text) of the view's selection,
        or None when there is none or it is not inside the note's text."""
        cursor = self.view.textCursor()
        if not cursor.hasSelection():
            return None
        if self.page is None or self.page.plain != plain:
            self.page = PageMap.of(kb, note_id, self.view.document(), plain)
        return self.page.to_plain(cursor.selectionStart(), cursor.selectionEnd())

    def select(self, annotation_id: str) -> bool:
        """Select an annotation's passage in the view and scroll it to the upper third."""
        span = self.span(annotation_id)
        if span is None:
            return False
        cursor = QTextCursor(self.view.document())
        cursor.setPosition(span.end)
        cursor.setPosition(span.start, QTextCursor.MoveMode.KeepAnchor)
        self.view.setTextCursor(cursor)
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.value() + self.view.cursorRect(cursor).top() - self.view.viewport_size().height() // 3)
        return True
