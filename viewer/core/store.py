"""The derived note store: rebuilt from the folder at will.

Two files beside each other:

- `store.json`, a TinyDB-shaped JSON file (tables `meta` and `files`) with
  each file's size, time, hash, note metadata, links and the links' resolved
  targets: small enough to read in a fraction of a second at 50,000 notes.
- `store.texts-<token>`, the note bodies and link sentences as UTF-8, one
  after the other; `files` holds their offsets and lengths. It is mapped into
  read by offset: a link's sentence is decoded when it is shown.

A save writes a new texts file first, then `store.json` (the commit point),
then deletes the old texts file, so a crash leaves one consistent pair.
It is read once when a knowledge base opens, kept in memory, and written in
one bulk write after a sync that changed something.
"""

from __future__ import annotations

import logging
import mmap
import os
import secrets
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from viewer.core.atomic import AtomicJSONStorage, write_streamed
from viewer.core.model import Note, NoteId

log = logging.getLogger(__name__)
SCHEMA = 3  # 3: bodies and link sentences in a texts file, links inside their file's doc
CONTEXT_SEPARATOR = "\x00"  # between a file's link sentences (a note never holds NUL)
STALE_TEXTS_SECONDS = 600  # a texts file no store names, left by a race between two saves


class Texts:
    """The texts file of one save, read by offset (positional reads, thread-safe).

    Not memory-mapped: reading every body through a mapping would count the
    whole file in the process's resident memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "rb")  # noqa: SIM115 - kept open while notes may be read
        self._size = os.fstat(self._file.fileno()).st_size
        self._map = None if hasattr(os, "pread") else (
            mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if self._size else b"")

    def __len__(self) -> int:
        return self._size

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    def raw(self, offset: int, length: int) -> bytes:
        if self._map is not None:
            return self._map[offset:offset + length]
        return os.pread(self._file.fileno(), length, offset)

    def read(self, offset: int, length: int) -> str:
        return self.raw(offset, length).decode("utf-8", errors="replace")


class StoredNote(Note):
    """A Note whose body stays in the store's texts file, read each time it is asked for.

    Everything else is an ordinary Note; fifty thousand bodies are not kept in
    memory (reading one costs a few microseconds). `dataclasses.replace` on it
    gives a plain Note with the body read.
    """

    def __getattribute__(self, name: str) -> Any:
        if name == "body":
            where = object.__getattribute__(self, "__dict__").get("_text")
            if where is not None:
                texts, offset, length = where
                return texts.read(offset, length)
        return object.__getattribute__(self, name)


def stored_note(fields: dict[str, Any], texts: Texts, offset: int, length: int) -> StoredNote:
    """A StoredNote from a note's stored fields (as `_note_json` wrote them)."""
    note = StoredNote(
        id=NoteId(fields["id"]),
        path=fields["path"],
        title=fields["title"],
        type=fields.get("type"),
        aliases=tuple(fields.get("aliases", ())),
        tags=tuple(fields.get("tags", ())),
        date=fields.get("date"),
        sources=tuple(fields.get("sources", ())),
        meta=dict(fields.get("meta", {})),
        body="",
        body_line=fields.get("body_line", 1),
    )
    object.__setattr__(note, "_text", (texts, offset, length))
    return note


def note_of(doc: dict[str, Any]) -> Note | None:
    """The note of a file doc, made a StoredNote (once) if it was read from the store."""
    note = doc.get("note")
    if isinstance(note, dict):
        span = doc["text"]
        note = doc["note"] = stored_note(note, doc["texts"], span[0], span[1])
    return note


def body_of(doc: dict[str, Any]) -> str:
    """The note body of a file doc, from its Note or from its texts file."""
    note = doc.get("note")
    if note is not None and not isinstance(note, dict):  # a Note
        return note.body
    texts: Texts | None = doc.get("texts")
    span: Sequence[int] = doc.get("text") or ()
    return texts.read(span[0], span[1]) if texts is not None and len(span) == 3 else ""


def contexts_of(doc: dict[str, Any]) -> list[str]:
    """The sentence around each of a file doc's links, in order."""
    if "contexts" in doc:
        joined = doc["contexts"]
    else:
        texts: Texts | None = doc.get("texts")
        span: Sequence[int] = doc.get("text") or ()
        joined = texts.read(span[0] + span[1] + 1, span[2]) if texts is not None and len(span) == 3 else ""
    count = len(doc.get("links", ()))
    parts = joined.split(CONTEXT_SEPARATOR) if count else []
    return parts if len(parts) == count else [""] * count


