"""What a search hands back: ranked hits with snippets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One note that matched.

    `snippet` is HTML-safe: the text is escaped and the matched words are
    wrapped in `<b>`...`</b>`, nothing else.
    """

    note_id: str
    title: str
    type: str | None
    score: float
    snippet: str


class SearchResult(list):
    """The hits, best first, and what was searched for.

    Attributes:
        searched_for: the query as rewritten by typo tolerance, else None.
        total: how many notes match in all (counted on first use).
    """

    def __init__(self, hits: Iterable[Hit] = (), searched_for: str | None = None,
                 count: Callable[[], int] | int | None = None) -> None:
        super().__init__(hits)
        self.searched_for = searched_for
        self._count = count

    @property
    def total(self) -> int:
        if callable(self._count):
            try:
                self._count = max(int(self._count()), len(self))
            except (ValueError, OSError, RuntimeError):
                self._count = len(self)
        return len(self) if self._count is None else self._count

    def __repr__(self) -> str:
        return f"SearchResult({list.__repr__(self)}, searched_for={self.searched_for!r})"
