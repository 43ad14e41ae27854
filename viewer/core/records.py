"""What the note store keeps of each file: its `FileRecord`, and a note whose body is read from the texts file.

A record is made from what reading the file found (`FileRecord.of_read`) or
from the store's documents (`FileRecord.from_docs`, which checks their shape
and raises `StoreDamaged`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from viewer.core.model import Note, NoteId
from viewer.core.texts import Texts

if TYPE_CHECKING:
    from viewer.core.folder import NoteFile
    from viewer.core.reading import Read

CONTEXT_SEPARATOR = "\x00"  # between a file's link sentences (a note never holds NUL)
_NONE: list[Any] = []  # one empty list for all the documents that have none

LinkRow = list[Any]  # [target as written, label, heading, embed, line]


class StoreDamaged(ValueError):
    """The store's documents or texts are not what this version writes."""


class StoredNote(Note):
    """A Note whose body stays in the store's texts file, read when it is asked for.

    Fifty thousand bodies are not kept in memory (reading one costs a few
    microseconds). A copy made with `dataclasses.replace` keeps its body in memory.
    """

    _where: tuple[Texts, int, int] | None = None
    _held: str | None = None

    @property  # a property over the dataclass field
    def body(self) -> str:
        if self._held is not None or self._where is None:
            return self._held or ""
        texts, offset, length = self._where
        return texts.read(offset, length)

    @body.setter
    def body(self, value: str) -> None:  # only dataclass __init__ sets it (through replace)
        object.__setattr__(self, "_held", value)

    @classmethod
    def of(cls, fields: dict[str, Any], texts: Texts, offset: int, length: int) -> StoredNote:
        """A StoredNote from its stored fields (as `note_fields` wrote them)."""
        note = cls(
            id=NoteId(fields["id"]), path=fields["path"], title=fields["title"], type=fields.get("type"),
            aliases=tuple(fields.get("aliases", ())), tags=tuple(fields.get("tags", ())),
            date=fields.get("date"), sources=tuple(fields.get("sources", ())),
            meta=fields.get("meta") or {}, body_line=fields.get("body_line", 1))  # meta shared with the document
        object.__setattr__(note, "_held", None)
        object.__setattr__(note, "_where", (texts, offset, length))
        return note

    def moved(self, texts: Texts, offset: int, length: int) -> None:
        """Read the body from another texts file from now on (after a save)."""
        if self._held is None:
            object.__setattr__(self, "_where", (texts, offset, length))


def note_fields(note: Note) -> dict[str, Any]:
    """A note's fields for the store, without its body (kept in the texts file)."""
    return {"id": note.id, "path": note.path, "title": note.title, "type": note.type,
            "aliases": list(note.aliases), "tags": list(note.tags), "date": note.date,
            "sources": list(note.sources), "meta": note.meta, "body_line": note.body_line}


