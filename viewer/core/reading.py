"""Reading and parsing note files, in a pool of processes when there are many.

Each file is read, hashed and parsed (front matter, links, sentences) into
plain data: tuples, lists, dicts and strings, cheap to send between
processes. A first import of a large folder spreads the files over one
process per core, in chunks; a handful of changed files is read in place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from viewer.core.digest import file_digest
from viewer.core.model import Diagnostic
from viewer.core.parser import MAX_NOTE_BYTES, parse_file

PARALLEL_FROM = 1500  # files to parse before a pool pays for its start (~0.5 s a process)
CHUNK_MIN, CHUNK_MAX = 100, 800

# What to read: (relative path, absolute path, size, the sha stored last time or "")
Job = tuple[str, str, int, str]
# What was read: (relative path, sha, parsed or None when the sha is unchanged, or an error)
#   parsed: (note fields with "body", or None; link rows; diagnostics; sentences)
Read = tuple[str, str, "tuple | None", "dict[str, Any] | None"]


def read_one(job: Job) -> Read:
    """One file read, hashed and (when its bytes changed) parsed; never raises on bad input."""
    rel_path, path, size, old_sha = job
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_NOTE_BYTES + 1)
    except OSError as err:
        problem = Diagnostic(rel_path, 1, "error", "unreadable", f"cannot read file: {err.strerror}")
        return rel_path, "", None, problem.to_dict()
    sha = file_digest(data)
    if sha == old_sha:
        return rel_path, sha, None, None
    parsed = parse_file(rel_path, data, size=size)
    note = parsed.note
    fields = None
    if note is not None:
        fields = {"id": note.id, "path": note.path, "title": note.title, "type": note.type,
                  "aliases": note.aliases, "tags": note.tags, "date": note.date, "sources": note.sources,
                  "meta": note.meta, "body": note.body, "body_line": note.body_line}
    links = parsed.links
    return rel_path, sha, (
        fields,
        [[link.target, link.label, link.heading, link.embed, link.line] for link in links],
        [d.to_dict() for d in parsed.diagnostics],
        [link.context for link in links]), None


def read_chunk(jobs: Sequence[Job]) -> list[Read]:
    """A pool worker's share: some files, read in order."""
    return [read_one(job) for job in jobs]


def workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def read_all(jobs: Sequence[Job], progress: Callable[[int], None] | None = None,
             parallel: bool | None = None) -> Iterator[Read]:
    """Every job's result, in order; `progress(done)` after each chunk (it may raise to stop).

    With `parallel` None, a pool is used when there are many files and more
    than one core. Stopping (an exception from `progress`) cancels the chunks
    not yet started and waits for those running.
    """
    count = workers()
    if parallel is None:
        parallel = count > 1 and len(jobs) >= PARALLEL_FROM
    if not parallel:
        for done, job in enumerate(jobs, 1):
            yield read_one(job)
            if progress is not None and (done % 200 == 0 or done == len(jobs)):
                progress(done)
        return
    import multiprocessing  # loaded for a pool only: a start that reads a few changed files does without
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = max(CHUNK_MIN, min(CHUNK_MAX, len(jobs) // (count * 8) or 1))
    chunks = [jobs[start:start + size] for start in range(0, len(jobs), size)]
    done = 0
    try:
        # spawn, not fork: the window's threads may hold locks a forked child would inherit
        pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, RuntimeError, ValueError):
        pool = None
    if pool is not None:
        try:
            for results in pool.map(read_chunk, chunks):
                yield from results
                done += len(results)
                if progress is not None:
                    progress(done)
        except (BrokenProcessPool, OSError, RuntimeError):
            pass  # no process could start (a script run from stdin...): the rest is read here
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for number, job in enumerate(jobs[done:], done + 1):
        yield read_one(job)
        if progress is not None and (number % 200 == 0 or number == len(jobs)):
            progress(number)
