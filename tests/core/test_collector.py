"""Pauses of the cyclic garbage collector nest, across threads, and give back the state they found."""

from __future__ import annotations

import gc
import threading

import pytest

from viewer.core import collector


@pytest.fixture(autouse=True)
def _collector_on(monkeypatch):
    monkeypatch.setattr(collector, "_pauses", 0)  # a test that fails midway leaves no pause to the next
    monkeypatch.setattr(collector, "_starting", False)
    gc.enable()
    yield
    gc.enable()


def test_the_collector_runs_again_only_when_the_last_pause_ends():
    collector.pause()
    collector.pause()
    assert not gc.isenabled()
    collector.resume()
    assert not gc.isenabled()
    collector.resume()
    assert gc.isenabled()


def test_a_pause_in_another_thread_outlasts_the_one_that_ended_first():
    started, release = threading.Event(), threading.Event()

    def load():
        with collector.collector_paused(loading=False):
            started.set()
            release.wait(10)

    worker = threading.Thread(target=load)
    collector.start_up()
    worker.start()
    assert started.wait(10)
    collector.start_up_done()  # the window is on screen, the load goes on: still no collections
    assert not gc.isenabled()
    release.set()
    worker.join(10)
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off():
    gc.disable()
    with collector.collector_paused(loading=False):
        pass
    assert not gc.isenabled()


def test_start_up_ends_once_and_a_resume_without_pause_is_an_error():
    collector.start_up()
    collector.start_up()  # already starting: no second pause
    collector.start_up_done()
    assert gc.isenabled()
    collector.start_up_done()  # nothing to end
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        collector.resume()
