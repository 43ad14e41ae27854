"""Finding wikilinks in Markdown text, with the line and sentence around each."""

from __future__ import annotations

import bisect
import re
from urllib.parse import unquote

from viewer.core.lazy import lazy_pattern
from viewer.core.model import RawLink

# [[target]], [[target|label]], [[target#Heading]], [[target#Heading|label]], ![[...]]
WIKILINK_RE = lazy_pattern(r"(!?)\[\[([^\[\]\n]+?)\]\]")
FENCE_RE = lazy_pattern(r"^\s{0,3}(`{3,}|~{3,})")
_BACKTICKS_RE = lazy_pattern(r"`+")
# A sentence break: its end mark, closing quotes or brackets, spaces. Matched
# from the mark rather than with a look-behind for it: 1.7x quicker.
_SENTENCE_END_RE = lazy_pattern(r"[.!?][\"'”’)\]]*\s+(?=[A-Z\"“(\[])")
# Wikilinks found without the optional `!` of an embed in front (it makes the
# scan try every position: 6x slower); an embed is told by the character before.
_LINK_SCAN_RE = lazy_pattern(r"\[\[([^\[\]\n]+?)\]\]")
MAX_CONTEXT = 300
MAX_RAW_CONTEXT = 2000


ATTACHMENT_SUFFIXES = frozenset(
    [".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".pdf", ".mp3", ".wav", ".ogg", ".m4a", ".flac",
     ".webm", ".mp4", ".mov", ".mkv", ".ogv", ".avi", ".canvas"])


def is_attachment(target: str) -> bool:
    """Whether a link target names a file other than a note (an image, a PDF, a sound...)."""
    dot = target.rfind(".")
    return dot > 0 and target[dot:].casefold() in ATTACHMENT_SUFFIXES


def split_target(inner: str) -> tuple[str, str | None, str | None]:
    """Split the inside of [[...]] into (target, heading, label); `\\|` (in a table) is a `|`."""
    target, sep, label = inner.replace("\\|", "|").partition("|")
    target, hsep, heading = target.partition("#")
    return (
        target.strip(),
        heading.strip() or None if hsep else None,
        label.strip() or None if sep else None,
    )


def mask_code_spans(line: str) -> str:
    """`line` with each code span blanked out, in one pass.

    A run of backticks opens a span that the next run of the same length
    closes; a run with no such partner is literal. (A regex with a
    backreference took super-quadratic time on runs of backticks.)
    """
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(line)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last_of_length.get(length)
        last_of_length[length] = index
    pieces: list[str] = []
    done = 0
    index = 0
    while index < len(runs):
        partner = following[index]
        if partner is None:
            index += 1
            continue
        begin, finish = runs[index][0], runs[partner][1]
        pieces.append(line[done:begin])
        pieces.append(" " * (finish - begin))
        done = finish
        index = partner + 1
    pieces.append(line[done:])
    return "".join(pieces)


class Sentences:
    """The sentences of one line, found once, so each link's sentence is a lookup."""

    def __init__(self, line: str) -> None:
        self.line = line
        self._starts: list[int] | None = None  # where each sentence break starts
        self._stops: list[int] = []  # and where it stops

    def around(self, start: int, end: int) -> str:
        """The sentence that holds the span start..end, as written (a window of it when long)."""
        if self._starts is None:
            breaks = [(m.start() + 1, m.end()) for m in _SENTENCE_END_RE.finditer(self.line)]  # after the mark
            self._starts = [b[0] for b in breaks]
            self._stops = [b[1] for b in breaks]
        before = bisect.bisect_right(self._stops, start)
        begin = self._stops[before - 1] if before else 0
        after = bisect.bisect_left(self._starts, end)
        finish = self._starts[after] if after < len(self._starts) else len(self.line)
        if finish - begin > MAX_RAW_CONTEXT:  # a run-on "sentence": the part around the span
            begin = max(begin, min(start - MAX_RAW_CONTEXT // 2, finish - MAX_RAW_CONTEXT))
            finish = min(finish, begin + MAX_RAW_CONTEXT)
        sentence = self.line[begin:finish].strip()
        return _LIST_MARK_RE.sub("", sentence, count=1)[:MAX_RAW_CONTEXT]


_LIST_MARK_RE = lazy_pattern(r"^(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+")


def sentence_around(line: str, start: int, end: int) -> str:
    """The sentence of `line` that holds the span start..end, as written."""
    return Sentences(line).around(start, end)


MD_NOTE_LINK_RE = lazy_pattern(r"(?<!!)\[([^\[\]\n]{0,500})\]\(<?([^()\s<>]{1,1000}?\.md)(?:#([^()\s<>]{0,500}))?>?\)",
                             re.IGNORECASE)


def _markdown_links(line: str, number: int, sentences: Sentences) -> list[tuple[int, RawLink]]:
    """`[text](Other%20note.md#Heading)`: links to notes written as Markdown links, with where each starts."""
    found = []
    for match in MD_NOTE_LINK_RE.finditer(line):
        target = unquote(match.group(2))
        if "://" in target or target.startswith(("/", "mailto:")):
            continue
        heading = unquote(match.group(3)) if match.group(3) else None
        found.append((match.start(), RawLink(
            target=target, label=match.group(1).strip() or None, heading=heading,
            embed=False, line=number, context=sentences.around(match.start(), match.end()))))
    return found


def find_links(body: str, first_line: int = 1) -> list[RawLink]:
    """Every wikilink in `body` outside code, in order.

    Args:
        body: Markdown text without front matter.
        first_line: the file line number of the body's first line.
    """
    links: list[RawLink] = []
    fence: str | None = None
    for offset, line in enumerate(body.splitlines()):
        fence_match = FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                continue
            if marker.startswith(fence):
                fence = None
                continue
        if fence is not None or line.startswith("    ") or ("[[" not in line and ".md" not in line):
            continue
        masked = mask_code_spans(line)
        sentences = Sentences(line)
        found: list[tuple[int, RawLink]] = []
        if ".md" in line:
            found = _markdown_links(masked, first_line + offset, sentences)
        for match in _LINK_SCAN_RE.finditer(masked):
            target, heading, label = split_target(match.group(1))
            if (not target and not heading) or is_attachment(target):
                continue
            start = match.start()
            embed = start > 0 and masked[start - 1] == "!"
            start -= embed
            found.append((start,
                RawLink(
                    target=target,
                    label=label,
                    heading=heading,
                    embed=embed,
                    line=first_line + offset,
                    context=sentences.around(start, match.end()),
                )))
        found.sort(key=lambda item: item[0])
        links.extend(link for _, link in found)
    return links
