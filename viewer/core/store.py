"""The derived note store: a TinyDB database, rebuilt from the folder at will.

`store.json` is opened as `TinyDB(path, storage=...)`: the project's atomic
orjson `Storage` wrapped by a caching middleware (`viewer.core.journal`), so
the file is read once and written once per sync, at `commit`: whole, or, when
few documents changed since it was, only those, in a journal beside it.
Three tables:

- `meta`: one document (schema version, folder, the name of the texts file
  and its length at the commit);
- `files`: one `FileRecord` per Markdown file (size, time, hash, the note's
  fields, diagnostics, where its texts are);
- `links`: one document per linking note: its id and path and its
  cross-references, each `[target as written, label, heading, embed, line]`,
  with the resolved targets beside them.

Note bodies and link sentences live in a side file, `store.texts-<token>`,
read by offset: at 50,000 notes they are 100 MB that no reader needs all at
once. A document per link, rather than per linking note, was measured at
155 MB of memory for 250,000 links, against about 40 MB this way.

A sync appends the texts of new and changed notes to that file, then writes
the tables (the commit point) with the file's new length: bytes past the
length the store names are never read, so a crash leaves the old store
usable. Only the documents of changed files are replaced. When more than
`COMPACT_SHARE` of the file is dead texts, the live ones are copied to a new
file, and the old file is deleted after the commit. A store whose documents
have the wrong shape, or whose texts file is shorter than its committed
length or fails its checksums, is rebuilt with a warning.
"""

from __future__ import annotations

import heapq
import os
import time
import zlib
from collections.abc import Iterable, MutableMapping
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware
from tinydb.table import Document, Table

from viewer.core.journal import JournaledCache, JournaledTable
from viewer.core.records import CONTEXT_SEPARATOR, FileRecord, StoreDamaged, StoredNote, note_fields, typed
from viewer.core.storage import StreamingStorage
from viewer.core.texts import Texts, TextsWriter

SCHEMA = 8  # 8: a journal of changed documents beside the tables (7: a revision in meta, new at each commit)
STALE_TEXTS_SECONDS = 600  # a texts file no store names, left by a race between two saves
CHECKED_TEXTS = 64  # texts checksums verified when a store is opened, spread over the file
COMPACT_SHARE = 0.3  # the texts file is compacted when more of it than this is texts no record uses

class _StoreDB(TinyDB):
    table_class = JournaledTable


