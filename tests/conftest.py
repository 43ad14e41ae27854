from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI explores the same examples every run; local runs explore new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """No test touches the real user cache, data or settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture
def bad_kb(tmp_path) -> Path:
    """The bad-input folder, plus the cases git cannot hold well.

    Added here: a 5 MB note, a binary file named .md, a file with NUL bytes,
    a symlink pointing outside the folder, and deeply nested front matter.
    """
    folder = tmp_path / "bad-kb"
    shutil.copytree(FIXTURES / "bad-kb", folder)
    (folder / "huge.md").write_text("# Huge\n\n" + ("word " * 1_100_000), encoding="utf-8")
    (folder / "binary.md").write_bytes(bytes(range(256)) * 8)
    (folder / "nul-bytes.md").write_bytes(b"# Title\n\nsome\x00text\n")
    outside = tmp_path / "outside.md"
    outside.write_text("# Outside\n\nsecret\n", encoding="utf-8")
    (folder / "escape.md").symlink_to(outside)
    deep = "---\ntitle: Deep\nnested: " + "[" * 5000 + "]" * 5000 + "\n---\n# Deep\n\nSee [[good-one]].\n"
    (folder / "deep-front-matter.md").write_text(deep, encoding="utf-8")
    wide = "---\ntitle: Wide\n" + "".join(f"k{i}: {{a: {{b: {{c: [1, 2, 3]}}}}}}\n" for i in range(600))
    (folder / "wide-front-matter.md").write_text(wide + "---\n# Wide\n\nSee [[good-two]].\n", encoding="utf-8")
    return folder


@pytest.fixture
def small_kb(tmp_path) -> Path:
    """A tiny, clean knowledge base written on the spot."""
    folder = tmp_path / "kb"
    (folder / "events").mkdir(parents=True)
    (folder / "alpha.md").write_text(
        "---\ntitle: Alpha Agency\ntype: organisation\naliases: [AA]\ntags: [police]\n"
        "sources: [paper]\n---\n# Alpha Agency\n\nAlpha took part in [[the-event|the event]]. "
        "It was reported by [[paper]].\n", encoding="utf-8")
    (folder / "events" / "the-event.md").write_text(
        "---\ntitle: The Event\ntype: event\ndate: 2020-02-21\nsources: [paper]\n---\n"
        "# The Event\n\nThe [[AA]] was there. See [[alpha#History|its history]].\n", encoding="utf-8")
    (folder / "paper.md").write_text(
        "---\ntitle: The Paper\ntype: source\noutlet: Daily\npublished: 2020-03\n---\n"
        "# The Paper\n\nAbout [[Alpha Agency]] and [[The Event]].\n", encoding="utf-8")
    return folder


class LockClock:
    """A stand-in for the clock of viewer.core.filelock: sleeping advances it at once.

    `waits` holds how long (on this clock) each attempt to take a lock lasted, so a test
    can check which timeout a caller used without waiting for it.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def lock_clock(monkeypatch) -> LockClock:
    from viewer.core import filelock

    clock = LockClock()
    monkeypatch.setattr(filelock, "time", clock)
    acquire = filelock.FileLock._acquire

    def timed_acquire(self) -> None:
        began = clock.now
        try:
            acquire(self)
        finally:
            clock.waits.append(clock.now - began)

    monkeypatch.setattr(filelock.FileLock, "_acquire", timed_acquire)
    return clock


def pytest_collection_modifyitems(items):
    """Slow tests first: run in parallel (make test), they then overlap the rest instead of trailing it."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
