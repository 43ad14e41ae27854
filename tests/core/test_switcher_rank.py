"""The quick switcher's ranking over names folded once: the same order as a plain scan of every name."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process, utils

from viewer.core import switcher
from viewer.core.errors import Stale
from viewer.core.model import Note, NoteId
from viewer.core.names import stem
from viewer.core.switcher import CHUNK, Names, rank


def note(note_id: str, title: str, aliases=(), folder: str = "", kind: str = "topic") -> Note:
    path = f"{folder}/{note_id}.md" if folder else f"{note_id}.md"
    return Note(NoteId(note_id), path, title, kind, tuple(aliases))


def scan(notes: list[Note], query: str, recent=(), limit: int = switcher.MAX_ROWS) -> list[tuple[str, str]]:
    """The ranking written the plain way, every name of every note one at a time: (note id, name matched)."""
    folded = utils.default_process(query.strip())
    best: dict[str, tuple] = {}
    fuzzy_names: list[str] = []
    owners: list[Note] = []
    for n in notes:
        for name in dict.fromkeys((n.title, *n.aliases, stem(n.path))):
            key = utils.default_process(name)
            tier = (0 if key == folded else 1 if key.startswith(folded) else 2 if f" {folded}" in f" {key}"
                    else 3 if folded in key else None)
            if tier is None:
                fuzzy_names.append(key)
                owners.append(n)
            else:
                best[n.id] = min(best.get(n.id, (9,)), (tier, -100.0, int(name != n.title), name))
    cutoff = 90.0 if len(folded) <= 3 else 70.0
    for _, score, position in process.extract(folded, fuzzy_names, scorer=fuzz.WRatio, processor=None,
                                              limit=max(limit * 4, 200), score_cutoff=cutoff):
        owner = owners[position]
        name = [m for m in dict.fromkeys((owner.title, *owner.aliases, stem(owner.path)))
                if utils.default_process(m) == fuzzy_names[position]][0]
        best[owner.id] = min(best.get(owner.id, (9,)), (4, -score, int(name != owner.title), name))
    place = {n.id: i for i, n in enumerate(notes)}
    recent_pos = {note_id: i for i, note_id in enumerate(recent)}
    order = sorted(best, key=lambda i: (best[i][0], recent_pos.get(i, len(recent)), best[i][1],
                                        notes[place[i]].title.casefold(), place[i]))
    return [(note_id, best[note_id][3]) for note_id in order[:limit]]


def many(count: int, seed: int = 7) -> list[Note]:
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ser", "tra", "vo", "qui", "den", "pal", "ro"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randrange(1, 4))).capitalize()
    return [note(f"n{i:05d}", f"{word()} {word()} {i}", [f"{word()} {i}"] if i % 3 == 0 else [],
                 folder=rng.choice(["", "people", "events"])) for i in range(count)]


@pytest.mark.parametrize("query", ["ka", "kalo", "Serlo 12", "tra vo", "mi", "qui den", "kalomi serpa",
                                   "n00042", "zzzz", "palro 4999"])
def test_the_ranking_is_the_plain_scan_of_every_name(query):
    notes = many(3 * CHUNK // 2)  # the fuzzy pass goes over more than one piece
    recent = [notes[5].id, notes[1234].id]
    assert [(c.note_id, c.matched) for c in rank(Names(notes), query, recent)] == scan(notes, query, recent)


def test_a_typo_in_the_last_piece_is_still_found_first():
    notes = many(2 * CHUNK)
    target = notes[-3]
    typo = target.title[:-6].lower().replace("a", "e", 1) + target.title[-6:]
    choices = rank(Names(notes), typo)
    assert choices and choices[0].note_id == target.id


def test_only_the_best_choices_are_made_and_an_empty_query_lists_recent_then_titles():
    notes = [note(f"t{i}", f"Topic {i:03d}") for i in range(300)]
    names = Names(notes)
    choices = rank(names, "topic", limit=10)
    assert [c.title for c in choices] == [f"Topic {i:03d}" for i in range(10)]
    assert [c.note_id for c in rank(names, "", recent=["t7", "missing", "t3"], limit=4)] == ["t7", "t3", "t0", "t1"]
    assert [c.note_id for c in rank(names, "topic", recent=["t250"], limit=2)] == ["t250", "t0"]


def test_same_named_notes_come_with_their_folder_and_the_alias_that_matched():
    names = Names([note("a", "Smith", folder="people", kind="person"), note("b", "Smith", folder="places"),
                   note("c", "Royal Canadian Mounted Police", ["RCMP"], kind="organisation")])
    smiths = rank(names, "smith")
    assert [(c.note_id, c.folder, c.kind) for c in smiths] == [("a", "people", "Person"), ("b", "places", "Topic")]
    assert rank(names, "rcmp")[0].matched == "RCMP"


def test_a_stale_query_stops_before_its_fuzzy_pass():
    names = Names(many(CHUNK + 10))
    with pytest.raises(Stale):
        rank(names, "qqqq zzzz", stale=lambda: True)
    assert rank(names, "qqqq zzzz", stale=lambda: False) == []
