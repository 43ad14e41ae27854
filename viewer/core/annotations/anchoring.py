"""Finding an annotation's passage again after its note's text has changed.

The method is the one Hypothesis's client uses (its `match-quote.js`): every
candidate place is scored by how similar its text is to the stored quote, how
similar the text before and after it is to the stored prefix and suffix, and
how close it is to the old position, with weights 50, 20, 20 and 2.

1. Exact occurrences of the quote are scored first. The best one wins at once
   when its context agrees (prefix or suffix similarity >= 0.7).
2. Otherwise approximate matches are searched too (rapidfuzz): windows of the
   quote's length across the text, the best few refined to the passage's
   likely edges, and all candidates compete on the same score.
3. A candidate is accepted only when its quote similarity is >= 0.75 and:
   for a quote shorter than 32 characters (a word or two, which recur by
   chance), its context agrees (>= 0.7); for a longer quote found changed
   (< 0.9), its prefix or suffix agrees at least a little (>= 0.5), since a
   sentence saying nearly the same may stand elsewhere in the note.
   Nothing acceptable: the annotation is an orphan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import NamedTuple

from viewer.core.annotations.model import ANCHORED, CONTEXT_CHARS, ORPHANED, Annotation

QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2
MIN_QUOTE_SIMILARITY = 0.75
MIN_CONTEXT_SIMILARITY = 0.7
CLOSE_QUOTE_SIMILARITY = 0.9  # a changed long quote this close needs no context
SOME_CONTEXT_SIMILARITY = 0.5  # else its prefix or suffix must agree this much
SHORT_QUOTE = 32  # shorter quotes need their context to agree
MAX_EXACT = 10_000  # exact occurrences scored at most
MAX_WINDOWS = 20_000  # coarse windows compared at most
CANDIDATES = 5  # approximate candidates refined
MAX_SLACK = 128  # how far an edge may move when refined


class Placement(NamedTuple):
    """Where a quote was found: offsets and the similarities (0..1) behind the score."""

    start: int
    end: int
    quote: float
    prefix: float
    suffix: float
    position: float

    @property
    def context(self) -> float:
        return max(self.prefix, self.suffix)

    @property
    def score(self) -> float:
        total = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
        return (QUOTE_WEIGHT * self.quote + PREFIX_WEIGHT * self.prefix
                + SUFFIX_WEIGHT * self.suffix + POSITION_WEIGHT * self.position) / total


Scorer = Callable[[int, int], Placement]  # (start, end) -> the passage there, scored


def selectors(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix) for text[start:end], with up to 32 characters of context."""
    return (text[start:end], text[max(0, start - CONTEXT_CHARS):start],
            text[end:end + CONTEXT_CHARS])


