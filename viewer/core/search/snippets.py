"""Snippets: the passage of a note around its best match, matched words in bold.

Stemming every word of every hit is the costly part of a snippet, so a quick
pattern first finds where a match probably is (a word starting like one of
the query's terms), and only a window of text around it is analysed. When
the pattern misses (accents, say), the whole note is analysed.

A phrase's words are marked only where the whole phrase stands: tantivy marks
every occurrence of every query term, so `PhraseMarks` takes the marks off a
phrase's word standing alone (see PhraseMarks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

import tantivy

from viewer.core.plain import TitleOf, body_words
from viewer.core.search.passages import best_sentence, reader_text, sentence_bounds, title_weights
from viewer.core.search.query import And, Node, Or, Text
from viewer.core.search.schema import Analysis

SNIPPET_CHARS = 160
WINDOW_BEFORE = 50
WINDOW_CHARS = 270
MAX_STARTS = 24
_BOLD = re.compile(r"<b>(.*?)</b>")
_BOLD_SPAN = re.compile(r"<b>(.*?)</b>", re.S)
_BOLD_TAGS = re.compile(r"</?b>")



class Locator:
    """Finds where the query's words are likely to be in a note, with str.find."""

    def __init__(self, starts: Iterable[str]) -> None:
        self.starts = sorted({s for s in starts if s})[:MAX_STARTS]

    def __bool__(self) -> bool:
        return bool(self.starts)

    def best(self, text: str, begin: int = 0) -> int:
        """Where in `text` (lower-cased) most of the words sit close together, or -1.

        Each word's first occurrence is a candidate; the one with the most
        different words within a snippet's reach wins, the earliest on a tie.
        """
        found = sorted(at for at in (_word_at(text, start, begin) for start in self.starts) if at >= 0)
        if len(found) < 2:
            return found[0] if found else -1
        best, best_count = found[0], 0
        for at in found:
            begin, end = max(0, at - WINDOW_BEFORE), at + SNIPPET_CHARS
            count = sum(1 for start in self.starts if _word_at(text, start, begin, end) >= 0)
            if count > best_count:
                best, best_count = at, count
        return best


def _word_at(text: str, start: str, begin: int, end: int | None = None) -> int:
    """The first word of `text[begin:end]` beginning with `start`, or -1."""
    at = text.find(start, begin, end)
    while at > 0 and text[at - 1].isalnum():  # not at a word start
        at = text.find(start, at + 1, end)
    return at


