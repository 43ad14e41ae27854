"""The note store's TinyDB cache: written whole now and then, and in between only its changed documents.

A one-file sync changes three documents of tables that hold 100,000 (38 MB
of JSON at 50,000 notes); writing the file whole took a third of the sync.
So a flush writes either

- the snapshot, `store.json`: every table, through the storage beneath,
  with a token of its own in a reserved table (`SNAPSHOT_TABLE`); or
- the journal beside it, `store.json.journal`: every document changed since
  that snapshot (null: removed) and the snapshot's token, written whole and
  atomically, while it holds at most `JOURNAL_LIMIT` documents.

Reading applies the journal to the snapshot it names. A journal naming
another snapshot is stale (written by a process that had read an older
snapshot) and is not applied; one that is not a journal raises ValueError,
as a damaged snapshot does. A snapshot is written after the journal is
removed (a crash between the two leaves the last snapshot alone, older but
whole), and a flush writes the snapshot, not a journal, when the file is no
longer the one this cache read or wrote (another process replaced it).

The changed documents are known from the tables: `JournaledTable` reports
the id of every document it inserts, updates or removes, and changes the
cached table in place. A table written without a report (a truncate, a
write through another table class), a dropped table or a write that failed
half-way makes the next flush write the snapshot.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, cast

import orjson
from tinydb.middlewares import CachingMiddleware
from tinydb.table import Table

from viewer.core.atomic import AtomicJSONStorage, atomic_write

JOURNAL_LIMIT = 2_000  # documents in the journal; past this, the snapshot is written
SNAPSHOT_TABLE = "_snapshot"  # one document: the token a journal names


class JournaledTable(Table):
    """A TinyDB table that tells a `JournaledCache` which documents each write changed."""

    def insert(self, document: Mapping) -> int:
        doc_id = super().insert(document)
        self._report([doc_id])
        return doc_id

    def insert_multiple(self, documents: Iterable[Mapping]) -> list[int]:
        return self._report(super().insert_multiple(documents))

    def update(self, fields: Any, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        return self._report(super().update(fields, cond, doc_ids))

    def update_multiple(self, updates: Any) -> list[int]:
        return self._report(super().update_multiple(updates))

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        return self._report(super().remove(cond, doc_ids))

    def _report(self, doc_ids: list[int]) -> list[int]:
        storage = self.storage
        if isinstance(storage, JournaledCache):
            storage.changed(self.name, doc_ids)
        return doc_ids

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        """TinyDB's one way to write a table, done on the cached documents in place.

        TinyDB copies the whole table twice per write (its ids as numbers, then
        as strings again); this one lets its `updater` see the stored documents
        by number instead.
        """
        storage = self.storage
        if not isinstance(storage, JournaledCache):
            return super()._update_table(updater)
        tables = storage.read() or {}
        documents = _ByNumber(tables.setdefault(self.name, {}))
        try:
            updater(cast(dict[int, Mapping], documents))
        except BaseException:
            documents.roll_back()  # as TinyDB leaves a table (its documents may be half updated, as there)
            self.clear_cache()
            storage.write_whole()  # what changed is not reported: the next flush writes everything
            raise
        storage.replaced(self.name)  # to be matched by a report
        storage.write(tables)
        self.clear_cache()
        return None


_ABSENT = object()


class _ByNumber(MutableMapping[int, Any]):
    """A table's documents, stored by id as a string, seen by id as a number (as TinyDB's updaters ask).

    It remembers what each change replaced, so that a write that fails half-way is undone.
    """

    __slots__ = ("documents", "undo")

    def __init__(self, documents: dict[str, Any]) -> None:
        self.documents = documents
        self.undo: list[tuple[str, Any]] = []

    def __getitem__(self, doc_id: int) -> Any:
        return self.documents[str(doc_id)]

    def __setitem__(self, doc_id: int, document: Any) -> None:
        key = str(doc_id)
        self.undo.append((key, self.documents.get(key, _ABSENT)))
        self.documents[key] = document

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        self.undo.append((key, self.documents.pop(key)))

    def roll_back(self) -> None:
        for key, document in reversed(self.undo):
            if document is _ABSENT:
                self.documents.pop(key, None)
            else:
                self.documents[key] = document
        self.undo.clear()

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.documents

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in self.documents)

    def __len__(self) -> int:
        return len(self.documents)

    def clear(self) -> None:
        self.undo.extend(self.documents.items())
        self.documents.clear()


class JournaledCache(CachingMiddleware):
    """TinyDB's caching middleware, written only at `flush`: the journal when it can be, else the snapshot."""

    WRITE_CACHE_SIZE = 1 << 62  # never written by the count of writes: the store commits with `flush`

    def __init__(self, storage_cls: Any) -> None:
        super().__init__(storage_cls)
        self._token: str | None = None  # the snapshot on disk the cache was read from or written as
        self._since: dict[str, set[str]] = {}  # documents changed since that snapshot, by table
        self._tables: dict[str, Any] = {}  # each table's dict at the last write, to see which were replaced
        self._replaced: Counter[str] = Counter()  # tables replaced since the last flush
        self._reported: Counter[str] = Counter()  # and the table writes reported for them
        self._whole = False  # the next flush writes the snapshot
        self._on_disk: tuple[int, int, int] | None = None  # the snapshot file's inode, size and time

    @property
    def journal_path(self) -> Path:
        return Path(f"{cast(AtomicJSONStorage, self.storage).path}.journal")

    def read(self) -> dict[str, Any] | None:
        if self.cache is None:
            self._on_disk = self._snapshot_identity()  # before reading: if it changes meanwhile, flush sees it
            data = self.storage.read()
            self._token = None
            self._since = {}
            if data is not None:
                snapshot = data.pop(SNAPSHOT_TABLE, None)
                token = snapshot.get("1") if isinstance(snapshot, dict) else None
                token = token.get("token") if isinstance(token, dict) else None
                self._token = token if isinstance(token, str) else None  # none: no journal applies
                self._apply_journal(data)
            self.cache = data
            self._tables = dict(data or {})
        return self.cache

    def write(self, data: dict[str, Any]) -> None:
        for name, table in data.items():
            if table is not self._tables.get(name):
                self._replaced[name] += 1
        if self._tables.keys() - data.keys():
            self._whole = True  # a table dropped
        self._tables = dict(data)
        super().write(data)

    def replaced(self, table: str) -> None:
        """A write of `table` in place (its dict the same), to be reported with `changed`."""
        self._replaced[table] += 1

    def changed(self, table: str, doc_ids: Iterable[int]) -> None:
        """Documents of `table` a write inserted, updated or removed (each write reports once)."""
        self._reported[table] += 1
        self._since.setdefault(table, set()).update(str(doc_id) for doc_id in doc_ids)

    def write_whole(self) -> None:
        """Have the next flush write the snapshot."""
        self._whole = True
        self._cache_modified_count += 1

    def flush(self) -> None:
        if self._cache_modified_count == 0:
            return
        data = self.cache or {}
        journaled = (self._token is not None and not self._whole
                     and all(self._reported[name] >= count for name, count in self._replaced.items())
                     and sum(len(ids) for ids in self._since.values()) <= JOURNAL_LIMIT
                     and self._snapshot_identity() == self._on_disk)  # not replaced by another process
        if journaled:
            tables = {name: {doc_id: data.get(name, {}).get(doc_id) for doc_id in ids}
                      for name, ids in self._since.items()}
            atomic_write(self.journal_path, orjson.dumps({"snapshot": self._token, "tables": tables}))
        else:
            try:  # first: a journal another process writes for the new snapshot is never removed
                self.journal_path.unlink(missing_ok=True)
            except OSError:
                pass  # not applied anyway: it names the last snapshot
            token = os.urandom(8).hex()
            self.storage.write({**data, SNAPSHOT_TABLE: {"1": {"token": token}}})
            self._token, self._since, self._tables = token, {}, dict(data)
            self._on_disk = self._snapshot_identity()
        self._replaced.clear()
        self._reported.clear()
        self._whole = False
        self._cache_modified_count = 0

    def _snapshot_identity(self) -> tuple[int, int, int] | None:
        try:
            found = os.stat(cast(AtomicJSONStorage, self.storage).path)
        except OSError:
            return None
        return found.st_ino, found.st_size, found.st_mtime_ns

    def _apply_journal(self, data: dict[str, Any]) -> None:
        try:
            raw = self.journal_path.read_bytes()
        except FileNotFoundError:
            return
        try:
            journal = orjson.loads(raw)
        except orjson.JSONDecodeError as err:
            raise ValueError(f"{self.journal_path} is not valid JSON: {err}") from err
        if not isinstance(journal, dict) or not isinstance(journal.get("tables"), dict):
            raise ValueError(f"{self.journal_path} is not a journal")
        if self._token is None or journal.get("snapshot") != self._token:
            return  # another snapshot's: this one was written after it
        for name, docs in journal["tables"].items():
            if not isinstance(docs, dict):
                raise ValueError(f"{self.journal_path} is not a journal")
            table = data.setdefault(name, {})
            if not isinstance(table, dict):
                raise ValueError(f"{self.journal_path.with_suffix('')} table {name!r} is not a table of documents")
            for doc_id, doc in docs.items():
                if doc is None:
                    table.pop(doc_id, None)
                else:
                    table[doc_id] = doc
            self._since[name] = set(docs)
