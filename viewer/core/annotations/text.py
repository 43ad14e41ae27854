"""The plain text of a note: what annotation offsets count in.

`note_text(kb, note_id)` is the text a reader sees: the note rendered to
sanitised HTML (`KnowledgeBase.render`), then reduced to text close to what
Qt's `QTextDocument.toPlainText()` gives for the same HTML:

- every block (paragraph, heading, list item, table cell, quote...) is one
  line; blocks are separated by a single "\\n", with no blank lines;
- within a block, runs of HTML white space become one space, and a block's
  leading and trailing spaces are dropped;
- `<br>` starts a new line; `<pre>` keeps its lines and spaces as written;
- no list bullets or numbers, no images (they have no text); entities are
  decoded and a no-break space becomes a plain space.

The window maps a selection to these offsets by searching the selected text
near the selection (`find_quote`), so its own text need not match this one
character for character; the quote selector is what anchors an annotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
SKIPPED_TAGS = frozenset({"script", "style", "template", "head", "title"})
_SPACE = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._parts: list[str] = []
        self._pre = 0
        self._skip = 0

    def _flush(self) -> None:
        """End the current block (or line)."""
        if not self._parts:
            return
        raw = "".join(self._parts)
        self._parts = []
        if self._pre:
            self.lines.extend(line.replace("\xa0", " ") for line in raw.split("\n"))
            return
        text = _SPACE.sub(" ", raw).strip(" ").replace("\xa0", " ")
        if text:
            self.lines.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skip += 1
        elif tag == "br":
            if self._pre:
                self._parts.append("\n")
            else:
                self._flush()
        elif tag in BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SKIPPED_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in BLOCK_TAGS:
            if tag == "pre" and self._pre:
                if self._parts and self._parts[-1].endswith("\n"):
                    self._parts[-1] = self._parts[-1][:-1]  # the newline before </pre>
                self._flush()
                self._pre -= 1
            else:
                self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre and not self._parts and data.startswith("\n"):
            data = data[1:]  # a newline right after <pre> is not content
        self._parts.append(data)

    def text(self) -> str:
        self.close()
        self._flush()
        return "\n".join(self.lines)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, by the rules in this module's docstring."""
    extractor = _TextExtractor()
    extractor.feed(html)
    return extractor.text()


def note_text(kb: KnowledgeBase, note_id: str) -> str:
    """The plain text of a note, over which annotation offsets are counted.

    Raises KeyError for a note the knowledge base does not hold.
    """
    if kb.get(note_id) is None:
        raise KeyError(note_id)
    return html_to_text(kb.render(note_id))


class NoteTexts:
    """Plain texts of a knowledge base's notes, each computed once.

    Call it with a note id: the text, or None for a note the knowledge base
    does not hold. After a sync, `forget(result.updated_ids | result.removed_ids)`.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._texts: dict[str, str | None] = {}

    def __call__(self, note_id: str) -> str | None:
        if note_id not in self._texts:
            self._texts[note_id] = note_text(self.kb, note_id) if self.kb.get(note_id) else None
        return self._texts[note_id]

    def forget(self, note_ids: Iterable[str] | None = None) -> None:
        if note_ids is None:
            self._texts.clear()
        for note_id in note_ids or ():
            self._texts.pop(note_id, None)

    def title(self, note_id: str) -> str | None:
        note = self.kb.get(note_id)
        return note.title if note else None


TextSource = Callable[[str], "str | None"]  # note id -> plain text, None when the note is gone