class Snippets:
    """Snippets for the hits of one query."""

    def __init__(self, searcher: tantivy.Searcher, query: tantivy.Query, schema: tantivy.Schema,
                 starts: Iterable[str] = (), link_text: TitleOf | None = None,
                 max_chars: int = SNIPPET_CHARS, phrases: PhraseMarks | None = None,
                 weights: dict[str, float] | None = None,
                 also: tuple[Callable[[str], list[int]], float] | None = None) -> None:
        self.max_chars = max_chars
        self._weights = weights  # for a question: the sentence with the most of its words wins
        self._also = also  # places in a note that count too, and their weight (a role, for a role question)
        self.link_text = link_text
        self._phrases = phrases
        self._locator = Locator(starts)
        try:
            self._generator: tantivy.SnippetGenerator | None = tantivy.SnippetGenerator.create(
                searcher, query, schema, "body")
            self._generator.set_max_num_chars(max_chars)
        except (ValueError, RuntimeError):
            self._generator = None

    def for_note(self, body: str, title: str = "") -> str:
        """The snippet of a note's Markdown body, as safe HTML."""
        return self.for_hit(body, title)[0]

    def for_hit(self, body: str, title: str = "") -> tuple[str, Callable[[], str]]:
        """The snippet (safe HTML), and how to get the passage (plain text: the sentence it is in, or '')."""
        if self._generator is not None and self._locator:
            lowered = body.lower()  # same offsets, but for rare letters
            skip = _title_end(lowered, title)  # the passage lies below a heading repeating the title
            if self._weights:
                found, before = best_sentence(lowered, title_weights(self._weights, title), skip,
                                             (self._also[0](body), self._also[1]) if self._also else None), 0
            else:
                found, before = self._locator.best(lowered, skip), WINDOW_BEFORE
            if found >= 0:
                start, end = _window(body, found, before)
                start = max(start, skip)  # the title's heading is not shown again
                text = body_words(body[start:end], self.link_text, title if start == 0 else "")
                snippet = self._snippet(text, start > 0, end < len(body))
                if snippet is not None:
                    marked = "" if self._weights else snippet  # a question's passage is the sentence found
                    return snippet, lambda: self._passage(body, start, found, marked, title) or _unmarked(snippet)
        text = body_words(body, self.link_text, title)
        snippet = self._snippet(text, False, False)
        return (snippet, lambda: _unmarked(snippet)) if snippet else (self.lead(text), str)

    def _passage(self, body: str, start: int, at: int, snippet: str, title: str) -> str:
        """The sentence of the snippet's first marked word (else the one at `at`), as plain text."""
        marked = bold_words(snippet)
        if marked:
            first = _word_at(reader_text(body.lower()), marked[0].lower(), at)
            at = first if first >= 0 else at
        begin, stop = sentence_bounds(body, at)
        return body_words(body[begin:stop], self.link_text, title if begin == 0 else "")

    def _snippet(self, text: str, cut_before: bool, cut_after: bool) -> str | None:
        if self._generator is None or not text:
            return None
        snippet = self._generator.snippet_from_doc(tantivy.Document(body=text))
        if not snippet.highlighted():
            return None
        where = snippet.fragment_range()
        before = "…" if cut_before or where.start > 0 else ""
        after = "…" if cut_after or where.end < len(text.encode("utf-8")) else ""
        marked = snippet.to_html().strip()
        if self._phrases is not None:
            marked = self._phrases.apply(marked)
        return before + marked + after

    def lead(self, text: str) -> str:
        """The opening words of the note, when no match lies in the body."""
        if len(text) <= self.max_chars:
            return html.escape(text)
        cut = text.rfind(" ", 0, self.max_chars)
        return html.escape(text[:cut if cut > 0 else self.max_chars]) + "…"


