"""Snippets: the passage of a note around its best match, matched words in bold."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import tantivy

SNIPPET_CHARS = 160
_WIKILINK = re.compile(r"!?\[\[([^\[\]\n]*)\]\]")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s|>\s?|[-*+]\s)|\*\*?|`+|~~")
_BOLD = re.compile(r"<b>(.*?)</b>")


def plain_text(body: str, link_text: Callable[[str], str | None] | None = None, title: str = "") -> str:
    """Markdown reduced to the words a reader sees, on one line.

    Wikilinks become their label (or the linked note's title, via `link_text`),
    Markdown links their text; tags, emphasis and heading marks go, and so
    does a first heading that only repeats the title.
    """
    if title and body.lstrip().startswith("# "):
        first, _, rest = body.lstrip().partition("\n")
        if first[2:].strip() == title.strip():
            body = rest
    if "[[" in body:
        def _link(match: re.Match[str]) -> str:
            target, _, label = match.group(1).partition("|")
            if label.strip():
                return label
            name = target.split("#", 1)[0].strip()
            title = link_text(name) if link_text and name else None
            return title or target.replace("#", " ")
        body = _WIKILINK.sub(_link, body)
    if "](" in body:
        body = _MD_LINK.sub(r"\1", body)
    if "<" in body:
        body = _TAG.sub(" ", body)
    body = _MARKS.sub("", body)
    return " ".join(body.split())


class Snippets:
    """Snippets for the hits of one query."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema,
                 max_chars: int = SNIPPET_CHARS) -> None:
        self.max_chars = max_chars
        try:
            self._generator: tantivy.SnippetGenerator | None = tantivy.SnippetGenerator.create(
                searcher, query, schema, "body")
            self._generator.set_max_num_chars(max_chars)
        except (ValueError, RuntimeError):
            self._generator = None

    def html(self, text: str) -> str:
        """The snippet of `text` (already plain), as safe HTML."""
        if self._generator is not None and text:
            snippet = self._generator.snippet_from_doc(tantivy.Document(body=text))
            if snippet.highlighted():
                where = snippet.fragment_range()
                before = "…" if where.start > 0 else ""
                after = "…" if where.end < len(text.encode("utf-8")) else ""
                return before + snippet.to_html().strip() + after
        return self.lead(text)

    def lead(self, text: str) -> str:
        """The opening words of the note, when no match lies in the body."""
        if len(text) <= self.max_chars:
            return html.escape(text)
        cut = text.rfind(" ", 0, self.max_chars)
        return html.escape(text[:cut if cut > 0 else self.max_chars]) + "…"


def bold_words(snippet: str) -> list[str]:
    """The words a snippet marks as matched, unescaped."""
    return [html.unescape(word) for word in _BOLD.findall(snippet)]
