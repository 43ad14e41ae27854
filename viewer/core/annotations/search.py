"""Matching annotations against a typed query, ignoring case and accents.

A query is words and "quoted phrases"; an annotation matches when each one
occurs in its comment, its tags or its quote. `tag:NAME` (or `tag:"two
words"`) keeps only annotations carrying that tag.

Where notes and annotations are searched together (the window's search
panel, `kbviewer search`), `in:annotations` or `in:notes` in the query keeps
the search to one of them (`search_scope`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from viewer.core.annotations.model import Annotation

_TOKEN = re.compile(r'(tag:)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
_SCOPE = re.compile(r"(?<!\S)in:(annotations|notes)(?!\S)", re.IGNORECASE)
ANNOTATIONS, NOTES = "annotations", "notes"


def search_scope(query: str) -> tuple[str | None, str]:
    """The scope a query asks for, and the query without it.

    `in:annotations ...` gives ("annotations", "..."), `in:notes ...`
    ("notes", "..."), anything else (None, query). The last one written wins.
    """
    found = _SCOPE.findall(query or "")
    rest = " ".join(_SCOPE.sub(" ", query or "").split())
    return (found[-1].lower() if found else None), rest


def fold(text: str) -> str:
    """Lower case without accents: 'Québec' and 'QUEBEC' both give 'quebec'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Query:
    """A parsed query: folded terms that must all occur, folded tags that must all be present."""

    terms: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str, tags: tuple[str, ...] | list[str] = ()) -> Query:
        terms: list[str] = []
        wanted = [fold(tag.strip()) for tag in tags if tag.strip()]
        for match in _TOKEN.finditer(text or ""):
            value = fold(" ".join((match.group(2) if match.group(2) is not None else match.group(3)).split()))
            if not value:
                continue
            (wanted if match.group(1) else terms).append(value)
        return cls(tuple(terms), tuple(wanted))

    @property
    def empty(self) -> bool:
        return not self.terms and not self.tags


def haystack(annotation: Annotation) -> str:
    """The folded text a query's terms are looked for in."""
    return fold("\n".join((annotation.comment, "\n".join(annotation.tags), annotation.exact)))


def matches(query: Query, annotation: Annotation, folded: str) -> bool:
    if query.tags:
        own = {fold(tag) for tag in annotation.tags}
        if not all(tag in own for tag in query.tags):
            return False
    return all(term in folded for term in query.terms)
