"""What a search hands back: ranked hits with snippets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

FEW = 3  # fewer notes than this with every word are "only" a few: best matches are searched too


@dataclass(frozen=True)
class Hit:
    """One note that matched.

    `snippet` is HTML-safe: the text is escaped and the matched words are
    wrapped in `<b>`...`</b>`, nothing else. `passage` is the plain text of
    the sentence the snippet comes from ('' when no word is in the body), to
    find in the rendered note; it is worked out when first asked for.
    """

    note_id: str
    title: str
    type: str | None
    score: float
    snippet: str
    _passage: str | Callable[[], str] = field(default="", repr=False, compare=False)

    @property
    def passage(self) -> str:
        if callable(self._passage):
            object.__setattr__(self, "_passage", self._passage())
        return str(self._passage)


class SearchResult(list):
    """The hits, best first, and what was searched for.

    Attributes:
        searched_for: the query as rewritten by typo tolerance, else None.
        total: how many notes match in all (counted on first use).
        mode: "all" (every word, or the query as written) or "best" (best
            matches: a plain question that too few notes hold all of).
        best_for: in "best" mode, the words searched for (stop words dropped).
        with_every_word: in "best" mode, how many notes hold every word.
        pattern: a regular expression for the matched words and phrases in a
            note ('' for none), for marking them where the note is shown.
        find_words: those words as typed in a find bar.
    """

    def __init__(self, hits: Iterable[Hit] = (), searched_for: str | None = None,
                 count: Callable[[], int] | int | None = None, mode: str = "all",
                 best_for: str = "", with_every_word: int = 0, pattern: str = "",
                 find_words: str = "") -> None:
        super().__init__(hits)
        self.searched_for = searched_for
        self._count = count
        self.mode = mode
        self.best_for = best_for
        self.with_every_word = with_every_word
        self.pattern = pattern
        self.find_words = find_words

    @property
    def notice(self) -> str:
        """What the reader is told about best matches ('' in "all" mode)."""
        if self.mode != "best":
            return ""
        if not self.with_every_word:
            return f"No note has every word; best matches for “{self.best_for}”"
        some = "1 note has" if self.with_every_word == 1 else f"{self.with_every_word} notes have"
        only = "Only " if self.with_every_word < FEW else ""
        return f"{only}{some} every word; best matches for “{self.best_for}”"

    @property
    def total(self) -> int:
        if callable(self._count):
            try:
                self._count = max(int(self._count()), len(self))
            except (ValueError, OSError, RuntimeError):
                self._count = len(self)
        return len(self) if self._count is None else self._count

    def __repr__(self) -> str:
        return f"SearchResult({list.__repr__(self)}, searched_for={self.searched_for!r}, mode={self.mode!r})"
