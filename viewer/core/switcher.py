"""The quick switcher's ranking: notes by title, alias or file name, fuzzily.

Names that contain what was typed come first (exact, prefix, word prefix,
substring), then fuzzy matches that catch typos (rapidfuzz's WRatio); recent
notes come first among equals. `Names` folds every note's names once (a
sync's worth: the window makes it in the loading worker), so a query is a
scan of plain strings. The tiers are taken best first and stop once `limit`
notes match (worse ones could not show); only the top `limit` notes are
ordered. The fuzzy pass, skipped when names that contain the query fill the
list, runs in pieces of CHUNK names: rapidfuzz holds the GIL while it scores,
and a ranking in a worker thread must hand it back to the UI thread often.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from viewer.core.errors import Stale
from viewer.core.kb import KnowledgeBase
from viewer.core.labels import type_label
from viewer.core.model import Note
from viewer.core.names import folder_of, stem
from viewer.core.sorting import sorted_in_runs

MAX_ROWS = 50
MIN_SCORE = 70.0
SHORT_QUERY = 3  # up to this many characters, only near-exact fuzzy matches are listed
SHORT_MIN_SCORE = 90.0
CHUNK = 2_000  # names scored by rapidfuzz in one call (a few milliseconds)

# How a name matches what was typed, best first.
EXACT, PREFIX, WORD_PREFIX, SUBSTRING, FUZZY = range(5)


@dataclass(frozen=True)
class Choice:
    note_id: str
    title: str
    matched: str  # the name that matched: the title or an alias
    kind: str  # "Event", "Person"...
    folder: str = ""  # where the note's file is, from the folder's top ('' at the top)


class Names:
    """Every name of every note (title, aliases, file name), folded for matching."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes = list(notes)
        self.index: dict[str, int] = {note.id: i for i, note in enumerate(self.notes)}
        self.titles = [note.title.casefold() for note in self.notes]
        self.names: list[str] = []
        self.owners: list[int] = []  # the note of each name, by position in `notes`
        self.starts: list[int] = []  # where each note's names start in `names` (they follow each other)
        for i, note in enumerate(self.notes):
            self.starts.append(len(self.names))
            for name in dict.fromkeys((note.title, *note.aliases, stem(note.path))):
                self.names.append(name)
                self.owners.append(i)
        self.starts.append(len(self.names))
        self.keys: list[str] = []
        if self.names:  # rapidfuzz loads with the first names folded (in the loading worker), not at start-up
            from rapidfuzz import utils

            self.keys = [utils.default_process(name) for name in self.names]
        self.by_title = sorted_in_runs(range(len(self.notes)), self.titles.__getitem__)  # the lock passes meanwhile
        self.title_rank = [0] * len(self.notes)  # each note's place in `by_title`: title, then order
        for place, i in enumerate(self.by_title):
            self.title_rank[i] = place

    def __len__(self) -> int:
        return len(self.notes)

    def choice(self, i: int, matched: str | None = None) -> Choice:
        note = self.notes[i]
        return Choice(note.id, note.title, matched or note.title, type_label(note.type), folder_of(note.path))


