"""The rows of the search panel: a note hit (title, type, snippet) and an annotation hit."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem

from viewer.core.annotations import Annotation
from viewer.core.labels import type_label
from viewer.ui.annotations.panel import ANNOTATION_ROLE, short
from viewer.ui.panels.notes import NOTE_ID_ROLE
from viewer.ui.rich_text import HTML_ROLE

HIT_ROLE = Qt.ItemDataRole.UserRole + 21  # the hit itself: its passage is worked out when opened


def bold_terms(text: str, terms: tuple[str, ...]) -> str:
    """`text` escaped, each occurrence of a term (ignoring case) in bold."""
    spans: list[tuple[int, int]] = []
    for term in terms:
        spans += [m.span() for m in re.finditer(re.escape(term), text, re.IGNORECASE)]
    out, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        out += [html.escape(text[last:start]), "<b>", html.escape(text[start:end]), "</b>"]
        last = end
    return "".join(out) + html.escape(text[last:])


def hit_item(hit) -> QStandardItem:
    item = QStandardItem(hit.title)
    item.setData(hit.note_id, NOTE_ID_ROLE)
    item.setData(hit, HIT_ROLE)
    kind = html.escape(type_label(hit.type))
    snippet = hit.snippet or ""  # HTML-safe from the search engine, matched words in <b>
    item.setData(f"<b>{html.escape(hit.title)}</b> <small>{kind}</small>"
                 f'<br><span style="font-size: small">{snippet}</span>', HTML_ROLE)
    item.setData(f"{hit.title}, {type_label(hit.type)}", Qt.ItemDataRole.AccessibleTextRole)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def annotation_item(annotation: Annotation, terms: tuple[str, ...], title: str) -> QStandardItem:
    item = QStandardItem(title)
    item.setData(annotation.id, ANNOTATION_ROLE)
    lines = [f"“{bold_terms(short(annotation.exact, 160), terms)}”"]
    if annotation.comment.strip():
        lines.append(bold_terms(short(annotation.comment, 200), terms))
    if annotation.tags:
        lines.append(" ".join("#" + bold_terms(tag, terms) for tag in annotation.tags))
    kind = "Orphaned annotation" if annotation.orphaned else "Annotation"
    item.setData(f"<b>{html.escape(title)}</b> <small>{kind}</small>"
                 f'<br><span style="font-size: small">{"<br>".join(lines)}</span>', HTML_ROLE)
    item.setData(f"{kind} in {title}: {short(annotation.exact, 80)}. {annotation.comment.strip()}",
                 Qt.ItemDataRole.AccessibleTextRole)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item
