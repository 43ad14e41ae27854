"""Browsing speed: the graph of a busy note and the quick switcher over many notes.

    python -m benchmarks.browse [--neighbours 200] [--notes 10000] [--repeat 5] [--dir DIR]

Times (median and worst of `--repeat` runs):

- `neighbourhood`: the graph of a hub linked to `--neighbours` notes, laid out
  (the window draws it on every visit; target under 0.5 s);
- `rank`: the quick switcher's ranking of `--notes` notes for a typo'd query,
  over their names folded once (run in a worker on every key typed; target under 1 s).

These were assertions in the unit tests; they live here because timings depend
on the machine. The exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from viewer.core.graph import neighbourhood
from viewer.core.kb import KnowledgeBase
from viewer.core.switcher import Names, rank

TYPES = ("organisation", "person", "event", "topic", "source")
TARGETS_S = {"neighbourhood": 0.5, "rank": 1.0}


def write_hub(folder: Path, count: int) -> Path:
    """A hub linking to `count` notes of mixed types, each linking to the next."""
    folder.mkdir(parents=True)
    links = " ".join(f"[[n{i}]]" for i in range(count))
    (folder / "hub.md").write_text(f"---\ntitle: The hub\ntype: topic\n---\n# The hub\n\n{links}\n",
                                   encoding="utf-8")
    for i in range(count):
        (folder / f"n{i}.md").write_text(
            f"---\ntitle: Neighbour number {i} with a long title that wraps\ntype: {TYPES[i % len(TYPES)]}\n"
            f"---\n# n{i}\n\n[[n{(i + 1) % count}]]\n", encoding="utf-8")
    return folder


def write_many(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"note-{i:05d}.md").write_text(
            f"---\ntitle: Note number {i}\ntype: {TYPES[i % len(TYPES)]}\n---\n# Note number {i}\n\n"
            f"Note {i} links to [[note-{(i + 1) % count:05d}]].\n", encoding="utf-8")
    return folder


def timed(run: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.browse", description=__doc__.split("\n")[0])
    parser.add_argument("--neighbours", type=int, default=200)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="scratch folder (default: a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        hub = KnowledgeBase.open(write_hub(root / "hub", args.neighbours), store=root / "hub.json")
        many = KnowledgeBase.open(write_many(root / "many", args.notes), store=root / "many.json")
        names = Names(many.notes())
        cases = {
            "neighbourhood": timed(lambda: neighbourhood(hub, "hub"), args.repeat),
            "rank": timed(lambda: rank(names, "note numbr 4242"), args.repeat),
        }
    print(f"{args.neighbours} neighbours, {args.notes:,} notes, {args.repeat} runs each")
    print(f"{'case':<16} {'median s':>9} {'max s':>9} {'target s':>9}")
    missed = []
    for name, times in cases.items():
        median = statistics.median(times)
        print(f"{name:<16} {median:9.3f} {max(times):9.3f} {TARGETS_S[name]:9.1f}")
        if median >= TARGETS_S[name]:
            missed.append(name)
    print("targets: " + (f"MISSED ({', '.join(missed)})" if missed else "met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