class NoteStore:
    """Files, with their parsed notes and resolved links, in a JSON file and a texts file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warning: str | None = None
        self._texts_name: str | None = None  # the texts file of the last load or save

    def load(self, folder: Path) -> dict[str, dict[str, Any]]:
        """Return the file docs by path; empty when missing, stale or corrupt."""
        for _attempt in range(2):
            try:
                return self._load(folder)
            except FileNotFoundError:  # another process replaced the pair meanwhile: read again
                continue
        return self._damaged(f"note store {self.path} names a texts file that is gone; rebuilding it")

    def _load(self, folder: Path) -> dict[str, dict[str, Any]]:
        try:
            data = AtomicJSONStorage(self.path).read()
        except (ValueError, OSError) as err:
            return self._damaged(f"note store {self.path} could not be read ({err}); rebuilding it")
        if data is None:
            return {}
        try:
            meta = next(iter(data["meta"].values()))
            if meta.get("schema") != SCHEMA or meta.get("folder") != str(folder):
                return {}
            texts = Texts(self.path.parent / meta["texts"])  # gone: load() reads store.json again
            self._texts_name = meta["texts"]
            files = {}
            for doc in data["files"].values():
                doc["texts"] = texts
                files[doc["path"]] = doc
            if any(len(span) != 3 or span[0] + span[1] + 1 + span[2] > len(texts)
                   for span in (d["text"] for d in files.values())):
                raise ValueError("texts file is shorter than the store says")
            return files
        except FileNotFoundError:
            raise
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, StopIteration, OSError) as err:
            return self._damaged(f"note store {self.path} is damaged ({err!r}); rebuilding it")

    def _damaged(self, warning: str) -> dict[str, dict[str, Any]]:
        self.warning = warning
        return {}

    def save(self, folder: Path, files: Iterable[dict[str, Any]]) -> None:
        """Replace the whole store: write_texts, then commit."""
        files = list(files)
        self.commit(folder, files, self.write_texts(files))

    def write_texts(self, files: list[dict[str, Any]]) -> str:
        """First step of a save: write every doc's texts to a new texts file.

        Afterwards each doc reads its texts from that file (their copies in
        memory are dropped), though no store names it until `commit`.
        Returns the file's name.
        """
        name = f"{self.path.stem}.texts-{secrets.token_hex(6)}"
        path = self.path.parent / name
        spans = _write_texts(path, files)
        texts = Texts(path)
        for doc, span in zip(files, spans, strict=False):
            doc.pop("contexts", None)
            doc["texts"], doc["text"] = texts, span
            note = doc.get("note")
            if note is not None and not isinstance(note, dict):  # now read from the new file
                doc["note"] = _moved(note, texts, span)
        return name

    def commit(self, folder: Path, files: list[dict[str, Any]], texts_name: str) -> None:
        """Second step of a save: write the JSON that names the new texts file.

        The JSON is written doc by doc, never held whole in memory.
        """
        try:  # fresh again, so another process's clean-up never takes it for a stray
            os.utime(self.path.parent / texts_name)
        except OSError:
            pass

        def chunks() -> Iterator[bytes]:
            meta = {"1": {"schema": SCHEMA, "folder": str(folder), "texts": texts_name}}
            yield b'{"meta":' + orjson.dumps(meta) + b',"files":{'
            for number, doc in enumerate(files, 1):
                kept = {k: v for k, v in doc.items() if k not in _IN_MEMORY_ONLY}
                kept["note"] = _note_json(doc.get("note"))
                kept["text"] = doc["text"]
                yield (b"," if number > 1 else b"") + b'"%d":' % number + orjson.dumps(kept)
            yield b"}}"

        AtomicJSONStorage(self.path).write_serialised(chunks())
        self._remove_old_texts(texts_name)

    def _remove_old_texts(self, current: str) -> None:
        """Delete the texts file this store replaced, and strays another process left."""
        now = time.time()
        for old in self.path.parent.glob(f"{self.path.stem}.texts-*"):
            if old.name == current:
                continue
            try:
                if old.name == self._texts_name or now - old.stat().st_mtime > STALE_TEXTS_SECONDS:
                    old.unlink()
            except OSError:
                pass  # still mapped elsewhere (Windows) or already gone
        self._texts_name = current


def _moved(note: Note, texts: Texts, span: list[int]) -> StoredNote:
    """The note as a StoredNote reading its body from `texts`."""
    if isinstance(note, StoredNote):
        object.__setattr__(note, "_text", (texts, span[0], span[1]))
        return note
    fields = _note_json(note)
    assert fields is not None
    return stored_note(fields, texts, span[0], span[1])


_IN_MEMORY_ONLY = frozenset({"texts", "contexts", "note", "text"})


def _note_json(note: Any) -> dict[str, Any] | None:
    """A note's fields for the store, without its body (kept in the texts file)."""
    if note is None or isinstance(note, dict):
        return note
    return {"id": note.id, "path": note.path, "title": note.title, "type": note.type,
            "aliases": list(note.aliases), "tags": list(note.tags), "date": note.date,
            "sources": list(note.sources), "meta": note.meta, "body_line": note.body_line}


def _write_texts(path: Path, files: list[dict[str, Any]]) -> list[list[int]]:
    """Write every doc's body, a NUL, and its joined link sentences; return [offset, body, sentences].

    NUL never occurs in a note (a file holding one is not read as a note).
    """
    spans: list[list[int]] = []

    def chunks() -> Iterator[bytes]:
        offset = 0
        for doc in files:
            if doc.get("texts") is None or "contexts" in doc:
                body = body_of(doc).encode("utf-8")
                sentences = CONTEXT_SEPARATOR.join(contexts_of(doc)).encode("utf-8")
                chunk = body + b"\x00" + sentences
                span = [offset, len(body), len(sentences)]
            else:  # unchanged: copy the bytes from the old texts file
                old = doc["text"]
                chunk = doc["texts"].raw(old[0], old[1] + 1 + old[2])
                span = [offset, old[1], old[2]]
            spans.append(span)
            offset += len(chunk)
            yield chunk

    write_streamed(path, chunks())
    return spans
