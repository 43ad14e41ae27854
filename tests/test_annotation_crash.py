"""Crash test: `kbviewer annotations add` killed with SIGKILL at random moments.

Adds run in subprocesses, several at once on the same data folder (so they
also contend for the lock), and most are killed at a random moment of their
run. The kill delay adapts so that about a quarter of the runs finish, however
fast the machine is. After every kill the file must still be valid JSON;
at the end it must load without a warning and hold every annotation whose
command exited 0, each exactly once, and every annotation there before.
Set CRASH_SEED to replay a run's random choices.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import orjson
import pytest

from viewer.core.annotations import Annotation, AnnotationId, AnnotationStore
from viewer.core.model import NoteId

ROOT = Path(__file__).resolve().parents[1]
KILLS = 200  # at least this many processes are killed while running
PARALLEL = 8
MAX_RUNS = 1000
PROGRESS = re.compile(rb"(?m)^(?:Reading|Indexing) notes: \d+/\d+ \(\d+%\)\n")  # shown after 0.5 s
EXISTING = 1000  # annotations already there, so a write takes long enough to be hit

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class _Aim:
    """The longest kill delay: shrinks when a run finishes, grows when one is killed,
    settling where about three runs in four are killed."""

    def __init__(self, start: float) -> None:
        self.limit = start

    def finished(self) -> None:
        self.limit *= 0.94

    def killed(self) -> None:
        self.limit *= 1.02


def test_killed_adds_never_lose_an_annotation_whose_command_succeeded(small_kb, tmp_path):
    seed = int(os.environ.get("CRASH_SEED", time.time_ns() % 2**32))
    rng = random.Random(seed)
    data = tmp_path / "data"
    command = [sys.executable, "-m", "viewer", "annotations", "add", "alpha", "--quote", "took part",
               "--kb", str(small_kb), "--store", str(tmp_path / "store.json"), "--data", str(data)]
    _fill(data, EXISTING)
    began = time.monotonic()
    subprocess.run([*command, "--comment", "warm-up"], cwd=ROOT, check=True, capture_output=True, timeout=60)
    aim = _Aim(2 * (time.monotonic() - began))
    results: dict[str, int] = {}
    errors: list[str] = []
    guard = threading.Lock()
    numbers = iter(range(MAX_RUNS))

    def next_run() -> tuple[str, float] | None:
        with guard:
            killed = sum(code == -signal.SIGKILL for code in results.values())
            number = next(numbers, None)
            if killed >= KILLS or number is None:
                return None
            return f"run-{number}", rng.uniform(0.0, aim.limit)

    def worker() -> None:
        while (job := next_run()) is not None:
            comment, delay = job
            proc = subprocess.Popen([*command, "--comment", comment], cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGKILL)
            _, err = proc.communicate(timeout=60)
            err = PROGRESS.sub(b"", err)  # a progress line is not a problem: a loaded machine reads slowly
            problem = _unreadable(data / "annotations.json") if proc.returncode else None
            with guard:
                results[comment] = proc.returncode
                aim.finished() if proc.returncode == 0 else aim.killed()
                if proc.returncode not in (0, -signal.SIGKILL) or (proc.returncode == 0 and err):
                    errors.append(f"{comment} exited {proc.returncode}: {err.decode(errors='replace')}")
                if problem:
                    errors.append(f"after {comment} was killed: {problem}")

    threads = [threading.Thread(target=worker) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    context = f"(CRASH_SEED={seed})"
    killed = sorted(c for c, code in results.items() if code == -signal.SIGKILL)
    finished = sorted(c for c, code in results.items() if code == 0)
    assert not errors, f"{context} {errors[:3]}"
    assert len(killed) >= KILLS, context
    assert len(finished) >= 10, f"{context} too few runs finished to check anything"

    store = AnnotationStore.open(data)
    assert store.warnings == [], context
    comments = Counter(a.comment for a in store.all())
    missing = [c for c in ["warm-up", *finished] if comments[c] != 1]
    assert not missing, f"{context} lost or doubled: {missing[:5]}"
    assert all(count == 1 for count in comments.values()), context
    assert set(comments) <= {"warm-up", *results, *(f"existing-{i}" for i in range(EXISTING))}, context
    assert sum(c.startswith("existing-") for c in comments) == EXISTING, context
    assert not [p.name for p in data.iterdir() if ".corrupt-" in p.name or p.name.endswith(".tmp")], context
    print(f"{len(results)} runs: {len(killed)} killed ({sum(c in comments for c in killed)} of them "
          f"had saved), {len(finished)} finished; kill delays up to {aim.limit:.2f} s; seed {seed}")


def _unreadable(path: Path) -> str | None:
    """What is wrong with the file as it is now (other adds may be running), or None."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as err:
        return f"{path.name}: {err}"
    if not isinstance(data, dict) or len(data.get("annotations", ())) < EXISTING:
        return f"{path.name} lost annotations"
    return None


def _fill(data: Path, count: int) -> None:
    """Annotations made beforehand (one write), on a note of another knowledge base."""
    text = "Some words of another note, long enough to hold a quote or two. " * 3
    made = [Annotation(AnnotationId(f"00000000-0000-4000-8000-{i:012d}"), NoteId("elsewhere"),
                       text[10:60], text[:10], text[60:92], 10, 60, comment=f"existing-{i}",
                       tags=("old", f"t{i % 50}"), created="2026-01-01T00:00:00.000Z",
                       modified="2026-01-01T00:00:00.000Z") for i in range(count)]
    AnnotationStore.open(data).merge(made)
