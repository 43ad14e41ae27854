"""Best matches: a question, or plain words too few notes hold all of, searched as ranked words.

`what did the commissioners order`: its question and stop words are
dropped, and each remaining word may match: a note scores its BM25 for each
word it holds (title and alias matches weighted as usual) plus a bonus of the
word's rarity (its idf), and each pair of words it holds together adds both
bonuses again, so notes holding more of the words, and rarer ones, come
first. For `who`, the people linked from the answering sentences of the
first hits get a bonus too. A who-question about an organisation's leaders
(`who runs clearview`) is a role question: see roles.py.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import tantivy
from tantivy import Occur, Query

from viewer.core.search.compiler import Context, compile_query, stem_start
from viewer.core.search.hits import FEW  # noqa: F401 - fewer notes than this with every word: best matches too
from viewer.core.search.query import And, Node, Or, Text
from viewer.core.search.schema import TEXT_FIELDS

PERSON_QUESTIONS = ("who", "whom")
MAX_PAIRS = 6  # words paired for the bonus of holding two together
NAMED_BONUS = 6.0  # for a person linked from the answering sentence of a top hit

QUESTION_WORDS = frozenset([
    "who", "whom", "whose", "what", "which", "when", "where", "why", "how", "whats", "whos", "many",
    "much"
])

# The types of note that answer a question word, and the bonus each gets.
ANSWER_TYPES = {"who": {"person": 6.0, "organisation": 3.0}, "whom": {"person": 6.0},
                "when": {"event": 4.0}}

STOP_WORDS = QUESTION_WORDS | frozenset([
    "a", "an", "the", "and", "or", "but", "if", "then", "else", "so", "than", "that", "this", "these",
    "those", "there", "here", "is", "are", "was", "were", "be", "been", "being", "am", "do", "does",
    "did", "doing", "done", "has", "have", "had", "having", "i", "me", "my", "we", "us", "our", "you",
    "your", "he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "of", "to", "in",
    "on", "at", "by", "for", "from", "with", "about", "into", "onto", "over", "under", "after",
    "before", "as", "up", "down", "out", "off", "again", "further", "once", "not", "no", "nor", "only",
    "own", "same", "too", "very", "can", "could", "will", "would", "shall", "should", "may", "might",
    "must", "just", "also", "any", "some", "all", "both", "each", "few", "more", "most", "other",
    "such", "tell", "know", "say", "said"
])


# A question begins with a question word, or with one of these followed by two words or more.
ASKING = frozenset([
    "did", "does", "do", "is", "are", "was", "were", "has", "have", "had", "can", "could", "will",
    "would", "should"
])


def is_question(words: list[Text]) -> bool:
    """Whether plain words ask a question (`who runs clearview`, `did clearview comply`)."""
    first = words[0].text.casefold().replace("'", "").replace("\u2019", "") if words else ""
    return first in QUESTION_WORDS or (first in ASKING and len(words) > 2)


def plain_words(tree: And) -> list[Text] | None:
    """The words of a query made only of plain words (no operators, fields or phrases), else None."""
    words = []
    for child in tree.children:
        if not isinstance(child, Text) or child.kind != "word" or child.field is not None:
            return None
        words.append(child)
    return words or None


def content_words(words: list[Text]) -> list[Text]:
    """The words without stop and question words (each word once)."""
    kept: list[Text] = []
    seen: set[str] = set()
    for word in words:
        key = word.text.casefold().replace("'", "").replace("\u2019", "")
        if key in STOP_WORDS or key in seen:
            continue
        seen.add(key)
        kept.append(word)
    return kept


def best_match_query(words: list[Text], ctx: Context, asked: Sequence[Text] = ()) -> tuple[tantivy.Query | None,
                                                                                       dict[str, float]]:
    """Any of the words may match; each adds its BM25 score and a bonus of its rarity.

    A question word among `asked` (`who`, `when`) adds a bonus to notes of
    the type that answers it. Also returns each word's weight by how it
    starts, for choosing passages.
    """
    total = max(ctx.searcher.num_docs, 1)
    clauses = []
    held: list[tuple[tantivy.Query, float]] = []
    weights: dict[str, float] = {}
    for word in words:
        query = compile_query(word, ctx)
        if query is None:
            continue
        terms = [word.corrected] if word.corrected else ctx.analysis.terms(word.text)
        freq = max((ctx.searcher.doc_freq(field, term) for field in TEXT_FIELDS for term in terms), default=0)
        idf = math.log(1 + (total - freq + 0.5) / (freq + 0.5))
        for term in terms:
            weights[stem_start(term)] = max(weights.get(stem_start(term), 0.0), idf)
        clauses.append((Occur.Should, query))
        clauses.append((Occur.Should, Query.const_score_query(query, 2.0 * idf)))
        held.append((query, idf))
    if not clauses:
        return None, weights
    for i, (first, idf) in enumerate(held[:MAX_PAIRS]):  # two of the words held together: both bonuses again
        for second, other in held[i + 1:MAX_PAIRS]:
            both = Query.boolean_query([(Occur.Must, first), (Occur.Must, second)])
            clauses.append((Occur.Should, Query.const_score_query(both, idf + other)))
    query = Query.boolean_query(clauses)
    bonus = [(Occur.Should, Query.const_score_query(Query.term_query(ctx.schema, "type", kind), score))
             for word in asked for kind, score in ANSWER_TYPES.get(word.text.casefold(), {}).items()]
    if bonus:
        query = Query.boolean_query([(Occur.Must, query), *bonus])
    return query, weights


def wanted_leaves(node: Node) -> list[Text]:
    """The words, phrases and prefixes a query asks for (not excluded ones)."""
    if isinstance(node, (And, Or)):
        return [leaf for child in node.children for leaf in wanted_leaves(child)]
    if isinstance(node, Text) and node.field in (None, "body", "title"):
        return [node]
    return []  # excluded words, filters


_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")


def named_people(note_ids: Iterable[str], weights: dict[str, float], notes: Any) -> dict[str, float]:
    """The people linked from the sentence of each note that holds the most of the words.

    Each link counts the weight of the query word nearest to it, less with
    distance: in "published Hill's investigation of the company, which is run
    by its chief executive Ton-That", `run` names Ton-That more than Hill.
    """
    from viewer.core.search.passages import best_sentence, sentence_bounds

    named: dict[str, float] = {}
    for note_id in note_ids:
        note = notes.get(note_id)
        if note is None or not weights:
            continue
        at = best_sentence(note.body.lower(), weights)
        if at < 0:
            continue
        begin, end = sentence_bounds(note.body, at)
        sentence = note.body[begin:end]
        lowered = sentence.lower()
        found = [(at.start(), weight) for start, weight in weights.items()
                 for at in re.finditer(r"\b" + re.escape(start), lowered)]
        for match in _LINK.finditer(sentence):
            target = notes.resolve(match.group(1).partition("|")[0].split("#", 1)[0].strip())
            if target is None or target.type != "person" or target.id == note.id:
                continue
            vote = max((w / (1 + abs(match.start() - at) / 40) for at, w in found), default=0.0)
            named[target.id] = named.get(target.id, 0.0) + vote
    return named


def with_named_people(query: tantivy.Query, named: dict[str, float], schema: tantivy.Schema,
                      top: float = NAMED_BONUS) -> tantivy.Query:
    """The query with a bonus for each named note, the most named getting `top`."""
    most = max(named.values(), default=0.0)
    if most <= 0:
        return query
    bonus = [(Occur.Should, Query.const_score_query(Query.term_query(schema, "id", person), top * n / most))
             for person, n in sorted(named.items())]
    return Query.boolean_query([(Occur.Must, query), *bonus])
