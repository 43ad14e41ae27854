"""Letting a large object go without stopping the window's thread.

A knowledge base of 50,000 notes is about a million objects: when the last
reference to it goes, freeing them is one long C call (0.2 s) on whichever
thread let go, holding the interpreter lock throughout. `release_later` takes
the reference to a thread of its own, waits until nothing else holds the
object, then empties the large containers only it holds a piece at a time
(each piece a few objects), so the lock changes hands between pieces.

"Nothing else holds it" is read from reference counts, whose meaning this
relies on: checked once, on a probe, when the module loads. Where they mean
something else (Python 3.14 borrows references; a build without the GIL), the
object is only let go, in that thread, as it is.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from typing import Any

DEPTH = 6  # how far into objects held only by the released one it goes
WAIT_S = 30.0  # how long it waits for other holders before it lets go of its reference as is
# In the release thread, a rest every so many pieces: the window's thread waits for the lock again after
# each call that lets it go (a file read, an index read), up to a switch interval each time it is busy here
PIECES_PER_REST = 256
REST_S = 0.001
_jobs: queue.SimpleQueue[Any] = queue.SimpleQueue()
_started = threading.Lock()
_thread: threading.Thread | None = None


def release_later(obj: Any) -> None:
    """Hand over a reference to `obj` (the caller drops its own): it is freed in the background."""
    global _thread
    with _started:
        if _thread is None:
            _thread = threading.Thread(target=_run, name="release", daemon=True)
            _thread.start()
    _jobs.put(obj)


def _run() -> None:
    while True:
        obj = _jobs.get()
        try:
            deadline = time.monotonic() + WAIT_S
            while COUNTS_HOLDERS and sys.getrefcount(obj) > 2 and time.monotonic() < deadline:  # ours, the argument's
                time.sleep(0.05)  # a worker still reads it: it is freed when that one is done
            if COUNTS_HOLDERS and sys.getrefcount(obj) <= 2:
                dismantle(obj)
        except Exception as err:  # noqa: BLE001 - the thread must go on for the next object
            # the message only: a traceback kept by a log handler would keep the object too
            import logging  # loaded only when there is something to say

            logging.getLogger(__name__).warning("could not take apart an object let go (%s: %s); "
                                                "it is freed as it is", type(err).__name__, str(err))
        del obj


def dismantle(obj: Any, depth: int = DEPTH) -> None:
    """Empty, piece by piece, the large containers reachable from `obj` that nothing else holds.

    Only for an object nobody else can reach: what it alone holds is changed.
    An object's fields go newest first: what was worked out later from the
    earlier ones (a cache, a function holding a table) lets go of them before
    they are reached, so they are taken apart too rather than freed whole.
    """
    if depth <= 0:
        return
    if isinstance(obj, dict):
        while obj:
            _key, value = obj.popitem()
            _descend(value, depth)
            del _key, value
            _piece()
    elif isinstance(obj, (list, set)):
        while obj:
            value = obj.pop()
            _descend(value, depth)
            del value
            _piece()
    else:
        fields = getattr(obj, "__dict__", None)
        if isinstance(fields, dict):
            for name in reversed(list(fields)):
                value = fields.pop(name, None)
                _descend(value, depth)
                del value
                _piece()


_pieces = 0


def _piece() -> None:
    """Count a piece let go; in the release thread, rest now and then (the window comes first)."""
    global _pieces
    _pieces += 1
    if _pieces % PIECES_PER_REST == 0 and threading.current_thread() is _thread:
        time.sleep(REST_S)


def _descend(value: Any, depth: int) -> None:
    # held here, by the caller's name and by getrefcount's argument: nothing else
    if COUNTS_HOLDERS and sys.getrefcount(value) <= 3 and (type(value) in (dict, list, set) or _ours(value)):
        dismantle(value, depth - 1)


def _ours(value: Any) -> bool:
    """An instance of the viewer's classes or of TinyDB's (the store): not some library's internals."""
    module = type(value).__module__
    return module.startswith(("viewer.", "tinydb.")) and isinstance(getattr(value, "__dict__", None), dict)


def _counts_holders() -> bool:
    """Whether reference counts here say what `_run` and `_descend` read in them."""
    if not getattr(sys, "_is_gil_enabled", lambda: True)():
        return False
    probe: dict[str, Any] = {"held": []}
    alone = sys.getrefcount(probe) == 2  # the name and the argument

    def descend(value: Any) -> bool:
        return sys.getrefcount(value) == 3  # the caller's name, the parameter, the argument

    value = probe.pop("held")
    return alone and descend(value)


COUNTS_HOLDERS = _counts_holders()
