"""An exclusive lock between processes, held on a sidecar `.lock` file.

The lock is advisory (fcntl.flock on POSIX, msvcrt.locking on Windows) and
the operating system releases it when its process dies, even by SIGKILL.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


class FileLock:
    """A re-entrant (within one object) exclusive lock: `with lock: ...`."""

    def __init__(self, path: Path, timeout: float = 15.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._fd: int | None = None
        self._depth = 0

    def __enter__(self) -> FileLock:
        if self._depth == 0:
            self._acquire()
        self._depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._release()

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        delay = 0.001
        while True:
            try:
                _try_lock(fd)
                break
            except OSError as err:
                if fcntl is not None and not isinstance(err, BlockingIOError):
                    os.close(fd)
                    raise
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise LockTimeout(f"{self.path} is held by another process") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.01)
        self._fd = fd

    def _release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)


def _try_lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
