"""Running a query on the search index: the query language, best matches for plain words and
questions, snippets.

Loaded with the first search (`SearchIndex.search`): the window's start needs none of it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import tantivy
from tantivy import Occur

from viewer.core.search.compiler import Context, compile_query
from viewer.core.search.hits import Hit, SearchResult
from viewer.core.search.passages import find_label, note_pattern
from viewer.core.search.query import And, Text, clean, parse, parse_plain
from viewer.core.search.questions import (
    FEW,
    PERSON_QUESTIONS,
    best_match_query,
    content_words,
    is_question,
    named_people,
    plain_words,
    wanted_leaves,
    with_named_people,
)
from viewer.core.search.roles import ROLE_BONUS, ROLE_WORDS, role_holders, role_question, role_spots
from viewer.core.search.snippets import SNIPPET_CHARS, PhraseMarks, Snippets, bold_words

if TYPE_CHECKING:
    from viewer.core.search.index import Notes, SearchIndex

log = logging.getLogger(__name__)
MAX_LIMIT = 1000
BEST_SNIPPET_CHARS = 240  # a question's snippet: room for its answering sentence


def search(index: SearchIndex, query: str, notes: Notes, limit: int, offset: int,
           correct_typos: bool) -> SearchResult:
    """Ranked hits for a query, from the `offset`-th best. Never raises for any query text."""
    generation, engine = index.version()
    text = clean(query)
    if engine is None or limit <= 0 or not text.strip():
        return SearchResult()
    searcher = engine.searcher()
    limit = min(limit, MAX_LIMIT, max(searcher.num_docs, 1))
    for parser in (parse, parse_plain):
        try:
            return _run(index, parser(text), text, searcher, notes, limit, max(0, offset), generation,
                        correct_typos)
        except RecursionError:  # brackets nested thousands deep: read as plain words
            continue
        except Exception as err:  # noqa: BLE001 - a query must never fail; fall back to plain words
            log.warning("search for %r failed (%s); searched as plain words", text[:80], err)
    return SearchResult()


def _run(index: SearchIndex, tree: And, text: str, searcher: tantivy.Searcher, notes: Notes, limit: int,
         offset: int, generation: int, correct_typos: bool) -> SearchResult:
    corrected: list[Text] = []
    if correct_typos:
        from viewer.core.search.typos import correct  # rapidfuzz is loaded on the first typo

        corrected = correct(tree, searcher, index.analysis, index.vocabulary(generation, searcher))
    ctx = Context(index.schema, searcher, index.analysis, lambda name: _linking(notes, name))
    query = compile_query(tree, ctx)
    leaves, weights = wanted_leaves(tree), None
    plain = plain_words(tree)
    if plain and content_words(plain):
        leaves = content_words(plain)  # `the` is not marked in the note
    best = _best_matches(index, tree, query, searcher, notes)
    marked, also = query, None
    if best is not None:
        query, marked, ctx, leaves, weights, also, every = best
    if query is None:
        return SearchResult(searched_for=_rewrite(text, corrected, {}) if corrected else None)
    found = searcher.search(query, limit, count=False, offset=offset)
    snippets = Snippets(searcher, marked, index.schema, ctx.starts,  # type: ignore[arg-type]  # set with query
                        index.link_text(notes, generation),
                        max_chars=BEST_SNIPPET_CHARS if best else SNIPPET_CHARS,
                        phrases=PhraseMarks.of_query(tree, index.analysis), weights=weights, also=also)
    hits = []
    for score, address in found.hits:
        note = notes.get(searcher.doc(address).get_first("id") or "")
        if note is None:
            continue  # the index is a moment behind the notes
        snippet, passage = snippets.for_hit(note.body, note.title)
        hits.append(Hit(note.id, note.title, note.type, float(score), snippet, passage))
    surfaces = _surfaces(index, corrected, hits) if corrected else {}
    searched_for = _rewrite(text, corrected, surfaces) if corrected else None
    count = lambda: searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]  # noqa: E731 (not in tantivy's stubs)
    extra = {"mode": "best", "best_for": find_label(leaves, surfaces), "with_every_word": every} if best else {}
    return SearchResult(hits, searched_for, count, pattern=note_pattern(leaves, index.analysis),
                        find_words=find_label(leaves, surfaces), **extra)


def _best_matches(index: SearchIndex, tree: And, query: tantivy.Query | None, searcher: tantivy.Searcher,
                  notes: Notes) -> Any:
    """The best-match query for plain words no note holds all of (for a question: fewer than FEW), else None."""
    words = plain_words(tree)
    if words is None:
        return None
    kept = content_words(words)
    if not kept:
        return None
    asked = is_question(words)  # a question is always answered with best matches
    every = (searcher.search(query, 1, count=True).count if asked else  # type: ignore[attr-defined]
             len(searcher.search(query, FEW, count=False).hits)) if query is not None else 0
    question = len(kept) < len(words)  # it has stop or question words
    if not asked and ((every >= FEW if question else every > 0) or (len(kept) == 1 and not question)):
        return None
    role = role_question(words, kept, notes)
    ctx = Context(index.schema, searcher, index.analysis, lambda name: _linking(notes, name))
    searched = [word for i, word in enumerate(kept) if i not in role.dropped] if role else kept
    best, weights = best_match_query(searched, ctx, words)
    if best is None:
        return None
    marked, also = best, None
    if role is not None:  # the organisation, and the people a note says hold a role in it
        holders = role_holders(role.organisation, notes)
        first = searcher.search(best, 1).hits
        bonus = max(ROLE_BONUS, first[0][0] if first else 0.0)  # as much as the best note scores
        best = with_named_people(best, {role.organisation: 1.0}, index.schema, bonus)
        best = with_named_people(best, holders, index.schema, bonus)
        named = {role.organisation, *holders}
        also = (lambda body: role_spots(body, notes, named), sum(weights.values()) * 1.5)  # the role's sentence
        marked = tantivy.Query.boolean_query([(Occur.Should, best), *(
            (Occur.Should, tantivy.Query.term_query(index.schema, "body", t)) for t in index.analysis.terms(ROLE_WORDS))])
    elif any(word.text.casefold() in PERSON_QUESTIONS for word in words):
        top = [searcher.doc(address).get_first("id") or "" for _, address in searcher.search(best, 5).hits]
        best = with_named_people(best, named_people(top, weights, notes), index.schema)
        marked = best
    return best, marked, ctx, kept, weights, also, every


def _surfaces(index: SearchIndex, corrected: list[Text], hits: list[Hit]) -> dict[str, str]:
    """A readable word for each corrected (stemmed) term, taken from the snippets."""
    surfaces: dict[str, str] = {}
    wanted = {leaf.corrected for leaf in corrected}
    for hit in hits:
        for word in bold_words(hit.snippet):
            terms = index.analysis.terms(word)
            if len(terms) == 1 and terms[0] in wanted and terms[0] not in surfaces:
                surfaces[terms[0]] = word.lower()
    return surfaces


def _linking(notes: Notes, name: str) -> set[str] | None:
    target = notes.resolve(name)
    if target is None:
        return None
    return notes.backlink_sources(target.id)


def _rewrite(text: str, corrected: list[Text], surfaces: dict[str, str]) -> str:
    """The query with each corrected word replaced by what was searched for."""
    out = text
    for leaf in sorted(corrected, key=lambda leaf: leaf.span[0], reverse=True):
        start, end = leaf.span
        segment = out[start:end]
        at = segment.lower().rfind(leaf.text.lower())
        if at < 0:
            continue
        word = surfaces.get(leaf.corrected or "", leaf.corrected or leaf.text)
        out = out[:start] + segment[:at] + word + segment[at + len(leaf.text):] + out[end:]
    return out
