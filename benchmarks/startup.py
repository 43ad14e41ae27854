"""Start-up benchmark: the viewer's window with its first note painted, against a bare PySide6 window.

    python -m benchmarks.startup [--runs 7] [--json]

Both run as whole processes, in turn, offscreen, and end once their window,
painted, is read from its surface and saved as a PNG: the bare one is a
QTextBrowser holding a page of text; the
viewer is `kbviewer --screenshot --settle 0` on the bundled knowledge base (its
store already built by a first, untimed run), which grabs the window as soon as
its first note is on the page. The viewer runs twice in each turn: as it
usually starts, with the page kept from the last session
(`viewer.core.start_page`), and with that page removed first, so the note is
converted from Markdown as after a change to the folder. Reports each one's
median wall time and the ratios of the medians, and the median of each turn's
own ratio (a turn's processes run one after the other and meet the same machine,
so that figure moves less when the machine's speed drifts during the run).
Python's bytecode is compiled first
(`compileall`), as an installed package has it: with PYTHONDONTWRITEBYTECODE
set, every run would otherwise compile each module again.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_BARE = """
import sys
from PySide6.QtWidgets import QApplication, QTextBrowser
app = QApplication(sys.argv[:1])
view = QTextBrowser()
view.setHtml("<h1>A note</h1>" + "<p>" + "Some words of a note. " * 200 + "</p>")
view.resize(1400, 900)
view.show()
app.processEvents()
app.processEvents()
shot = view.screen().grabWindow(view.winId())  # its surface as painted, as kbviewer --screenshot reads it
(shot if not shot.isNull() else view.grab()).save(sys.argv[1])
"""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - started


def compile_bytecode() -> None:
    """Write the .pyc files an installation would hold (the viewer's and its libraries')."""
    import compileall
    import sysconfig

    for folder in (ROOT / "viewer", Path(sysconfig.get_paths()["purelib"])):
        compileall.compile_dir(folder, quiet=2, workers=0)


def run(runs: int) -> dict:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="kbviewer-startup-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(folder / "cache"),
                   XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"))
        bare = [sys.executable, "-c", _BARE, str(folder / "bare.png")]
        viewer = [sys.executable, "-m", "viewer", "--screenshot", str(folder / "viewer.png"), "--size", "1400x900",
                  "--settle", "0"]
        timed(viewer, env)  # builds the store and index: later runs reopen them
        bare_times, viewer_times, made_times = [], [], []
        for _ in range(runs):  # in turn, so all meet the same machine
            bare_times.append(timed(bare, env))
            viewer_times.append(timed(viewer, env))  # the page kept by the run before
            kept = list((folder / "cache").rglob("*.page"))
            if not kept:
                raise SystemExit("the viewer kept no start page: nothing to remove")
            for page in kept:
                page.unlink()
            made_times.append(timed(viewer, env))  # the page made again (and kept for the next turn)
    bare_s, viewer_s, made_s = (statistics.median(t) for t in (bare_times, viewer_times, made_times))
    turns = statistics.median(v / b for v, b in zip(viewer_times, bare_times, strict=True))
    return {"runs": runs, "bare_window_s": round(bare_s, 3), "viewer_first_note_s": round(viewer_s, 3),
            "ratio": round(viewer_s / bare_s, 2), "viewer_page_made_s": round(made_s, 3),
            "ratio_page_made": round(made_s / bare_s, 2), "ratio_of_turns": round(turns, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"bare PySide6 window: {result['bare_window_s']:.2f} s; viewer with its first note: "
              f"{result['viewer_first_note_s']:.2f} s, ratio {result['ratio']:.2f}; with the page made, not kept: "
              f"{result['viewer_page_made_s']:.2f} s, ratio {result['ratio_page_made']:.2f} (medians of {args.runs}); "
              f"median of each turn's ratio {result['ratio_of_turns']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
