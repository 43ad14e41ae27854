"""Typo tolerance: a word that matches nothing is replaced by its nearest indexed term."""

from __future__ import annotations

from collections.abc import Iterator

import tantivy
from rapidfuzz import process
from rapidfuzz.distance import OSA

from viewer.core.search.query import And, Node, Not, Or, Text
from viewer.core.search.schema import TEXT_FIELDS, Analysis

MIN_CHARS = 4  # shorter words are too ambiguous to correct


def max_distance(term: str) -> int:
    """Edits allowed: one for words of 4-5 letters, two from 6 on."""
    return 1 if len(term) < 6 else 2


class Vocabulary:
    """The terms of the text fields with their document counts, read once per index version.

    Terms made only of digits are left out: they are numbers, not misspellings.
    """

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self._searcher = searcher
        self._merged: dict[tuple[str, ...], tuple[dict[str, int], dict[str, list[str]]]] = {}

    def _terms(self, fields: tuple[str, ...]) -> tuple[dict[str, int], dict[str, list[str]]]:
        """(count by term, sorted terms by first letter) over some fields."""
        if fields not in self._merged:
            counts: dict[str, int] = {}
            for field in fields:
                for term, count in self._searcher.terms_with_prefix(field, ""):
                    if not term.isdigit():
                        counts[term] = counts.get(term, 0) + count
            letters: dict[str, list[str]] = {}
            for term in sorted(counts):
                letters.setdefault(term[:1], []).append(term)
            self._merged[fields] = (counts, letters)
        return self._merged[fields]

    def nearest(self, term: str, fields: tuple[str, ...]) -> str | None:
        """The term nearest to `term`: fewest edits, then most frequent.

        Terms sharing the first letter are tried first; all terms only when
        none of those is near enough.
        """
        limit = max_distance(term)
        counts, letters = self._terms(fields)
        for candidates in (letters.get(term[:1], []), list(counts)):
            matches = process.extract(term, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
            if matches:
                return min(matches, key=lambda m: (m[1], -counts[m[0]], m[0]))[0]
        return None


def correct(tree: Node, searcher: tantivy.Searcher, analysis: Analysis,
            vocabulary: Vocabulary) -> list[Text]:
    """Set `corrected` on every wanted word that matches nothing; return those words."""
    corrected = []
    for leaf in _wanted_words(tree):
        terms = analysis.terms(leaf.text)
        if len(terms) != 1 or len(terms[0]) < MIN_CHARS or terms[0].isdigit():
            continue
        if any(searcher.doc_freq(field, terms[0]) for field in TEXT_FIELDS):
            continue  # a word in the notes is never corrected, whatever field was asked
        fields = (leaf.field,) if leaf.field else TEXT_FIELDS
        nearest = vocabulary.nearest(terms[0], fields)
        if nearest is not None:
            leaf.corrected = nearest
            corrected.append(leaf)
    return corrected


def _wanted_words(node: Node) -> Iterator[Text]:
    """Plain words the reader wants found (not excluded ones, not phrases or prefixes)."""
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from _wanted_words(child)
    elif isinstance(node, Text) and node.kind == "word":
        yield node
    elif isinstance(node, Not):
        return
