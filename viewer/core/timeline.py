"""The timeline: every dated note in date order, grouped by month.

Dates are placed by the rule in `viewer.core.dates`: a partial date sorts at
the first day it could mean ('2020-02' before '2020-02-01', '2020' before all
its months), a range a source gives at its last day. Year-only notes get a
group of their own, "2020 (month unknown)", placed just before "January
2020"; a range joins the month it ends in. Within a group, entries sort by
date, then by precision (year, month, day, range), then by title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from viewer.core import dates
from viewer.core.dates import Precision, format_date
from viewer.core.kb import KnowledgeBase
from viewer.core.model import Note
from viewer.core.wikilinks import WIKILINK_RE, split_target

MAX_SUMMARY = 240


@dataclass(frozen=True)
class TimelineEntry:
    """One dated note, ready to show."""

    note_id: str
    title: str
    type: str | None
    date: str  # '2020', '2020-02', '2020-02-21' or a range '2019-12/2020-03-01'
    precision: Precision
    summary: str  # the first sentence of the note, as plain text

    @property
    def label(self) -> str:
        """The date for people: '21 February 2020', 'February 2020', '2020' or a range."""
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
        The entries are worked out once a sync (`entries`); filtering them is cheap.
    """
    type_set = _folded(types)
    tag_set = _folded(tags)
    groups: list[TimelineGroup] = []
    current: list[TimelineEntry] = []
    current_key = ""
    for dated in entries(kb):
        if type_set is not None and dated.type_key not in type_set:
            continue
        if tag_set is not None and not tag_set & dated.tag_keys:
            continue
        if current and dated.group != current_key:
            groups.append(TimelineGroup(group_label(current_key), current_key, tuple(current)))
            current = []
        current_key = dated.group
        current.append(dated.entry)
    if current:
        groups.append(TimelineGroup(group_label(current_key), current_key, tuple(current)))
    return groups


@dataclass(frozen=True)
class Dated:
    """A timeline entry with what filters and groups it."""

    entry: TimelineEntry
    group: str  # group_key of its date
    type_key: str  # its type, case-folded ('' for none)
    tag_keys: frozenset[str]  # its tags, case-folded
    tags: tuple[str, ...]


def entries(kb: KnowledgeBase) -> list[Dated]:
    """Every dated note of `kb` in timeline order, worked out once for each sync of `kb`."""
    return kb.derived("timeline", lambda: _entries(kb))


def _entries(kb: KnowledgeBase) -> list[Dated]:
    keyed: list[tuple[tuple, Dated]] = []
    for note in kb.notes():
        span = dates.parse(note.date)
        if span is None:
            continue
        entry = TimelineEntry(note.id, note.title, note.type, span.iso, span.precision, summary(note, kb))
        group = span.end.iso[:7] if span.is_range else span.start.iso[:7]
        dated = Dated(entry, group, (note.type or "").casefold(),
                      frozenset(t.casefold() for t in note.tags), tuple(note.tags))
        keyed.append(((*span.sort_key(), entry.title.casefold(), entry.note_id), dated))
    keyed.sort(key=lambda pair: pair[0])
    return [dated for _, dated in keyed]


def dated_types(kb: KnowledgeBase) -> list[str]:
    """The types of the dated notes, sorted: choices for a type filter."""
    return sorted({d.entry.type for d in entries(kb) if d.entry.type})


def dated_tags(kb: KnowledgeBase) -> list[str]:
    """The tags of the dated notes, sorted: choices for a tag filter."""
    return sorted({t for d in entries(kb) for t in d.tags}, key=str.casefold)


# -- groups --------------------------------------------------------------------

def group_key(date: str) -> str:
    """'2020-02' for a day or a month of February 2020 (or a range ending then); '2020' for a year."""
    span = dates.parse(date)
    if span is None:
        return date[:7]
    return span.end.iso[:7] if span.is_range else span.start.iso[:7]


def group_label(key: str) -> str:
    """'February 2020' for '2020-02'; '2020 (month unknown)' for '2020'."""
    if len(key) == 4:
        return f"{key} (month unknown)"
    return format_date(key)


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
