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
TITLE_SHARE = 0.3  # a word the note's title holds counts this much in choosing its passage
Also = tuple[list[int], float]  # places in a note that add a weight to their sentence
_ENDS = (". ", "! ", "? ", ".\n", "!\n", "?\n", "\n")
# A period after one of these (or after a lone letter, as in "B.C.") does not end a sentence.
_ABBREVIATIONS = frozenset([
    "mr", "mrs", "ms", "dr", "st", "supt", "sgt", "insp", "cst", "det", "const", "lt", "col", "gen",
    "prof", "jr", "sr", "vs", "no"
])
# What a reader does not see in Markdown: a labelled wikilink's target, a link's or autolink's address.
_HIDDEN = re.compile(r"(?<=\[\[)[^\[\]|\n]*\|(?=[^\[\]\n]*\]\])|(?<=\]\()[^()\s]*(?=\))|<[a-z][a-z0-9+.-]*:[^<>\s]*>")


def reader_text(text: str) -> str:
    """`text` with what a reader does not see blanked out (same length, so offsets still hold)."""
    if "[[" not in text and "](" not in text and ":" not in text:
        return text
    return _HIDDEN.sub(lambda match: " " * len(match.group()), text)


def _ends_sentence(body: str, dot: int) -> bool:
    """Whether the period (or mark) at `dot` ends a sentence, not an abbreviation."""
    if body[dot] != ".":
        return True
    start = dot
    while start > 0 and body[start - 1].isalpha():
        start -= 1
    word = body[start:dot]
    if len(word) == 1 and (start == 0 or not body[start - 1].isalnum()):
        return False  # B.C., U.S., J. Smith
    return word.lower() not in _ABBREVIATIONS


def sentence_bounds(body: str, at: int) -> tuple[int, int]:
    """The sentence or line of `body` holding position `at` (at most MAX_SENTENCE on each side)."""
    low, high = max(0, at - MAX_SENTENCE), min(len(body), at + MAX_SENTENCE)
    start, stop = low, high
    for end in _ENDS:
        found = body.rfind(end, low, at)
        while found >= 0 and not _ends_sentence(body, found):
            found = body.rfind(end, low, found)
        if found >= 0:
            start = max(start, found + len(end))
        found = body.find(end, at, high)
        while found >= 0 and not _ends_sentence(body, found):
            found = body.find(end, found + 1, high)
        if found >= 0:
            stop = min(stop, found + 1)
    if start == low and low > 0:  # cut at a word, not inside one
        space = body.find(" ", low, at)
        start = space + 1 if space >= 0 else low
    if stop == high and high < len(body):
        space = body.rfind(" ", at, high)
        stop = space if space > at else high
    return start, stop


def ends_between(body: str, low: int, high: int) -> bool:
    """Whether a sentence ends in `body[low:high]`."""
    for end in _ENDS:
        found = body.find(end, low, high)
        while found >= 0:
            if _ends_sentence(body, found):
                return True
            found = body.find(end, found + 1, high)
    return False


def best_sentence(lowered: str, weights: dict[str, float], begin: int = 0, also: Also | None = None) -> int:
    """Where the sentence holding the most weight of distinct words begins, or -1.

    `lowered` is the note lower-cased; `weights` maps how each word starts to
    its weight; `also` holds places in the note and the weight a sentence
    holding one adds (where a role is named, for a role question). Only what the reader sees counts (not a
    link's target). A heading is never the passage: its words count for the
    first sentence under it. The earliest sentence wins a tie.
    """
    lowered = reader_text(lowered)
    found: list[int] = []
    for start in weights:
        at, seen = lowered.find(start, begin), 0
        while at >= 0 and seen < MAX_OCCURRENCES:
            if at == 0 or not lowered[at - 1].isalnum():
                found.append(at)
                seen += 1
            at = lowered.find(start, at + 1)
    spots = [at for at in also[0] if at >= begin][:MAX_OCCURRENCES] if also is not None else []
    found.extend(spots)
    candidates = {_with_heading(lowered, begin, *sentence_bounds(lowered, at)) for at in found}
    best, best_score = -1, 0.0
    for words_from, passage, end in sorted(candidates, key=lambda c: c[1]):
        score = sum(weight for start, weight in weights.items() if _has_word(lowered, start, words_from, end))
        if also is not None and any(words_from <= at < end for at in spots):
            score += also[1]
        if score > best_score:
            best, best_score = passage, score
    return best


def _with_heading(text: str, floor: int, begin: int, end: int) -> tuple[int, int, int]:
    """(words from, passage begins, end): a heading's words (after `floor`) go with the sentence under it."""
    if _is_heading(text, begin):
        after = end
        while after < len(text) and text[after].isspace():
            after += 1
        if after >= len(text) or _is_heading(text, after):
            return begin, begin, end  # an empty section: the heading is all there is
        return (begin, *sentence_bounds(text, after))
    line = text.rfind("\n", max(0, begin - MAX_SENTENCE), begin)
    if line >= 0 and not text[line + 1:begin].strip():  # the first sentence of its line
        last = line
        while last > 0 and text[last - 1].isspace() and line - last < MAX_SENTENCE:
            last -= 1  # the end of the line before (blank lines skipped)
        heading = text.rfind("\n", max(0, last - MAX_SENTENCE), last) + 1
        if last > 0 and heading >= floor and _is_heading(text, heading):
            return heading, begin, end
    return begin, begin, end


def _is_heading(text: str, at: int) -> bool:
    return text.startswith("#", at) and (at == 0 or text[at - 1] == "\n")


def title_weights(weights: dict[str, float], title: str) -> dict[str, float]:
    """The weights for choosing a passage in a note: a word its title holds counts less.

    The title already says the note is about that word, so the passage is the
    sentence holding the others (the OPP's words in a note titled "...breach").
    """
    lowered = title.lower()
    if not lowered or len(weights) < 2:
        return weights
    return {start: weight * TITLE_SHARE if re.search(r"(?<!\w)" + re.escape(start), lowered) else weight
            for start, weight in weights.items()}


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
