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
    Before a load, what an earlier load froze is thawed and collected, so a
    knowledge base that was let go is freed.
    """
    was_enabled = gc.isenabled()
    if loading and gc.get_freeze_count():  # at the first load there is nothing to free yet
        gc.unfreeze()
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if loading:
            gc.freeze()
        if was_enabled:
            gc.enable()
