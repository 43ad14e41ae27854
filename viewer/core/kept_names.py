"""Every note's names and the folder's other files, kept beside the store for pages made before the notes are read.

A page made at start-up, before the notes are read (`viewer.core.remade_page`),
looks up the names its links, sources and embeds give, and the files its
images name. What the last page shown looked up is kept with it; any other
name is looked up here: the tables of the last sync's `NameIndex` and
`Attachments`, and each note's path and title. They are split by a digest of
each key into `SHARDS` parts written one after the other in one file, with a
first line saying where each begins, so a lookup reads one part (a few
kilobytes at 50,000 notes), not the whole.

Written whole after a sync that changed a note's id or path, or the folder's
other files; after one that changed only a few notes' titles or aliases, the
parts those names fall in are made again and the others copied; a sync that
changed none of them only writes, in a second small file, the store revision
the tables still hold for and the note the folder opens on. Derived data,
like the store: written by an atomic rename without waiting for the disk; a
damaged or missing file only means the page waits for the notes.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import orjson

from viewer.core import start_page
from viewer.core.digest import blake2b
from viewer.core.model import Note
from viewer.core.names import NameIndex
from viewer.core.regular_file import open_regular
from viewer.core.vault import Attachments

SHARDS = 1024
_VERSION = 1
_HEADER_BYTES = 1 << 16
_SHARD_BYTES = 16 << 20
_MAX_OFFSET = 1 << 40  # larger: not a file written here (and past what os.pread takes)
_TABLES = ("id", "path", "stem", "title", "alias", "note", "file", "file_name")


def names_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".names")


def stamp_file(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".names-at")


def shard_of(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


# -- writing -------------------------------------------------------------------

def keep(store: Path, before: str, after: str, names: NameIndex, attachments: Attachments,
         renamed: tuple[set[str], list[Note]] | None, first: str | None) -> None:
    """After a sync from store revision `before` to `after`, the tables as they are now.

    `renamed`: that sync kept every note's id and path, and changed only these titles and aliases
    (folded), of these notes (None: anything may have changed). With none changed, only the
    revision the tables hold for (and `first`, the id of the note the folder opens on) is written;
    with a few, only the parts they fall in are made again; else the whole.
    """
    if not after:
        return
    files = _digest("\n".join(sorted(attachments.by_path.values())))
    stamp, token = _read_stamp(store), _token(store)
    if (stamp is not None and token is not None and stamp.get("token") == token and stamp.get("files") == files
            and (stamp.get("revision") == after or (stamp.get("revision") == before and renamed is not None))):
        if stamp.get("revision") != after and renamed is not None and renamed[0]:
            token = _renamed(store, names, *renamed)
        if token is not None and (stamp.get("revision"), stamp.get("first"), stamp.get("token")) != (after, first, token):
            _write_stamp(store, {"revision": after, "token": token, "files": files, "first": first})
        if token is not None:
            return
    token = save(store, names, attachments)
    if token is not None:
        _write_stamp(store, {"revision": after, "token": token, "files": files, "first": first})


def _renamed(store: Path, names: NameIndex, keys: set[str], notes: list[Note]) -> str | None:
    """Write the tables again with the parts `keys` and `notes` fall in made anew, the others copied as
    they are; their new token, or None (not as written here: write the whole)."""
    kept = open_names(store)
    if kept is None:
        return None
    by_shard: dict[int, list[tuple[str, str, Any]]] = {}
    for key in keys:
        for table, found in (("title", names.by_title), ("alias", names.by_alias)):
            by_shard.setdefault(shard_of(key), []).append((table, key, found.get(key)))
    for note in notes:
        by_shard.setdefault(shard_of(note.id), []).append(("note", note.id, (note.path, note.title)))
    try:
        with kept:
            parts = []
            for index in range(SHARDS):
                if index not in by_shard:
                    parts.append(kept.raw(index))
                    continue
                shard = kept.shard(index)
                for table, key, value in by_shard[index]:
                    if value is None:
                        shard[table].pop(key, None)
                    else:
                        shard[table][key] = value
                parts.append(_dumps(shard))
    except (Damaged, OSError, TypeError, ValueError, OverflowError):
        return None
    return _write(store, parts)


def save(store_path: Path, names: NameIndex, attachments: Attachments) -> str | None:
    """Write the tables of `names` and `attachments` (with each note's path and title); their token,
    or None if they could not be written."""
    shards: list[dict[str, dict[str, Any]]] = [{table: {} for table in _TABLES} for _ in range(SHARDS)]
    places: dict[str, dict[str, dict[str, Any]]] = {}  # the shard of each key (most keys come in several tables)

    def shard(key: str) -> dict[str, dict[str, Any]]:
        found = places.get(key)
        if found is None:
            found = places[key] = shards[shard_of(key)]
        return found

    for table, found in (("id", names.by_id), ("path", names.by_path), ("title", names.by_title),
                         ("alias", names.by_alias), ("file", attachments.by_path)):
        for key, value in found.items():
            shard(key)[table][key] = value
    for key, notes in names.by_stem.items():
        shard(key)["stem"][key] = [(note.id, note.path) for note in notes]
        for note in notes:
            shard(note.id)["note"][note.id] = (note.path, note.title)
    for key, paths in attachments.by_name.items():
        shard(key)["file_name"][key] = paths
    places.clear()
    try:
        parts = [_dumps(part) for part in shards]
    except (TypeError, ValueError):
        return None
    shards.clear()
    return _write(store_path, parts)


def _write(store_path: Path, parts: list[bytes]) -> str | None:
    """Write the parts behind a first line saying where each begins; their token (None: not written)."""
    token = os.urandom(8).hex()
    at, spans = 0, []
    for part in parts:
        spans.append([at, len(part)])
        at += len(part)
    header = _dumps({"version": _VERSION, "token": token, "shards": spans}) + b"\n"
    if len(header) > _HEADER_BYTES:
        return None
    start_page.write_kept(names_file(store_path), [header, *parts])
    return token


def _write_stamp(store_path: Path, stamp: dict[str, str | None]) -> None:
    start_page.write_kept(stamp_file(store_path), _dumps(stamp))


def first_note(store_path: Path) -> str | None:
    """The id of the note the folder opened on at the last sync (None: not kept)."""
    stamp = _read_stamp(store_path)
    first = stamp.get("first") if stamp is not None else None
    return first if isinstance(first, str) else None


def _read_stamp(store_path: Path) -> dict[str, Any] | None:
    stamp = start_page.read_kept(stamp_file(store_path), 4096)
    return stamp if isinstance(stamp, dict) else None


def _token(store: Path) -> str | None:
    names = open_names(store)
    if names is None:
        return None
    names.close()
    return names.token


def _dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # a lone half of a surrogate pair (a file name not in UTF-8)
        return json.dumps(value).encode()


def _loads(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def _digest(text: str) -> str:
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _header(line: bytes) -> dict[str, Any] | None:
    try:
        header = _loads(line)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(header, dict) and header.get("version") == _VERSION and isinstance(header.get("token"), str)
            and isinstance(header.get("shards"), list) and len(header["shards"]) == SHARDS
            and all(isinstance(p, list) and len(p) == 2 and all(type(n) is int and 0 <= n <= _MAX_OFFSET for n in p)
                    for p in header["shards"])):
        return None
    return header


# -- reading -------------------------------------------------------------------

class Damaged(Exception):
    """The kept tables are not as written here."""


class KeptNames:
    """The kept tables, read part by part as names are looked up. Raises Damaged on a part not as written.

    Open it with `open_names`; close it (or use it in a `with`) when done.
    """

    def __init__(self, fd: int, start: int, token: str, places: list[list[int]]) -> None:
        self._fd, self._start, self.token, self._places = fd, start, token, places
        self._shards: dict[int, dict[str, Any]] = {}
        tables = {table: _Table(self, table) for table in _TABLES}
        self.names = NameIndex.of_tables(tables["id"], tables["path"], cast(Any, _Stems(tables["stem"])),
                                         tables["title"], tables["alias"])
        self.attachments = Attachments.of_tables(tables["file"], tables["file_name"])
        self._notes = tables["note"]

    def note(self, note_id: str) -> tuple[str, str] | None:
        """The path and title of the note with this id, or None."""
        found = self._notes.get(note_id)
        if found is None:
            return None
        if not (isinstance(found, list) and len(found) == 2 and all(isinstance(v, str) for v in found)):
            raise Damaged(note_id)
        return found[0], found[1]

    def raw(self, index: int) -> bytes:
        """The bytes of one part, as written."""
        at, length = self._places[index]
        if length > _SHARD_BYTES:
            raise Damaged("size")
        data = os.pread(self._fd, length, self._start + at)
        if len(data) != length:
            raise Damaged(str(index))
        return data

    def shard(self, index: int) -> dict[str, Any]:
        found = self._shards.get(index)
        if found is None:
            data = self.raw(index)
            try:
                found = _loads(data)
            except (ValueError, RecursionError):
                found = None
            if not (isinstance(found, dict) and all(isinstance(found.get(t), dict) for t in _TABLES)):
                raise Damaged(str(index))
            self._shards[index] = found
        return found

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> KeptNames:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_names(store_path: Path) -> KeptNames | None:
    """The tables kept beside the store, or None when there are none (or not as written here)."""
    fd = open_regular(names_file(store_path))
    if fd is None:
        return None
    try:
        line = os.pread(fd, _HEADER_BYTES, 0).split(b"\n", 1)[0]
        header = _header(line)
    except OSError:
        header = None
    if header is None:
        os.close(fd)
        return None
    return KeptNames(fd, len(line) + 1, header["token"], header["shards"])


class _Table(Mapping[str, Any]):
    """One table of the kept names, read from the part its key falls in."""

    def __init__(self, names: KeptNames, table: str) -> None:
        self.names, self.table = names, table

    def __getitem__(self, key: str) -> Any:
        value = self.names.shard(shard_of(key))[self.table][key]
        if self.table == "file_name":
            if not (isinstance(value, list) and all(isinstance(path, str) for path in value)):
                raise Damaged(key)
        elif self.table not in ("stem", "note") and not isinstance(value, str):
            raise Damaged(key)
        return value

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the kept names are looked up, not listed")

    def __len__(self) -> int:
        raise TypeError("the kept names are looked up, not counted")


class _Stem:
    """A note sharing a file name, as `NameIndex` compares them: its id and path."""

    def __init__(self, note_id: str, path: str) -> None:
        self.id, self.path = note_id, path


class _Stems(Mapping[str, list[_Stem]]):
    def __init__(self, table: _Table) -> None:
        self.table = table

    def __getitem__(self, key: str) -> list[_Stem]:
        found = self.table[key]
        if not (isinstance(found, list) and all(isinstance(n, list) and len(n) == 2
                                                and all(isinstance(v, str) for v in n) for n in found)):
            raise Damaged(key)
        return [_Stem(*n) for n in found]

    def __iter__(self) -> Iterator[str]:
        raise TypeError("the kept names are looked up, not listed")

    def __len__(self) -> int:
        raise TypeError("the kept names are looked up, not counted")
