"""Pathological notes: the slowest parse, render, preview, snippet and mention scan per family.

    python -m benchmarks.hostile [--sizes 2000,20000,200000,1000000] [--family NAME] [--timeout 20]
    python -m benchmarks.hostile --window [--sizes 200000,1000000] [--family NAME] [--ref REV]

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

With `--window`, a child process per family and size (200 KB and 1 MB unless
`--sizes` says otherwise) opens the real window offscreen on a folder holding
the hostile note and a small one, then opens the small note, the hostile one
and the small one again, a reader's pause apart; a session still running after
`--timeout` seconds (the window frozen) is reported as such.
A heartbeat QTimer ticks every 10 ms; its worst delay while a hostile note is
opened and shown is the longest the window was blocked. The target: under
100 ms. `--ref REV` measures that git revision's `viewer` in the same run,
beside the current code.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

STAGES = ("parse", "render", "preview", "snippet", "mentions")
TARGET_S = 1.0
TARGET_SIZE = 200_000
TARGET_STALL_MS = 100
TICK_MS = 10
SHOWN_MS = 2500  # how long each hostile note is watched after it is opened
ROOT = Path(__file__).resolve().parents[1]


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


def _hostile_text(family: str, size: int) -> str:
    return f"---\ntitle: Hostile {size}\n---\n" + FAMILIES[family](size) + "\n\nThis note names Alpha Beta once.\n"


def window_session(family: str, sizes: list[int]) -> dict[str, float]:
    """In a child: the window's worst heartbeat delay (ms) while each hostile note is opened and shown."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.core import KnowledgeBase
    from viewer.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "kb"
        folder.mkdir()
        for size in sizes:
            (folder / f"hostile-{size}.md").write_text(_hostile_text(family, size), encoding="utf-8")
        (folder / "alpha-beta.md").write_text("---\ntitle: Alpha Beta\n---\nA note.\n", encoding="utf-8")
        kb = KnowledgeBase.open(folder, store=Path(tmp) / "store.json")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(kb, settings=settings, restore=False, data_dir=Path(tmp) / "data")
        window.resize(1200, 800)
        window.show()
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]
        phase = ["start"]
        worst: dict[str, float] = {}

        def tick() -> None:
            now = clock.elapsed()
            worst[phase[0]] = max(worst.get(phase[0], 0.0), float(max(0, now - last[0] - TICK_MS)))
            last[0] = now
        heart = QTimer()
        heart.setInterval(TICK_MS)
        heart.timeout.connect(tick)
        heart.start()
        steps: list[tuple[str, str, int]] = [("small", "alpha-beta", 500)]
        for size in sizes:
            steps += [(str(size), f"hostile-{size}", SHOWN_MS), ("small", "alpha-beta", 500)]

        def run_next() -> None:
            if not steps:
                app.quit()
                return
            name, note_id, pause = steps.pop(0)
            tick()  # the delay so far belongs to the step before
            phase[0] = name
            window.open_note(note_id)
            QTimer.singleShot(pause, run_next)
        QTimer.singleShot(1000, run_next)  # the first note settles
        app.exec()
        heart.stop()
        window.close()
    return {str(size): worst.get(str(size), 0.0) for size in sizes}


def _window_child(family: str, size: int, code: Path, timeout: float) -> float | None:
    """The worst stall (ms) opening one note, in a fresh process whose `viewer` package is the one under
    `code`; None when the session did not end within `timeout` seconds."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(code)}
    try:
        done = subprocess.run([sys.executable, "-m", "benchmarks.hostile", "--window-session", family, str(size)],
                              cwd=code, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])[str(size)]


def _checkout(rev: str, into: Path) -> Path:
    """`viewer` of git revision `rev` and this `benchmarks` package, side by side under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "viewer", "resources"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    shutil.copytree(ROOT / "benchmarks", into / "benchmarks", ignore=shutil.ignore_patterns("__pycache__"))
    return into


def window_main(families: list[str], sizes: list[int], ref: str | None, timeout: float) -> int:
    """Worst UI stall per family and size, for the current code (and `ref`'s), in one run."""
    with tempfile.TemporaryDirectory(prefix="kbhostile-") as tmp:
        codes = {"current": ROOT}
        if ref:
            codes = {ref: _checkout(ref, Path(tmp) / "ref"), "current": ROOT}
        heads = [f"{name} {size // 1000:,} KB" for name in codes for size in sizes]
        print(f"| family | {' | '.join(heads)} |")
        print("| --- |" + " ---: |" * len(heads))
        missed = False
        for family in families:
            cells = []
            for name, code in codes.items():
                for size in sizes:
                    ms = _window_child(family, size, code, timeout)
                    cells.append(f"> {timeout:g} s" if ms is None else f"{ms:.0f} ms")
                    missed |= name == "current" and (ms is None or ms >= TARGET_STALL_MS)
            print(f"| {family} | {' | '.join(cells)} |", flush=True)
    print(f"\ntarget: the window never blocked {TARGET_STALL_MS} ms or more by one note: "
          + ("MISSED" if missed else "met"))
    return 1 if missed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="2000,20000,200000,1000000")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES))
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--stage", action="append", choices=STAGES)
    parser.add_argument("--window", action="store_true", help="the window's worst stall opening each note")
    parser.add_argument("--ref", help="with --window: a git revision to measure beside the current code")
    parser.add_argument("--window-session", nargs=2, help=argparse.SUPPRESS)  # FAMILY SIZES, in the child
    args = parser.parse_args(argv)
    if args.window_session:
        family, sizes_text = args.window_session
        print(json.dumps(window_session(family, [int(s) for s in sizes_text.split(",")])))
        return 0
    families = args.family or list(FAMILIES)
    if args.window:
        sizes = [int(s) for s in (args.sizes if args.sizes != parser.get_default("sizes") else "200000,1000000").split(",")]
        return window_main(families, sizes, args.ref, args.timeout)
    sizes = [int(s) for s in args.sizes.split(",")]
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
