"""Crash-safe file writes and the TinyDB storage built on them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a crash leaves the old file or the new one.

    Temp file in the same folder, flush, fsync, os.replace, fsync of the folder.
    """
    write_streamed(path, (data,))


def write_streamed(path: Path, chunks: Iterable[bytes]) -> None:
    """atomic_write for data made piece by piece, never held whole in memory."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # loaded with the first write (it loads shutil, random, bz2, lzma)

    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


class AtomicJSONStorage(Storage):
    """A TinyDB storage that reads and writes its whole file atomically.

    A file that is not valid JSON raises ValueError from read(): the caller
    decides whether to rebuild (derived data) or set the file aside (user data).
    """

    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not data.strip():
            return None
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError as err:
            raise ValueError(f"{self.path} is not valid JSON: {err}") from err
        if not isinstance(value, dict):
            raise ValueError(f"{self.path} does not hold a JSON object")
        return value

    def write(self, data: dict[str, Any]) -> None:
        atomic_write(self.path, orjson.dumps(data))

    def write_serialised(self, chunks: Iterable[bytes]) -> None:
        """Write a database already serialised piece by piece (a large one is never held whole)."""
        write_streamed(self.path, chunks)

    def close(self) -> None:
        pass