class PhraseMarks:
    """Keeps a phrase's words marked only where the whole phrase occurs.

    A marked word whose term belongs only to the query's phrases loses its
    mark unless it sits in a run of marked words (nothing but spaces or
    punctuation between them) whose terms spell out one of the phrases; such
    a run becomes one mark, `<b>facial recognition</b>`.
    Words of the query's other parts keep their marks wherever they are, and
    a snippet left with no mark at all keeps tantivy's marks.
    """

    def __init__(self, analysis: Analysis, phrases: Iterable[list[str]], free_terms: Iterable[str] = (),
                 free_prefixes: Iterable[str] = ()) -> None:
        self.phrases = [list(p) for p in phrases if len(p) > 1]
        self.free_prefixes = tuple(p for p in free_prefixes if p)
        free = set(free_terms)
        self.phrase_only = {t for p in self.phrases for t in p} - free
        self.analysis = analysis

    def __bool__(self) -> bool:
        return bool(self.phrase_only)

    @classmethod
    def of_query(cls, tree: Node, analysis: Analysis) -> PhraseMarks | None:
        """The phrases of a parsed query (excluded parts left out), or None if it has none."""
        phrases: list[list[str]] = []
        free_terms: list[str] = []
        free_prefixes: list[str] = []

        def walk(node: Node) -> None:
            if isinstance(node, (And, Or)):
                for child in node.children:
                    walk(child)
            elif isinstance(node, Text) and node.field in (None, "body"):
                if node.kind == "prefix":
                    words = analysis.words(node.text)
                    if words:
                        free_terms.extend(t for word in words[:-1] for t in analysis.terms(word))
                        free_prefixes.append(words[-1])
                    return
                terms = [node.corrected] if node.corrected else analysis.terms(node.text)
                if len(terms) > 1:
                    phrases.append(terms)
                else:
                    free_terms.extend(terms)
            # Not: excluded words are not why a note matched; filters mark nothing

        walk(tree)
        marks = cls(analysis, phrases, free_terms, free_prefixes)
        return marks if marks else None

    def _free_prefix(self, text: str) -> bool:
        if not self.free_prefixes:
            return False
        return any(word.startswith(p) for word in self.analysis.words(text) for p in self.free_prefixes)

    def apply(self, snippet: str) -> str:
        """`snippet` (tantivy's HTML) with the marks of stray phrase words taken off."""
        spans = list(_BOLD_SPAN.finditer(snippet))
        if not spans:
            return snippet
        words = [html.unescape(span.group(1)) for span in spans]
        terms = [self.analysis.terms(word) for word in words]
        keep = [not any(t in self.phrase_only for t in ts) or self._free_prefix(word)
                for word, ts in zip(words, terms, strict=False)]
        joined: dict[int, int] = {}  # first mark of a whole phrase -> its last
        for run in self._runs(snippet, spans):
            flat = [(t, i) for i in run for t in terms[i]]
            for start in range(len(flat)):
                for phrase in self.phrases:
                    end = start + len(phrase)
                    if end <= len(flat) and [t for t, _ in flat[start:end]] == phrase:
                        for _, i in flat[start:end]:
                            keep[i] = True
                        first, last = flat[start][1], flat[end - 1][1]
                        if last > first and first not in joined and not any(a < first <= b for a, b in joined.items()):
                            joined[first] = last
        if not any(keep):
            return snippet  # never a hit without a mark
        out: list[str] = []
        at, i = 0, 0
        while i < len(spans):
            span = spans[i]
            out.append(snippet[at:span.start()])
            if i in joined:  # the whole phrase in one mark
                closing = spans[joined[i]]
                out.append("<b>" + _BOLD_TAGS.sub("", snippet[span.start():closing.end()]) + "</b>")
                at, i = closing.end(), joined[i] + 1
                continue
            out.append(span.group(0) if keep[i] else span.group(1))
            at, i = span.end(), i + 1
        out.append(snippet[at:])
        return "".join(out)

    @staticmethod
    def _runs(snippet: str, spans: list[re.Match[str]]) -> list[list[int]]:
        """The marks in runs: consecutive marks with only spaces or punctuation between them."""
        runs: list[list[int]] = [[0]]
        for i in range(1, len(spans)):
            gap = html.unescape(snippet[spans[i - 1].end():spans[i].start()])
            if any(ch.isalnum() for ch in gap):
                runs.append([i])
            else:
                runs[-1].append(i)
        return runs


def _window(body: str, at: int, before: int = WINDOW_BEFORE) -> tuple[int, int]:
    """About WINDOW_CHARS of `body` around `at`, cut at spaces, never inside a wikilink."""
    start = max(0, at - before)
    if start > 0 and before > 0:  # with nothing before, `at` begins a sentence already
        space = body.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else 0
        opened, closed = body.rfind("[[", 0, start), body.rfind("]]", 0, start)
        if opened > closed:
            start = opened
    end = min(len(body), start + WINDOW_CHARS)
    if end < len(body):
        space = body.find(" ", end)
        end = space if space >= 0 else len(body)
        opened, closed = body.rfind("[[", start, end), body.rfind("]]", start, end)
        if opened > closed:
            close = body.find("]]", end)
            end = close + 2 if close >= 0 else len(body)
    return start, end


def _title_end(lowered: str, title: str) -> int:
    """Where a first heading that repeats the title ends, else 0."""
    start = 0
    while start < len(lowered) and lowered[start].isspace():
        start += 1
    if not title or not lowered.startswith("# ", start):
        return 0
    end = lowered.find("\n", start)
    end = len(lowered) if end < 0 else end
    return end if lowered[start + 2:end].strip() == title.lower().strip() else 0


def _unmarked(snippet: str) -> str:
    """A snippet's plain text, without its marks and ellipses."""
    return html.unescape(_BOLD_TAGS.sub("", snippet)).strip("…").strip()


def bold_words(snippet: str) -> list[str]:
    """The words a snippet marks as matched, unescaped."""
    return [html.unescape(word) for word in _BOLD.findall(snippet)]
