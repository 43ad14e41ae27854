"""Pathological notes: the slowest parse, render, preview, snippet and mention scan per family.

    python -m benchmarks.hostile [--sizes 2000,20000,200000,1000000] [--family NAME] [--timeout 20]

Each family repeats one hostile pattern (a heading of spaces, a flood of
wikilinks, of backtick runs, of brackets, of Markdown links, of quote marks...)
to each size. For every note a child process opens a folder holding it and a
note titled "Alpha Beta" that it names, and times each stage:

- parse: `parse_file` on the note's bytes;
- render: `note_page` (Markdown, sanitiser, header);
- preview: `preview_text`, the link preview;
- snippet: `kb.search("alpha")`, whose snippet comes from the hostile note;
- mentions: `kb.unlinked_mentions` of "Alpha Beta", which scans the note.

A stage that does not finish within `--timeout` seconds is reported as such.
The target: every note of 200 KB or less takes under 1 s in each stage; the
exit status is 1 when it is missed. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

STAGES = ("parse", "render", "preview", "snippet", "mentions")
TARGET_S = 1.0
TARGET_SIZE = 200_000


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


def _backtick_runs(size: int) -> str:
    parts, n = [], 1
    while sum(map(len, parts)) < size:
        parts.append("`" * n + "a")
        n = n % 60 + 1
    return "".join(parts)


FAMILIES: dict[str, Callable[[int], str]] = {
    "heading-spaces": lambda n: "#" + " " * (n - 3) + "#x",
    "heading-lines": lambda n: _repeat("#  \n", n),
    "wikilinks": lambda n: _repeat("[[a]]", n),
    "wikilink-sentences": lambda n: _repeat("See [[a]]. ", n),
    "backticks": lambda n: "`" * n,
    "backtick-runs": _backtick_runs,
    "brackets": lambda n: "[" * n,
    "closing-brackets": lambda n: _repeat("[]", n, "x"),
    "links": lambda n: _repeat("[a](", n),
    "images": lambda n: _repeat("![a](b ", n),
    "link-labels": lambda n: _repeat("[a]", n),
    "quotes": lambda n: ">" * n,
    "quote-lines": lambda n: _repeat("> ", n),
    "emphasis": lambda n: _repeat("*a", n),
    "underscores": lambda n: _repeat("_a", n),
    "html": lambda n: _repeat("<a", n),
    "entities": lambda n: _repeat("&", n),
    "lists": lambda n: _repeat("- ", n),
    "tables": lambda n: _repeat("|", n, "a\n", "\n|-|\n"),
}


def _stage_times(family: str, size: int, stages: tuple[str, ...], out) -> None:
    """Runs in a child: sends (stage, seconds) as each stage ends."""
    from viewer.core import KnowledgeBase
    from viewer.core.page import note_page
    from viewer.core.parser import parse_file
    from viewer.core.plain import preview_text

    body = FAMILIES[family](size) + "\n\nThis note names Alpha Beta once.\n"
    data = ("---\ntitle: Hostile\n---\n" + body).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kb"
        folder.mkdir()
        (folder / "hostile.md").write_bytes(data)
        (folder / "alpha-beta.md").write_text("---\ntitle: Alpha Beta\n---\nA note.\n", encoding="utf-8")
        if "parse" in stages:
            start = time.perf_counter()
            parse_file("hostile.md", data)
            out.send(("parse", time.perf_counter() - start))
        kb = KnowledgeBase.open(folder, store=Path(tmp) / "store" / "store.json")
        note = kb.get("hostile")
        for stage, run in (("render", lambda: note_page(kb, "hostile")),
                           ("preview", lambda: preview_text(note)),
                           ("snippet", lambda: kb.search("alpha")),
                           ("mentions", lambda: kb.unlinked_mentions("alpha-beta"))):
            if stage not in stages:
                continue
            start = time.perf_counter()
            run()
            out.send((stage, time.perf_counter() - start))


def measure(family: str, size: int, timeout: float, stages: tuple[str, ...] = STAGES) -> dict[str, float | None]:
    """Seconds per stage; None for a stage cut off at `timeout` (a new child runs the stages after it)."""
    times: dict[str, float | None] = {}
    while len(times) < len(stages):
        left_over = tuple(s for s in stages if s not in times)
        receive, send = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.Process(target=_stage_times, args=(family, size, left_over, send), daemon=True)
        child.start()
        send.close()
        deadline = time.monotonic() + timeout + 30  # opening the folder is not timed
        while len(times) < len(stages):
            left = deadline - time.monotonic()
            if left <= 0 or not receive.poll(left):
                times[next(s for s in stages if s not in times)] = None
                break
            try:
                stage, seconds = receive.recv()
            except EOFError:
                times[next(s for s in stages if s not in times)] = None
                break
            times[stage] = seconds
            deadline = time.monotonic() + timeout
        child.kill()
        child.join()
    return {stage: times.get(stage) for stage in stages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000,200000,1000000")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES))
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--stage", action="append", choices=STAGES)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    families = args.family or list(FAMILIES)
    stages = tuple(args.stage or STAGES)
    print(f"| family | sizes up to | {' | '.join(stages)} |")
    print("| --- | ---: |" + " ---: |" * len(stages))
    missed = False
    for family in families:
        worst: dict[str, float | None] = {stage: 0.0 for stage in stages}
        for size in sizes:
            for stage, seconds in measure(family, size, args.timeout, stages).items():
                if seconds is None or (worst[stage] is not None and seconds > worst[stage]):
                    worst[stage] = seconds
                if size <= TARGET_SIZE and (seconds is None or seconds >= TARGET_S):
                    missed = True
        cells = [f"> {args.timeout:g} s" if s is None else f"{s * 1000:.0f} ms" for s in worst.values()]
        print(f"| {family} | {max(sizes):,} B | {' | '.join(cells)} |", flush=True)
    print(f"\ntarget: under {TARGET_S:g} s per stage for every note of {TARGET_SIZE:,} bytes or less: "
          + ("MISSED" if missed else "met"))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
