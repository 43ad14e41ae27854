"""Markdown reduced to the words a reader sees: the one home of that idea.

Every function returns plain text (no Markdown marks, no HTML), and each
name says which text:

- `link_labels(text)`: the text with each wikilink replaced by its label, or
  the linked note's title, or the target as written;
- `body_words(body)`: a whole note body on one line (search snippets, the
  search index);
- `line_words(line)`: one line, list marks kept as bullets and table cells
  side by side (backlink and mention sentences);
- `preview_text(note)`: the first lines of a note's prose (link previews);
- `first_sentence(body)`: the first sentence of the first paragraph of
  prose (timeline summaries);
- `link_sentence(raw)`: the sentence around a link, cut to a readable length.

Annotations count their offsets in the rendered note's text instead
(`viewer.core.annotations.text`), since that is what the reader selects.
Every pattern here stays linear on floods of brackets and marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from viewer.core.lazy import lazy_pattern
from viewer.core.model import Note
from viewer.core.wikilinks import FENCE_RE, MD_NOTE_LINK_RE, split_target

TitleOf = Callable[[str], "str | None"]  # a note id or name -> the title a reader sees, or None

MAX_CONTEXT = 300
MAX_SUMMARY = 240

_WIKILINK = lazy_pattern(r"\[\[([^\[\]\n]*)\]\]")  # no leading `!?`: it makes the scan 8x slower
_MD_LINK = lazy_pattern(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")  # no "[" or "(" inside: linear on floods
_TAG = lazy_pattern(r"</?[A-Za-z][^<>]*>")
_LINE_MARKS = lazy_pattern(r"(?m)^[ \t]{0,3}(?:#{1,6}\s|>\s?|[-*+]\s)")
_INLINE_MARKS = ("**", "*", "`", "~~", "[[", "]]")
_LINE_NOISE = [
    (lazy_pattern(r"^\s{0,3}#{1,6}\s+"), ""),  # heading marks
    (lazy_pattern(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+"), "• "),  # list marks
    (lazy_pattern(r"^\s{0,3}>\s?"), ""),  # quotes
    (_MD_LINK, r"\1"),  # [text](url), images
    (lazy_pattern(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis, code
]


def link_labels(text: str, title_of: TitleOf | None = None) -> str:
    """`text` with each wikilink (or embed) replaced by the words a reader sees.

    A link shows its label; else the linked note's title (from `title_of`,
    so a bare [[id]] reads as the title), else its target as written; a
    heading follows as `Title › Heading`.
    """
    if ".md" in text:  # a Markdown link to a note reads as its text
        text = MD_NOTE_LINK_RE.sub(lambda m: m.group(1), text)
    if "[[" not in text:
        return text
    text = text.replace("![[", "[[")  # an embed reads as a link

    def label(match: re.Match[str]) -> str:
        target, heading, shown = split_target(match.group(1))
        if shown:
            return shown
        name = (title_of(target) if title_of and target else None) or target
        if heading:
            return f"{name} › {heading}" if name else heading
        return name

    return _WIKILINK.sub(label, text)


def body_words(body: str, title_of: TitleOf | None = None, title: str = "") -> str:
    """A note body as the words a reader sees, on one line.

    Wikilinks become their label (or the linked note's title), Markdown links
    their text; tags, emphasis and heading marks go, and so does a first
    heading that only repeats `title`.
    """
    if title and body.lstrip().startswith("# "):
        first, _, rest = body.lstrip().partition("\n")
        if first[2:].strip().casefold() == title.strip().casefold():
            body = rest
    body = link_labels(body, title_of)
    if "](" in body:
        body = _MD_LINK.sub(r"\1", body)
    if "<" in body:
        body = _TAG.sub(" ", body)
    if "\n" in body or body[:1] in "#>-*+ ":
        body = _LINE_MARKS.sub("", body)
    for mark in _INLINE_MARKS:
        if mark in body:
            body = body.replace(mark, "")
    return " ".join(body.split())


def line_words(line: str, title_of: TitleOf | None = None) -> str:
    """One line of Markdown as the words a reader sees: list marks as bullets, table cells side by side."""
    text = link_labels(line, title_of)
    if text.strip().startswith("|"):  # a table row: its cells, side by side
        text = " · ".join(cell.strip() for cell in text.strip().strip("|").split("|") if cell.strip())
    for pattern, repl in _LINE_NOISE:
        text = pattern.sub(repl, text)
    return text


def link_sentence(raw: str, title_of: TitleOf | None = None) -> str:
    """The sentence around a link as a reader sees it, cut to a readable length."""
    text = link_labels(raw, title_of)
    if len(text) > MAX_CONTEXT:
        text = text[: MAX_CONTEXT - 1].rstrip() + "…"
    return text


def preview_text(note: Note, limit: int = 320) -> str:
    """The first lines of a note's prose, for a link preview."""
    lines: list[str] = []
    size = 0
    fence = False
    for raw in note.body.splitlines():
        stripped = raw.strip()
        if stripped.startswith(("```", "~~~")):
            fence = not fence
            continue
        if fence or not stripped or stripped.startswith(("|", "<", "---")):
            continue
        if stripped.lstrip("#").strip().casefold() == note.title.casefold() and stripped.startswith("#"):
            continue
        text = line_words(stripped[: 4 * limit])  # enough for `limit` characters: a long line is cut first
        lines.append(text)
        size += len(text)
        if size >= limit:
            break
    joined = "\n".join(lines)
    if len(joined) > limit:
        joined = joined[: limit - 1].rsplit(" ", 1)[0] + "…"
    return joined


# -- the first sentence --------------------------------------------------------

_HEADING_RE = lazy_pattern(r"^\s{0,3}#{1,6}(\s|$)")
# A paragraph that only labels a field, such as '**Date:** 6 July 2020.'
_FIELD_RE = lazy_pattern(r"^\s*(\*\*|__)[^*_\n]{1,40}:\s*\1")
_BLOCK_MARK_RE = lazy_pattern(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_LIST_ITEM_RE = lazy_pattern(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
_STRONG_RE = lazy_pattern(r"(\*\*|__)(.+?)\1")
_EM_RE = lazy_pattern(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE_RE = lazy_pattern(r"`+([^`]*)`+")
_SENTENCE_END_RE = lazy_pattern(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z\"“(\[‘'])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "e.g", "i.e", "etc", "inc", "co"}


def first_sentence(body: str, title_of: TitleOf | None = None) -> str:
    """The first sentence of the first paragraph of prose, as plain text.

    Headings, code blocks, HTML lines and field lines ('**Date:** ...') are
    skipped. A wikilink shows its label, else the linked note's title
    (`title_of`), else the name as written.
    """
    paragraph = _first_paragraph(body)
    if not paragraph:
        return ""
    text = _inline_words(paragraph, title_of)
    sentence = _sentence_of(text)
    if len(sentence) > MAX_SUMMARY:
        sentence = sentence[: MAX_SUMMARY - 1].rstrip() + "…"
    return sentence


def _first_paragraph(body: str) -> str:
    for block in _blocks(body):
        first = block[0]
        if first.startswith(("    ", "\t")) or first.lstrip().startswith(("<", "|", "![")):
            continue  # indented code, HTML, a table or an image
        if _FIELD_RE.match(first):
            continue
        if _LIST_ITEM_RE.match(first):
            return _BLOCK_MARK_RE.sub("", first, count=1).strip()  # a list: its first item
        return " ".join(_BLOCK_MARK_RE.sub("", line, count=1).strip() for line in block)
    return ""


def _blocks(body: str) -> Iterator[list[str]]:
    """The paragraphs of `body` as lists of lines, outside code fences and headings."""
    block: list[str] = []
    in_fence = False
    for line in body.split("\n"):
        fence = FENCE_RE.match(line)
        if fence or in_fence or not line.strip() or _HEADING_RE.match(line):
            if fence:
                in_fence = not in_fence
            if block:
                yield block
                block = []
            continue
        block.append(line)
    if block:
        yield block


def _inline_words(text: str, title_of: TitleOf | None) -> str:
    text = link_labels(text, title_of)
    text = _MD_LINK.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _STRONG_RE.sub(r"\2", text)
    text = _EM_RE.sub(r"\2", text)
    text = re.sub(r"<[^>\n]*>", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _sentence_of(text: str) -> str:
    for match in _SENTENCE_END_RE.finditer(text):
        before = text[: match.start()].rstrip(".!?\"'”’)]")
        word = before.rsplit(" ", 1)[-1].casefold()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # 'Dr. Smith', 'J. Smith'
        return text[: match.start()].strip()
    return text
