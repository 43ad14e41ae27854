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


def correct(tree: Node, searcher: tantivy.Searcher, analysis: Analysis) -> list[Text]:
    """Set `corrected` on every wanted word that matches nothing; return those words."""
    corrected = []
    for leaf in _wanted_words(tree):
        terms = analysis.terms(leaf.text)
        if len(terms) != 1 or len(terms[0]) < MIN_CHARS or terms[0].isdigit():
            continue
        fields = (leaf.field,) if leaf.field else TEXT_FIELDS
        if any(searcher.doc_freq(field, terms[0]) for field in fields):
            continue
        nearest = nearest_term(searcher, fields, terms[0])
        if nearest is not None:
            leaf.corrected = nearest
            corrected.append(leaf)
    return corrected


def nearest_term(searcher: tantivy.Searcher, fields: tuple[str, ...], term: str) -> str | None:
    """The indexed term nearest to `term`, fewest edits first, then most frequent.

    Terms sharing the first letter are tried first; the whole dictionary only
    when none of those is near enough.
    """
    limit = max_distance(term)
    for prefix in (term[:1], ""):
        counts: dict[str, int] = {}
        for field in fields:
            for candidate, count in searcher.terms_with_prefix(field, prefix):
                counts[candidate] = counts.get(candidate, 0) + count
        if not counts:
            continue
        matches = process.extract(term, list(counts), scorer=OSA.distance, score_cutoff=limit, limit=None)
        if matches:
            best = min(matches, key=lambda m: (m[1], -counts[m[0]], m[0]))
            return best[0]
    return None


def _wanted_words(node: Node) -> Iterator[Text]:
    """Plain words the reader wants found (not excluded ones, not phrases or prefixes)."""
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from _wanted_words(child)
    elif isinstance(node, Text) and node.kind == "word":
        yield node
    elif isinstance(node, Not):
        return
