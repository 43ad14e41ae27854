"""What the pointer resting on a link in a note shows: the first lines of its note, or what the link does."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl

from viewer.core.labels import type_label
from viewer.core.plain import preview_text
from viewer.core.safe_html import BROKEN_SCHEME, TAG_SCHEME
from viewer.ui.note.view import note_target

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

OUTSIDE_SCHEMES = ("http", "https", "mailto")


def link_preview(kb: KnowledgeBase | None, url: QUrl) -> str | None:
    """Rich text for a hovered link (None: no preview)."""
    target = note_target(url)
    if target is not None and kb is not None:
        note = kb.get(target[0])
        if note is None:
            return f"<b>Broken link</b>: no note '{html.escape(target[0])}'"
        from viewer.core.dates import format_date  # with the first preview

        kind = type_label(note.type) + (f" · {format_date(note.date)}" if note.date else "")
        text = html.escape(preview_text(note)).replace("\n", "<br>")
        return (f"<p style='white-space: pre-wrap'><b>{html.escape(note.title)}</b><br>"
                f"<i>{html.escape(kind)}</i></p><p>{text}</p>")
    if url.scheme() == TAG_SCHEME:
        return f"Search the notes tagged <b>#{html.escape(url.path())}</b>"
    if url.scheme() == BROKEN_SCHEME:
        return f"<b>Broken link</b>: no note is named '{html.escape(url.path())}'"
    if url.scheme() in OUTSIDE_SCHEMES:
        return f"Outside link (opens in your browser after you confirm):<br>{html.escape(url.toString())}"
    return None
