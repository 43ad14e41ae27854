"""Sorting long lists in a worker thread without holding the interpreter lock for the whole sort.

`list.sort` compares in C and keeps the lock until it is done: at 50,000 notes
that is a tenth of a second in which the window's thread cannot run. Sorting
runs of a few thousand and merging them in Python lets the lock pass between
steps; the result is the same stable order as `sorted`.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

RUN = 4096  # items sorted at once in C


def sorted_in_runs(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    """`sorted(items, key=key)`, in runs of RUN merged in Python (stable, as `sorted` is)."""
    keyed = [(key(item), position, item) for position, item in enumerate(items)]
    if len(keyed) <= RUN:
        keyed.sort(key=_first_two)
        return [item for _, _, item in keyed]
    runs = [sorted(keyed[start:start + RUN], key=_first_two) for start in range(0, len(keyed), RUN)]
    return [item for _, _, item in heapq.merge(*runs, key=_first_two)]


def _first_two(row: tuple) -> tuple:
    return row[0], row[1]
