"""The passage of a hit (the sentence that best matches) and the marks for its note.

A passage is found in the note's Markdown: the sentence (or line, for a
heading or a list item) around where the query's words sit. For a question
the sentence holding the most of its words, rarer words counting more, wins.
The marks are a regular expression for the matched words in the rendered
note: each word as its stem starts (`officers` marks `officer`), a phrase as
one run of words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from viewer.core.search.compiler import stem_start
from viewer.core.search.query import Text
from viewer.core.search.schema import Analysis

MAX_SENTENCE = 400  # characters looked at on each side of a match
MAX_OCCURRENCES = 30  # of each word, when looking for the best sentence
_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")


def sentence_bounds(body: str, at: int) -> tuple[int, int]:
    """The sentence or line of `body` holding position `at` (at most MAX_SENTENCE on each side)."""
    low, high = max(0, at - MAX_SENTENCE), min(len(body), at + MAX_SENTENCE)
    start, stop = low, high
    for end in _ENDS:
        found = body.rfind(end, low, at)
        if found >= 0:
            start = max(start, found + len(end))
        found = body.find(end, at, high)
        if found >= 0:
            stop = min(stop, found + 1)
    if start == low and low > 0:  # cut at a word, not inside one
        space = body.find(" ", low, at)
        start = space + 1 if space >= 0 else low
    if stop == high and high < len(body):
        space = body.rfind(" ", at, high)
        stop = space if space > at else high
    return start, stop


def best_sentence(lowered: str, weights: dict[str, float], begin: int = 0) -> int:
    """Where the sentence holding the most weight of distinct words begins, or -1.

    `lowered` is the note lower-cased; `weights` maps how each word starts to
    its weight. The earliest sentence wins a tie.
    """
    candidates: set[tuple[int, int]] = set()
    for start in weights:
        at, seen = lowered.find(start, begin), 0
        while at >= 0 and seen < MAX_OCCURRENCES:
            if at == 0 or not lowered[at - 1].isalnum():
                candidates.add(sentence_bounds(lowered, at))
                seen += 1
            at = lowered.find(start, at + 1)
    best, best_score = -1, 0.0
    for begin, end in sorted(candidates):
        score = sum(weight for start, weight in weights.items() if _has_word(lowered, start, begin, end))
        if score > best_score:
            best, best_score = begin, score
    return best


def _has_word(text: str, start: str, begin: int, end: int) -> bool:
    at = text.find(start, begin, end)
    while at > 0 and text[at - 1].isalnum():
        at = text.find(start, at + 1, end)
    return at >= 0


def note_pattern(leaves: Iterable[Text], analysis: Analysis) -> str:
    """A regular expression (Python and PCRE alike) for the words and phrases in a note."""
    parts: list[str] = []
    for leaf in leaves:
        words = analysis.words(leaf.text)
        if not words:
            continue
        if leaf.kind == "prefix":
            starts = [stem_start(t) for word in words[:-1] for t in analysis.terms(word)] + [words[-1]]
        elif leaf.corrected:
            starts = [stem_start(leaf.corrected)]
        else:
            starts = [stem_start(t) for t in analysis.terms(leaf.text)]
        if starts:
            parts.append(r"\W+".join(re.escape(s) + r"\w*" for s in starts))
    parts = sorted(set(parts), key=len, reverse=True)  # a phrase before its words
    return r"\b(?:" + "|".join(parts) + ")" if parts else ""


def find_label(leaves: Iterable[Text], surfaces: dict[str, str] | None = None) -> str:
    """The words as a reader would type them in a find bar: `runs clearview`, `"facial recognition"`."""
    out = []
    for leaf in leaves:
        text = (surfaces or {}).get(leaf.corrected or "", leaf.corrected) if leaf.corrected else leaf.text
        out.append(f'"{text}"' if leaf.kind == "phrase" else text + ("*" if leaf.kind == "prefix" else ""))
    return " ".join(dict.fromkeys(out))
