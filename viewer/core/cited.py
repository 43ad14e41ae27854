"""What a passage of a note rests on: the source notes it cites, and the section it is in.

Offsets count in the note's plain text (`viewer.core.annotations.note_text`),
as annotations do. `note_blocks` reads the rendered note once more, keeping for
each block (one line of that text) whether it is a heading and where its links
to other notes are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from viewer.core.annotations.html_text import SPACE, TextExtractor
from viewer.core.citations import is_source, sources_of
from viewer.core.model import Note
from viewer.core.safe_html import NOTE_SCHEME

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# what may stand between a passage and the citations after it: "([[a|A]]; [[b|B]])."
_BETWEEN = re.compile(r"[\s()\[\],;:.–—-]*")


@dataclass
class Block:
    text: str
    start: int  # offset of the line in the plain text
    heading: bool = False
    links: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, note id), in the line


class _Blocks(TextExtractor):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[Block] = []
        self._tag = ""
        self._links: list[tuple[str, str]] = []  # (note id, text) of this block's links
        self._link: list | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith(f"{NOTE_SCHEME}:"):
                self._link = [unquote(href[len(NOTE_SCHEME) + 1:].split("#", 1)[0]), []]
        elif tag in HEADINGS or tag in ("p", "li", "td", "th", "blockquote", "dt", "dd"):
            super().handle_starttag(tag, attrs)
            self._tag = tag
            return
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self._links.append((self._link[0], "".join(self._link[1])))
            self._link = None
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._link is not None and not self._skip:
            self._link[1].append(data)
        super().handle_data(data)

    def _flush(self) -> None:
        before = len(self.lines)
        super()._flush()
        links, self._links = self._links, []
        for text in self.lines[before:]:
            block = Block(text, 0, heading=self._tag in HEADINGS)
            at = 0
            for target, label in links:
                label = SPACE.sub(" ", label).strip().replace("\xa0", " ")
                where = text.find(label, at) if label else -1
                if where >= 0:
                    block.links.append((where, where + len(label), target))
                    at = where + len(label)
            self.blocks.append(block)
            links = []


def note_blocks(kb: KnowledgeBase, note_id: str) -> list[Block]:
    """The note's plain text as blocks, each with its offset, heading flag and note links."""
    parser = _Blocks()
    parser.feed(kb.render(note_id))
    parser.text()
    offset = 0
    for block in parser.blocks:
        block.start = offset
        offset += len(block.text) + 1
    return parser.blocks


def section_of(blocks: list[Block], offset: int) -> str | None:
    """The heading of the section holding `offset` (None before the first heading)."""
    found = None
    for block in blocks:
        if block.start > offset:
            break
        if block.heading:
            found = block.text
    return found


def cited_ids(blocks: list[Block], start: int, end: int) -> list[str]:
    """Ids of the notes linked inside plain[start:end], else right after it in the same block."""
    inside: list[str] = []
    after: list[str] = []
    for block in blocks:
        b_start, b_end = block.start, block.start + len(block.text)
        if b_end < start or b_start > end:
            continue
        inside += [t for s, e, t in block.links if block.start + s < end and block.start + e > start]
        if b_start <= end <= b_end:
            at = end - b_start
            for s, e, t in block.links:
                if s < at:
                    continue
                if not _BETWEEN.fullmatch(block.text[at:s]):
                    break
                after.append(t)
                at = e
    return list(dict.fromkeys(inside or after))


def passage_sources(kb: KnowledgeBase, note: Note, start: int, end: int,
                    blocks: list[Block] | None = None) -> list[Note]:
    """The source notes a passage cites (links inside it or right after it), else the note's sources."""
    blocks = blocks if blocks is not None else note_blocks(kb, note.id)
    found = [kb.get(i) for i in cited_ids(blocks, start, end)]
    sources = [n for n in found if n is not None and is_source(n)]
    return sources or sources_of(kb, note)
