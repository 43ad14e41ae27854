"""The query language, parsed into a small tree. Never raises.

    words ANDed           police clearview
    OR                    rcmp OR opp
    exclusion             -trial
    exact phrase          "facial recognition"
    prefix                recogn*
    grouping              (rcmp OR opp) trial
    field filters         type:event  tag:police  title:word  links:NOTE
    dates                 date:2020-02  date:2020  date:2020-01..2020-03  date:2020..

Whatever the reader types is read leniently: an unknown field, an empty value
or a stray quote, dash or parenthesis becomes plain words or is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Union

from viewer.core.dates import parse_query_range

MAX_QUERY_CHARS = 2000
MAX_LEAVES = 64
FILTER_FIELDS = ("type", "tag", "links", "date")
TEXT_FIELD_PREFIXES = ("title",)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass
class Text:
    """Words to find: a word, a phrase or a prefix, in every text field or one."""

    text: str
    kind: str = "word"  # "word", "phrase" or "prefix"
    field: str | None = None  # None: title, aliases and body
    span: tuple[int, int] = (0, 0)  # where it sits in the query
    corrected: str | None = None  # set by typo tolerance


@dataclass
class Filter:
    """A metadata condition: type, tag, links or date."""

    field: str
    value: str
    span: tuple[int, int] = (0, 0)


@dataclass
class Not:
    child: Node


@dataclass
class Or:
    children: list[Node] = field(default_factory=list)


@dataclass
class And:
    children: list[Node] = field(default_factory=list)


Node = Union[Text, Filter, Not, Or, And]


@dataclass
class _Token:
    kind: str  # "(", ")", "OR", "-", "item"
    start: int
    end: int
    text: str = ""
    quoted: bool = False
    field: str | None = None


def clean(query: str) -> str:
    """The query with control characters made spaces, cut to a sane length."""
    return _CONTROL.sub(" ", query[:MAX_QUERY_CHARS])


def parse(query: str) -> And:
    """Parse a query; the result is an And of the top-level clauses."""
    tokens = _lex(clean(query))
    parser = _Parser(tokens)
    tree = parser.parse_and(top=True)
    _cap(tree, [MAX_LEAVES])
    return tree


def parse_plain(query: str) -> And:
    """The fallback: every word of the query, ANDed, no operators."""
    text = clean(query)
    return And([Text(m.group(), span=m.span()) for m in re.finditer(r"\w+", text)][:MAX_LEAVES])


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(ch, i, i + 1))
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append(_Token("item", i, min(end + 1, n), text[i + 1:end], quoted=True))
            i = end + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            chunk = text[i:j]
            i = _lex_chunk(text, chunk, i, j, tokens)
    return tokens


def _lex_chunk(text: str, chunk: str, start: int, end: int, tokens: list[_Token]) -> int:
    """Lex one bare chunk; return where lexing goes on."""
    if chunk in ("OR", "|", "||"):
        tokens.append(_Token("OR", start, end))
        return end
    if chunk in ("AND", "&&"):
        return end
    if chunk == "NOT":
        tokens.append(_Token("-", start, end))
        return end
    if chunk.startswith("-"):
        rest = chunk.lstrip("-")
        if rest or (end < len(text) and text[end] in '"('):  # -word, -"phrase", -(group)
            tokens.append(_Token("-", start, start + 1))
        if not rest:
            return end  # a lone dash is dropped
        start += len(chunk) - len(rest)
        chunk = rest
    name, colon, value = chunk.partition(":")
    name = name.lower()
    if colon and name in FILTER_FIELDS + TEXT_FIELD_PREFIXES:
        if not value and end < len(text) and text[end] == '"':  # field:"quoted value"
            close = text.find('"', end + 1)
            close = len(text) if close < 0 else close
            tokens.append(_Token("item", start, min(close + 1, len(text)), text[end + 1:close],
                                 quoted=True, field=name))
            return close + 1
        if value:
            tokens.append(_Token("item", start, end, value, field=name))
            return end
    tokens.append(_Token("item", start, end, chunk))
    return end


class _Parser:
    """Recursive descent over the tokens: and := or+ ; or := unary (OR unary)*."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse_and(self, top: bool = False) -> And:
        children: list[Node] = []
        while (token := self.peek()) is not None:
            if token.kind == ")":
                if top:
                    self.pos += 1  # a stray ')' is dropped
                    continue
                break
            if token.kind == "OR":
                self.pos += 1  # an OR with nothing on its left
                continue
            node = self.parse_or()
            if node is not None:
                children.append(node)
        return And(children)

    def parse_or(self) -> Node | None:
        first = self.parse_unary()
        options = [first] if first is not None else []
        while (token := self.peek()) is not None and token.kind == "OR":
            self.pos += 1
            nxt = self.parse_unary()
            if nxt is not None:
                options.append(nxt)
        if not options:
            return None
        return options[0] if len(options) == 1 else Or(options)

    def parse_unary(self) -> Node | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "-":
            self.pos += 1
            child = self.parse_unary()
            return Not(child) if child is not None else None
        if token.kind == "(":
            self.pos += 1
            group = self.parse_and()
            if (close := self.peek()) is not None and close.kind == ")":
                self.pos += 1
            return _simplify(group)
        if token.kind in (")", "OR"):
            return None
        self.pos += 1
        return _item(token)


def _simplify(group: And) -> Node | None:
    if not group.children:
        return None
    return group.children[0] if len(group.children) == 1 else group


def _item(token: _Token) -> Node | None:
    span = (token.start, token.end)
    text = token.text.strip()
    if token.field in FILTER_FIELDS:
        if token.field == "date" and parse_query_range(text) is None:
            start = token.start + len("date:")  # not a date: plain words
            return And([Text("date", span=(token.start, start - 1)), Text(text, span=(start, token.end))])
        return Filter(token.field, text, span) if text else None
    if not text:
        return None
    if token.quoted:
        return Text(text, kind="phrase", field=token.field, span=span)
    if text.endswith("*") and text.rstrip("*"):
        return Text(text.rstrip("*"), kind="prefix", field=token.field, span=span)
    return Text(text.rstrip("*") or text, field=token.field, span=span)


def _cap(node: Node, budget: list[int]) -> None:
    """Drop leaves past the budget, so a huge query stays cheap."""
    if isinstance(node, (And, Or)):
        kept = []
        for child in node.children:
            if budget[0] <= 0:
                break
            _cap(child, budget)
            kept.append(child)
        node.children = kept
    elif isinstance(node, Not):
        _cap(node.child, budget)
    else:
        budget[0] -= 1
