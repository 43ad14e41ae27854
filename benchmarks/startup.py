"""Start-up benchmark: the viewer's window with its first note painted, against a bare PySide6 window.

    python -m benchmarks.startup [--runs 7] [--json]

Both run as whole processes, in turn, offscreen, and end once their window,
painted, is read from its surface and saved as a PNG: the bare one is a
QTextBrowser holding a page of text; the viewer is `kbviewer --screenshot
--settle 0` on a copy of the bundled knowledge base (its store already built by
a first, untimed run), which grabs the window as soon as its first note is on
the page. The viewer runs three times in each turn: as it usually starts, with
the page kept from the last session (`viewer.core.start_page`); after another
note, one the page does not show, was edited (the start syncs that file and
still shows the kept page); and with the kept page removed first, so the note is
converted from Markdown as after a change to the note itself (without that
change's sync). Each run is checked to have shown the kept page, or made and
kept a new one. Reports each one's median wall time and the ratios of the
medians, and the median of each turn's own ratio (a turn's processes run one
after the other and meet the same machine, so that figure moves less when the
machine's speed drifts during the run).
Python's bytecode is compiled first
(`compileall`), as an installed package has it: with PYTHONDONTWRITEBYTECODE
set, every run would otherwise compile each module again.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def kept_page(cache: Path) -> tuple[Path, int]:
    """The start page the viewer kept, and when it was written."""
    kept = list(cache.rglob("*.page"))
    if len(kept) != 1:
        raise SystemExit(f"the viewer kept {len(kept)} start pages, not one")
    return kept[0], kept[0].stat().st_mtime_ns


def other_note(folder: Path, cache: Path) -> Path:
    """A note the kept start page does not show (not itself, not one it embeds or cites)."""
    page, _written = kept_page(cache)
    shown = {path for path, _sha in json.loads(page.read_text(encoding="utf-8"))["deps"]["notes"].values()}
    other = next((p for p in sorted(folder.rglob("*.md")) if p.relative_to(folder).as_posix() not in shown), None)
    if other is None:
        raise SystemExit("the start page shows every note: none to edit")
    return other


def run(runs: int) -> dict:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="kbviewer-startup-") as tmp:
        folder = Path(tmp)
        notes, cache = folder / "kb", folder / "cache"
        shutil.copytree(ROOT / "kb", notes)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(cache),
                   XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"))
        bare = [sys.executable, "-c", _BARE, str(folder / "bare.png")]
        viewer = [sys.executable, "-m", "viewer", "--kb", str(notes), "--screenshot", str(folder / "viewer.png"),
                  "--size", "1400x900", "--settle", "0"]
        timed(viewer, env)  # builds the store and index: later runs reopen them
        edited = other_note(notes, cache)
        text = edited.read_text(encoding="utf-8")
        times: dict[str, list[float]] = {"bare": [], "kept": [], "other": [], "made": []}
        for turn in range(runs):  # in turn, so all meet the same machine
            times["bare"].append(timed(bare, env))
            before = kept_page(cache)
            times["kept"].append(timed(viewer, env))  # the page kept by the run before
            edited.write_text(text + "\nEdited.\n" * (turn % 2 + 1), encoding="utf-8")  # a new text each turn
            times["other"].append(timed(viewer, env))
            if kept_page(cache) != before:
                raise SystemExit("the viewer made its start page again instead of showing the kept one")
            before[0].unlink()
            times["made"].append(timed(viewer, env))  # the page made again (and kept for the next turn)
            kept_page(cache)
    bare_s, kept_s, other_s, made_s = (statistics.median(times[k]) for k in ("bare", "kept", "other", "made"))
    turns = statistics.median(v / b for v, b in zip(times["kept"], times["bare"], strict=True))
    return {"runs": runs, "bare_window_s": round(bare_s, 3), "viewer_first_note_s": round(kept_s, 3),
            "ratio": round(kept_s / bare_s, 2), "viewer_other_note_edited_s": round(other_s, 3),
            "ratio_other_note_edited": round(other_s / bare_s, 2), "viewer_page_made_s": round(made_s, 3),
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
              f"{result['viewer_first_note_s']:.2f} s, ratio {result['ratio']:.2f}; after another note was edited: "
              f"{result['viewer_other_note_edited_s']:.2f} s, ratio {result['ratio_other_note_edited']:.2f}; "
              f"with the page made, not kept: {result['viewer_page_made_s']:.2f} s, ratio "
              f"{result['ratio_page_made']:.2f} (medians of {args.runs}); median of each turn's ratio "
              f"{result['ratio_of_turns']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
