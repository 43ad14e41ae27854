"""The timeline: every dated note in date order, grouped by month.

Dates are placed by the rule in `viewer.core.dates`: a partial date sorts at
the first day it could mean ('2020-02' before '2020-02-01', '2020' before all
its months), a range a source gives at its last day. Year-only notes get a
group of their own, "2020 (month unknown)", placed just before "January
2020"; a range joins the month it ends in. Within a group, entries sort by
date, then by precision (year, month, day, range), then by title.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from viewer.core.dates import Precision, format_date
from viewer.core.dates import parse as parse_date
from viewer.core.kb import KnowledgeBase
from viewer.core.model import Note
from viewer.core.plain import first_sentence

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
    """
    type_set = _folded(types)
    tag_set = _folded(tags)
    entries: list[tuple[tuple, TimelineEntry]] = []
    for note in kb.notes():
        span = parse_date(note.date)
        if span is None:
            continue
        if type_set is not None and (note.type or "").casefold() not in type_set:
            continue
        if tag_set is not None and not tag_set & {t.casefold() for t in note.tags}:
            continue
        entry = TimelineEntry(note.id, note.title, note.type, span.iso,
                              span.precision, summary(note, kb))
        entries.append(((*span.sort_key(), entry.title.casefold(), entry.note_id), entry))
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


# -- groups --------------------------------------------------------------------

def group_key(date: str) -> str:
    """'2020-02' for a day or a month of February 2020 (or a range ending then); '2020' for a year."""
    span = parse_date(date)
    if span is None:
        return date[:7]
    placed = span.end if span.is_range and span.end else span.start or span.end
    return placed.iso[:7] if placed else date[:7]


def group_label(key: str) -> str:
    """'February 2020' for '2020-02'; '2020 (month unknown)' for '2020'."""
    if len(key) == 4:
        return f"{key} (month unknown)"
    return format_date(key)


def _folded(names: Iterable[str] | None) -> set[str] | None:
    return None if names is None else {n.casefold() for n in names}


def summary(note: Note, kb: KnowledgeBase | None = None) -> str:
    """The note's first sentence; a bare note id in a link reads as that note's title."""
    def title_of(target: str) -> str | None:
        found = kb.resolve(target) if kb is not None else None
        return found.title if found is not None and target == found.id else None
    return first_sentence(note.body, title_of)
