"""A file of the reader's own data: atomic writes, a backup, bad files set aside.

The file is a TinyDB database (an object of tables, each an object of
documents keyed by integer ids as strings), so TinyDB with
`AtomicJSONStorage` opens it; it is read and written here whole.

- Every write goes through `atomic_write` (temp file, fsync, replace, fsync
  of the folder), under an exclusive lock on a sidecar `.lock` file.
- Before each write the current file, which was read and found good, becomes
  the backup `NAME.bak`: hard-linked under a temp name and renamed over the
  old backup (atomic, and no second copy of the data to write), or copied
  with `atomic_write` where hard links are not available.
- A file that cannot be read is renamed `NAME.corrupt-YYYYMMDDTHHMMSS`, the
  backup is loaded and written back as the file, and a warning says so.
  When the backup cannot be read either, it is set aside too, and the
  documents that can still be read from either are recovered (the warning
  says how many). A file saved with a byte-order mark or as UTF-16 is read.
  Nothing is overwritten without having been read.
"""

from __future__ import annotations

import codecs
import json
import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from viewer.core.atomic import atomic_write, fsync_folder
from viewer.core.filelock import FileLock
from viewer.core.lazy import lazy_pattern

Stamp = tuple[int, int, int]  # inode, mtime in ns, size


class DataFile:
    """One user-data file with its backup and lock. Hold `lock` around `load` and `save`."""

    def __init__(self, path: Path, what: str = "data") -> None:
        self.path = Path(path)
        self.what = what
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))
        self._stamp: Stamp | None = None

    def changed(self) -> bool:
        """Whether the file differs from the one last loaded or saved here."""
        return _stamp(self.path) != self._stamp

    def load(self) -> tuple[dict[str, Any], list[str]]:
        """The file's tables and the warnings for the reader (call with the lock held).

        A missing file with no backup is an empty database, without warning.
        Raises OSError when the file exists but cannot be opened.
        """
        self._remove_temp_files()
        raw = _read(self.path)
        if raw is not None:
            try:
                data = _parse(raw)
            except ValueError as err:
                aside = self._set_aside(self.path)
                problem = f"{self.path} could not be read ({err}); it was moved aside to {aside.name}"
            else:
                self._stamp = _stamp(self.path)
                return data, []
        else:
            problem = None
        backup = _read(self.backup_path)
        if backup is None:
            self._stamp = None
            if problem:
                return {}, [f"{problem}. There is no backup, so no {self.what} were loaded."]
            return {}, []
        problem = problem or f"{self.path} is missing"
        try:
            data = _parse(backup)
        except ValueError as err:
            aside = self._set_aside(self.backup_path)
            self._stamp = None
            recovered = _salvage(raw, backup)  # the newer file first
            count = sum(len(table) for name, table in recovered.items() if not name.startswith("_"))
            if not count:
                return {}, [f"{problem}; its backup could not be read either ({err}) and was moved "
                            f"aside to {aside.name}. No {self.what} were loaded."]
            atomic_write(self.path, orjson.dumps(recovered))
            self._stamp = _stamp(self.path)
            return recovered, [f"{problem}; its backup could not be read either ({err}) and was moved "
                               f"aside to {aside.name}. {count} entries that could still be read from "
                               f"them were recovered; others may be missing."]
        saved = datetime.fromtimestamp(self.backup_path.stat().st_mtime, UTC)
        atomic_write(self.path, backup)
        self._stamp = _stamp(self.path)
        return data, [f"{problem}; the backup saved {saved:%Y-%m-%d %H:%M} UTC was loaded "
                      f"instead. Changes made after it may be missing."]

    def save(self, data: dict[str, Any]) -> bytes:
        """Back up the current file, then write `data` atomically (call with the lock held).

        The file must not have changed since it was loaded here: reload first.
        Returns the bytes written.
        """
        if self.changed():
            raise RuntimeError(f"{self.path} changed since it was read; reload before saving")
        payload = orjson.dumps(data)
        if self._stamp is not None:
            self._back_up()
        atomic_write(self.path, payload)
        self._stamp = _stamp(self.path)
        return payload

    def _back_up(self) -> None:
        temp = self.backup_path.with_name(f".{self.backup_path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            os.link(self.path, temp)
            os.replace(temp, self.backup_path)  # made durable by the fsync of the folder that follows
        except OSError:
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass
            atomic_write(self.backup_path, self.path.read_bytes())

    def _set_aside(self, path: Path) -> Path:
        """Rename an unreadable file to NAME.corrupt-<UTC time>; never over another file."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        os.rename(path, target)
        fsync_folder(path.parent)
        return target

    def _remove_temp_files(self) -> None:
        """Temp files left by a writer that was killed (the lock says none is writing)."""
        try:
            leftovers = list(self.path.parent.glob(f".{self.path.name}.*.tmp"))
        except OSError:
            return
        for temp in leftovers:
            try:
                temp.unlink()
            except OSError:
                pass


def _stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _utf8(raw: bytes) -> bytes:
    """The file as UTF-8 without a byte-order mark (some editors save UTF-16, or add a BOM)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16").encode("utf-8", "surrogatepass")
        except UnicodeError as err:
            raise ValueError(f"not valid UTF-16: {err}") from None
    if len(raw) >= 4 and raw[0] != 0 and raw[1] == 0 and raw[3] == 0:  # UTF-16 LE without a BOM
        try:
            return raw.decode("utf-16-le").encode("utf-8", "surrogatepass")
        except UnicodeError:
            pass
    return raw


_DOC_START = lazy_pattern(r'"(\d{1,18})"\s*:\s*(?=\{)')
_TABLE_START = lazy_pattern(r'"((?:[^"\\]|\\.){1,200})"\s*:\s*\{\s*(?="\d)')


def _salvage(*raws: bytes | None) -> dict[str, Any]:
    """Every document that can still be read from damaged files, the first file's first.

    A tolerant reader: each `"N": {...}` that parses as JSON on its own is
    kept, under the table named last before it.
    """
    tables: dict[str, dict[str, Any]] = {}
    decoder = json.JSONDecoder()
    for raw in raws:
        if not raw:
            continue
        try:
            text = _utf8(raw).decode("utf-8", "replace")
        except ValueError:
            text = raw.decode("utf-8", "replace")
        heads = [(m.start(), m.group(1)) for m in _TABLE_START.finditer(text)]
        head_index = 0
        table = "_default"
        position = 0
        while True:
            match = _DOC_START.search(text, position)
            if match is None:
                break
            while head_index < len(heads) and heads[head_index][0] < match.start():
                table = heads[head_index][1]
                head_index += 1
            try:
                doc, end = decoder.raw_decode(text, match.end())
            except ValueError:
                position = match.end()
                continue
            if isinstance(doc, dict):
                docs = tables.setdefault(table, {})
                key = match.group(1)
                held = docs.get(key)
                if held is not None and held.get("id", key) != doc.get("id", key):  # another entry: a new key
                    key = str(max((int(k) for k in docs), default=0) + 1)
                    held = None
                if held is None and doc not in docs.values():
                    docs[key] = doc
            position = end
    return tables


def _parse(raw: bytes) -> dict[str, Any]:
    """The tables of a TinyDB file; ValueError when it is not one."""
    raw = _utf8(raw)
    if not raw.strip():
        raise ValueError("the file is empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise ValueError(f"not valid JSON: {err}") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            raise ValueError(f"table '{name}' is not an object of objects")
    return data
