"""Pausing Python's cyclic garbage collector while a knowledge base is loaded."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


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
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if loading:
            gc.freeze()
        if was_enabled:
            gc.enable()
