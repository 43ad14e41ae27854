"""Search benchmark: our index against SQLite FTS5, on the same notes, in one run.

    python -m benchmarks.search --notes 10000 [--limit 20] [--json] [--repeat 5] [--data bench-data]

The corpus is generated once per size (benchmarks.generate) under --data. The
run opens it through KnowledgeBase for the first time in a child process
(parse, store, index), opens it again here, times our index build and an FTS5
build from the same notes in this process (porter stemming, accents removed,
bm25 with the same field weights, snippet() on the body, then 'optimize'),
times a fixed set of queries on both engines, interleaved (--limit hits each,
with snippets), and reports p50
and p95 per engine, both build times, the time to reopen the indexed folder
in a fresh process, and the peak memory of all these processes.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import Corpus, corpus
from viewer.core import KnowledgeBase
from viewer.core.dates import parse_query_range
from viewer.core.search import SearchIndex
from viewer.core.search.compiler import FIELD_BOOSTS

LIMIT = 20
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class BenchQuery:
    """One query in both languages."""

    kind: str
    ours: str
    fts5: str  # an FTS5 MATCH expression
    date: str | None = None  # our date filter, applied to FTS5 through a join


def queries(data: Corpus) -> list[BenchQuery]:
    """The fixed query set: frequent and rare words, ANDs, phrases, prefixes, filters, OR, NOT."""
    w = data.words
    out: list[BenchQuery] = []

    def add(kind: str, ours: str, fts5: str, date: str | None = None) -> None:
        out.append(BenchQuery(kind, ours, fts5, date))

    for rank in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500):
        add("frequent word", w[rank], f'"{w[rank]}"')
    for rank in (3000, 5000, 8000, 10000, 12000, 15000, 18000, 21000, 25000, 29000):
        add("rare word", w[rank], f'"{w[rank]}"')
    for a, b in ((0, 1), (2, 50), (5, 300), (10, 1000), (100, 200), (30, 5000), (1, 12000), (500, 800),
                 (60, 2500), (3, 20000)):
        add("two words", f"{w[a]} {w[b]}", f'"{w[a]}" "{w[b]}"')
    for phrase in (*data.phrases[:6], f"{w[0]} {w[1]}", f"{w[2]} {w[0]}"):
        add("phrase", f'"{phrase}"', f'"{phrase}"')
    for rank, size in ((0, 3), (7, 3), (40, 3), (150, 3), (600, 4), (2000, 4), (4000, 4), (9000, 5)):
        prefix = w[rank][:size]
        add("prefix", f"{prefix}*", f'"{prefix}"*')
    t = data.tags
    add("filter", f"type:event {w[3]}", f'type:"event" "{w[3]}"')
    add("filter", f"type:person {w[400]}", f'type:"person" "{w[400]}"')
    add("filter", f"tag:{t[0]} {w[8]}", f'tags:"{t[0]}" "{w[8]}"')
    add("filter", f"tag:{t[5]}", f'tags:"{t[5]}"')
    add("filter", f"title:{w[120].capitalize()}", f'title:"{w[120]}"')
    add("filter", f"title:{w[3500]}", f'title:"{w[3500]}"')
    add("filter", f"date:2020 {w[4]}", f'"{w[4]}"', "2020")
    add("filter", f"date:2018-03..2019-06 {w[90]}", f'"{w[90]}"', "2018-03..2019-06")
    add("filter", f"type:source date:2021 {w[15]}", f'type:"source" "{w[15]}"', "2021")
    add("filter", f"tag:{t[2]} type:event {w[1]}", f'tags:"{t[2]}" type:"event" "{w[1]}"')
    for a, b in ((300, 700), (2000, 2100), (9, 6000)):
        add("or", f"{w[a]} OR {w[b]}", f'"{w[a]}" OR "{w[b]}"')
    for a, b in ((0, 1), (40, 2), (300, 5)):
        add("not", f"{w[a]} -{w[b]}", f'"{w[a]}" NOT "{w[b]}"')
    return out


# -- FTS5 -----------------------------------------------------------------------

class Fts5:
    """The same notes in an SQLite FTS5 table, ranked by bm25 with our field weights."""

    def __init__(self, path: Path, limit: int = LIMIT) -> None:
        if path.exists():
            path.unlink()
        self.db = sqlite3.connect(path)
        weights = ", ".join(str(x) for x in (0.0, FIELD_BOOSTS["title"], FIELD_BOOSTS["aliases"],
                                              FIELD_BOOSTS["body"], 0.0, 0.0))
        self.sql = (f"SELECT id, title, type, bm25(notes, {weights}) AS rank, "
                    f"snippet(notes, 3, '<b>', '</b>', '…', 20) FROM notes WHERE notes MATCH ? {{date}} "
                    f"ORDER BY rank LIMIT {int(limit)}")

    def build(self, kb: KnowledgeBase) -> None:
        db = self.db
        db.execute("CREATE VIRTUAL TABLE notes USING fts5(id UNINDEXED, title, aliases, body, type, tags, "
                   "tokenize='porter unicode61 remove_diacritics 2')")
        db.execute("CREATE TABLE dates(id INTEGER PRIMARY KEY, start INTEGER, end INTEGER)")
        rows = []
        for rowid, note in enumerate(kb, 1):
            rows.append((rowid, note.id, note.title, " ".join(note.aliases), note.body, note.type or "",
                         " ".join(note.tags)))
            bounds = parse_query_range(note.date) if note.date else None
            if bounds:
                db.execute("INSERT INTO dates VALUES (?, ?, ?)", (rowid, *bounds))
            if len(rows) == 1000:
                db.executemany("INSERT INTO notes(rowid, id, title, aliases, body, type, tags) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                rows.clear()
        db.executemany("INSERT INTO notes(rowid, id, title, aliases, body, type, tags) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        db.execute("CREATE INDEX dates_span ON dates(start, end)")
        db.execute("INSERT INTO notes(notes) VALUES ('optimize')")
        db.commit()

    def search(self, query: BenchQuery) -> list[tuple]:
        if query.date is None:
            return self.db.execute(self.sql.format(date=""), (query.fts5,)).fetchall()
        low, high = parse_query_range(query.date)
        sql = self.sql.format(date="AND rowid IN (SELECT id FROM dates WHERE start <= ? AND end >= ?)")
        return self.db.execute(sql, (query.fts5, high, low)).fetchall()


# -- the run --------------------------------------------------------------------

def corpus_folder(data_dir: Path, notes: int, seed: int) -> Path:
    """The generated folder for this size, generated (in a child process) if missing."""
    folder = data_dir / f"kb-{notes}"
    marker = folder / ".generated"
    if not marker.exists() or marker.read_text().split() != [str(notes), str(seed)]:
        if folder.exists():
            shutil.rmtree(folder)
        subprocess.run([sys.executable, "-m", "benchmarks.generate", "--notes", str(notes), "--seed", str(seed),
                        "--out", str(folder)], check=True, cwd=ROOT)
    return folder


def settle(folder: Path | None = None) -> None:
    """Flush what earlier steps wrote, so that no build waits on another's disk writes.

    With `folder`, its note files are read once too, so that every timed step
    that reads them starts with them in the page cache: a step run right after
    they left it (the first of a run) paid for the disk alone, twice as long.
    """
    if hasattr(os, "sync"):
        os.sync()
    if folder is not None:
        for path in folder.rglob("*.md"):
            path.read_bytes()
    time.sleep(0.5)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


_OPEN_IN_CHILD = """\
import sys, time
from benchmarks.search import peak_rss_mb
from viewer.core import KnowledgeBase
started = time.perf_counter()
kb = KnowledgeBase.open(sys.argv[1], store=sys.argv[2])
print(time.perf_counter() - started, len(kb), kb.last_sync.touched, peak_rss_mb())
"""


def open_in_child(folder: Path, store: Path) -> tuple[float, bool, float]:
    """KnowledgeBase.open in a fresh process: (seconds, whether it found changes, peak RSS in MB)."""
    out = subprocess.run([sys.executable, "-c", _OPEN_IN_CHILD, str(folder), str(store)], check=True,
                         cwd=ROOT, capture_output=True, text=True).stdout.split()
    return float(out[0]), out[2] == "True", float(out[3])


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from a parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


def reopen_time(folder: Path, store: Path, runs: int = 3) -> tuple[float, float]:
    """Median time of KnowledgeBase.open on the indexed folder in fresh processes, and their peak RSS (MB)."""
    times, peaks = [], []
    for _ in range(runs):
        seconds, changed, peak = open_in_child(folder, store)
        if changed:
            raise RuntimeError("the reopen found changes: the folder was not indexed")
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def run(notes: int, data_dir: Path, seed: int, repeat: int, log=print, limit: int = LIMIT) -> dict:
    folder = corpus_folder(data_dir, notes, seed)
    work = data_dir / f"run-{notes}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    store = work / "store.json"

    settle(folder)
    first_open, _, first_open_peak = open_in_child(folder, store)
    log(f"first open (parse, store, index), in a child process: {first_open:.2f} s, peak {first_open_peak:.0f} MB")
    kb = KnowledgeBase.open(folder, store=store)
    log(f"{len(kb)} notes")

    settle()
    with tempfile.TemporaryDirectory(dir=work) as scratch:
        started = time.perf_counter()
        SearchIndex(Path(scratch) / "index").rebuild(kb)
        build = time.perf_counter() - started
    log(f"our index build: {build:.2f} s")

    fts5 = Fts5(work / "fts5.sqlite", limit)
    settle()
    started = time.perf_counter()
    fts5.build(kb)
    fts5_build = time.perf_counter() - started
    log(f"FTS5 build (with optimize): {fts5_build:.2f} s")

    bench = queries(corpus(seed))
    ours_ms: list[float] = []
    fts5_ms: list[float] = []
    by_kind: dict[str, tuple[list[float], list[float]]] = {}
    empty_mismatch = []
    for query in bench:  # warm both, and compare whether each finds anything
        mine, theirs = kb.search(query.ours, limit=limit), fts5.search(query)
        if bool(mine) != bool(theirs):
            empty_mismatch.append({"query": query.ours, "ours": len(mine), "fts5": len(theirs),
                                   "ours_searched_for": mine.searched_for})
    clock = time.perf_counter
    for rep in range(repeat):
        for index, query in enumerate(bench):
            ours_first = (rep + index) % 2 == 0
            for engine in ("ours", "fts5") if ours_first else ("fts5", "ours"):
                started = clock()
                if engine == "ours":
                    kb.search(query.ours, limit=limit)
                else:
                    fts5.search(query)
                elapsed = (clock() - started) * 1000
                (ours_ms if engine == "ours" else fts5_ms).append(elapsed)
                kinds = by_kind.setdefault(query.kind, ([], []))
                kinds[0 if engine == "ours" else 1].append(elapsed)
    fts5.db.close()
    main_peak = peak_rss_mb()
    del kb
    gc.collect()
    reopen, reopen_peak = reopen_time(folder, store)
    peak = max(main_peak, first_open_peak, reopen_peak)
    result = {
        "notes": notes,
        "limit": limit,
        "ours_p50_ms": round(percentile(ours_ms, 0.5), 3),
        "ours_p95_ms": round(percentile(ours_ms, 0.95), 3),
        "fts5_p50_ms": round(percentile(fts5_ms, 0.5), 3),
        "fts5_p95_ms": round(percentile(fts5_ms, 0.95), 3),
        "build_s": round(build, 2),
        "fts5_build_s": round(fts5_build, 2),
        "reopen_s": round(reopen, 2),
        "peak_rss_mb": round(peak, 1),
        "p50_ratio": round(percentile(ours_ms, 0.5) / percentile(fts5_ms, 0.5), 2),
        "p95_ratio": round(percentile(ours_ms, 0.95) / percentile(fts5_ms, 0.95), 2),
        "first_open_s": round(first_open, 2),
        "first_open_peak_rss_mb": round(first_open_peak, 1),
        "benchmark_peak_rss_mb": round(main_peak, 1),
        "reopen_peak_rss_mb": round(reopen_peak, 1),
        "queries": len(bench),
        "samples_per_engine": len(ours_ms),
        "by_kind_p50_ms": {kind: {"ours": round(percentile(a, 0.5), 3), "fts5": round(percentile(b, 0.5), 3)}
                           for kind, (a, b) in by_kind.items()},
        "found_nothing_in_one_engine_only": empty_mismatch,
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.search", description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=LIMIT, help=f"hits a query, with snippets (default {LIMIT})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes over the query set (default 5)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data",
                        help="where corpora and indexes go (default: the git-ignored bench-data/)")
    args = parser.parse_args(argv)
    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    result = run(args.notes, args.data, args.seed, args.repeat, log, max(1, args.limit))
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"\n{result['notes']} notes, {result['queries']} queries x {args.repeat} passes, "
          f"{result['limit']} hits each\n")
    print("| engine | p50 ms | p95 ms | build s |")
    print("| --- | --- | --- | --- |")
    print(f"| ours (tantivy) | {result['ours_p50_ms']} | {result['ours_p95_ms']} | {result['build_s']} |")
    print(f"| SQLite FTS5 | {result['fts5_p50_ms']} | {result['fts5_p95_ms']} | {result['fts5_build_s']} |")
    print(f"\nratio ours/FTS5: p50 {result['p50_ratio']}, p95 {result['p95_ratio']}")
    print(f"first open {result['first_open_s']} s (peak {result['first_open_peak_rss_mb']} MB); "
          f"reopen {result['reopen_s']} s (peak {result['reopen_peak_rss_mb']} MB); "
          f"timing process peak {result['benchmark_peak_rss_mb']} MB; peak RSS {result['peak_rss_mb']} MB")
    for kind, p50 in result["by_kind_p50_ms"].items():
        print(f"  {kind:<14} p50 ours {p50['ours']:>7} ms   FTS5 {p50['fts5']:>7} ms")
    if result["found_nothing_in_one_engine_only"]:
        print("found nothing in one engine only:", result["found_nothing_in_one_engine_only"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
