"""Full-text search over a knowledge base: a tantivy index and a query language.

Its types are named here but imported when first asked for: opening a
knowledge base needs the index, not what a search returns.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.search.hits import Hit, SearchResult
    from viewer.core.search.index import SearchIndex, index_path

_HOME = {"Hit": "hits", "SearchResult": "hits", "SearchIndex": "index", "index_path": "index"}

__all__ = ["Hit", "SearchIndex", "SearchResult", "index_path"]


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'viewer.core.search' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"viewer.core.search.{home}"), name)
    globals()[name] = value
    return value
