"""Plain data for annotations: the annotation itself and what an operation changed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, NewType

from viewer.core.model import NoteId

AnnotationId = NewType("AnnotationId", str)

# Highlight colours by name; the values are suggestions for the window.
COLOURS: dict[str, str] = {
    "yellow": "#fff176",
    "green": "#a5d6a7",
    "blue": "#90caf9",
    "pink": "#f48fb1",
    "purple": "#ce93d8",
}
DEFAULT_COLOUR = "yellow"

ANCHORED = "anchored"
ORPHANED = "orphaned"
STATUSES = (ANCHORED, ORPHANED)

CONTEXT_CHARS = 32  # length of the stored prefix and suffix


class AnnotationError(ValueError):
    """A request the store refuses (bad range, unknown colour, unknown id...)."""


def now_iso() -> str:
    """The current time, ISO 8601 in UTC with milliseconds: 2026-11-26T06:15:00.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id() -> AnnotationId:
    return AnnotationId(str(uuid.uuid4()))


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped of surrounding space, empty ones dropped, duplicates
    (ignoring case) dropped, first spelling and order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def check_colour(colour: str) -> str:
    if not isinstance(colour, str) or colour not in COLOURS:
        raise AnnotationError(f"unknown colour '{colour}' (one of: {', '.join(COLOURS)})")
    return colour


@dataclass(frozen=True)
class Annotation:
    """A highlighted passage of one note, with the reader's comment and tags.

    The passage is kept twice, as W3C selectors over the note's plain text
    (see `note_text`): a TextQuoteSelector (`exact`, `prefix`, `suffix`) and a
    TextPositionSelector (`start`, `end`). `status` is ANCHORED when the passage
    was found in the note's current text, ORPHANED when it could not be; an
    orphan keeps the selectors it had when last placed.
    """

    id: AnnotationId
    note: NoteId
    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0
    comment: str = ""
    tags: tuple[str, ...] = ()
    colour: str = DEFAULT_COLOUR
    created: str = ""
    modified: str = ""
    status: str = ANCHORED

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED

    def to_doc(self) -> dict[str, Any]:
        """The JSON document stored in the annotations file."""
        return {
            "id": self.id, "note": self.note, "exact": self.exact, "prefix": self.prefix,
            "suffix": self.suffix, "start": self.start, "end": self.end, "comment": self.comment,
            "tags": list(self.tags), "colour": self.colour, "created": self.created,
            "modified": self.modified, "status": self.status,
        }

    @classmethod
    def from_doc(cls, doc: Any) -> Annotation:
        """Read a stored document; ValueError when it is not a valid annotation.

        Tags are taken as stored (they were cleaned when written); an unknown
        colour reads as the default one, an unknown status as orphaned; a
        colour or status that is not a string (a hand-edited file) is invalid.
        """
        if not isinstance(doc, dict):
            raise ValueError("not an annotation: not an object")
        try:
            get = doc.get
            texts = (doc["id"], doc["note"], doc["exact"], get("prefix", ""), get("suffix", ""),
                     get("comment", ""), get("created", ""), get("modified", ""))
            start, end, tags = get("start", 0), get("end", 0), get("tags", [])
        except (AttributeError, KeyError) as err:
            raise ValueError(f"not an annotation: {err!r}") from None
        if not all(type(t) is str for t in texts):
            raise ValueError("a text field is not a string")
        if not texts[0] or not texts[1] or not texts[2]:
            raise ValueError("'id', 'note' and 'exact' must not be empty")
        if not (type(start) is int and type(end) is int and 0 <= start <= end):
            raise ValueError("'start' and 'end' must be integers with 0 <= start <= end")
        if type(tags) is not list or not all(type(t) is str for t in tags):
            raise ValueError("'tags' must be a list of strings")
        colour, status = get("colour", DEFAULT_COLOUR), get("status", ANCHORED)
        if not isinstance(colour, str) or not isinstance(status, str):
            raise ValueError("'colour' and 'status' must be strings")
        return cls(
            AnnotationId(texts[0]), NoteId(texts[1]), texts[2], texts[3], texts[4], start, end,
            texts[5], tuple(tags), colour if colour in COLOURS else DEFAULT_COLOUR,
            texts[6], texts[7], status if status in STATUSES else ORPHANED,
        )


# One change to the store: (before, after); None before = added, None after = removed.
Edit = tuple["Annotation | None", "Annotation | None"]


class AnnotationChanges(NamedTuple):
    """What an operation changed, so the window knows what to redraw.

    Ids are those of annotations added, updated (comment, tags, colour or
    anchoring) or removed; `notes` are the notes whose highlights changed;
    `orphaned` the annotations that became orphans in this operation.
    Changes made meanwhile by another process (found on reload) are included.
    """

    added: tuple[AnnotationId, ...] = ()
    updated: tuple[AnnotationId, ...] = ()
    removed: tuple[AnnotationId, ...] = ()
    notes: frozenset[NoteId] = frozenset()
    orphaned: tuple[AnnotationId, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def __bool__(self) -> bool:
        return self.changed

    @classmethod
    def from_edits(cls, edits: Iterable[Edit]) -> AnnotationChanges:
        """Collapse a sequence of edits: each id is classified by its first
        `before` and its last `after`."""
        first: dict[AnnotationId, Annotation | None] = {}
        last: dict[AnnotationId, Annotation | None] = {}
        for before, after in edits:
            ann = after or before
            assert ann is not None
            first.setdefault(ann.id, before)
            last[ann.id] = after
        added, updated, removed, orphaned = [], [], [], []
        notes: set[NoteId] = set()
        for ann_id, before in first.items():
            after = last[ann_id]
            if before == after:
                continue
            if before is None:
                added.append(ann_id)
            elif after is None:
                removed.append(ann_id)
            else:
                updated.append(ann_id)
            notes.update(a.note for a in (before, after) if a is not None)
            if after is not None and after.orphaned and (before is None or not before.orphaned):
                orphaned.append(ann_id)
        return cls(tuple(added), tuple(updated), tuple(removed), frozenset(notes), tuple(orphaned))
