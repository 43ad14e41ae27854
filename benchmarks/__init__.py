"""Benchmarks: a deterministic corpus generator and the search benchmark against SQLite FTS5."""
