"""The timeline: every dated note in date order, grouped by month.

Dates are placed by the rule in `viewer.core.dates`: a partial date sorts at
the first day it could mean ('2020-02' before '2020-02-01', '2020' before all
its months), a range a source gives at its last day. Year-only notes get a
group of their own, "2020 (month unknown)", placed just before "January
2020"; a range joins the month it ends in. Within a group, entries sort by
date, then by precision (year, month, day, range), then by title.
"""

from __future__ import annotations

from collections import defaultdict
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
        The entries, their groups and which are of each type and tag are worked
        out once a sync (`entries`); a filter only picks the entries it keeps.
    """
    made = _made(kb)
    type_set = _folded(types)
    tag_set = _folded(tags)
    if type_set is None and tag_set is None:
        return list(made.groups)
    picked: set[int] | None = None
    if type_set is not None:
        picked = set().union(*(made.by_type.get(key, ()) for key in type_set))
    if tag_set is not None:
        tagged: set[int] = set().union(*(made.by_tag.get(key, ()) for key in tag_set))
        picked = tagged if picked is None else picked & tagged
    return _grouped(made.dated[i] for i in sorted(picked or ()))


def _grouped(dated: Iterable[Dated]) -> list[TimelineGroup]:
    """Entries in timeline order, in their month groups."""
    groups: list[TimelineGroup] = []
    current: list[TimelineEntry] = []
    current_key = ""
    for item in dated:
        if current and item.group != current_key:
            groups.append(TimelineGroup(group_label(current_key), current_key, tuple(current)))
            current = []
        current_key = item.group
        current.append(item.entry)
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


@dataclass(frozen=True)
class _Made:
    """What the timeline works out once a sync: the entries, all of them grouped, and the
    positions of the entries of each type and of each tag (case-folded)."""

    dated: list[Dated]
    groups: tuple[TimelineGroup, ...]
    by_type: dict[str, list[int]]
    by_tag: dict[str, list[int]]
    types: list[str]  # the types and tags of the dated notes, sorted: choices for filters
    tags: list[str]


def entries(kb: KnowledgeBase) -> list[Dated]:
    """Every dated note of `kb` in timeline order, worked out once for each sync of `kb`."""
    return _made(kb).dated


def _made(kb: KnowledgeBase) -> _Made:
    return kb.derived("timeline", lambda: _make(_entries(kb)))


def _make(dated: list[Dated]) -> _Made:
    by_type: dict[str, list[int]] = defaultdict(list)
    by_tag: dict[str, list[int]] = defaultdict(list)
    for position, item in enumerate(dated):
        by_type[item.type_key].append(position)
        for tag in item.tag_keys:
            by_tag[tag].append(position)
    return _Made(dated, tuple(_grouped(dated)), dict(by_type), dict(by_tag),
                 sorted({d.entry.type for d in dated if d.entry.type}),
                 sorted({t for d in dated for t in d.tags}, key=str.casefold))


def _entries(kb: KnowledgeBase) -> list[Dated]:
    keyed: list[tuple[tuple, Dated]] = []
    for note in kb.notes():
        span = parse_date(note.date)
        if span is None:
            continue
        entry = TimelineEntry(note.id, note.title, note.type, span.iso, span.precision, summary(note, kb))
        group = group_key(span.iso)
        dated = Dated(entry, group, (note.type or "").casefold(),
                      frozenset(t.casefold() for t in note.tags), tuple(note.tags))
        keyed.append(((*span.sort_key(), entry.title.casefold(), entry.note_id), dated))
    keyed.sort(key=lambda pair: pair[0])
    return [dated for _, dated in keyed]


def dated_types(kb: KnowledgeBase) -> list[str]:
    """The types of the dated notes, sorted: choices for a type filter."""
    return list(_made(kb).types)


def dated_tags(kb: KnowledgeBase) -> list[str]:
    """The tags of the dated notes, sorted: choices for a tag filter."""
    return list(_made(kb).tags)


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
