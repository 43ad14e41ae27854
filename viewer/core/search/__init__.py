"""Full-text search over a knowledge base: a tantivy index and a query language.

Its types are named here but imported when first asked for: opening a
knowledge base needs the index, not what a search returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.core.lazy import lazy_names

if TYPE_CHECKING:
    from viewer.core.search.hits import Hit, SearchResult
    from viewer.core.search.index import SearchIndex, index_path

_HOME = {"Hit": "hits", "SearchResult": "hits", "SearchIndex": "index", "index_path": "index"}

__all__ = ["Hit", "SearchIndex", "SearchResult", "index_path"]


__getattr__ = lazy_names(__name__, _HOME, globals())
