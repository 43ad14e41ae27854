"""A time budget for pure-Python work that may be super-linear on hostile input.

`run_with_budget` runs a function in the calling thread; a timer raises
`RenderTimeout` in that thread once the budget is spent (CPython's
PyThreadState_SetAsyncExc: the exception arrives between two bytecodes, so a
single long call into C is not cut, only the Python loop around it).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class RenderTimeout(BaseException):
    """The work took longer than its budget and was stopped.

    A BaseException, so that no `except Exception` in a library swallows it.
    """


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


def run_with_budget(work: Callable[[], T], seconds: float) -> T:
    """`work()`, or RenderTimeout raised when it runs longer than `seconds`."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _raise_in(thread_id, RenderTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        try:
            result = work()
        finally:
            with lock:
                state["done"] = True
                if state["fired"]:
                    _raise_in(thread_id, None)  # clear it if it has not arrived yet
            timer.cancel()
    except RenderTimeout:
        raise
    if state["fired"]:
        raise RenderTimeout()  # it arrived too late to stop the work: the budget was spent all the same
    return result
