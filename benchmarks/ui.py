"""UI-thread benchmark: the real window, offscreen, through a scripted reading session.

    python -m benchmarks.ui --notes 50000 [--json] [--data bench-data] [--keep-store]

The generated folder (benchmarks.generate) is opened once in a child process
so that its store and index exist; then the window opens it (a reopen) and a
script runs on the event loop, one step at a time with a pause between steps,
as a reader would: open notes (links panel, unlinked mentions), type in the
quick switcher and the search field a key at a time, change the timeline's
filters, show the graph at depth 2, type in the Notes filter and scroll the
Notes tree; last, Reload Notes (the folder read again and the old notes let
go). A heartbeat QTimer ticks every 10 ms; its worst delay is the longest
stall of the UI thread. Reported: the worst and the 95th percentile delay
during the session, the worst step, the stall while the folder loads, when
the loaded knowledge base is shown (filling the panels) and during and just
after the reload; then, for each kind of step,
the longest call and the heartbeat's worst delay from the step until the
next (work a step leaves to a timer or a worker's answer counts too).
`--keep-store` keeps the store in the data folder, so that a second run only
syncs it instead of importing every note.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.search import ROOT, corpus_folder, percentile

TICK_MS = 10
PAUSE_MS = 60  # between steps: the heartbeat ticks meanwhile


def _steps(window, kb) -> list[tuple[str, object]]:
    """The session: (name, callable) pairs, each one event-loop turn."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    notes = kb.notes()
    picks = [notes[i * len(notes) // 12].id for i in range(12)]
    steps: list[tuple[str, object]] = []
    for note_id in picks[:8]:
        steps.append(("open note", lambda n=note_id: window.open_note(n)))
    steps.append(("open switcher", window.open_switcher))
    for char in picks[8][:10]:
        steps.append(("type in switcher", lambda c=char: QTest.keyClick(window.switcher.field, c)))
    steps.append(("close switcher", lambda: QTest.keyClick(window.switcher.field, Qt.Key.Key_Escape)))
    steps.append(("open search", window.open_search))
    for char in "police report":
        steps.append(("type in search", lambda c=char: QTest.keyClick(window.search_panel.field, c)))
    steps.append(("show timeline", lambda: window.show_view("timeline")))

    def timeline():
        return window.centre.widget("timeline")
    for which in range(1, 4):
        steps.append(("timeline type filter", lambda w=which: timeline().type_filter.setCurrentIndex(
            min(w, timeline().type_filter.count() - 1))))
        steps.append(("timeline tag filter", lambda w=which: timeline().tag_filter.setCurrentIndex(
            min(w, timeline().tag_filter.count() - 1))))
    steps.append(("timeline all", lambda: timeline().set_filters(None, None)))
    steps.append(("show graph", lambda: window.show_view("graph")))
    steps.append(("graph depth 2", lambda: window.centre.widget("graph").set_depth(2)))
    for note_id in picks[9:12]:
        steps.append(("open note in graph", lambda n=note_id: (window.open_note(n), window.show_view("graph"))))
    steps.append(("show note", lambda: window.show_view("note")))
    steps.append(("show notes panel", lambda: window.show_panel("notes")))
    for char in "note":
        steps.append(("type in notes filter", lambda c=char: QTest.keyClick(window.browser.filter, c)))
    for _ in range(4):
        steps.append(("clear notes filter", lambda: QTest.keyClick(window.browser.filter, Qt.Key.Key_Backspace)))
    bar = window.browser.tree.verticalScrollBar()
    for step in range(1, 21):
        steps.append(("scroll notes", lambda s=step: bar.setValue(bar.maximum() * s // 20)))
    steps.append(("notes by folder", lambda: window.browser.group_by.setCurrentIndex(1)))
    steps.append(("notes by type", lambda: window.browser.group_by.setCurrentIndex(0)))
    for note_id in picks[:4]:
        steps.append(("open note", lambda n=note_id: window.open_note(n)))
    return steps


def session(folder: Path, store: Path) -> dict:
    """Open the window on `folder` and run the script; the heartbeat's figures."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from viewer.ui.window.app import create_app
    from viewer.ui.window.main_window import MainWindow

    app = create_app()  # as the viewer starts it (its settings are the scratch file below)
    scratch = Path(tempfile.mkdtemp(prefix="kbui-session-"))  # fresh settings and annotations each run
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, restore=False, data_dir=scratch / "data")
    window.resize(1400, 900)
    window.show()
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]
    delays: list[tuple[float, str]] = []
    phase = ["loading"]

    def tick() -> None:
        now = clock.elapsed()
        delays.append((max(0.0, now - last[0] - TICK_MS), phase[0]))
        last[0] = now
    heart = QTimer()
    heart.setInterval(TICK_MS)
    heart.timeout.connect(tick)
    heart.start()
    steps: list[tuple[str, object]] = []
    step_times: list[tuple[float, str]] = []

    reloaded = [False]

    def run_next() -> None:
        if not steps and not reloaded[0]:  # last, Reload Notes: the folder read again, the old notes let go
            reloaded[0] = True
            phase[0] = "reload"
            window.reload()
            return
        if not steps:
            app.quit()
            return
        name, action = steps.pop(0)
        phase[0] = name
        started = time.perf_counter()
        action()
        step_times.append(((time.perf_counter() - started) * 1000, name))
        QTimer.singleShot(PAUSE_MS, run_next)

    def loaded() -> None:
        if reloaded[0]:
            phase[0] = "after reload"
            QTimer.singleShot(1000, app.quit)  # the old notes are freed meanwhile
            return
        phase[0] = "shown"
        steps.extend(_steps(window, window.kb))
        QTimer.singleShot(500, run_next)  # let the first note settle
    window.kb_loaded.connect(loaded)
    phase[0] = "loading"
    window.load(folder, store)
    app.exec()
    heart.stop()
    window.close()
    shutil.rmtree(scratch, ignore_errors=True)
    shown = [d for d, p in delays if p == "shown"]
    scripted = [d for d, p in delays if p not in ("loading", "shown", "reload", "after reload")]
    worst_step = max(step_times)
    by_kind: dict[str, float] = {}
    for ms, name in step_times:
        by_kind[name] = max(by_kind.get(name, 0.0), round(ms, 1))
    stalls: dict[str, float] = {}  # the heartbeat's worst delay from a step until the next one
    for ms, name in delays:
        stalls[name] = max(stalls.get(name, 0.0), round(ms, 1))
    return {"ticks": len(delays), "steps": len(step_times),
            "worst_ms": max(scripted), "p95_ms": percentile(scripted, 0.95),
            "worst_step": worst_step[1], "worst_step_ms": worst_step[0],
            "loading_worst_ms": max([d for d, p in delays if p == "loading"] or [0.0]),
            "shown_ms": max(shown or [0.0]),
            "reload_worst_ms": max([d for d, p in delays if p in ("reload", "after reload")] or [0.0]),
            "worst_by_step": by_kind, "stall_by_step": stalls,
            "notes": len(window.kb) if window.kb else 0}


def run(notes: int, data_dir: Path, seed: int, keep_store: bool = False) -> dict:
    folder = corpus_folder(data_dir, notes, seed)
    with tempfile.TemporaryDirectory(prefix="kbui-bench-") as tmp:
        # a kept store is only synced again (seconds) instead of imported (minutes at 50,000 notes)
        store = data_dir / f"ui-store-{notes}" / "store.json" if keep_store else Path(tmp) / "store.json"
        store.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-c", "import sys; from viewer.core import KnowledgeBase; "
                        "KnowledgeBase.open(sys.argv[1], store=sys.argv[2])", str(folder), str(store)],
                       check=True, cwd=ROOT)
        out = subprocess.run([sys.executable, "-m", "benchmarks.ui", "--session", str(folder), str(store)],
                             check=True, cwd=ROOT, capture_output=True, text=True).stdout
    return {"notes": notes, **json.loads(out.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ui", description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--keep-store", action="store_true",
                        help="keep the store in the data folder between runs (the next run skips the import)")
    parser.add_argument("--session", nargs=2, type=Path, help=argparse.SUPPRESS)  # FOLDER STORE, in the child
    args = parser.parse_args(argv)
    if args.session:
        print(json.dumps(session(*args.session)))
        return 0
    result = run(args.notes, args.data, args.seed, args.keep_store)
    if not args.json:
        print(f"{result['notes']} notes: worst UI stall {result['worst_ms']:.0f} ms, "
              f"p95 {result['p95_ms']:.0f} ms (worst step: {result['worst_step']}, "
              f"{result['worst_step_ms']:.0f} ms); showing the loaded notes {result['shown_ms']:.0f} ms; "
              f"while loading {result['loading_worst_ms']:.0f} ms; Reload Notes {result['reload_worst_ms']:.0f} ms")
        print(f"{'step':<24} {'call ms':>8} {'stall ms':>9}")
        for name, stall in result["stall_by_step"].items():
            print(f"{name:<24} {result['worst_by_step'].get(name, 0.0):>8.0f} {stall:>9.0f}")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