@dataclass(slots=True, eq=False)
class FileRecord:
    """One Markdown file of the folder: what the store keeps of it.

    A record read from the store has `texts` (and `span`); one just parsed has
    its body in `note` and its sentences in `contexts` until the next save.
    """

    path: str
    size: int
    mtime_ns: int
    sha: str
    note: Note | None
    links: list[LinkRow]
    targets: list[str | None]  # resolved: a note id, or None for a broken link
    diagnostics: list[dict[str, Any]]
    span: tuple[int, int, int] | None = None  # offset, body length, sentences length
    crc: int = 0  # of the file's bytes in the texts file
    texts: Texts | None = None
    contexts: list[str] | None = None
    links_id: int | None = None  # its document in the links table
    file_id: int | None = None  # its document in the files table (None: not written yet)
    link_problems: list[list[Any]] | None = None  # its note's broken and ambiguous links: [line, severity, code, text]
    stale: bool = False  # its files document must be written again
    note_doc: dict[str, Any] | None = field(default=None, repr=False)  # fields not yet made a Note

    @property
    def stored_note(self) -> Note | None:
        """The note, made a StoredNote on first use when it was read from the store."""
        if self.note is None and self.note_doc is not None and self.texts is not None and self.span:
            doc = self.note_doc
            note = self.note = StoredNote.of(doc, self.texts, self.span[0], self.span[1])
            if "aliases" in doc:  # the document (in TinyDB's cache) shares the note's tuples, not copies of them
                doc.update(aliases=note.aliases, tags=note.tags, sources=note.sources)
            self.note_doc = None
        return self.note

    def body(self) -> str:
        note = self.stored_note
        return note.body if note is not None else ""

    def sentences(self) -> list[str]:
        """The sentence around each link, in order."""
        if self.contexts is not None:
            return self.contexts
        count = len(self.links)
        if not count or self.texts is None or self.span is None:
            return [""] * count
        offset, body, length = self.span
        parts = self.texts.read(offset + body + 1, length).split(CONTEXT_SEPARATOR)
        return parts if len(parts) == count else [""] * count

    def file_doc(self) -> dict[str, Any]:
        """The record as a document of the files table."""
        note = self.note_doc if self.note is None else note_fields(self.note)
        return {"path": self.path, "size": self.size, "mtime_ns": self.mtime_ns, "sha": self.sha,
                "note": note, "diagnostics": self.diagnostics, "text": list(self.span or ()), "crc": self.crc,
                "link_problems": self.link_problems}

    def links_doc(self) -> dict[str, Any]:
        """The record's cross-references as a document of the links table."""
        note = self.stored_note
        return {"source": note.id if note else None, "path": self.path, "links": self.links,
                "targets": self.targets}

    @classmethod
    def of_read(cls, nf: NoteFile, old: FileRecord | None, result: Read) -> FileRecord:
        """A file's record from what `viewer.core.reading.read_all` made of it (`old`: its last record)."""
        _path, sha, parsed, problem = result
        if problem is not None:
            return cls(nf.rel_path, nf.size, nf.mtime_ns, "", None, [], [], [problem], contexts=[])
        if parsed is None and old is not None:  # same bytes, touched
            return replace(old, mtime_ns=nf.mtime_ns, size=nf.size, file_id=None)
        assert parsed is not None
        fields, links, diagnostics, contexts = parsed
        return cls(path=nf.rel_path, size=nf.size, mtime_ns=nf.mtime_ns, sha=sha,
                   note=Note(**fields) if fields is not None else None, links=links,
                   targets=[None] * len(links),  # resolved when the notes are built
                   diagnostics=diagnostics, contexts=contexts)

    @classmethod
    def from_docs(cls, doc: dict[str, Any], links: dict[str, Any] | None, texts: Texts,
                  share: Callable[[str, str], str]) -> FileRecord:
        """A record from its stored documents (TinyDB's own, in its cache); StoreDamaged if they have the wrong shape.

        Equal strings are made one object through `share` (parsed JSON holds a
        new string for every occurrence: at 50,000 notes and 250,000 links
        about a fifth of the store's memory), the span becomes the record's
        tuple and empty lists one list.
        """
        try:
            path = typed(doc["path"], str)
            path = doc["path"] = share(path, path)
            span = doc["text"]
            if not (isinstance(span, list | tuple) and len(span) == 3 and all(
                    isinstance(n, int) and n >= 0 for n in span)):
                raise StoreDamaged(f"{path}: bad text span {span!r}")
            span = doc["text"] = tuple(span)
            note = doc["note"]
            if note is not None:
                if not (isinstance(note, dict) and isinstance(note.get("id"), str) and isinstance(note.get("title"), str)):
                    raise StoreDamaged(f"{path}: a note without an id or a title")
                note["path"], note["id"] = path, share(note["id"], note["id"])
            problems = doc["link_problems"]
            if problems is not None and not (isinstance(problems, list) and all(
                    isinstance(row, list) and len(row) == 4 and isinstance(row[0], int) for row in problems)):
                raise StoreDamaged(f"{path}: link problems of the wrong shape")
            diagnostics = typed(doc["diagnostics"], list)
            for key, value in (("diagnostics", diagnostics), ("link_problems", problems)):
                if value == []:
                    doc[key] = _NONE  # one empty list for all (never changed in place)
            rows: list[LinkRow] = []
            targets: list[str | None] = []
            if links is not None:
                rows, targets = typed(links["links"], list), typed(links["targets"], list)
                if len(targets) != len(rows):
                    raise StoreDamaged(f"{path}: links of the wrong shape")
                for row in rows:
                    if not (isinstance(row, list) and len(row) == 5):
                        raise StoreDamaged(f"{path}: links of the wrong shape")
                    if isinstance(row[0], str):
                        row[0] = share(row[0], row[0])
                targets = links["targets"] = [t if t is None else share(t, t) for t in targets]
                links["path"] = path
                if isinstance(links.get("source"), str):
                    links["source"] = share(links["source"], links["source"])
            return cls(
                path=path, size=typed(doc["size"], int), mtime_ns=typed(doc["mtime_ns"], int),
                sha=typed(doc["sha"], str), note=None, links=rows, targets=targets,
                diagnostics=doc["diagnostics"], span=span, crc=typed(doc["crc"], int), texts=texts,
                link_problems=doc["link_problems"], note_doc=note)
        except (KeyError, TypeError) as err:
            raise StoreDamaged(f"a files document of the wrong shape ({err!r})") from err


def typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise StoreDamaged(f"expected {kind.__name__}, found {type(value).__name__}")
    return value
