"""Turning a parsed query into a tantivy query.

Text is matched in the title, the aliases and the body, with title and alias
matches weighted above body ones. Filters (type, tag, links, date) narrow the
hits without changing their scores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tantivy
from tantivy import Occur, Query

from viewer.core.dates import parse_query_range
from viewer.core.search.query import And, Filter, Node, Not, Or, Text
from viewer.core.search.schema import TEXT_FIELDS, Analysis

FIELD_BOOSTS = {"title": 3.0, "aliases": 2.5, "body": 1.0}
MAX_PREFIX_TERMS = 50


@dataclass
class Context:
    """What compiling needs besides the query.

    Attributes:
        linking: the ids of the notes linking to a named note, None when the
            name matches no note.
        starts: filled in while compiling: how the wanted words start, for
            finding them quickly in a note (see snippets.locator).
    """

    schema: tantivy.Schema
    searcher: tantivy.Searcher
    analysis: Analysis
    linking: Callable[[str], set[str] | None]
    starts: list[str] = field(default_factory=list)

    def excluding(self, node: Node) -> Query | None:
        """Compile an excluded part: its words are not wanted in snippets."""
        kept = len(self.starts)
        query = compile_query(node, self)
        del self.starts[kept:]
        return query


def stem_start(term: str) -> str:
    """How words indexed as `term` start: a stem's last letter may differ (`privaci`)."""
    return term[:-1] if len(term) > 4 else term


def compile_query(node: Node, ctx: Context) -> Query | None:
    """The tantivy query for a tree, or None when it asks for nothing."""
    if isinstance(node, And):
        return _and(node.children, ctx)
    if isinstance(node, Or):
        options = [q for q in (compile_query(child, ctx) for child in node.children) if q is not None]
        if not options:
            return None
        return options[0] if len(options) == 1 else Query.boolean_query([(Occur.Should, q) for q in options])
    if isinstance(node, Not):
        excluded = ctx.excluding(node.child)
        if excluded is None:
            return None
        return Query.all_query().and_must_not_match(excluded)
    if isinstance(node, Text):
        return _text(node, ctx)
    if isinstance(node, Filter):
        return _filter(node, ctx)
    return None


def _and(children: list[Node], ctx: Context) -> Query | None:
    must: list[Query] = []
    must_not: list[Query] = []
    for child in children:
        if isinstance(child, Not):
            query = ctx.excluding(child.child)
            if query is not None:
                must_not.append(query)
        else:
            query = compile_query(child, ctx)
            if query is not None:
                must.append(query)
    if not must and not must_not:
        return None
    if len(must) == 1 and not must_not:
        return must[0]  # a lone clause keeps its own, faster, scorer
    if not must:
        must.append(Query.all_query())
    clauses = [(Occur.Must, q) for q in must] + [(Occur.MustNot, q) for q in must_not]
    return Query.boolean_query(clauses)


def _text(node: Text, ctx: Context) -> Query | None:
    fields = (node.field,) if node.field else TEXT_FIELDS
    if node.kind == "prefix":
        return _prefix(node.text, fields, ctx)
    terms = [node.corrected] if node.corrected else ctx.analysis.terms(node.text)
    if not terms:
        return None
    ctx.starts.extend(stem_start(term) for term in terms)
    if len(terms) == 1:
        parts = [Query.term_query(ctx.schema, field, terms[0]) for field in fields]
    else:
        parts = [Query.phrase_query(ctx.schema, field, terms) for field in fields]
    return _any_field(parts, fields)


def _prefix(text: str, fields: tuple[str, ...], ctx: Context) -> Query | None:
    """Words starting with `text`: the indexed terms with that prefix, plus its own stem.

    The stem makes `police*` find `police` (indexed as `polic`) without
    every word that starts with `polic`.
    """
    words = ctx.analysis.words(text)
    if not words:
        return None
    head, last = words[:-1], words[-1]
    ctx.starts.extend([*(stem_start(t) for word in head for t in ctx.analysis.terms(word)), last])
    if head:  # `e-ma*`: a phrase whose last word is a prefix
        stems = [t for word in head for t in ctx.analysis.terms(word)]
        parts = [Query.phrase_prefix_query(ctx.schema, field, [*stems, last]) for field in fields]
        return _any_field(parts, fields)
    stem = ctx.analysis.terms(last)
    parts = []
    for name in fields:
        terms = {term for term, _ in ctx.searcher.terms_with_prefix(name, last, limit=MAX_PREFIX_TERMS)}
        if stem and stem[0] not in terms and ctx.searcher.doc_freq(name, stem[0]):
            terms.add(stem[0])
        if terms:
            parts.append(Query.boolean_query(
                [(Occur.Should, Query.term_query(ctx.schema, name, term)) for term in sorted(terms)]))
        else:
            parts.append(None)
    return _any_field(parts, fields)


def _any_field(parts: list[Query | None], fields: tuple[str, ...]) -> Query | None:
    boosted = [(Occur.Should, _boost(q, field)) for q, field in zip(parts, fields) if q is not None]
    if not boosted:
        return Query.empty_query()
    return boosted[0][1] if len(boosted) == 1 else Query.boolean_query(boosted)


def _boost(query: Query, field: str) -> Query:
    boost = FIELD_BOOSTS.get(field, 1.0)
    return query if boost == 1.0 else Query.boost_query(query, boost)


def _filter(node: Filter, ctx: Context) -> Query:
    schema = ctx.schema
    if node.field == "type":
        query = Query.term_query(schema, "type", node.value.casefold())
    elif node.field == "tag":
        query = Query.term_query(schema, "tag", node.value.lstrip("#").casefold())
    elif node.field == "links":
        ids = ctx.linking(node.value)
        query = Query.term_set_query(schema, "id", sorted(ids)) if ids else Query.empty_query()
    else:
        query = _date(node.value, schema)
    return Query.const_score_query(query, 0.0)


def _date(value: str, schema: tantivy.Schema) -> Query:
    """Notes whose date overlaps the asked one: `2020-02` covers every day of that month."""
    bounds = parse_query_range(value)
    if bounds is None:
        return Query.empty_query()
    low, high = bounds
    parts = []
    if high is not None:
        parts.append(Query.range_query(schema, "date_start", tantivy.FieldType.Integer, None, high))
    if low is not None:
        parts.append(Query.range_query(schema, "date_end", tantivy.FieldType.Integer, low, None))
    if len(parts) == 1:
        return parts[0]
    return Query.boolean_query([(Occur.Must, q) for q in parts])