def find_quotes(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` occurs in `text`: exactly if it does, else ignoring
    differences of white space, else also of case."""
    quote = quote.strip()
    if not quote:
        return []
    found = list(_occurrences(text, quote))
    if found:
        return [(start, start + len(quote)) for start in found]
    pattern = r"\s+".join(re.escape(word) for word in quote.split())
    for flags in (0, re.IGNORECASE):
        found_spans = [m.span() for m in re.finditer(pattern, text, flags)]
        if found_spans:
            return found_spans
    return []


def find_quote(text: str, quote: str, near: int | None = None) -> tuple[int, int] | None:
    """The occurrence of `quote` nearest to offset `near` (the first without it).

    The window uses this to turn a selection into offsets in the plain text.
    """
    spans = find_quotes(text, quote)
    if not spans:
        return None
    if near is None:
        return spans[0]
    return min(spans, key=lambda span: abs(span[0] - near))


def place(text: str, exact: str, prefix: str = "", suffix: str = "", hint: int = 0) -> Placement | None:
    """The best acceptable place for a quote in `text`, or None (an orphan)."""
    if not exact or not text:
        return None
    exacts = [_placement(text, exact, prefix, suffix, hint, start, start + len(exact), 1.0)
              for start in _occurrences(text, exact, MAX_EXACT)]
    best = max(exacts, key=_rank, default=None)
    if best is not None and best.context >= MIN_CONTEXT_SIMILARITY:
        return best
    candidates = exacts + _approximate(text, exact, prefix, suffix, hint)
    accepted = [c for c in candidates if _acceptable(c, exact)]
    return max(accepted, key=_rank, default=None)


def reanchor(annotation: Annotation, text: str | None) -> Annotation:
    """The annotation placed in its note's current text (None: the note is gone).

    Found: selectors and offsets are updated to the passage as it now reads
    and the status is ANCHORED. Not found: the old selectors are kept and the
    status is ORPHANED. Returns the same object when nothing changed.
    """
    if text is None:
        return annotation if annotation.orphaned else replace(annotation, status=ORPHANED)
    a = annotation
    if (text[a.start:a.end] == a.exact and text[max(0, a.start - len(a.prefix)):a.start] == a.prefix
            and text[a.end:a.end + len(a.suffix)] == a.suffix):
        return a if a.status == ANCHORED else replace(a, status=ANCHORED)
    found = place(text, a.exact, a.prefix, a.suffix, a.start)
    if found is None:
        return a if a.orphaned else replace(a, status=ORPHANED)
    exact, prefix, suffix = selectors(text, found.start, found.end)
    return replace(a, exact=exact, prefix=prefix, suffix=suffix, start=found.start,
                   end=found.end, status=ANCHORED)


# -- scoring ------------------------------------------------------------------

def _rank(p: Placement) -> tuple[float, float]:
    return (p.score, p.quote)


def _acceptable(p: Placement, exact: str) -> bool:
    if p.quote < MIN_QUOTE_SIMILARITY:
        return False
    if len(exact) < SHORT_QUOTE:
        return p.context >= MIN_CONTEXT_SIMILARITY
    # a changed long quote with changed surroundings may be another passage saying the same
    return p.quote == 1.0 or p.quote >= CLOSE_QUOTE_SIMILARITY or p.context >= SOME_CONTEXT_SIMILARITY


def _similarity(a: str, b: str) -> float:
    from rapidfuzz.fuzz import ratio  # imported when needed: keeps the CLI start quick

    return ratio(a, b) / 100.0


def _context_similarity(expected: str, actual: str) -> float:
    if not expected:
        return 1.0 if not actual else 0.5  # empty: the passage began (or ended) the text
    return _similarity(expected, actual)


def _placement(text: str, exact: str, prefix: str, suffix: str, hint: int,
               start: int, end: int, quote: float | None = None) -> Placement:
    if quote is None:
        quote = _similarity(exact, text[start:end])
    before = text[max(0, start - len(prefix) if prefix else start - CONTEXT_CHARS):start]
    after = text[end:end + (len(suffix) if suffix else CONTEXT_CHARS)]
    position = 1.0 - min(1.0, abs(start - hint) / max(1, len(text)))
    return Placement(start, end, quote, _context_similarity(prefix, before),
                     _context_similarity(suffix, after), position)


def _occurrences(text: str, quote: str, limit: int = MAX_EXACT) -> Iterator[int]:
    start = text.find(quote)
    count = 0
    while start != -1 and count < limit:
        yield start
        count += 1
        start = text.find(quote, start + 1)


# -- approximate search -------------------------------------------------------

def _approximate(text: str, exact: str, prefix: str, suffix: str, hint: int) -> list[Placement]:
    """Scored approximate matches: coarse windows, the best few refined."""
    from rapidfuzz import fuzz, process

    n, length = len(text), len(exact)
    step = max(1, length // 4, n // MAX_WINDOWS)
    last = max(0, n - length)
    starts = list(range(0, last + 1, step))
    if starts[-1] != last:
        starts.append(last)
    windows = [text[s:s + length] for s in starts]
    cutoff = 100 * MIN_QUOTE_SIMILARITY - 25  # a coarse window may sit a little off the passage
    hits = process.extract(exact, windows, scorer=fuzz.ratio, limit=CANDIDATES * 8, score_cutoff=cutoff)
    chosen: list[int] = []
    for _, _, index in hits:  # best first; keep ones that are not the same passage
        if all(abs(starts[index] - starts[c]) > length // 2 for c in chosen):
            chosen.append(index)
        if len(chosen) == CANDIDATES:
            break
    score = _scorer(text, exact, prefix, suffix, hint)
    return [_refine(text, exact, starts[index], step, score) for index in chosen]


def _scorer(text: str, exact: str, prefix: str, suffix: str, hint: int) -> Scorer:
    def score(start: int, end: int) -> Placement:
        return _placement(text, exact, prefix, suffix, hint, start, end)
    return score


def _refine(text: str, exact: str, window_start: int, step: int, score: Scorer) -> Placement:
    """The passage near a coarse window: align the quote, then move each edge
    to where quote, prefix and suffix agree best with the text."""
    from rapidfuzz import fuzz

    length = len(exact)
    margin = length // 2 + step
    region_start = max(0, window_start - margin)
    region = text[region_start:window_start + length + margin]
    aligned = fuzz.partial_ratio_alignment(exact, region)
    if aligned is None:
        start, end = window_start, window_start + length
    else:
        start, end = region_start + aligned.dest_start, region_start + aligned.dest_end
    slack = max(4, min(length // 2, MAX_SLACK))
    best = score(start, end)
    for _ in range(2):  # each edge in turn, twice: the first pass may start far off
        for e in _around(end, slack, start + 1, len(text)):
            best = max(best, score(start, e), key=lambda p: p.score)
        end = best.end
        for s in _around(start, slack, 0, end - 1):
            best = max(best, score(s, end), key=lambda p: p.score)
        start = best.start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return score(start, end) if (start, end) != (best.start, best.end) else best


def _around(centre: int, slack: int, low: int, high: int) -> list[int]:
    """Offsets within `slack` of `centre` and inside [low, high], nearest first."""
    values = [v for v in range(centre - slack, centre + slack + 1) if low <= v <= high]
    return sorted(values, key=lambda v: abs(v - centre))