def rank(names: Names | Sequence[Note], query: str, recent: Sequence[str] = (), limit: int = MAX_ROWS,
         stale: Callable[[], bool] | None = None) -> list[Choice]:
    """Notes for `query`, best first; with an empty query, recent notes then the rest by title.

    A name that is the query, starts with it, has a word starting with it or contains it
    comes before a fuzzy match (which catches typos); among equals recent notes come first.
    `stale()` is asked between pieces of work: when it says yes, `Stale` is raised.
    """
    table = names if isinstance(names, Names) else Names(names)
    recent_pos: dict[int, int] = {}
    for note_id in recent:
        if note_id in table.index:
            recent_pos.setdefault(table.index[note_id], len(recent_pos))
    query = query.strip()
    if not query:
        chosen = list(recent_pos)[:limit]
        for i in table.by_title:
            if len(chosen) >= limit:
                break
            if i not in recent_pos:
                chosen.append(i)
        return [table.choice(i) for i in chosen]
    from rapidfuzz import utils

    folded = utils.default_process(query)
    if not folded:
        return []
    keys, owners = table.keys, table.owners
    spaced = f" {folded}"
    containing = [n for n, key in enumerate(keys) if folded in key]

    def prefix() -> list[int]:
        return [n for n in containing if keys[n].startswith(folded)]

    def word_prefix() -> list[int]:
        return [n for n in containing if spaced in keys[n]]
    tiers: dict[int, set[int]] = {}  # tier -> the notes whose best name is of that tier
    found: set[int] = set()
    # Tiers best first: once `limit` notes have a name of this tier or a better one, worse ones cannot show.
    for tier, hits in ((EXACT, lambda: [n for n in prefix() if keys[n] == folded]), (PREFIX, prefix),
                       (WORD_PREFIX, word_prefix), (SUBSTRING, lambda: containing)):
        new = {owners[n] for n in hits()} - found
        tiers[tier] = new
        found |= new
        if len(found) >= limit:
            break
    fuzzy: dict[int, tuple[float, int, str]] = {}  # note -> (-score, 0 for the title or 1, name) of its best
    if len(found) < limit:  # room left for fuzzy matches: they come after every name that contains the query
        for score, n in _fuzzy(table, folded, max(limit * 4, 200), len(containing), stale):
            owner, name = owners[n], table.names[n]
            if owner not in found:
                offer = (-score, int(name != table.notes[owner].title), name)
                fuzzy[owner] = min(fuzzy.get(owner, offer), offer)
        tiers[FUZZY] = set(fuzzy)
    recent_first = sorted(recent_pos, key=recent_pos.__getitem__)
    picked: list[tuple[int, int]] = []  # (note, tier)
    for tier, members in sorted(tiers.items()):
        room = limit - len(picked)
        if room <= 0:
            break
        firsts = [i for i in recent_first if i in members]  # recent notes first among equals
        if tier == FUZZY:
            firsts.sort(key=lambda i: (recent_pos[i], fuzzy[i][0]))
            rest = sorted(members - set(firsts), key=lambda i: (fuzzy[i][0], table.title_rank[i]))
        else:
            rest = heapq.nsmallest(room, members - set(firsts), key=table.title_rank.__getitem__)
        picked += [(i, tier) for i in [*firsts, *rest][:room]]
    return [table.choice(i, fuzzy[i][2] if tier == FUZZY else _matched(table, i, tier, folded))
            for i, tier in picked]


def _matched(table: Names, i: int, tier: int, folded: str) -> str:
    """The name of note `i` that matched `folded` in `tier`: the title before another name, then the first in order."""
    title = table.notes[i].title
    spaced = f" {folded}"

    def tier_of(key: str) -> int | None:
        if key == folded:
            return EXACT
        if key.startswith(folded):
            return PREFIX
        if spaced in key:
            return WORD_PREFIX
        return SUBSTRING if folded in key else None
    names = [table.names[n] for n in range(table.starts[i], table.starts[i + 1]) if tier_of(table.keys[n]) == tier]
    return min(names, key=lambda name: (name != title, name))


def _fuzzy(table: Names, folded: str, count: int, containing: int,
           stale: Callable[[], bool] | None) -> list[tuple[float, int]]:
    """The `count` best fuzzy matches among names that do not contain `folded` (`containing` of
    them do): (score, name position)."""
    from rapidfuzz import fuzz, process

    cutoff = SHORT_MIN_SCORE if len(folded) <= SHORT_QUERY else MIN_SCORE
    keys = table.keys
    found: list[tuple[float, int]] = []  # the best so far, best first
    for start in range(0, len(keys), CHUNK):
        if stale is not None and stale():
            raise Stale
        piece = keys[start:start + CHUNK]
        for _, score, position in process.extract(folded, piece, scorer=fuzz.WRatio, processor=None,
                                                  limit=count + containing, score_cutoff=cutoff):
            if folded not in piece[position]:
                found.append((score, start + position))
        found = heapq.nsmallest(count, found, key=lambda hit: (-hit[0], hit[1]))
        if len(found) == count:  # later pieces need only beat the worst kept (a tie loses: it comes later)
            cutoff = max(cutoff, found[-1][0])
    return found


def note_names(kb: KnowledgeBase) -> Names:
    """The names of `kb`'s notes, made once a sync (in the loading worker, when it asks first)."""
    derived = getattr(kb, "derived", None)
    if callable(derived):
        names: Names = derived("switcher names", lambda: Names(kb.notes()))
        return names
    return Names(kb.notes())
