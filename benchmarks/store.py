"""Note-store benchmark: opening a folder, against SQLite FTS5 and an earlier revision, in one run.

    python -m benchmarks.store --notes 50000 [--ref REV] [--json] [--data bench-data]

For the generated folder of that size (benchmarks.generate), each step runs in
a fresh child process, so its peak memory is its own:

- first open: `KnowledgeBase.open` with no store (read, parse, store, index);
- reopen: the same with the store and index in place;
- one-file re-sync: open, append a word to one note, time `kb.sync()` and the
  index taking the change (`kb.prepare_search()`); and the same with the note's
  title changed instead (links may name it);
- FTS5: read every file and index its text in an SQLite FTS5 table (the
  reference: the least any viewer must do to search the same files).

Before each timed step the folder's files are read once, so each starts with
them in the page cache (from a cold cache FTS5 took twice as long).

With `--ref REV`, the same steps run on that git revision's code (checked out
into a temporary folder), interleaved with the current code's, so the two are
compared on the same machine in the same minutes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.search import ROOT, corpus_folder, settle

_PEAK = """
def peak_rss_mb():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            return int(line.split()[1]) / 1024
    return 0.0
"""

_OPEN = _PEAK + """
import sys, time
from viewer.core import KnowledgeBase
started = time.perf_counter()
kb = KnowledgeBase.open(sys.argv[1], store=sys.argv[2])
print(time.perf_counter() - started, peak_rss_mb())
"""

_RESYNC = _PEAK + """
import re, sys, time
from pathlib import Path
from viewer.core import KnowledgeBase
kb = KnowledgeBase.open(sys.argv[1], store=sys.argv[2])
note = sorted(Path(sys.argv[1]).rglob('*.md'))[len(kb) // 2]
original = note.read_bytes()
if sys.argv[3] == 'title':  # the note's title changed: links may name it
    text = original.decode()
    edited = (re.sub('^title: ', 'title: Renamed ', text, count=1, flags=re.M) if re.search('^title: ', text, re.M)
              else '---\\ntitle: Renamed note\\n---\\n' + text).encode()
else:  # a word appended: every name as it was
    edited = original + b'\\nappended\\n'
try:
    note.write_bytes(edited)
    started = time.perf_counter()
    result = kb.sync()
    kb.prepare_search()  # the index opened and the change indexed (a sync may leave it to here)
    elapsed = time.perf_counter() - started
    assert result.changed == 1, result
finally:
    note.write_bytes(original)
kb.sync()
print(elapsed, peak_rss_mb())
"""

_FTS5 = _PEAK + """
import sqlite3, sys, time
from pathlib import Path
started = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE VIRTUAL TABLE notes USING fts5(path, body, tokenize='porter unicode61 remove_diacritics 2')")
db.executemany("INSERT INTO notes VALUES (?, ?)",
               ((str(p), p.read_text('utf-8')) for p in Path(sys.argv[1]).rglob('*.md')))
db.commit()
db.execute("INSERT INTO notes(notes) VALUES('optimize')")
db.commit()
print(time.perf_counter() - started, peak_rss_mb())
"""


def child(code: str, root: Path, *args: str) -> tuple[float, float]:
    """Run `code` with `root`'s viewer package first on the path: (seconds, peak MB)."""
    env_path = f"{root}{':' + str(ROOT) if root != ROOT else ''}"
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
                         cwd=root, env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"}).stdout.split()
    return float(out[0]), float(out[1])


def measure(root: Path, folder: Path, scratch: Path, runs: int) -> dict[str, float]:
    """The steps for the code at `root`: medians of `runs` each (first open: one run each time)."""
    firsts, first_peaks, reopens, reopen_peaks, resyncs, renames = [], [], [], [], [], []
    for run in range(runs):
        store = scratch / f"store-{run}" / "store.json"
        if store.parent.exists():
            shutil.rmtree(store.parent)
        settle(folder)
        seconds, peak = child(_OPEN, root, str(folder), str(store))
        firsts.append(seconds)
        first_peaks.append(peak)
        settle(folder)
        seconds, peak = child(_OPEN, root, str(folder), str(store))
        reopens.append(seconds)
        reopen_peaks.append(peak)
        resyncs.append(child(_RESYNC, root, str(folder), str(store), "append")[0])
        renames.append(child(_RESYNC, root, str(folder), str(store), "title")[0])
        shutil.rmtree(store.parent)
    return {"first_open_s": statistics.median(firsts), "first_open_peak_mb": max(first_peaks),
            "reopen_s": statistics.median(reopens), "reopen_peak_mb": max(reopen_peaks),
            "resync_one_file_s": statistics.median(resyncs), "resync_title_change_s": statistics.median(renames)}


def fts5(folder: Path, scratch: Path, runs: int) -> dict[str, float]:
    times, peaks = [], []
    for run in range(runs):
        db = scratch / f"fts5-{run}.sqlite"
        db.unlink(missing_ok=True)
        settle(folder)
        seconds, peak = child(_FTS5, ROOT, str(folder), str(db))
        times.append(seconds)
        peaks.append(peak)
        db.unlink()
    return {"fts5_read_and_index_s": statistics.median(times), "fts5_peak_mb": max(peaks)}


def checkout(rev: str, into: Path) -> Path:
    """The viewer package of git revision `rev`, extracted under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", rev, "viewer", "benchmarks"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def run(notes: int, data_dir: Path, seed: int, runs: int, ref: str | None, log=print) -> dict:
    folder = corpus_folder(data_dir, notes, seed)
    result: dict = {"notes": notes}
    with tempfile.TemporaryDirectory(prefix="kbstore-bench-") as tmp:
        scratch = Path(tmp)
        result.update(fts5(folder, scratch, runs))
        log(f"FTS5 read and index: {result['fts5_read_and_index_s']:.2f} s")
        result["current"] = measure(ROOT, folder, scratch, runs)
        log(f"current: {result['current']}")
        if ref:
            ref_root = checkout(ref, scratch / "ref")
            result["ref"] = {"rev": ref, **measure(ref_root, folder, scratch, runs)}
            log(f"{ref}: {result['ref']}")
    base = result["fts5_read_and_index_s"]
    current = result["current"]
    current["first_open_vs_fts5"] = current["first_open_s"] / base
    current["resync_share"] = current["resync_one_file_s"] / current["first_open_s"]
    current["resync_title_change_share"] = current["resync_title_change_s"] / current["first_open_s"]
    if ref:
        result["current_vs_ref"] = {k: result["current"][k] / result["ref"][k]
                                    for k in ("first_open_s", "reopen_s", "resync_one_file_s", "resync_title_change_s",
                                              "first_open_peak_mb", "reopen_peak_mb")}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.store", description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each step (default 3; medians)")
    parser.add_argument("--ref", help="a git revision to measure beside the current code")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = run(args.notes, args.data, args.seed, args.runs, args.ref,
                 log=(lambda *_: None) if args.json else print)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
