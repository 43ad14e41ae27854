"""The reader's highlights laid into a note's HTML for export, each comment a numbered note at the end.

Annotation offsets count in the note's plain text (`viewer.core.annotations.text`):
the rendered HTML is read again block by block, white space collapsed as
there, so each character of that text is found in its piece of HTML and a
highlighted run is wrapped in `<span class="hl hl-COLOUR">`. A highlight with a
comment is followed by its number (`<sup class="hl-ref">`), and the comments are
listed under "Comments". Text in `<pre>` keeps its lines but is not marked.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from viewer.core.annotations.html_text import BLOCK_TAGS, SKIPPED_TAGS
from viewer.core.annotations.model import COLOURS, Annotation
from viewer.core.page import NotePage, body_html, header_html, sources_html
from viewer.core.safe_html import sanitise

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

_WS = " \t\n\r\f"
HIGHLIGHT_CSS = "".join(f"span.hl-{name} {{ background-color: {value}; }}\n" for name, value in COLOURS.items()) + \
    "sup.hl-ref { font-size: 0.75em; }\ndiv.note-comments li { margin-bottom: 0.3em; }\n"


class _Tokens(HTMLParser):
    """The HTML as tokens, and for each character of the plain text where it came from."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[list] = []  # ["tag", raw] or ["data", text]
        self.where: list[tuple[int, int] | None] = []  # per plain-text character: (token, index); None: "\n"
        self._block: list[int] = []  # data tokens of the current block
        self._pre = 0
        self._skip = 0
        self._lines = 0

    def _flush(self) -> None:
        if not self._block:
            return
        chars = [(t, i, c) for t in self._block for i, c in enumerate(self.tokens[t][1])]
        self._block = []
        if self._pre:
            raw = "".join(c for _, _, c in chars)
            for _n, _line in enumerate(raw.split("\n")):
                self._newline()
                self.where += [None] * len(_line)  # kept, not marked
            return
        out: list[tuple[int, int]] = []
        space: tuple[int, int] | None = None
        for t, i, c in chars:
            if c in _WS:
                space = space or (t, i)
                continue
            if space is not None and out:
                out.append(space)
            space = None
            out.append((t, i))
        if out:
            self._newline()
            self.where += out

    def _newline(self) -> None:
        if self._lines:
            self.where.append(None)
        self._lines += 1

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tokens.append(["tag", self.get_starttag_text() or f"<{tag}>"])
        if tag in SKIPPED_TAGS:
            self._skip += 1
        elif tag == "br" and not self._pre:
            self._flush()
        elif tag in BLOCK_TAGS:
            self._flush()
            self._pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag == "pre" and self._pre:
                self._pre -= 1
        self.tokens.append(["tag", f"</{tag}>"])

    def handle_data(self, data: str) -> None:
        self.tokens.append(["data", data])
        if not self._skip:
            self._block.append(len(self.tokens) - 1)


def mark_highlights(fragment: str, annotations: Iterable[Annotation]) -> tuple[str, list[Annotation]]:
    """`fragment` (a note's rendered HTML) with the anchored annotations marked, and the commented ones in order."""
    parser = _Tokens()
    parser.feed(fragment)
    parser.close()
    parser._flush()
    where = parser.where
    spans: dict[int, list[tuple[int, int, Annotation]]] = {}
    last_token: dict[str, int] = {}
    placed = sorted((a for a in annotations if not a.orphaned and 0 <= a.start < a.end <= len(where)),
                    key=lambda a: (a.start, a.end))
    for a in placed:
        chars = [w for w in where[a.start:a.end] if w is not None]
        by_token: dict[int, list[int]] = {}
        for t, i in chars:
            by_token.setdefault(t, []).append(i)
        for t, found in by_token.items():
            spans.setdefault(t, []).append((min(found), max(found) + 1, a))
        if by_token:
            last_token[a.id] = max(by_token)
    commented = [a for a in placed if a.comment.strip() and a.id in last_token]
    number = {a.id: n for n, a in enumerate(commented, 1)}
    out: list[str] = []
    for t, (kind, text) in enumerate(parser.tokens):
        if kind == "tag":
            out.append(text)
            continue
        marks = spans.get(t, [])
        cuts = sorted({0, len(text), *[s for s, _, _ in marks], *[e for _, e, _ in marks]})
        for lo, hi in zip(cuts, cuts[1:], strict=False):
            piece = html.escape(text[lo:hi], quote=False)
            over = [a for s, e, a in marks if s <= lo and hi <= e]
            if over:
                piece = f'<span class="hl hl-{html.escape(over[-1].colour)}">{piece}</span>'
            out.append(piece)
            ends = [a for s, e, a in marks if e == hi and last_token.get(a.id) == t and a.id in number]
            out += [f'<sup class="hl-ref">[{number[a.id]}]</sup>' for a in ends]
    return "".join(out), commented


def comments_html(commented: list[Annotation]) -> str:
    """The comments as a numbered list ('' when there are none)."""
    if not commented:
        return ""
    items = []
    for a in commented:
        quote = " ".join(a.exact.split())
        quote = quote if len(quote) <= 80 else quote[:79] + "…"
        text = "<br>".join(html.escape(line) for line in a.comment.strip().splitlines())
        tags = f' <span class="hl-tags">({html.escape(", ".join(a.tags))})</span>' if a.tags else ""
        items.append(f"<li><i>“{html.escape(quote)}”</i>: {text}{tags}</li>")
    return f'<div class="note-comments"><h2>Comments</h2><ol>{"".join(items)}</ol></div>'


def highlighted_page(kb: KnowledgeBase, note_id: str, annotations: Iterable[Annotation]) -> NotePage | None:
    """The note's page with the reader's highlights marked and their comments after the sources."""
    note = kb.get(note_id)
    if note is None:
        return None
    marked, commented = mark_highlights(kb.render(note_id), [a for a in annotations if a.note == note.id])
    body = sanitise(body_html(kb, note, rendered=marked))
    tail = sanitise(sources_html(kb, note) + comments_html(commented))
    return NotePage(note, sanitise(header_html(kb, note)), body, tail)
