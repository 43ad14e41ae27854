"""Full-text search over a knowledge base: a tantivy index and a query language."""

from viewer.core.search.hits import Hit, SearchResult
from viewer.core.search.index import SearchIndex, index_path

__all__ = ["Hit", "SearchIndex", "SearchResult", "index_path"]
