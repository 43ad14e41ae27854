"""A deterministic generator of knowledge-base folders for benchmarks.

The same (notes, seed) always writes the same files: a Zipf-like vocabulary of
made-up words, 150-400 words a note, wikilinks, types, tags, aliases and dates.

    python -m benchmarks.generate --notes 10000 --out bench-data/kb-10000
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass
from pathlib import Path

VOCABULARY_SIZE = 30_000
ZIPF_EXPONENT = 1.05
TYPES = ("overview", "organisation", "person", "event", "topic", "source")
TYPE_WEIGHTS = (0.2, 3, 4, 5, 3, 3)
TYPE_FOLDERS = {"overview": "", "organisation": "organisations", "person": "people",
                "event": "events", "topic": "topics", "source": "sources"}
TAG_COUNT = 40
PHRASE_COUNT = 40
ACCENTED = ("québec", "montréal", "café", "naïve", "zürich", "señor", "genève", "bogotá")
_ONSETS = ("b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
           "z", "br", "ch", "cl", "dr", "fl", "gr", "kr", "pl", "pr", "sh", "st", "th", "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "ou", "io")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "x", "nd", "rt", "st")


@dataclass(frozen=True)
class Corpus:
    """What the generator draws from; the benchmark's queries are drawn from it too."""

    words: tuple[str, ...]  # by rank: words[0] is the most frequent
    tags: tuple[str, ...]
    phrases: tuple[str, ...]  # word pairs and triples planted in some notes


def corpus(seed: int = 42) -> Corpus:
    """The vocabulary, tags and planted phrases for a seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    words: list[str] = []
    while len(words) < VOCABULARY_SIZE:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
        word += rng.choice(_CODAS)
        if len(word) >= 3 and word not in seen:
            seen.add(word)
            words.append(word)
    for index, word in enumerate(ACCENTED):  # a few accented words of middling rank
        words[500 + 37 * index] = word
    tags = tuple(words[200 + index * 3] for index in range(TAG_COUNT))
    phrases = []
    for index in range(PHRASE_COUNT):
        size = 2 if index % 3 else 3
        phrases.append(" ".join(words[rng.randrange(300, 8000)] for _ in range(size)))
    return Corpus(tuple(words), tags, tuple(phrases))


def _cum_weights(size: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank ** ZIPF_EXPONENT) for rank in range(1, size + 1)))


def note_id(index: int) -> str:
    return f"note-{index:06d}"


def _date(rng: random.Random) -> str:
    year = rng.randrange(2015, 2025)
    precision = rng.random()
    if precision < 0.15:
        return str(year)
    month = rng.randrange(1, 13)
    if precision < 0.4:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randrange(1, 29):02d}"


def _title(rng: random.Random, words: tuple[str, ...], index: int) -> str:
    parts = [words[rng.randrange(50, 20_000)] for _ in range(rng.choice((1, 2, 2, 3)))]
    return " ".join(p.capitalize() for p in parts) + f" {index}"


def write_note(folder: Path, index: int, total: int, data: Corpus, cum: list[float],
               titles: list[str]) -> None:
    """Write note number `index` of `total` (its randomness depends on the index only)."""
    rng = random.Random(index * 7919 + 17)
    kind = "overview" if index == 0 else rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
    lines = ["---", f"title: {titles[index]}", f"type: {kind}"]
    if rng.random() < 0.2:
        lines.append(f"aliases: [{data.words[rng.randrange(1000, 25_000)].capitalize()} {index}]")
    tags = sorted({rng.choice(data.tags) for _ in range(rng.randrange(0, 4))})
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    if kind in ("event", "source") or rng.random() < 0.1:
        lines.append(f"date: {_date(rng)}")
    lines += ["---", f"# {titles[index]}", ""]
    body_words = rng.choices(data.words, cum_weights=cum, k=rng.randrange(150, 401))
    if rng.random() < 0.3:  # a planted phrase
        phrase = data.phrases[min(int(rng.paretovariate(1.0)) - 1, PHRASE_COUNT - 1)]
        body_words.insert(rng.randrange(len(body_words)), phrase)
    for _ in range(rng.randrange(2, 9)):  # links, by id or by title
        target = rng.randrange(total)
        link = f"[[{note_id(target)}]]" if rng.random() < 0.6 else f"[[{titles[target]}]]"
        body_words.insert(rng.randrange(len(body_words)), link)
    sentences = []
    position = 0
    while position < len(body_words):
        size = rng.randrange(8, 21)
        sentence = " ".join(body_words[position:position + size])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        position += size
    paragraphs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    lines.append("\n\n".join(paragraphs))
    path = folder / TYPE_FOLDERS[kind] / f"{note_id(index)}.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def generate(folder: Path, notes: int, seed: int = 42, progress: bool = False) -> Path:
    """Write `notes` notes into `folder` (created; existing notes are overwritten)."""
    folder = Path(folder)
    for sub in set(TYPE_FOLDERS.values()):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    data = corpus(seed)
    cum = _cum_weights(len(data.words))
    title_rng = random.Random(seed + 1)
    titles = [_title(title_rng, data.words, index) for index in range(notes)]
    for index in range(notes):
        write_note(folder, index, notes, data, cum, titles)
        if progress and (index + 1) % 5000 == 0:
            print(f"generated {index + 1}/{notes}", file=sys.stderr)
    (folder / ".generated").write_text(f"{notes} {seed}\n", encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True,
                        help="folder to write (git-ignored bench-data/ is a good place)")
    args = parser.parse_args(argv)
    generate(args.out, args.notes, args.seed, progress=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