class NoteStore:
    """The files and links tables of one folder, and the texts file beside them."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warning: str | None = None
        self._db: TinyDB | None = None
        self._texts_name: str | None = None  # the texts file of the last load or commit
        self._reader: Texts | None = None  # the texts file the records read from, and its length
        self._length = 0
        self.revision = ""  # a new random string at each commit: what a page made from the store depends on

    @property
    def files(self) -> Table:
        return self._open().table("files")

    @property
    def links(self) -> Table:
        return self._open().table("links")

    def _open(self) -> TinyDB:
        if self._db is None:
            self._db = _StoreDB(self.path, storage=JournaledCache(StreamingStorage))
        return self._db

    def close(self) -> None:
        """Forget the tables (nothing is written: commit wrote them)."""
        self._db = None
        self._reader, self._length = None, 0

    def load(self, folder: Path) -> dict[str, FileRecord]:
        """The file records by path; empty when missing, stale or damaged."""
        for _attempt in range(2):
            try:
                return self._load(folder)
            except FileNotFoundError:  # another process replaced the pair meanwhile: read again
                self.close()
                continue
        return self._damaged(f"note store {self.path} names a texts file that is gone; rebuilding it")

    def _load(self, folder: Path) -> dict[str, FileRecord]:
        try:
            meta = self._open().table("meta").get(doc_id=1)
        except (ValueError, OSError, TypeError, AttributeError) as err:  # unreadable, or meta not a document
            return self._damaged(f"note store {self.path} could not be read ({err}); rebuilding it")
        if not isinstance(meta, dict) or meta.get("schema") != SCHEMA or meta.get("folder") != str(folder):
            self._open().drop_tables()  # another version's or folder's: start afresh (in memory)
            return {}
        try:
            texts = Texts(self.path.parent / typed(meta["texts"], str))  # gone: load() reads again
            length = typed(meta["texts_length"], int)
            # The tables as TinyDB's cache holds them: read in place, not copied document by document.
            tables = cast(CachingMiddleware, self._open().storage).read() or {}
            files, links = typed(tables.get("files", {}), dict), typed(tables.get("links", {}), dict)
            by_path = {doc["path"]: (int(doc_id), doc) for doc_id, doc in links.items()
                       if isinstance(doc, dict) and isinstance(doc.get("path"), str)}
            share = cast(dict[str, str], {}).setdefault
            records = {}
            for doc_id, doc in files.items():
                links_id, links_doc = by_path.get(typed(doc, dict).get("path"), (None, None))
                record = FileRecord.from_docs(doc, links_doc, texts, share)
                record.file_id, record.links_id = int(doc_id), links_id
                records[record.path] = record
            del by_path
            _check_texts(list(records.values()), texts, length)
            self._texts_name, self._reader, self._length = meta["texts"], texts, length
            self.revision = str(meta.get("revision", ""))
            return records
        except FileNotFoundError:
            raise
        except (StoreDamaged, KeyError, TypeError, ValueError, AttributeError, OSError) as err:
            return self._damaged(f"note store {self.path} is damaged ({err}); rebuilding it")

    def _damaged(self, warning: str) -> dict[str, FileRecord]:
        self.warning = warning
        self.close()
        self._open().drop_tables()  # in memory; the file is replaced at the next commit
        return {}

    def texts_writer(self) -> TextsWriter:
        """Where a sync writes new texts: appended to the store's texts file, or a new file."""
        if self._reader is not None and self._reader.path.exists():
            return TextsWriter(self.path.parent, self.path.stem, self._reader, self._length)
        return TextsWriter(self.path.parent, self.path.stem)

    def write_texts(self, record: FileRecord, writer: TextsWriter) -> None:
        """Write a record's texts (new ones, or a copy of its bytes from another file); it reads them from there.

        Its body and sentences are no longer kept in memory, though it reads
        them only once `finish_texts` flushed the file.
        """
        if record.texts is None or record.contexts is not None or record.span is None:
            body = record.body().encode("utf-8")
            sentences = CONTEXT_SEPARATOR.join(record.sentences()).encode("utf-8")
            chunk = body + b"\x00" + sentences
        else:  # unchanged: copy the bytes from the file it was read from
            offset, body_length, sentences_length = record.span
            chunk = record.texts.raw(offset, body_length + 1 + sentences_length)
            body, sentences = chunk[:body_length], chunk[body_length + 1:]
        span = (writer.append(chunk), len(body), len(sentences))
        assert writer.reader is not None
        record.contexts = None
        record.texts, record.span, record.crc = writer.reader, span, zlib.crc32(chunk)
        if isinstance(record.note, StoredNote):
            record.note.moved(writer.reader, span[0], span[1])
        elif record.note is not None:  # now read from the file
            record.note_doc, record.note = note_fields(record.note), None

    def finish_texts(self, records: list[FileRecord], writer: TextsWriter) -> str:
        """Write the texts of the records not yet written, and compact the file when it is mostly dead texts.

        Returns the name of the file every record reads from; no store names
        it (or its new length) until `commit`.
        """
        try:
            for record in records:
                if record.texts is not writer.reader or record.contexts is not None or record.span is None:
                    self.write_texts(record, writer)
            reader = writer.finish()
        except BaseException:
            writer.abandon()
            raise
        live = sum(span[1] + 1 + span[2] for span in (record.span for record in records) if span is not None)
        if writer.appending and writer.offset - live > COMPACT_SHARE * writer.offset:
            self._reader, self._length = None, 0  # compacted: every record copied to a new file
            return self.finish_texts(records, self.texts_writer())
        self._reader, self._length = reader, writer.offset
        return writer.name

    def commit(self, folder: Path, records: list[FileRecord], texts_name: str, rewritten: bool,
               relinked: Iterable[FileRecord], before: dict[str, FileRecord], gone_links: Iterable[int]) -> None:
        """The tables, through TinyDB, then one write of the file.

        Only records without a files document are written (in place of the
        document of the same path in `before`, the records of the last sync),
        unless `rewritten` (or the texts moved to a new file): then every
        record is. `relinked` are the records whose links document is new or
        changed; `gone_links` the links documents of files that changed or went away.
        """
        try:  # fresh again, so another process's clean-up never takes it for a stray
            os.utime(self.path.parent / texts_name)
        except OSError:
            pass
        db = self._open()
        revision = os.urandom(8).hex()
        db.table("meta").upsert(Document({"schema": SCHEMA, "folder": str(folder), "texts": texts_name,
                                          "texts_length": self._length, "revision": revision}, doc_id=1))
        files = db.table("files")
        if rewritten or texts_name != self._texts_name:
            files.truncate()  # every record's texts moved to the new file
            written = records
        else:
            paths = {record.path for record in records}
            gone = [old.file_id for path, old in before.items() if path not in paths and old.file_id is not None]
            if gone:
                files.remove(doc_ids=gone)
            replaced: dict[str, dict[str, Any]] = {}
            written = []
            replaced_ids = []
            for record in records:
                if record.file_id is not None and not record.stale:
                    continue
                old = before.get(record.path)
                doc_id = record.file_id if record.file_id is not None else old.file_id if old is not None else None
                if doc_id is not None:
                    replaced[record.path] = record.file_doc()
                    replaced_ids.append(doc_id)
                    record.file_id = doc_id
                else:
                    written.append(record)
            if replaced:  # one table update for them all, each document found by its path
                files.update(lambda doc: doc.update(replaced[doc["path"]]), doc_ids=replaced_ids)
        if written:  # each table change rewrites the whole table in memory: none when nothing is new
            for record, doc_id in zip(written, files.insert_multiple(r.file_doc() for r in written), strict=True):
                record.file_id = doc_id
        for record in records:
            record.stale = False
        links = db.table("links")
        dropped = set(gone_links)
        fresh = [record for record in relinked if record.links and record.stored_note is not None]
        in_place: dict[str, dict[str, Any]] = {}  # a changed file's new links document, in its old one's place
        for record in fresh:
            old = before.get(record.path)
            if old is not None and old.links_id in dropped and record.links_id in (None, old.links_id):
                dropped.discard(old.links_id)
                in_place[record.path] = record.links_doc()
                record.links_id = old.links_id
        if in_place:
            links.update(lambda doc: _replace(doc, in_place[doc["path"]]),
                         doc_ids=[r.links_id for r in fresh if r.path in in_place and r.links_id is not None])
        if dropped:
            links.remove(doc_ids=sorted(dropped))
        added = [record for record in fresh if record.path not in in_place]
        if added:
            for record, doc_id in zip(added, links.insert_multiple(r.links_doc() for r in added), strict=True):
                record.links_id = doc_id
        cast(CachingMiddleware, db.storage).flush()
        self.revision = revision  # only once it is on disk
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




def _replace(doc: MutableMapping[str, Any], new: dict[str, Any]) -> None:
    doc.clear()
    doc.update(new)


def _check_texts(records: list[FileRecord], texts: Texts, length: int) -> None:
    """Spans inside the file's committed length, and the checksums of records spread over it and at its end."""
    if len(texts) < length:
        raise StoreDamaged("texts file is shorter than the store says")
    for record in records:
        offset, body, sentences = record.span or (0, 0, 0)
        if offset + body + 1 + sentences > length:
            raise StoreDamaged("a text span goes past the texts file's committed length")
    step = max(1, len(records) // CHECKED_TEXTS)
    latest = heapq.nlargest(CHECKED_TEXTS // 4, records, key=lambda r: r.span[0] if r.span else 0)  # appended last
    for record in records[::step] + latest:
        offset, body, sentences = record.span or (0, 0, 0)
        if zlib.crc32(texts.raw(offset, body + 1 + sentences)) != record.crc:
            raise StoreDamaged(f"texts of {record.path} fail their checksum")
