"""Reading a regular file that may have been swapped for something else: a link, a pipe, a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def read_regular(path: Path | str, max_bytes: int, inside: Path | str | None = None) -> bytes | None:
    """The bytes of the regular file at `path`, or None: not a regular file once open (a link is not
    followed, a pipe never waited on), over `max_bytes`, or unreadable.

    `inside`: a folder (its real path) the file opened must be in. `path` was checked to be in it,
    but a folder on the way may have been swapped for a link since: the file opened must be the
    one its real path names now, and that path inside the folder.
    """
    fd = open_regular(path)
    if fd is None:
        return None
    try:
        info = os.fstat(fd)  # what was opened, not what was checked before: it may have been swapped
        if info.st_size > max_bytes:
            return None
        if inside is not None and not _opened_inside(path, info, inside):
            return None
        chunks: list[bytes] = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, 1024 * 1024)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks) if size <= max_bytes else None  # it grew while it was read
    except OSError:
        return None
    finally:
        os.close(fd)


def open_regular(path: Path | str) -> int | None:
    """A descriptor of the regular file at `path` (the caller closes it), or None: not a regular file
    once open (a link is not followed, a pipe never waited on), or unreadable."""
    try:
        fd = os.open(path, _FLAGS)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _opened_inside(path: Path | str, opened: os.stat_result, folder: Path | str) -> bool:
    real = os.path.realpath(path)
    if os.path.commonpath([os.fspath(folder), real]) != os.fspath(folder):
        return False
    now = os.stat(real)
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)
