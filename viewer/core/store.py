"""The derived note store: a TinyDB file rebuilt from the folder at will.

It is read once when a knowledge base opens, kept in memory, and written in
one atomic bulk write after a sync that changed something.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.middlewares import CachingMiddleware

from viewer.core.atomic import AtomicJSONStorage

log = logging.getLogger(__name__)
SCHEMA = 2  # 2: link contexts kept as written


class NoteStore:
    """Files (with their parsed notes) and resolved links, in one TinyDB file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warning: str | None = None

    def load(self, folder: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
        """Return (files by path, links); empty when missing, stale or corrupt."""
        try:
            db = TinyDB(self.path, storage=CachingMiddleware(AtomicJSONStorage))
            try:
                meta = db.table("meta").all()
                files = db.table("files").all()
                links = db.table("links").all()
            finally:
                db.close()
        except (ValueError, OSError, TypeError, KeyError) as err:
            self.warning = f"note store {self.path} could not be read ({err}); rebuilding it"
            log.warning(self.warning)
            return {}, []
        if not meta or meta[0].get("schema") != SCHEMA or meta[0].get("folder") != str(folder):
            return {}, []
        try:
            return {doc["path"]: dict(doc) for doc in files}, [dict(doc) for doc in links]
        except (KeyError, TypeError) as err:
            self.warning = f"note store {self.path} is damaged ({err}); rebuilding it"
            log.warning(self.warning)
            return {}, []

    def save(self, folder: Path, files: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
        """Replace the whole store in one atomic write."""
        storage = AtomicJSONStorage(self.path)
        storage.write({
            "meta": {"1": {"schema": SCHEMA, "folder": str(folder)}},
            "files": {str(i): doc for i, doc in enumerate(files, 1)},
            "links": {str(i): doc for i, doc in enumerate(links, 1)},
        })
