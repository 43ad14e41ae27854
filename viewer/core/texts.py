"""The store's texts file: note bodies and link sentences, read by offset, written by appending.

A sync appends the texts of new and changed notes at the end of the file the
store names; the store records how long the file was at its commit, so bytes
beyond that (a sync killed before its commit) are never read. When most of
the file is texts no note uses any more, the live texts are copied to a new
file (compaction), written under a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO

from viewer.core.atomic import fsync_folder

try:
    import fcntl
except ImportError:  # Windows: appends are not locked against another process
    fcntl = None  # type: ignore[assignment]


READ_AHEAD = 256 * 1024  # bytes read at once when a short text is asked for


class Texts:
    """A texts file, read by offset (positional reads, thread-safe).

    Not memory-mapped: reading every body through a mapping would count the
    whole file in the process's resident memory. The file only grows (a sync
    appends), so it is read as it is now, not as it was when opened.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = open(path, "rb")  # noqa: SIM115 - kept open while notes may be read
        self._lock = threading.Lock()  # for seek and read where there is no pread
        self._window: tuple[int, bytes] = (0, b"")  # (offset, bytes) read ahead

    def __len__(self) -> int:
        return os.fstat(self._file.fileno()).st_size

    def __del__(self) -> None:
        file = getattr(self, "_file", None)
        if file is not None:
            file.close()

    def raw(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset`, from a window read ahead when they are short.

        A read releases the interpreter lock, and a thread that reads note after
        note would take it back each time before a waiting thread (the window's)
        gets it; reading ahead makes one read of many notes. Bytes once written
        never change (a sync appends after them), so a window is never stale.
        """
        if length > READ_AHEAD // 4:
            return self._read(offset, length)
        start, data = self._window
        if start <= offset and offset + length <= start + len(data):
            return data[offset - start:offset - start + length]
        data = self._read(offset, READ_AHEAD)
        self._window = (offset, data)  # one tuple, swapped whole: safe to read from another thread
        return data[:length]

    def _read(self, offset: int, length: int) -> bytes:
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), length, offset)
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)

    def read(self, offset: int, length: int) -> str:
        return self.raw(offset, length).decode("utf-8", errors="replace")


class TextsWriter:
    """Appends chunks to a texts file: an existing one (`reader`), or a new one named `stem.texts-<token>`.

    The file is opened at the first chunk; an existing one stays locked
    against other processes' appends until `finish`. `reader` reads what was
    written once `finish` returned.
    """

    def __init__(self, folder: Path, stem: str, reader: Texts | None = None, length: int = 0) -> None:
        self.appending = reader is not None
        self.path = reader.path if reader is not None else folder / f"{stem}.texts-{os.urandom(6).hex()}"
        self.reader = reader
        self.offset = length  # the end of the texts written so far
        self._out: IO[bytes] | None = None
        self._temp: Path | None = None

    @property
    def name(self) -> str:
        return self.path.name

    def _open(self) -> IO[bytes]:
        if self.appending:
            out = open(self.path, "ab", buffering=1 << 20)  # noqa: SIM115 - FileNotFoundError when gone
            if fcntl is not None:
                fcntl.flock(out.fileno(), fcntl.LOCK_EX)
            self.offset = os.fstat(out.fileno()).st_size  # past any bytes a killed sync left
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # loaded with the first write

            fd, temp = tempfile.mkstemp(prefix=f".{self.name}.", suffix=".tmp", dir=self.path.parent)
            out = os.fdopen(fd, "wb", buffering=1 << 20)
            self._temp = Path(temp)
            self.reader = Texts(self._temp)  # the same file once renamed
            self.offset = 0
        self._out = out
        return out

    def append(self, chunk: bytes) -> int:
        """Write `chunk`; returns its offset."""
        out = self._out or self._open()
        offset = self.offset
        out.write(chunk)
        self.offset += len(chunk)
        return offset

    def finish(self) -> Texts:
        """Flush and fsync (and rename a new file into place); the reader of the file."""
        out = self._out or (None if self.appending else self._open())
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
            out.close()  # releases the lock
            self._out = None
        if self._temp is not None:
            os.replace(self._temp, self.path)
            self._temp = None
            fsync_folder(self.path.parent)
        assert self.reader is not None
        self.reader.path = self.path
        return self.reader

    def abandon(self) -> None:
        """Close without finishing: a new file is deleted; appended bytes stay, unnamed by any store."""
        if self._out is not None:
            self._out.close()
            self._out = None
        if self._temp is not None:
            self._temp.unlink(missing_ok=True)
            self._temp = None
