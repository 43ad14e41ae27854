"""Start-up benchmark: the viewer's window with its first note painted, against a bare PySide6 window.

    python -m benchmarks.startup [--runs 7] [--notes N] [--json]

Both run as whole processes, in turn, offscreen, and are timed until their
window, painted, is read from its surface and saved as a PNG, which each
reports on a line of its output: the bare one is a QTextBrowser holding a page
of text; the viewer is `kbviewer` started as a reader starts it
(`benchmarks.window_start`: the window shown, the notes read in its worker), on
a copy of the bundled knowledge base, or with --notes N of a generated folder
of N notes (`benchmarks.generate`), its store already built and the window
closed once by a first, untimed run. The viewer runs five times in each turn:
as it usually starts, with the page kept from the last session
(`viewer.core.start_page`); after another note, one the page does not show, was
edited (the start syncs that file and still shows the kept page); after the
note it shows was edited (its page is made again from what the kept page
looked up, before the notes are read: `viewer.core.remade_page`); with the
kept page removed first (made from the note's file and the names kept beside
the store, `viewer.core.kept_names`, before the notes are read); and with
both removed, so the note is converted once the notes are read.
Each run is checked to have painted the page it should: kept (the page maker
never loaded), remade or made. Reports each one's median wall time and the ratios of
the medians, and the median of each turn's own ratio (a turn's processes run one
after the other and meet the same machine, so that figure moves less when the
machine's speed drifts during the run). Python's bytecode is compiled first
(`compileall`), as an installed package has it: with PYTHONDONTWRITEBYTECODE
set, every run would otherwise compile each module again.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.search import corpus_folder

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 600  # a start that paints nothing in this time is reported, not waited for

_BARE = """
import os, sys
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
print("painted", flush=True)
"""


def timed(command: list[str], env: dict[str, str], painted: str = "painted") -> float:
    """Seconds from the start of `command` to its line saying its window is painted (`painted`)."""
    name = "the bare window" if command[1] == "-c" else command[2]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True) as child:
            assert child.stdout is not None
            ready, _, _ = select.select([child.stdout], [], [], LIMIT_S)
            line = child.stdout.readline().strip() if ready else f"nothing in {LIMIT_S} s"
            seconds = time.perf_counter() - started
            if not ready:
                child.kill()
            child.communicate()
        if child.returncode != 0 or line != painted:
            errors.seek(0)
            raise SystemExit(f"{name} said {line!r}, not {painted!r} (exit {child.returncode}):\n"
                             + errors.read().decode(errors="replace")[-2000:])
    return seconds


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


def kept_names(cache: Path) -> Path:
    """The names the viewer kept beside its store."""
    kept = list(cache.rglob("*.names"))
    if len(kept) != 1:
        raise SystemExit(f"the viewer kept {len(kept)} files of names, not one")
    return kept[0]


def shown_note(folder: Path, cache: Path) -> Path:
    """The file of the note the kept start page shows."""
    page, _written = kept_page(cache)
    kept = json.loads(page.read_text(encoding="utf-8"))
    return folder / kept["deps"]["notes"][kept["note"]][0]


def other_note(folder: Path, cache: Path) -> Path:
    """A note the kept start page does not show (not itself, not one it embeds or cites)."""
    page, _written = kept_page(cache)
    shown = {path for path, _sha in json.loads(page.read_text(encoding="utf-8"))["deps"]["notes"].values()}
    other = next((p for p in sorted(folder.rglob("*.md")) if p.relative_to(folder).as_posix() not in shown), None)
    if other is None:
        raise SystemExit("the start page shows every note: none to edit")
    return other


def run(runs: int, source: Path) -> dict:
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="kbviewer-startup-") as tmp:
        folder = Path(tmp)
        notes, cache = folder / "kb", folder / "cache"
        shutil.copytree(source, notes)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CACHE_HOME=str(cache),
                   XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"))
        bare = [sys.executable, "-c", _BARE, str(folder / "bare.png")]
        viewer = [sys.executable, "-m", "benchmarks.window_start", str(folder / "viewer.png"), "--kb", str(notes)]
        timed(viewer, env, "painted made")  # builds the store and index, keeps the page and the note read
        edited, shown = other_note(notes, cache), shown_note(notes, cache)
        text, shown_text = edited.read_text(encoding="utf-8"), shown.read_text(encoding="utf-8")
        times: dict[str, list[float]] = {"bare": [], "kept": [], "other": [], "remade": [], "no_page": [],
                                         "made": []}
        for turn in range(runs):  # in turn, so all meet the same machine
            times["bare"].append(timed(bare, env))
            before = kept_page(cache)
            times["kept"].append(timed(viewer, env, "painted kept"))  # the page kept by the run before
            edited.write_text(text + "\nEdited.\n" * (turn % 2 + 1), encoding="utf-8")  # a new text each turn
            times["other"].append(timed(viewer, env, "painted kept"))
            if kept_page(cache) != before:
                raise SystemExit("the viewer made its start page again instead of showing the kept one")
            shown.write_text(shown_text + "\nEdited.\n" * (turn % 2 + 1), encoding="utf-8")
            times["remade"].append(timed(viewer, env, "painted remade"))  # made again before the notes are read
            kept_page(cache)[0].unlink()
            times["no_page"].append(timed(viewer, env, "painted remade"))  # from the note's file and the kept names
            kept_page(cache)[0].unlink()
            kept_names(cache).unlink()
            times["made"].append(timed(viewer, env, "painted made"))  # the page made again (and kept for the next turn)
            kept_page(cache), kept_names(cache)
    bare_s, kept_s, other_s, remade_s, no_page_s, made_s = (
        statistics.median(times[k]) for k in ("bare", "kept", "other", "remade", "no_page", "made"))
    turns = statistics.median(v / b for v, b in zip(times["kept"], times["bare"], strict=True))
    return {"runs": runs, "notes": None if source == ROOT / "kb" else len(list(source.rglob("*.md"))),
            "bare_window_s": round(bare_s, 3), "viewer_first_note_s": round(kept_s, 3),
            "ratio": round(kept_s / bare_s, 2), "viewer_other_note_edited_s": round(other_s, 3),
            "ratio_other_note_edited": round(other_s / bare_s, 2), "viewer_shown_note_edited_s": round(remade_s, 3),
            "ratio_shown_note_edited": round(remade_s / bare_s, 2), "viewer_no_page_kept_s": round(no_page_s, 3),
            "ratio_no_page_kept": round(no_page_s / bare_s, 2), "viewer_page_made_s": round(made_s, 3),
            "ratio_page_made": round(made_s / bare_s, 2), "ratio_of_turns": round(turns, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.startup", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--notes", type=int, help="a generated folder of this many notes (default: the bundled notes)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.runs, corpus_folder(args.data, args.notes, args.seed) if args.notes else ROOT / "kb")
    if args.json:
        print(json.dumps(result))
    else:
        where = f"{result['notes']:,} notes" if result["notes"] else "the bundled notes"
        print(f"{where}: bare PySide6 window: {result['bare_window_s']:.2f} s; viewer with its first note: "
              f"{result['viewer_first_note_s']:.2f} s, ratio {result['ratio']:.2f}; after another note was edited: "
              f"{result['viewer_other_note_edited_s']:.2f} s, ratio {result['ratio_other_note_edited']:.2f}; "
              f"after the note it shows was edited: {result['viewer_shown_note_edited_s']:.2f} s, ratio "
              f"{result['ratio_shown_note_edited']:.2f}; "
              f"with no page kept: {result['viewer_no_page_kept_s']:.2f} s, ratio {result['ratio_no_page_kept']:.2f}; "
              f"with no page and no names kept: {result['viewer_page_made_s']:.2f} s, ratio "
              f"{result['ratio_page_made']:.2f} (medians of {args.runs}); median of each turn's ratio "
              f"{result['ratio_of_turns']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
