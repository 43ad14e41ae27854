"""Pausing Python's cyclic garbage collector: while the program starts, and while a knowledge base loads.

Pauses nest and may come from different threads (the window's start and a load
in its worker overlap): the collector runs again when the last one ends, if it
ran before the first.

Starting, the program imports its modules and builds its window: hundreds of
thousands of objects, almost none in cycles, which the collector would scan
again and again (about 15 ms of the window's start). `start_up()` pauses it
until `start_up_done()`: the window shown and its event loop running (the
load in its worker, started before, holds its own pause until it ends), or a
sub-command's start. The few cycles left meanwhile (about 450 objects, most of
them functions `dataclasses` made) are frozen with the first load's objects.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


def pause() -> None:
    """Stop collections until the matching `resume()`."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1


def resume() -> None:
    """End one `pause()`; the last one ended lets the collector run again, if it ran before."""
    global _pauses
    with _lock:
        if _pauses == 0:
            raise RuntimeError("resume() without pause()")
        _pauses -= 1
        if _pauses == 0 and _was_enabled:
            gc.enable()


_starting = False


def start_up() -> None:
    """The program starts: no collections until `start_up_done()`."""
    global _starting
    if not _starting:
        _starting = True
        pause()


def start_up_done() -> None:
    """The program has started (called again, it does nothing)."""
    global _starting
    if _starting:
        _starting = False
        resume()


@contextmanager
def collector_paused(loading: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector during a sync.

    Loading a knowledge base makes millions of small, long-lived objects
    with no cycles among them; the collector would rescan them again and
    again (a third of the time of opening 50,000 notes), during the load and
    after it. So after a load they are frozen: left out of later collections.
    They are not thawed and collected before the next load: a knowledge base
    holds no cycles, so one that is let go is freed by reference counting
    (`viewer.core.release`), while collecting a million frozen objects is one
    call that holds the interpreter lock for about a second at 50,000 notes.
    """
    pause()
    try:
        yield
    finally:
        if loading:
            gc.freeze()
        resume()
