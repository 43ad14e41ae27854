"""Plain data the core hands to the command line and the window.

The small records are NamedTuples: immutable and compared by value like a frozen
dataclass, and made at import in a fifth of the time (a dataclass compiles each
method it writes; several are made as the window starts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, NewType

NoteId = NewType("NoteId", str)

NOTE_TYPES = ("overview", "organisation", "person", "event", "topic", "source")


class RawLink(NamedTuple):
    """A wikilink as written in a note, before resolution."""

    target: str
    label: str | None
    heading: str | None
    embed: bool
    line: int
    context: str  # the sentence holding the link, as written (wikilinks kept)


class Link(NamedTuple):
    """A link between two notes, resolved against the whole knowledge base."""

    source: NoteId
    target: str
    target_id: NoteId | None
    label: str | None
    heading: str | None
    embed: bool
    line: int
    context: str  # the sentence holding the link, as a reader sees it

    @property
    def broken(self) -> bool:
        return self.target_id is None


class Diagnostic(NamedTuple):
    file: str
    line: int
    severity: str  # "error" or "warning"
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class Note:
    id: NoteId
    path: str  # relative to the knowledge-base folder, with forward slashes
    title: str
    type: str | None
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    date: str | None = None  # "2020", "2020-02" or "2020-02-21"
    sources: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)  # unknown front-matter keys
    body: str = ""
    body_line: int = 1  # line number of the body's first line in the file

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the note answers to: id, title and aliases."""
        return (self.id, self.title, *self.aliases)


class SyncResult(NamedTuple):
    """What a sync changed: counts, and the ids a search index must update."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    updated_ids: frozenset[str] = frozenset()  # added or changed notes
    removed_ids: frozenset[str] = frozenset()

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)
