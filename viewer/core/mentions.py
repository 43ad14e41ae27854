"""Unlinked mentions: notes that name a note (its title or an alias) without linking to it.

Wikilinks, code spans and fenced code are masked out before matching, so a
name inside `[[...]]` or code is not a mention. Short all-capital names
(acronyms such as "OPP") match case-sensitively, other names ignore case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from viewer.core.lazy import lazy_pattern
from viewer.core.model import Note, NoteId
from viewer.core.wikilinks import FENCE_RE, WIKILINK_RE, mask_code_spans, sentence_around

MIN_NAME_LENGTH = 3
_URL_PART_RE = lazy_pattern(r"\]\([^()\s]*\)")


class Mention(NamedTuple):
    """The first place a note names another without linking to it.

    Attributes:
        source: the note that holds the mention.
        name: the name as written there.
        line: the file line of the first mention.
        context: the sentence around it, as plain text.
        times: how many times the note names it.
    """

    source: NoteId
    name: str
    line: int
    context: str
    times: int = 1


class _Text(NamedTuple):
    lines: list[str]  # the body's lines as written
    masked: list[str]  # the same, links and code blanked out, same lengths
    folded: str  # all masked lines, case-folded, for a quick pre-check


def _mask(body: str) -> tuple[list[str], list[str]]:
    lines = body.splitlines()
    masked: list[str] = []
    fence: str | None = None
    for line in lines:
        fence_match = FENCE_RE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            if fence is None:
                fence = marker[0] * len(marker)
                masked.append("")
                continue
            if marker.startswith(fence):
                fence = None
                masked.append("")
                continue
        if fence is not None or line.startswith("    "):
            masked.append(" " * len(line))
            continue
        line_masked = mask_code_spans(line)
        line_masked = WIKILINK_RE.sub(lambda m: " " * len(m.group(0)), line_masked)
        # the URL part of [text](url) is not prose ("(" is excluded so that a flood of "](" stays linear)
        line_masked = _URL_PART_RE.sub(lambda m: " " * len(m.group(0)), line_masked)
        masked.append(line_masked)
    return lines, masked


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    parts: list[str] = []
    sensitive: list[str] = []
    for name in sorted(set(names), key=len, reverse=True):
        name = " ".join(name.split())
        if len(name) < MIN_NAME_LENGTH:
            continue
        body = r"\s+".join(re.escape(word) for word in name.split(" "))
        if name.isupper() and len(name) <= 6:
            sensitive.append(body)
        else:
            parts.append(body)
    alternatives = [f"(?i:{p})" for p in parts] + sensitive
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])")


def _masked(note: Note) -> _Text:
    lines, masked = _mask(note.body)
    return _Text(lines, masked, "\n".join(masked).casefold())


class MentionFinder:
    """Finds unlinked mentions among some notes; caches their masked text.

    Args:
        notes: the notes to look in, by id (a sync makes a new finder).
        linking: the ids of the notes that link to a note.
        candidates: the ids of the notes that may name any of some names (a
            search index's phrase hits, a superset), or None when unknown;
            without it every note is scanned.
    """

    def __init__(self, notes: Mapping[NoteId, Note], linking: Callable[[str], set[str]],
                 candidates: Callable[[list[str]], set[str] | None] | None = None) -> None:
        self.notes = notes
        self._linking = linking
        self._candidates = candidates
        self._texts: dict[NoteId, _Text] = {}

    def _text(self, note: Note) -> _Text:
        text = self._texts.get(note.id)
        if text is None:
            text = self._texts[note.id] = _masked(note)
        return text

    def find(self, note_id: str) -> list[Mention]:
        """Mentions of the note in notes that do not link to it, ordered by source title (then id)."""
        target = self.notes.get(NoteId(note_id))
        if target is None:
            return []
        names = [n for n in (target.title, *target.aliases) if len(n.strip()) >= MIN_NAME_LENGTH]
        hits = self._candidates(names) if self._candidates is not None and names else None
        if hits is None:
            sources: Iterable[Note] = self.notes.values()
            text_of = self._text  # a scan: masked texts are kept for the next one
        else:
            sources = [note for i in hits if (note := self.notes.get(NoteId(i))) is not None]
            text_of = _masked  # a few hits: nothing kept
        return [mention for _, mention in sorted(self._in(target, sources, text_of), key=lambda pair: pair[0])]

    def update(self, note_id: str, kept: list[Mention], changed: Iterable[str]) -> list[Mention]:
        """`kept`, the mentions found before the notes `changed` changed, brought up to date by reading
        those notes alone: right only if every note kept its id, title and aliases meanwhile."""
        target = self.notes.get(NoteId(note_id))
        if target is None:
            return []
        changed = set(changed)
        found: list[tuple[tuple[str, str], Mention]] = [((note.title.casefold(), note.id), m) for m in kept
                 if m.source not in changed and (note := self.notes.get(m.source)) is not None]
        sources = [note for i in changed if (note := self.notes.get(NoteId(i))) is not None]
        found += self._in(target, sources, _masked)
        return [mention for _, mention in sorted(found, key=lambda pair: pair[0])]

    def _in(self, target: Note, sources: Iterable[Note],
            text_of: Callable[[Note], _Text]) -> list[tuple[tuple[str, str], Mention]]:
        """The mentions of `target` in `sources` that do not link to it, each with its sort key (title, id)."""
        names = [target.title, *target.aliases]
        pattern = _pattern(names)
        if pattern is None:
            return []
        folded_names = [" ".join(n.split()).casefold() for n in names if len(n.strip()) >= MIN_NAME_LENGTH]
        linking = self._linking(target.id)
        found: list[tuple[tuple[str, str], Mention]] = []
        for note in sources:
            if note.id == target.id or note.id in linking:
                continue
            text = text_of(note)
            if not any(name in text.folded for name in folded_names):
                continue
            mention = self._first(note, text, pattern)
            if mention is not None:
                found.append(((note.title.casefold(), note.id), mention))
        return found

    @staticmethod
    def _first(note: Note, text: _Text, pattern: re.Pattern[str]) -> Mention | None:
        first: Mention | None = None
        count = 0
        for offset, masked in enumerate(text.masked):
            for match in pattern.finditer(masked):
                count += 1
                if first is None:
                    line = text.lines[offset]
                    first = Mention(note.id, line[match.start():match.end()], note.body_line + offset,
                                    sentence_around(line, match.start(), match.end()))
        if first is None:
            return None
        return Mention(first.source, first.name, first.line, first.context, count)
