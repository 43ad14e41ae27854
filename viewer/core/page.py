"""A note as the reader sees it: a header, the rendered body and its sources.

`page_of` gives them as a `NotePage`; the window shows its HTML in the note
view and `viewer.core.export` wraps it in a whole HTML document. Every value from a note is escaped here; the body comes from the
sanitising renderer.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from viewer.core.dates import format_date
from viewer.core.labels import type_label
from viewer.core.model import Note
from viewer.core.safe_html import note_url, sanitise, tag_url

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

_SOURCE_KEYS = ("outlet", "published", "authors")
_ADDRESS_KEYS = {"url": "Address", "archived": "Archived"}
_LEADING_H1 = re.compile(r"^\s*<h1[^>]*>(.*?)</h1>\s*", re.S)
_TAG = re.compile(r"<[^>]+>")


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _note_link(note: Note) -> str:
    return f'<a class="wikilink" href="{_e(note_url(note.id))}" title="{_e(note.title)}">{_e(note.title)}</a>'


def _meta_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_e(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_e(k)}: {_e(v)}" for k, v in value.items())
    return _e(value)


def _source_link(kb: KnowledgeBase, name: str) -> str:
    source = kb.resolve(name)
    if source is None:
        return f'<span class="broken">{_e(name)}</span>'
    return _note_link(source)


def header_html(kb: KnowledgeBase, note: Note) -> str:
    """The note's type, title, date, aliases, tags, sources and other front matter."""
    kicker = _e(type_label(note.type))
    if note.date:
        kicker += f" · {_e(format_date(note.date))}"
    rows: list[tuple[str, str]] = []
    if note.aliases:
        rows.append(("Also known as", ", ".join(_e(a) for a in note.aliases)))
    for key in _SOURCE_KEYS:
        if key in note.meta:
            value = note.meta[key]
            shown = _e(format_date(value)) if key == "published" else _meta_value(value)
            rows.append((key.capitalize(), shown))
    rows += _address_rows(note)
    if note.tags:
        rows.append(("Tags", " ".join(f'<a class="tag" href="{_e(tag_url(t))}" title="Notes tagged #{_e(t)}">'
                                      f'#{_e(t)}</a>' for t in note.tags)))
    sources = [s for s in note.sources if getattr(kb.resolve(s), "id", None) != note.id]
    if sources:
        rows.append(("Sources", ", ".join(_source_link(kb, s) for s in sources)))
    for key, value in note.meta.items():
        if key not in _SOURCE_KEYS and key not in _ADDRESS_KEYS:
            rows.append((str(key).replace("_", " ").capitalize(), _meta_value(value)))
    table = "".join(f'<tr><th class="meta-key">{_e(k)}</th><td class="meta-value">{v}</td></tr>'
                    for k, v in rows)
    parts = ['<div class="note-header">', f'<p class="note-type">{kicker}</p>',
             f'<h1 class="note-title">{_e(note.title)}</h1>']
    if table:
        parts.append(f'<table class="note-meta" cellspacing="0" cellpadding="2">{table}</table>')
    parts.append("</div>")
    return "".join(parts)


def _address_rows(note: Note) -> list[tuple[str, str]]:
    """A source's web address and archived copy as links (the window asks before opening them)."""
    rows = []
    for key, label in _ADDRESS_KEYS.items():
        value = note.meta.get(key)
        if value is None:
            continue
        url = str(value).strip()
        shown = (f'<a class="source-url" href="{_e(url)}">{_e(url)}</a>'
                 if url.lower().startswith(("http://", "https://")) else _e(url))
        rows.append((label, shown))
    return rows


def body_html(kb: KnowledgeBase, note: Note, toggled: frozenset[int] = frozenset(),
              rendered: str | None = None) -> str:
    """The rendered body (or `rendered`, the same HTML changed), without a leading heading that repeats the title.

    `toggled`: the callouts the reader folded or opened.
    """
    body = rendered if rendered is not None else kb.render(note.id, toggled) if toggled else kb.render(note.id)
    match = _LEADING_H1.match(body)
    if match and html.unescape(_TAG.sub("", match.group(1))).strip().casefold() == note.title.strip().casefold():
        body = body[match.end():]
    return body


def sources_html(kb: KnowledgeBase, note: Note) -> str:
    """The note's sources, each with outlet, date and authors ('' when it has none)."""
    items: list[str] = []
    for name in note.sources:
        source = kb.resolve(name)
        if source is None:
            items.append(f'<li><span class="broken">{_e(name)}</span> (no such note)</li>')
            continue
        details: list[str] = []
        if source.meta.get("outlet"):
            details.append(_meta_value(source.meta["outlet"]))
        published = source.meta.get("published") or source.date
        if published:
            details.append(_e(format_date(published)))
        if source.meta.get("authors"):
            details.append("by " + _meta_value(source.meta["authors"]))
        if source.meta.get("url"):
            url = str(source.meta["url"])
            if url.startswith(("http://", "https://")):
                details.append(f'<a href="{_e(url)}">{_e(url)}</a>')
        archived = str(source.meta.get("archived") or "")
        if archived.startswith(("http://", "https://")):
            details.append(f'archived: <a href="{_e(archived)}">{_e(archived)}</a>')
        suffix = f" — {'; '.join(details)}" if details else ""
        items.append(f"<li>{_note_link(source)}{suffix}</li>")
    if not items:
        return ""
    return f'<div class="note-sources"><h2>Sources</h2><ol>{"".join(items)}</ol></div>'


@dataclass(frozen=True)
class NotePage:
    """A note as the reader sees it, in three parts, each an HTML fragment passed through the allow-list.

    `header`: type, title, date and front matter; `body`: the rendered text;
    `sources`: the list of sources ('' when the note has none).
    """

    note: Note
    header: str
    body: str
    sources: str

    @property
    def title(self) -> str:
        return self.note.title

    @property
    def html(self) -> str:
        """The three parts as one fragment, as the window shows it."""
        return f'{self.header}<div class="note-body">{self.body}</div>{self.sources}'


def page_of(kb: KnowledgeBase, note_id: str, toggled: frozenset[int] = frozenset()) -> NotePage | None:
    """The page of a note (None for an unknown id); `toggled`: its callouts the reader folded or opened."""
    note = kb.get(note_id)
    if note is None:
        return None
    # the header and sources are built here: they pass the allow-list too (the body already has)
    return NotePage(note, sanitise(header_html(kb, note)), body_html(kb, note, toggled),
                    sanitise(sources_html(kb, note)))


def note_page(kb: KnowledgeBase, note_id: str, toggled: frozenset[int] = frozenset()) -> str:
    """Header, body and sources of a note as one HTML fragment ('' for an unknown id)."""
    page = page_of(kb, note_id, toggled)
    return page.html if page is not None else ""


