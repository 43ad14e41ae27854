"""Large objects let go in the background, piece by piece, and only once nobody else holds them."""

from __future__ import annotations

import sys
import threading
import time
import weakref

from viewer.core import KnowledgeBase
from viewer.core.release import dismantle, release_later


class Holder:
    pass


def make_holder() -> Holder:
    holder = Holder()
    holder.notes = {f"n{i}": {"title": f"Note {i}", "links": [f"n{i + 1}"]} for i in range(5_000)}
    holder.order = [f"n{i}" for i in range(5_000)]
    return holder


def test_what_only_the_object_holds_is_emptied():
    holder = make_holder()
    shared = holder.shared = {"kept": [1, 2, 3]}  # also held here: left as it is
    notes = holder.notes
    del notes  # held by the holder alone again
    dismantle(holder)
    assert vars(holder) == {} and shared == {"kept": [1, 2, 3]}


def test_an_object_is_freed_in_another_thread_once_nobody_else_holds_it():
    holder = make_holder()
    freed = threading.Event()
    freed_in: list[str] = []

    def gone(_ref):
        freed_in.append(threading.current_thread().name)
        freed.set()

    ref = weakref.ref(holder, gone)
    worker = [holder]  # a worker still using it
    release_later(holder)
    del holder
    time.sleep(0.2)
    assert ref() is not None and len(ref().notes) == 5_000 and ref().notes["n1"]["title"] == "Note 1"
    worker.clear()
    assert freed.wait(5)
    assert freed_in == ["release"]


def test_a_part_held_elsewhere_stays_whole():
    holder = make_holder()
    notes = holder.notes
    freed = threading.Event()
    ref = weakref.ref(holder, lambda _ref: freed.set())
    release_later(holder)
    del holder
    assert freed.wait(5) and ref() is None
    assert len(notes) == 5_000 and notes["n4999"]["links"] == ["n5000"]


def test_a_knowledge_base_is_freed_in_the_background(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    assert kb.get("alpha") is not None
    freed = threading.Event()
    ref = weakref.ref(kb, lambda _ref: freed.set())
    release_later(kb)
    del kb
    assert freed.wait(5) and ref() is None
    again = KnowledgeBase.open(small_kb, tmp_path / "store.json")  # the store it used is intact
    assert again.get("alpha").title == "Alpha Agency"


def test_a_knowledge_base_whose_notes_were_rendered_is_freed_without_the_collector(small_kb, tmp_path):
    import gc

    from viewer.core.page import note_page

    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    assert "Alpha" in note_page(kb, "alpha")  # Python-Markdown's instances (full of cycles) were used
    refs = [weakref.ref(kb), weakref.ref(kb.get("alpha"))]
    gc.disable()  # as after a load froze everything: only reference counting frees
    try:
        del kb
        assert [ref() for ref in refs] == [None, None]  # no Markdown instance holds on to a note
    finally:
        gc.enable()


def test_the_thread_goes_on_after_a_failure(monkeypatch):
    from viewer.core import release

    real = release.dismantle
    calls: list[int] = []

    def failing_once(obj, depth=release.DEPTH):
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("changed meanwhile")
        real(obj, depth)

    monkeypatch.setattr(release, "dismantle", failing_once)
    events = []
    for _ in range(2):
        holder = make_holder()
        freed = threading.Event()
        events.append((freed, weakref.ref(holder, lambda _ref, f=freed: f.set())))
        release_later(holder)
        del holder
    assert all(freed.wait(5) for freed, _ in events) and len(calls) > 1  # the second one taken apart too


class Piece:
    """Records what was being taken apart when it was freed: the list it was in, or the holder as a whole."""

    freed_from: list[str] = []

    def __del__(self):
        frame = sys._getframe(1)
        Piece.freed_from.append(type(frame.f_locals.get("obj")).__name__)


def test_what_a_later_field_holds_of_an_earlier_one_does_not_keep_it_whole():
    """A function made from a table (a cache, a finder) goes first: the table is then taken apart piece by piece,
    not freed in one call when the function goes."""
    holder = Holder()
    holder.table = [Piece() for _ in range(50)]
    holder.finder = lambda table=holder.table: len(table)  # holds the table too
    Piece.freed_from = []
    dismantle(holder)
    assert vars(holder) == {} and Piece.freed_from == ["list"] * 50


def test_the_release_thread_rests_now_and_then(monkeypatch):
    from viewer.core import release

    rests: list[float] = []
    elsewhere: list[float] = []
    real_sleep = release.time.sleep

    def sleep(seconds):
        if seconds == release.REST_S:
            (rests if threading.current_thread().name == "release" else elsewhere).append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(release.time, "sleep", sleep)
    holder = make_holder()  # 5,000 notes of a dict and a list each: some 20,000 pieces
    freed = threading.Event()
    ref = weakref.ref(holder, lambda _ref: freed.set())
    release_later(holder)
    del holder
    assert freed.wait(10) and ref() is None
    assert len(rests) >= 20_000 // release.PIECES_PER_REST // 2
    dismantle(make_holder())  # called directly, here: no rest
    assert elsewhere == []
