"""Sorting in runs merged in Python gives `sorted`'s order, stable."""

from __future__ import annotations

import random

import pytest

from viewer.core import sorting
from viewer.core.sorting import sorted_in_runs


@pytest.mark.parametrize("count", [0, 1, 7, 100, 1_000])
def test_the_same_order_as_sorted_with_ties_kept_in_place(count, monkeypatch):
    monkeypatch.setattr(sorting, "RUN", 16)  # many runs to merge
    pick = random.Random(count)
    items = [(pick.randrange(20), i) for i in range(count)]  # many equal keys
    assert sorted_in_runs(items, lambda item: item[0]) == sorted(items, key=lambda item: item[0])


def test_keys_that_cannot_be_compared_with_the_items_are_never_compared_with_them():
    items = [{"n": 3}, {"n": 1}, {"n": 3}, {"n": 2}]  # dicts do not order: only keys and positions are compared
    assert [d["n"] for d in sorted_in_runs(items, lambda d: d["n"])] == [1, 2, 3, 3]
