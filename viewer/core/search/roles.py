"""Role questions: `who runs clearview` asks who holds a role in an organisation.

A who-question is a role question when it names an organisation (the title
or an alias of an organisation's note, as `clearview` is) and holds a verb of
leading or owning (runs, leads, heads, owns, founded, directs...) or a role
(chief executive, founder, head, director, president...). Its verb is not
searched as a word, since "officers ran the tool" says nothing of who runs a
company. Instead the organisation's note gets a bonus, and so do the people
whose role in it a note states: a sentence of the organisation's note that
links to the person and names a role, or a sentence of the person's note that
links to the organisation and names a role. The more such sentences, the
larger the bonus. The passage chosen in each note is the sentence naming the
role.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from viewer.core.search.passages import ends_between, reader_text
from viewer.core.search.query import Text

ROLE_BONUS = 8.0  # for the organisation's note, and for the person whose role is stated most
NEAR = 80  # characters between a role and the link it speaks of, at most
MAX_WORDS = 16  # a longer query is not read as a role question
MAX_NAME = 8  # words in an organisation's name, at most
MAX_LINKS = 500  # links to the notes asked about, looked at in one note

ROLE_VERBS = frozenset([
    "run", "runs", "ran", "running", "lead", "leads", "led", "leading", "head", "heads", "headed",
    "heading", "own", "owns", "owned", "owning", "found", "founded", "founds", "co-founded",
    "cofounded", "direct", "directs", "directed", "manage", "manages", "managed", "chair", "chairs",
    "chaired", "control", "controls", "controlled"
])

# A role as a note states it (lower-cased text): "co-founder", "chief executive", "police chief".
ROLE_NOUNS = re.compile(r"(?<![\w-])(?:co-?)?(?:chief|ceo|founder|head|director|president|chair(?:man|woman|person)?|"
                        r"owner|leader|commissioner|executive|manager)s?(?!\w)")
# The same words as the analyser stems them, for marking them in snippets and choosing passages.
ROLE_WORDS = "chief ceo founder head director president chair chairman owner leader commissioner executive manager"

_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")


@dataclass
class RoleQuestion:
    """The organisation a role question names, and which of its words are not searched."""

    organisation: str
    dropped: set[int] = field(default_factory=set)  # positions of the role verbs among the words


def is_role_word(word: str) -> bool:
    return word.casefold() in ROLE_VERBS or ROLE_NOUNS.fullmatch(word.casefold()) is not None


def role_question(asked: list[Text], kept: list[Text], notes: Any) -> RoleQuestion | None:
    """The role question `asked` is (with `kept`, its content words), else None."""
    if len(asked) > MAX_WORDS or not any(word.text.casefold() in ("who", "whom") for word in asked):
        return None
    words = [word.text.casefold() for word in asked]
    found = _named_organisation(words, notes)
    if found is None:
        return None
    organisation, begin, end = found
    if not any(is_role_word(word) for i, word in enumerate(words) if not begin <= i < end):
        return None  # "who is the privacy commissioner": the role is the name itself
    return RoleQuestion(organisation, {i for i, word in enumerate(kept) if word.text.casefold() in ROLE_VERBS})


def _named_organisation(words: list[str], notes: Any) -> tuple[str, int, int] | None:
    """The organisation whose id, title or alias is a run of `words` (the longest first), and where it is."""
    for size in range(min(len(words), MAX_NAME), 0, -1):
        for start in range(len(words) - size + 1):
            run = words[start:start + size]
            if any(word in ROLE_VERBS or word in ("who", "whom") for word in run):
                continue
            for name in (" ".join(run), "-".join(run)):
                note = notes.resolve(name)
                if note is not None and note.type == "organisation":
                    return note.id, start, start + size
    return None


def role_holders(organisation: str, notes: Any) -> dict[str, float]:
    """Each person whose role in the organisation a note states, with how many sentences state it."""
    org = notes.get(organisation)
    if org is None:
        return {}
    counts: dict[str, float] = {}
    for person, _ in _role_links(org.body, notes, lambda note: note.type == "person"):
        counts[person] = counts.get(person, 0.0) + 1
    for source in sorted(notes.backlink_sources(organisation)):
        note = notes.get(source)
        if note is None or note.type != "person":
            continue
        for _ in _role_links(note.body, notes, lambda linked: linked.id == organisation):
            counts[note.id] = counts.get(note.id, 0.0) + 1
    return counts


def role_spots(body: str, notes: Any, named: set[str]) -> list[int]:
    """Where `body` names a role beside a link to one of the `named` notes (the organisation, its people)."""
    return [at for _, at in _role_links(body, notes, lambda note: note.id in named)]


def _role_links(body: str, notes: Any, wanted: Any) -> Iterable[tuple[str, int]]:
    """The wanted notes whose link in `body` has a role beside it, and where the role is (once a role each).

    Beside: in the same sentence, within NEAR characters, with no link to
    another organisation between them ("chief of [[toronto-police]] when ...
    use of [[clearview-ai]]" is a role in the police, not in the company).
    Only the first MAX_LINKS links to wanted notes are looked at.
    """
    if "[[" not in body:
        return
    visible = reader_text(body.lower())
    links = []
    for match in _LINK.finditer(body):
        target = notes.resolve(match.group(1).partition("|")[0].split("#", 1)[0].strip())
        if target is not None:
            links.append((match.start(), match.end(), target))
    starts = [start for start, _, _ in links]
    seen: set[tuple[int, str]] = set()
    for start, end, target in [link for link in links if wanted(link[2])][:MAX_LINKS]:
        for role in ROLE_NOUNS.finditer(visible, max(0, start - NEAR), min(len(body), end + NEAR)):
            low, high = (role.end(), start) if role.end() <= start else (end, role.start())
            between = links[bisect_left(starts, low):bisect_left(starts, high)]
            if (role.start(), target.id) in seen or high - low > NEAR or ends_between(body, low, high) or any(
                    other.type == "organisation" and other.id != target.id for _, _, other in between):
                continue
            seen.add((role.start(), target.id))
            yield target.id, role.start()
            break
