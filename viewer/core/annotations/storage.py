"""The annotations file as TinyDB sees it: a `Storage` over a `DataFile`, cached until flushed.

TinyDB reads and writes through these two seams, so every rule of the
reader's data (lock, backup, atomic write, unreadable file set aside) holds
for what TinyDB writes. The cache keeps the tables in memory between
changes; a change is written with one `flush`, whatever it touched.
"""

from __future__ import annotations

from typing import Any

from tinydb.middlewares import CachingMiddleware
from tinydb.storages import Storage

from viewer.core.annotations.datafile import DataFile


class DataFileStorage(Storage):
    """Reads with the data file's backup and set-aside rules; writes after a backup, atomically."""

    def __init__(self, data_file: DataFile) -> None:
        self.file = data_file
        self.warnings: list[str] = []

    def read(self) -> dict[str, Any]:
        data, warnings = self.file.load()
        self.warnings.extend(warnings)
        return data

    def write(self, data: dict[str, Any]) -> None:
        self.file.save(data)

    def take_warnings(self) -> list[str]:
        warnings, self.warnings = self.warnings, []
        return warnings


class WrittenOnFlush(CachingMiddleware):
    """TinyDB's caching middleware, written only by `flush` and read again by `reload`."""

    WRITE_CACHE_SIZE = 1 << 62

    def reload(self) -> None:
        """Forget the cached tables and read the file again."""
        self.cache = self.storage.read()
        self._cache_modified_count = 0
