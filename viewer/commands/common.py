"""What every sub-command shares: where things are, opening the knowledge base, progress, errors."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from viewer.core.errors import ViewerError
from viewer.core.lazy import lazy_pattern
from viewer.core.paths import bundled_kb, default_data_dir, default_store

if TYPE_CHECKING:
    from viewer.core import KnowledgeBase

# C0 (but tab and newline), DEL, C1, and the marks that reorder or break lines on a terminal
_CONTROL = lazy_pattern("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """`text` with every control character written as an escape: ESC, BEL, C1 do nothing to the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


class InertOutput:
    """A text stream that passes on what is written with control characters escaped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(inert(text))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class CommandError(ViewerError):
    """A one-line message for the reader; the command exits non-zero."""


class Locations(NamedTuple):
    """Where the notes, their derived store and the reader's annotations are.

    Made once from `--kb`, `--store` and `--data` (`from_args`); every command
    and the window read them from here.
    """

    kb: Path  # the folder of notes (the bundled one by default)
    store: Path  # the derived note store (one per folder in the user cache by default)
    data: Path  # the folder of the annotations file (the user data folder by default)

    @classmethod
    def from_args(cls, args) -> Locations:
        given = getattr(args, "kb", None)
        kb = Path(given).expanduser() if given else bundled_kb()
        store = getattr(args, "store", None)
        data = getattr(args, "data", None)
        return cls(kb=kb, store=Path(store).expanduser() if store else default_store(kb),
                   data=Path(data).expanduser() if data else default_data_dir())

    def require_kb(self) -> Path:
        """The notes folder; a one-line error when it is not a folder."""
        if not self.kb.is_dir():
            raise CommandError(f"no such folder: {self.kb}")
        return self.kb


def locations(args) -> Locations:
    """The locations `main` resolved for this run (made here for a caller that skipped it)."""
    found = getattr(args, "locations", None)
    if found is None:
        found = Locations.from_args(args)
        args.locations = found
    return found


class ProgressBar:
    """A bar on standard error, drawn only when the work lasts a moment."""

    def __init__(self, stream: TextIO | None = None, delay: float = 0.5, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.delay = delay
        self.width = width
        self.shown = False
        self._last_step = -1

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.shown and time.monotonic() - self.start < self.delay:
            return
        self.shown = True
        fraction = done / total if total else 1.0
        if self.stream.isatty():
            filled = int(self.width * fraction)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r{what}: [{bar}] {done}/{total}")
            if done >= total:
                self.stream.write("\n")
        else:
            step = int(fraction * 10)
            if step != self._last_step:
                self._last_step = step
                self.stream.write(f"{what}: {done}/{total} ({fraction:.0%})\n")
        self.stream.flush()


def open_kb(args) -> KnowledgeBase:
    from viewer.core import KnowledgeBase, KnowledgeBaseError  # the window's start reads the notes in a worker

    where = locations(args)
    try:
        kb = KnowledgeBase.open(where.kb, store=where.store, progress=ProgressBar())
    except KnowledgeBaseError as err:
        raise CommandError(str(err)) from None
    for warning in kb.warnings:
        print(f"kbviewer: warning: {inert(warning)}", file=sys.stderr)
    return kb


def find_note(kb: KnowledgeBase, name: str):
    note = kb.resolve(name)
    if note is None:
        raise CommandError(f"no note named '{name}' (try an id, a title or an alias)")
    return note
