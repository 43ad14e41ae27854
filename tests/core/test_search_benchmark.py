"""The benchmark's corpus generator and harness (what they produce, not how fast)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from benchmarks.generate import corpus, generate
from benchmarks.search import ROOT, queries
from viewer.core import KnowledgeBase


def test_generator_is_deterministic_and_writes_the_format(tmp_path):
    first = generate(tmp_path / "a", 40)
    second = generate(tmp_path / "b", 40)
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.md"))
    assert len(files) == 40
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*.md"))
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    kb = KnowledgeBase.open(first, store=tmp_path / "s.json")
    assert len(kb) == 40 and not [d for d in kb.diagnostics if d.severity == "error"]
    assert {n.type for n in kb} >= {"event", "person"} and any(n.date for n in kb) and any(n.tags for n in kb)
    assert all(len(n.body.split()) >= 150 for n in kb) and kb.links()
    assert sum(1 for link in kb.links() if link.broken) == 0


def test_query_set_covers_every_kind_of_query():
    bench = queries(corpus())
    assert len(bench) >= 50
    kinds = {q.kind for q in bench}
    assert kinds >= {"frequent word", "rare word", "two words", "phrase", "prefix", "filter", "or", "not"}
    assert any(q.date for q in bench) and any("tag:" in q.ours for q in bench)


@pytest.mark.slow
def test_harness_prints_one_json_object(tmp_path):
    result = subprocess.run([sys.executable, "-m", "benchmarks.search", "--notes", "60", "--repeat", "1", "--limit", "50",
                             "--json", "--data", str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("notes", "ours_p50_ms", "ours_p95_ms", "fts5_p50_ms", "fts5_p95_ms", "build_s",
                "fts5_build_s", "reopen_s", "peak_rss_mb"):
        assert isinstance(report[key], (int, float)) and report[key] >= 0, key
    assert report["notes"] == 60 and report["limit"] == 50 and report["samples_per_engine"] == report["queries"] >= 50


def test_settle_with_a_folder_reads_each_note_file_once(tmp_path, monkeypatch):
    from pathlib import Path

    from benchmarks import search as search_bench

    folder = generate(tmp_path / "kb", 12)
    read = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real(self))
    monkeypatch.setattr(search_bench.time, "sleep", lambda _: None)
    search_bench.settle(folder)
    assert sorted(read) == sorted(folder.rglob("*.md")) and len(read) == 12
    read.clear()
    search_bench.settle()
    assert read == []
