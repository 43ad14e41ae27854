"""NewestTask: work in a pool for the newest request only, let go of once run."""

from __future__ import annotations

import gc
import weakref

from viewer.ui.workers import Answer, Latest, NewestTask


def answers(answer: Answer) -> list[tuple[int, object]]:
    got: list[tuple[int, object]] = []
    answer.ready.connect(lambda request, result: got.append((request, result)))
    return got


def test_the_newest_request_is_worked_and_answered(qtbot):
    latest, answer = Latest(), Answer()
    got = answers(answer)
    NewestTask(lambda: "tree", latest.next(), latest, answer).run()
    assert got == [(1, "tree")]


def test_a_request_overtaken_before_it_starts_is_not_worked(qtbot):
    latest, answer = Latest(), Answer()
    got, worked = answers(answer), []
    task = NewestTask(lambda: worked.append(1), latest.next(), latest, answer)
    latest.next()  # a newer text, a newer note
    task.run()
    assert worked == [] and got == []


def test_a_request_overtaken_while_it_works_is_not_answered(qtbot):
    latest, answer = Latest(), Answer()
    got = answers(answer)
    NewestTask(lambda: latest.next(), latest.next(), latest, answer).run()
    assert got == []


def test_the_work_and_what_it_holds_are_let_go_of_once_run(qtbot):
    class Notes:
        pass

    latest, answer = Latest(), Answer()
    notes = Notes()
    held = weakref.ref(notes)
    task = NewestTask(lambda notes=notes: None, latest.next(), latest, answer)
    del notes
    task.run()
    gc.collect()
    assert held() is None and task.work is None
