"""The timeline: every dated note in date order, grouped by month.

Partial dates are placed by one rule: a date sorts at the first instant it
could mean. So '2020-02' sorts at the start of February 2020 (before
'2020-02-01'), and '2020' sorts at the start of 2020, before all its months.
Year-only notes get a group of their own, "2020 (month unknown)", placed just
before "January 2020". Within a group, entries sort by date, then by precision
(year, month, day), then by title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from viewer.core.kb import KnowledgeBase
from viewer.core.model import Note
from viewer.core.wikilinks import WIKILINK_RE, split_target

Precision = Literal["year", "month", "day"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
MAX_SUMMARY = 240

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class TimelineEntry:
    """One dated note, ready to show."""

    note_id: str
    title: str
    type: str | None
    date: str  # as written: '2020', '2020-02' or '2020-02-21'
    precision: Precision
    summary: str  # the first sentence of the note, as plain text

    @property
    def label(self) -> str:
        """The date for people: '21 February 2020', 'February 2020' or '2020'."""
        return format_date(self.date)


@dataclass(frozen=True)
class TimelineGroup:
    """The entries of one month, or of one year when the month is unknown."""

    label: str  # 'February 2020' or '2020 (month unknown)'
    key: str  # '2020-02' or '2020'
    entries: tuple[TimelineEntry, ...]


def timeline(kb: KnowledgeBase, types: Iterable[str] | None = None,
             tags: Iterable[str] | None = None) -> list[TimelineGroup]:
    """Every dated note of `kb`, in date order, grouped by month.

    Args:
        types: keep notes of any of these types (None keeps all).
        tags: keep notes with any of these tags (None keeps all).
            Both filters must hold; names compare case-insensitively.

    Returns:
        The groups in date order; notes without a (valid) date are left out.
    """
    type_set = _folded(types)
    tag_set = _folded(tags)
    entries: list[tuple[tuple, TimelineEntry]] = []
    for note in kb.notes():
        parts = parse_date(note.date)
        if parts is None:
            continue
        if type_set is not None and (note.type or "").casefold() not in type_set:
            continue
        if tag_set is not None and not tag_set & {t.casefold() for t in note.tags}:
            continue
        entry = TimelineEntry(note.id, note.title, note.type, note.date or "",
                              _precision(parts), summary(note, kb))
        entries.append((_sort_key(parts, entry), entry))
    entries.sort(key=lambda pair: pair[0])

    groups: list[TimelineGroup] = []
    current: list[TimelineEntry] = []
    current_key = ""
    for _, entry in entries:
        key = group_key(entry.date)
        if current and key != current_key:
            groups.append(TimelineGroup(group_label(current_key), current_key, tuple(current)))
            current = []
        current_key = key
        current.append(entry)
    if current:
        groups.append(TimelineGroup(group_label(current_key), current_key, tuple(current)))
    return groups


def dated_types(kb: KnowledgeBase) -> list[str]:
    """The types of the dated notes, sorted: choices for a type filter."""
    return sorted({n.type for n in kb.notes() if n.type and parse_date(n.date)})


def dated_tags(kb: KnowledgeBase) -> list[str]:
    """The tags of the dated notes, sorted: choices for a tag filter."""
    return sorted({t for n in kb.notes() if parse_date(n.date) for t in n.tags},
                  key=str.casefold)


# -- dates ---------------------------------------------------------------------

def parse_date(date: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) with 0 for a missing part, or None if no date."""
    match = _DATE_RE.match(date or "")
    if not match:
        return None
    year, month, day = (int(p) if p else 0 for p in match.groups())
    if month > 12 or (not month and day):
        return None
    return year, month, day


def format_date(date: str) -> str:
    """'21 February 2020', 'February 2020' or '2020'; unknown text unchanged."""
    parts = parse_date(date)
    if parts is None:
        return date
    year, month, day = parts
    if day:
        return f"{day} {MONTHS[month - 1]} {year}"
    if month:
        return f"{MONTHS[month - 1]} {year}"
    return str(year)


def group_key(date: str) -> str:
    """'2020-02' for a day or a month of February 2020; '2020' for a year."""
    return date[:7]


def group_label(key: str) -> str:
    """'February 2020' for '2020-02'; '2020 (month unknown)' for '2020'."""
    if len(key) == 4:
        return f"{key} (month unknown)"
    return format_date(key)


def _precision(parts: tuple[int, int, int]) -> Precision:
    return "day" if parts[2] else "month" if parts[1] else "year"


def _sort_key(parts: tuple[int, int, int], entry: TimelineEntry) -> tuple:
    # A missing month or day is 0: it sorts at the start of its year or month.
    return (*parts, _PRECISION_RANK[entry.precision], entry.title.casefold(), entry.note_id)


def _folded(names: Iterable[str] | None) -> set[str] | None:
    return None if names is None else {n.casefold() for n in names}


# -- summaries -----------------------------------------------------------------

_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
# A paragraph that only labels a field, such as '**Date:** 6 July 2020.'
_FIELD_RE = re.compile(r"^\s*(\*\*|__)[^*_\n]{1,40}:\s*\1")
_BLOCK_MARK_RE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_LIST_ITEM_RE = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
_MD_LINK_RE = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_STRONG_RE = re.compile(r"(\*\*|__)(.+?)\1")
_EM_RE = re.compile(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])")
_CODE_RE = re.compile(r"`+([^`]*)`+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z\"“(\[‘'])")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "vs", "e.g", "i.e", "etc", "inc", "co"}


def summary(note: Note, kb: KnowledgeBase | None = None) -> str:
    """The first sentence of the note's first paragraph of prose, as plain text.

    Headings, code blocks, HTML lines and field lines ('**Date:** ...') are
    skipped. A wikilink shows its label, else the name as written, except
    that a bare note id is shown as that note's title.
    """
    paragraph = _first_paragraph(note.body)
    if not paragraph:
        return ""
    text = _plain(paragraph, kb)
    sentence = _first_sentence(text)
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
        fence = _FENCE_RE.match(line)
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


def _plain(text: str, kb: KnowledgeBase | None) -> str:
    def link(match: re.Match[str]) -> str:
        target, heading, label = split_target(match.group(2))
        if label:
            return label
        note = kb.resolve(target) if kb is not None and target else None
        if note is not None and target == note.id and target != note.title:
            return note.title  # a bare id ('opp-statement') reads badly
        return target or heading or ""

    text = WIKILINK_RE.sub(link, text)
    text = _MD_LINK_RE.sub(r"\1", text)
    text = _CODE_RE.sub(r"\1", text)
    text = _STRONG_RE.sub(r"\2", text)
    text = _EM_RE.sub(r"\2", text)
    text = re.sub(r"<[^>\n]*>", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _first_sentence(text: str) -> str:
    for match in _SENTENCE_END_RE.finditer(text):
        before = text[: match.start()].rstrip(".!?\"'”’)]")
        word = before.rsplit(" ", 1)[-1].casefold()
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            continue  # 'Dr. Smith', 'J. Smith'
        return text[: match.start()].strip()
    return text
