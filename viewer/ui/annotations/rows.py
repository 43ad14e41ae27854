"""A row of the annotations lists: colour swatch, quote, comment, tags and date.

Used by the Annotations panel and by the search panel's annotation hits.
"""

from __future__ import annotations

import html
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QStandardItem

from viewer.core.annotations import COLOURS, DEFAULT_COLOUR, Annotation
from viewer.ui.rich_text import HTML_ROLE

ANNOTATION_ROLE = Qt.ItemDataRole.UserRole + 20
QUOTE_CHARS = 220


def short(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def when(stamp: str) -> str:
    """'2026-11-26T06:15:00.123Z' as '26 Nov 2026' in local time ('' if unreadable)."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y}"


SWATCH_SIZE = 14


@lru_cache(maxsize=32)
def swatch_uri(colour: str, size: int = SWATCH_SIZE) -> str:
    """A square of a highlight colour framed dark outside and light inside, as a data: URI,
    so it stands out on any row, the selected one included."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(QColor(40, 40, 40))
    painter = QPainter(image)
    painter.fillRect(1, 1, size - 2, size - 2, QColor(255, 255, 255))
    painter.fillRect(2, 2, size - 4, size - 4, QColor(COLOURS.get(colour, COLOURS[DEFAULT_COLOUR])))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return "data:image/png;base64," + bytes(data.toBase64().data()).decode("ascii")


def annotation_html(a: Annotation, note_title: str | None = None) -> str:
    """A row: swatch and quote, the comment, then tags and date (escaped text only)."""
    swatch = (f'<img src="{swatch_uri(a.colour)}" width="{SWATCH_SIZE}" height="{SWATCH_SIZE}"'
              ' style="vertical-align: middle">&nbsp;')
    quote = html.escape(short(a.exact))
    parts = [swatch + (f"<i>“{quote}”</i>" if a.orphaned else f"“{quote}”")]
    if note_title:
        parts[0] = f"<b>{html.escape(note_title)}</b><br>" + parts[0]
    if a.comment.strip():
        parts.append(html.escape(a.comment.strip()).replace("\n", "<br>"))
    details = [" ".join(f"#{html.escape(t)}" for t in a.tags)] if a.tags else []
    date = when(a.modified or a.created)
    if date:
        details.append(date)
    if a.orphaned:
        details.append("<i>orphaned: the passage is no longer in the note</i>")
    if details:
        parts.append('<span style="font-size: small">' + " · ".join(details) + "</span>")
    return "<br>".join(parts)


def annotation_text(a: Annotation) -> str:
    """The same for a screen reader."""
    words = [f"“{short(a.exact)}”"]
    if a.orphaned:
        words.append("orphaned")
    if a.comment.strip():
        words.append(a.comment.strip())
    if a.tags:
        words.append("tags " + ", ".join(a.tags))
    words.append(f"{a.colour} highlight")
    return ". ".join(words)


def annotation_item(a: Annotation, note_title: str | None = None) -> QStandardItem:
    item = QStandardItem(short(a.exact, 80))
    item.setData(a.id, ANNOTATION_ROLE)
    item.setData(annotation_html(a, note_title), HTML_ROLE)
    item.setData(annotation_text(a), Qt.ItemDataRole.AccessibleTextRole)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
