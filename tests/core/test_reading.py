"""Reading note files in a pool of processes gives what reading them in place gives."""

from pathlib import Path

import pytest

from viewer.core import KnowledgeBase, reading
from viewer.core.reading import read_all


def _jobs(folder: Path) -> list[reading.Job]:
    return [(p.relative_to(folder).as_posix(), str(p), p.stat().st_size, "")
            for p in sorted(folder.rglob("*.md"))]


def test_a_pool_reads_the_same_as_one_process_in_the_same_order(bad_kb):
    jobs = _jobs(bad_kb)
    assert len(jobs) > 3
    assert list(read_all(jobs, parallel=True)) == list(read_all(jobs, parallel=False))


def test_an_unchanged_sha_is_not_parsed_again(small_kb):
    jobs = _jobs(small_kb)
    first = list(read_all(jobs, parallel=False))
    again = list(read_all([(path, full, size, sha) for (path, full, size, _), (_, sha, _, _)
                           in zip(jobs, first, strict=False)], parallel=True))
    assert [parsed for _, _, parsed, _ in again] == [None] * len(jobs)
    assert [sha for _, sha, _, _ in again] == [sha for _, sha, _, _ in first]


def test_progress_counts_every_file_and_stopping_it_stops_reading(small_kb):
    jobs = _jobs(small_kb) * 300
    seen: list[int] = []
    assert len(list(read_all(jobs, seen.append, parallel=True))) == len(jobs)
    assert seen[-1] == len(jobs) and seen == sorted(seen)

    class Stop(Exception):
        pass

    def stop(_done: int) -> None:
        raise Stop
    with pytest.raises(Stop):
        list(read_all(jobs, stop, parallel=True))


def test_a_folder_opened_with_a_pool_has_the_same_notes_links_and_problems(bad_kb, tmp_path, monkeypatch):
    alone = KnowledgeBase.open(bad_kb, store=tmp_path / "one.json")
    monkeypatch.setattr(reading, "PARALLEL_FROM", 1)
    monkeypatch.setattr(reading, "workers", lambda: 2)
    pooled = KnowledgeBase.open(bad_kb, store=tmp_path / "pool.json")
    assert [(n.id, n.title, n.body, n.tags) for n in pooled] == [(n.id, n.title, n.body, n.tags) for n in alone]
    assert pooled.links() == alone.links()
    assert pooled.diagnostics == alone.diagnostics
