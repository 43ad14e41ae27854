"""The timeline: date order, month groups, partial dates, filters, summaries."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from viewer.core.kb import KnowledgeBase
from viewer.core.model import Note, NoteId
from viewer.core.timeline import dated_tags, dated_types, group_label, summary, timeline


def _note(folder: Path, name: str, title: str, note_type: str, date: str | None,
          body: str = "", tags: tuple[str, ...] = ()) -> None:
    front = f"title: {title}\ntype: {note_type}\n"
    if date:
        front += f"date: '{date}'\n"
    if tags:
        front += f"tags: [{', '.join(tags)}]\n"
    text = f"---\n{front}---\n# {title}\n\n{body or title + ' happened.'}\n"
    (folder / f"{name}.md").write_text(text, encoding="utf-8")


@pytest.fixture
def dated_kb(tmp_path) -> KnowledgeBase:
    """Notes with day, month and year dates across two years, and one undated."""
    folder = tmp_path / "kb"
    folder.mkdir()
    _note(folder, "feb-21", "Probe announced", "event", "2020-02-21", tags=("watchdog",))
    _note(folder, "feb", "February story", "event", "2020-02", tags=("police",))
    _note(folder, "feb-01", "First of February", "source", "2020-02-01")
    _note(folder, "year", "Sometime in 2020", "event", "2020", tags=("police",))
    _note(folder, "dec", "Trial begins", "event", "2019-12", tags=("police", "Company"))
    _note(folder, "jan-18", "Article published", "source", "2020-01-18")
    _note(folder, "jun-2021", "Report", "event", "2021-06-10", tags=("watchdog",))
    _note(folder, "a-same-day", "A same day", "event", "2020-02-21")
    _note(folder, "undated", "Undated topic", "topic", None, tags=("police",))
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def _ids(groups) -> list[list[str]]:
    return [[e.note_id for e in g.entries] for g in groups]


def test_groups_in_date_order_with_year_only_group_before_its_months(dated_kb):
    groups = timeline(dated_kb)
    assert [g.key for g in groups] == ["2019-12", "2020", "2020-01", "2020-02", "2021-06"]
    assert [g.label for g in groups] == ["December 2019", "2020 (month unknown)", "January 2020",
                                         "February 2020", "June 2021"]
    assert _ids(groups) == [["dec"], ["year"], ["jan-18"],
                            ["feb", "feb-01", "a-same-day", "feb-21"], ["jun-2021"]]


def test_month_only_sorts_at_the_start_of_its_month(dated_kb):
    (february,) = [g for g in timeline(dated_kb) if g.key == "2020-02"]
    first = february.entries[0]
    assert (first.note_id, first.precision, first.label) == ("feb", "month", "February 2020")


def test_entries_carry_what_the_view_shows(dated_kb):
    (entry,) = [e for g in timeline(dated_kb) for e in g.entries if e.note_id == "feb-21"]
    assert entry.title == "Probe announced"
    assert entry.type == "event"
    assert entry.date == "2020-02-21"
    assert entry.precision == "day"
    assert entry.label == "21 February 2020"
    assert entry.summary == "Probe announced happened."


def test_undated_notes_are_left_out(dated_kb):
    ids = {e.note_id for g in timeline(dated_kb) for e in g.entries}
    assert "undated" not in ids
    assert len(ids) == 8


def test_filter_by_type(dated_kb):
    groups = timeline(dated_kb, types=["source"])
    assert _ids(groups) == [["jan-18"], ["feb-01"]]
    assert timeline(dated_kb, types=["SOURCE"]) == groups  # case-insensitive


def test_filter_by_tag_keeps_notes_with_any_of_the_tags(dated_kb):
    assert _ids(timeline(dated_kb, tags=["police"])) == [["dec"], ["year"], ["feb"]]
    assert _ids(timeline(dated_kb, tags=["company"])) == [["dec"]]
    assert _ids(timeline(dated_kb, tags=["police", "watchdog"])) == [
        ["dec"], ["year"], ["feb", "feb-21"], ["jun-2021"]]


def test_type_and_tag_filters_combine(dated_kb):
    assert _ids(timeline(dated_kb, types=["event"], tags=["watchdog"])) == [["feb-21"], ["jun-2021"]]
    assert timeline(dated_kb, types=["topic"]) == []
    assert timeline(dated_kb, tags=[]) == []


def test_filter_choices_come_from_dated_notes_only(dated_kb):
    assert dated_types(dated_kb) == ["event", "source"]
    assert dated_tags(dated_kb) == ["Company", "police", "watchdog"]


def test_group_labels():
    assert group_label("2020") == "2020 (month unknown)"
    assert group_label("2020-12") == "December 2020"


def _with_body(body: str) -> Note:
    return Note(id=NoteId("n"), path="n.md", title="N", type="event", body=body)


@pytest.mark.parametrize(("body", "expected"), [
    ("# Title\n\nFirst one. Second one.\n", "First one."),
    ("# Title\n\n**Date:** 6 July 2020.\n\nThe [[opc|OPC]] said so. More.\n", "The OPC said so."),
    ("# T\n\nSee [[target-note]] for **more** and *less*. Next.\n", "See Target for more and less."),
    ("# T\n\nDr. Smith met J. Doe in the U.S. office. Then left.\n",
     "Dr. Smith met J. Doe in the U.S. office."),
    ("# T\n\n```\ncode. Here.\n```\n\nAfter code. Yes.\n", "After code."),
    ("# T\n\n- First item. More\n- second\n", "First item."),
    ("# T\n\nSee [[Target]] and [[target-note|it]] and [[missing]].\n", "See Target and it and missing."),
    ("# T\n\nA line\nwrapped here. Next.\n", "A line wrapped here."),
    ("# T\n\nA [web link](https://example.org) ends\n", "A web link ends"),
    ("# Only a heading\n", ""),
])
def test_summary_is_the_first_sentence_in_plain_text(tmp_path, body, expected):
    (tmp_path / "target-note.md").write_text("---\ntitle: Target\n---\nx\n", encoding="utf-8")
    kb = KnowledgeBase.open(tmp_path, store=tmp_path / "store.json")
    assert summary(_with_body(body), kb) == expected


def test_long_summary_is_cut():
    text = summary(_with_body("word " * 200))
    assert len(text) <= 240
    assert text.endswith("…")


def test_small_kb_fixture_has_one_dated_note(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "store.json")
    (group,) = timeline(kb)
    assert (group.label, [e.note_id for e in group.entries]) == ("February 2020", ["the-event"])
    assert group.entries[0].summary == "The AA was there."


def test_core_imports_no_qt():
    code = "import sys, viewer.core.timeline; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_a_range_is_placed_by_its_last_day_and_says_both_ends(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    _note(folder, "year", "Sometime in 2020", "event", "2020")
    _note(folder, "jan", "January item", "event", "2020-01-15")
    _note(folder, "stop", "Order to stop", "event", "2019-12/2020-03-01")
    _note(folder, "mar", "Statement", "event", "2020-03-01")
    _note(folder, "mar-2", "Next day", "event", "2020-03-02")
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    groups = timeline(kb)
    assert _ids(groups) == [["year"], ["jan"], ["mar", "stop", "mar-2"]]
    (stop,) = [e for g in groups for e in g.entries if e.note_id == "stop"]
    assert stop.precision == "range"
    assert stop.label == "Between December 2019 and 1 March 2020"


def test_entries_are_worked_out_once_a_sync_and_filters_only_pick_among_them(dated_kb, monkeypatch):
    import viewer.core.timeline as module
    made: list[str] = []
    real = module.summary
    monkeypatch.setattr(module, "summary", lambda note, kb=None: made.append(note.id) or real(note, kb))
    everything = _ids(timeline(dated_kb))
    dated = len(made)
    assert dated == sum(len(ids) for ids in everything)
    timeline(dated_kb, types=["event"])
    timeline(dated_kb, tags=["police"])
    dated_types(dated_kb), dated_tags(dated_kb)
    assert len(made) == dated
    time.sleep(0.01)
    note = next(iter(dated_kb))
    (dated_kb.folder / note.path).write_text("---\ntitle: Late\ndate: 2030-01-01\n---\n# Late\n\nNew.\n",
                                             encoding="utf-8")
    dated_kb.sync()
    assert _ids(timeline(dated_kb))[-1][-1] == note.id
    assert len(made) > dated
