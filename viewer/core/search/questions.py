"""Best matches: a plain question searched as ranked words when too few notes hold them all.

`who runs clearview` has no note with all three words. Its question and stop
words are dropped, and each remaining word may match: a note scores its BM25
for each word it holds (title and alias matches weighted as usual) plus a
bonus of the word's rarity (its idf), so notes holding more of the words, and
rarer ones, come first.
"""

from __future__ import annotations

import math

import tantivy
from tantivy import Occur, Query

from viewer.core.search.compiler import Context, compile_query, stem_start
from viewer.core.search.query import And, Node, Or, Text
from viewer.core.search.schema import TEXT_FIELDS

FEW = 3  # fewer notes than this with every word: best matches are searched too

QUESTION_WORDS = frozenset("""
who whom whose what which when where why how whats whos
""".split())

# The types of note that answer a question word, and the bonus each gets.
ANSWER_TYPES = {"who": {"person": 6.0, "organisation": 3.0}, "whom": {"person": 6.0},
                "when": {"event": 4.0}}

STOP_WORDS = QUESTION_WORDS | frozenset("""
a an the and or but if then else so than that this these those there here
is are was were be been being am do does did doing done has have had having
i me my we us our you your he him his she her it its they them their
of to in on at by for from with about into onto over under after before
as up down out off again further once not no nor only own same too very
can could will would shall should may might must just also any some all
both each few more most other such tell know say said
""".split())


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


def best_match_query(words: list[Text], ctx: Context, asked: list[Text] = ()) -> tuple[tantivy.Query | None,
                                                                                       dict[str, float]]:
    """Any of the words may match; each adds its BM25 score and a bonus of its rarity.

    A question word among `asked` (`who`, `when`) adds a bonus to notes of
    the type that answers it. Also returns each word's weight by how it
    starts, for choosing passages.
    """
    total = max(ctx.searcher.num_docs, 1)
    clauses = []
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
    if not clauses:
        return None, weights
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
