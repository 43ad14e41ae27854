"""The reader's annotations: one TinyDB database in the user data folder, kept in memory.

The file is opened as `TinyDB` over the project's `DataFileStorage` wrapped in
a caching middleware (see `storage`), and changed with its `Table` methods.
Every change is made under the file's lock on the file's latest content (it is
read again first if another process wrote it), then written at once with one
flush, whole and atomically, after the previous good file became the backup
(see `datafile`). Changes return an `AnnotationChanges` saying what to redraw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from viewer.core.annotations.anchoring import find_quotes, reanchor, selectors
from viewer.core.annotations.datafile import DataFile
from viewer.core.annotations.model import (
    ANCHORED,
    DEFAULT_COLOUR,
    Annotation,
    AnnotationChanges,
    AnnotationError,
    AnnotationId,
    Edit,
    check_colour,
    clean_tags,
    new_id,
    now_iso,
)
from viewer.core.annotations.queries import AnnotationQueries
from viewer.core.annotations.storage import DataFileStorage, WrittenOnFlush
from viewer.core.annotations.text import TextSource
from viewer.core.annotations.undo import AnnotationUndo, Step
from viewer.core.filelock import LockTimeout
from viewer.core.model import NoteId
from viewer.core.paths import default_data_dir

FILE_NAME = "annotations.json"
TABLE = "annotations"
META = "_meta"
SCHEMA = 1


class AnnotationStoreError(Exception):
    """The annotations file cannot be read or written; the message says why."""


class QuoteNotFound(AnnotationError):
    """The quote to annotate is not in the note."""


class ImportResult(NamedTuple):
    """What an import did: counts, and the changes for the window."""

    added: int
    updated: int
    unchanged: int
    changes: AnnotationChanges

    @property
    def orphaned(self) -> tuple[AnnotationId, ...]:
        return self.changes.orphaned


class AnnotationStore(AnnotationQueries, AnnotationUndo):
    """All annotations of one data folder.

    Open with `AnnotationStore.open(data_dir)` (default: the user data folder).
    Warnings for the reader (a file set aside, a backup loaded) collect in
    `warnings`; `take_warnings()` hands them over once.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = DataFile(self.path, "annotations")
        self._db = TinyDB(data_file=self._file, storage=WrittenOnFlush(DataFileStorage))
        self._table = self._db.table(TABLE)
        self._items: dict[AnnotationId, Annotation] = {}
        self._keys: dict[AnnotationId, int] = {}  # annotation id -> TinyDB document id
        self._docs: dict[int, dict[str, Any]] = {}  # the stored documents, as read or written
        self._folded: dict[AnnotationId, str] = {}
        self._undo: list[Step] = []
        self._unreported: list[Edit] = []  # changes by other processes, found on a reload
        self._redo: list[Step] = []
        self.warnings: list[str] = []
        self.read_only = False

    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> AnnotationStore:
        folder = Path(data_dir).expanduser() if data_dir else default_data_dir()
        store = cls(folder / FILE_NAME)
        store.load()
        return store

    @property
    def backup_path(self) -> Path:
        return self._file.backup_path

    def take_warnings(self) -> list[str]:
        """The warnings not yet shown, and forget them."""
        warnings, self.warnings = self.warnings, []
        return warnings

    # -- reading ----------------------------------------------------------------

    def load(self) -> AnnotationChanges:
        """Read the file (again); returns what differs from what was in memory."""
        with self._locked():
            warnings = self._read()
        self._unreported += self._adopt(warnings)  # parsed without the lock
        return self._report([])

    def refresh(self, *, timeout: float | None = None) -> AnnotationChanges:
        """Read the file again if another process changed it.

        `timeout`: seconds to wait for the file's lock (None: the lock's own,
        15 s); when another process holds it longer, AnnotationStoreError.
        """
        if self._file.changed():
            with self._locked(timeout):
                if self._file.changed():
                    self._unreported += self._reload()
        return self._report([])

    @property
    def _cache(self) -> WrittenOnFlush:
        return cast(WrittenOnFlush, self._db.storage)

    def _new_table(self, name: str) -> Table:
        """A Table over the cached file (a new one forgets the next id of the old content)."""
        return Table(cast(Storage, self._cache), name)

    def _read(self) -> list[str]:
        """Read the file into TinyDB's cache; the warnings for the reader."""
        try:
            self._cache.reload()
        except OSError as err:
            raise AnnotationStoreError(f"cannot read {self.path}: {err.strerror or err}") from None
        self._table = self._new_table(TABLE)  # a fresh table: no next id from the old content
        return cast(DataFileStorage, self._cache.storage).take_warnings()

    def _reload(self) -> list[Edit]:
        return self._adopt(self._read())

    def _adopt(self, warnings: list[str]) -> list[Edit]:
        """Take the tables just read from the file; returns the edits from the old state.

        Documents equal to those already held are not parsed again.
        """
        self.warnings.extend(warnings)
        meta: Any = self._new_table(META).get(doc_id=1) or {}
        schema = meta.get("schema", SCHEMA)
        self.read_only = isinstance(schema, int) and schema > SCHEMA
        if self.read_only:
            self.warnings.append(f"{self.path} was written by a newer kbviewer; "
                                 "annotations are shown but cannot be changed")
        held = {key: self._items[i] for i, key in self._keys.items()}
        items: dict[AnnotationId, Annotation] = {}
        keys: dict[AnnotationId, int] = {}
        docs: dict[int, dict[str, Any]] = {}
        unreadable = 0
        for doc in self._table:
            key = doc.doc_id
            docs[key] = doc
            annotation = held.get(key)
            if annotation is None or self._docs.get(key) != doc:
                try:
                    annotation = Annotation.from_doc(doc)
                except (ValueError, TypeError, AttributeError):  # kept in the file as it is
                    unreadable += 1
                    continue
            if annotation.id in items:
                unreadable += 1
                continue
            items[annotation.id] = annotation
            keys[annotation.id] = key
        if unreadable:
            self.warnings.append(f"{unreadable} entries in {self.path} could not be read; "
                                 "they are kept in the file as they are")
        old = self._items
        self._items, self._keys, self._docs = items, keys, docs
        self._folded = {i: f for i, f in self._folded.items() if old.get(i) is items.get(i)}
        edits: list[Edit] = [(a, None) for i, a in old.items() if i not in items]
        edits += [(old.get(i), a) for i, a in items.items() if old.get(i) is not a]
        return edits

    # -- changes ----------------------------------------------------------------

    def add(self, note: str, text: str, start: int, end: int, *, comment: str = "",
            tags: Iterable[str] = (), colour: str = DEFAULT_COLOUR) -> AnnotationChanges:
        """Annotate text[start:end] of a note, `text` being its `note_text`.

        White space at the edges of the range is left out. The new id is
        `changes.added[0]`. Raises AnnotationError for an empty or bad range.
        """
        check_colour(colour)
        if not 0 <= start < end <= len(text):
            raise AnnotationError(f"range {start}-{end} is outside the note's text (0-{len(text)})")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise AnnotationError("the selected passage is empty")
        exact, prefix, suffix = selectors(text, start, end)
        now = now_iso()
        annotation = Annotation(new_id(), NoteId(note), exact, prefix, suffix, start, end,
                                comment, clean_tags(tags), colour, now, now, ANCHORED)
        return self._change(lambda: [(None, annotation)], "Add annotation")

    def add_quote(self, note: str, text: str, quote: str, *, occurrence: int = 1,
                  comment: str = "", tags: Iterable[str] = (),
                  colour: str = DEFAULT_COLOUR) -> AnnotationChanges:
        """Annotate the `occurrence`-th place `quote` occurs in `text` (white space
        and then case may differ). Raises QuoteNotFound."""
        spans = find_quotes(text, quote)
        if not spans:
            raise QuoteNotFound(f"the quote is not in note '{note}'")
        if not 1 <= occurrence <= len(spans):
            raise QuoteNotFound(f"the quote occurs {len(spans)} time(s) in note '{note}', "
                                f"not {occurrence}")
        start, end = spans[occurrence - 1]
        return self.add(note, text, start, end, comment=comment, tags=tags, colour=colour)

    def update(self, annotation_id: str, *, comment: str | None = None,
               tags: Iterable[str] | None = None, colour: str | None = None) -> AnnotationChanges:
        """Change an annotation's comment, tags or colour (None: leave as is)."""
        if colour is not None:
            check_colour(colour)

        def edits() -> list[Edit]:
            current = self._require(annotation_id)
            changed = replace(
                current,
                comment=current.comment if comment is None else comment,
                tags=current.tags if tags is None else clean_tags(tags),
                colour=current.colour if colour is None else colour,
            )
            return [] if changed == current else [(current, replace(changed, modified=now_iso()))]

        return self._change(edits, "Edit annotation")

    def delete(self, annotation_ids: str | Iterable[str]) -> AnnotationChanges:
        """Delete one annotation or several; AnnotationError for an unknown id."""
        ids = [annotation_ids] if isinstance(annotation_ids, str) else list(dict.fromkeys(annotation_ids))
        label = "Delete annotation" if len(ids) == 1 else f"Delete {len(ids)} annotations"
        return self._change(lambda: [(self._require(i), None) for i in ids], label)

    def reanchor(self, note: str, text: str | None, *, timeout: float | None = None) -> AnnotationChanges:
        """Place a note's annotations in its current plain text (None: the note is
        gone, all become orphans). Call it when a note is opened. Not undoable.
        `timeout` as for `refresh`."""
        def edits() -> list[Edit]:
            return [(a, reanchor(a, text)) for a in self._items.values() if a.note == note]

        return self._change(edits, None, timeout)

    def reanchor_all(self, texts: TextSource, *, timeout: float | None = None) -> AnnotationChanges:
        """Place every annotation; `texts(note_id)` gives a note's plain text or None.
        `timeout` as for `refresh`."""
        def edits() -> list[Edit]:
            by_note: dict[str, list[Annotation]] = {}
            for annotation in self._items.values():
                by_note.setdefault(annotation.note, []).append(annotation)
            return [(a, reanchor(a, texts(note))) for note, group in by_note.items() for a in group]

        return self._change(edits, None, timeout)

    def merge(self, incoming: Iterable[Annotation], texts: TextSource | None = None) -> ImportResult:
        """Merge annotations (from an import) by id: a new id is added, a known id
        is replaced only when the incoming one was modified later. Each one taken
        is placed in its note's text when `texts` is given. One undoable step."""
        incoming = list(incoming)
        counts = {"added": 0, "updated": 0, "unchanged": 0}

        def edits() -> list[Edit]:
            counts.update(added=0, updated=0, unchanged=0)
            found: list[Edit] = []
            for annotation in incoming:
                current = self._items.get(annotation.id)
                if current is not None and not _newer(annotation, current):
                    counts["unchanged"] += 1
                    continue
                placed = reanchor(annotation, texts(annotation.note)) if texts else annotation
                counts["added" if current is None else "updated"] += 1
                found.append((current, placed))
            return found

        changes = self._change(edits, "Import annotations")
        return ImportResult(counts["added"], counts["updated"], counts["unchanged"], changes)

    # -- writing ----------------------------------------------------------------

    def _change(self, make_edits: Callable[[], list[Edit]], label: str | None,
                timeout: float | None = None) -> AnnotationChanges:
        """Run an operation on the file's latest content and write the result.

        `make_edits` computes (before, after) pairs without changing anything;
        it may raise AnnotationError, and then nothing changes. `timeout`: the
        seconds to wait for the lock (None: the lock's own).
        """
        with self._locked(timeout):
            if self._file.changed():
                self._unreported += self._reload()  # reported with this change, or the next
            if self.read_only:
                raise AnnotationStoreError(f"{self.path} was written by a newer kbviewer; "
                                           "it cannot be changed")
            edits = [(b, a) for b, a in make_edits() if b != a]
            if edits:
                self._apply(edits)
                try:
                    self._save()
                except OSError as err:
                    self._apply([(a, b) for b, a in reversed(edits)])
                    raise AnnotationStoreError(f"could not save annotations to {self.path}: "
                                               f"{err.strerror or err}") from None
                if label:
                    self.remember(label, edits)
        return self._report(edits)

    def _report(self, edits: list[Edit]) -> AnnotationChanges:
        """The changes of an operation, with those found on reloads not yet reported."""
        changes = AnnotationChanges.from_edits([*self._unreported, *edits])
        self._unreported = []
        return changes

    def _apply(self, edits: list[Edit]) -> None:
        """Make the edits in TinyDB's cached tables: one remove, updates, one insert_multiple."""
        gone: list[int] = []
        added: list[Annotation] = []
        for before, after in edits:
            ann_id = (after or before).id  # type: ignore[union-attr]
            self._folded.pop(ann_id, None)
            key = self._keys.get(ann_id)
            if after is None:
                if key is not None:
                    gone.append(self._keys.pop(ann_id))
                    self._docs.pop(key, None)
                self._items.pop(ann_id, None)
                continue
            self._items[ann_id] = after
            if key is None:
                added.append(after)
            else:
                doc = self._docs[key] = after.to_doc()
                self._table.update(doc, doc_ids=[key])
        if gone:
            self._table.remove(doc_ids=gone)
        if not added:
            return
        docs = [annotation.to_doc() for annotation in added]
        for annotation, doc, key in zip(added, docs, self._table.insert_multiple(docs), strict=False):
            self._keys[annotation.id] = key
            self._docs[key] = doc

    def _save(self) -> None:
        """Write the cached tables: one flush, through the data file (backup, atomic write)."""
        meta = self._new_table(META)
        if meta.get(doc_id=1) != {"schema": SCHEMA}:
            meta.upsert(Document({"schema": SCHEMA}, doc_id=1))
        self._cache.flush()

    def _require(self, annotation_id: str) -> Annotation:
        annotation = self._items.get(AnnotationId(annotation_id))
        if annotation is None:
            raise AnnotationError(f"no annotation with id '{annotation_id}'")
        return annotation

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        lock = self._file.lock
        wait = lock.timeout
        if timeout is not None:
            lock.timeout = timeout
        try:
            lock.__enter__()
        except LockTimeout as err:
            raise AnnotationStoreError(f"annotations are busy: {err}") from None
        except OSError as err:
            raise AnnotationStoreError(f"cannot use the folder {self.path.parent}: "
                                       f"{err.strerror or err}") from None
        finally:
            lock.timeout = wait
        try:
            yield
        finally:
            lock.__exit__(None, None, None)


def _newer(incoming: Annotation, current: Annotation) -> bool:
    """Whether `incoming` was modified after `current`."""
    def when(annotation: Annotation) -> tuple[int, datetime | str]:
        try:
            return (1, datetime.fromisoformat(annotation.modified or annotation.created))
        except ValueError:
            return (0, annotation.modified)
    a, b = when(incoming), when(current)
    try:
        return a > b
    except TypeError:  # one time has a zone, the other not
        return str(a[1]) > str(b[1])
