"""Finding wikilinks in Markdown text, with the line and sentence around each."""

from __future__ import annotations

import re
from collections.abc import Callable

from viewer.core.model import RawLink

# [[target]], [[target|label]], [[target#Heading]], [[target#Heading|label]], ![[...]]
WIKILINK_RE = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z\"“(\[])")
MAX_CONTEXT = 300
MAX_RAW_CONTEXT = 2000


def split_target(inner: str) -> tuple[str, str | None, str | None]:
    """Split the inside of [[...]] into (target, heading, label)."""
    target, sep, label = inner.partition("|")
    target, hsep, heading = target.partition("#")
    return (
        target.strip(),
        heading.strip() or None if hsep else None,
        label.strip() or None if sep else None,
    )


def plain_text(markdown_line: str, title_of: Callable[[str], str | None] | None = None) -> str:
    """Replace each wikilink by the words a reader sees.

    Args:
        title_of: gives the title for a target that is a note id, so that a
            bare [[id]] reads as the note's title, as in the rendered note.
    """

    def label(match: re.Match[str]) -> str:
        target, heading, text = split_target(match.group(2))
        if text:
            return text
        shown = (title_of(target) if title_of and target else None) or target
        return f"{shown} › {heading}" if heading else shown

    return WIKILINK_RE.sub(label, markdown_line)


def display_context(raw: str, title_of: Callable[[str], str | None] | None = None) -> str:
    """The sentence around a link as a reader sees it, cut to a readable length."""
    text = plain_text(raw, title_of)
    if len(text) > MAX_CONTEXT:
        text = text[: MAX_CONTEXT - 1].rstrip() + "…"
    return text


def _mask_code_spans(line: str) -> str:
    return _CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line)


def _sentence_around(line: str, start: int, end: int) -> str:
    """The sentence of `line` that holds the span start..end, as written."""
    begin, finish = 0, len(line)
    for match in _SENTENCE_END_RE.finditer(line):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            finish = match.start()
            break
    sentence = line[begin:finish].strip()
    return re.sub(r"^\s*(?:[-*+]|\d+[.)]|#+|>)\s+", "", sentence)[:MAX_RAW_CONTEXT]


def find_links(body: str, first_line: int = 1) -> list[RawLink]:
    """Every wikilink in `body` outside code, in order.

    Args:
        body: Markdown text without front matter.
        first_line: the file line number of the body's first line.
    """
    links: list[RawLink] = []
    fence: str | None = None
    for offset, line in enumerate(body.splitlines()):
        fence_match = _FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                continue
            if marker.startswith(fence):
                fence = None
                continue
        if fence is not None or line.startswith("    ") or "[[" not in line:
            continue
        masked = _mask_code_spans(line)
        for match in WIKILINK_RE.finditer(masked):
            target, heading, label = split_target(match.group(2))
            if not target and not heading:
                continue
            links.append(
                RawLink(
                    target=target,
                    label=label,
                    heading=heading,
                    embed=bool(match.group(1)),
                    line=first_line + offset,
                    context=_sentence_around(line, match.start(), match.end()),
                )
            )
    return links
