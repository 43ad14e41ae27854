"""The parser behind `viewer.core.annotations.text.html_to_text` (the rules are in that module's docstring)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
SKIPPED_TAGS = frozenset({"script", "style", "template", "head", "title"})
SPACE = re.compile(r"[ \t\n\r\f]+")


class TextExtractor(HTMLParser):
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
        text = SPACE.sub(" ", raw).strip(" ").replace("\xa0", " ")
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
