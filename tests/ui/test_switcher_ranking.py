"""The quick switcher on the bundled knowledge base: short queries list every name that contains them."""

from __future__ import annotations

import pytest
from rapidfuzz import utils

from viewer.core import KnowledgeBase
from viewer.core.model import Note, NoteId
from viewer.core.paths import bundled_kb
from viewer.ui.panels.switcher import Switcher, rank

NOTES = [Note(NoteId("opp"), "opp.md", "Ontario Provincial Police", "organisation", ("OPP",)),
         Note(NoteId("rcmp"), "rcmp.md", "Royal Canadian Mounted Police", "organisation", ("RCMP",)),
         Note(NoteId("hill"), "hill.md", "Kashmir Hill", "person", ()),
         Note(NoteId("fr"), "fr.md", "Facial recognition", "topic", ())]


@pytest.fixture(scope="module")
def bundled_notes(tmp_path_factory):
    kb = KnowledgeBase.open(bundled_kb(), store=tmp_path_factory.mktemp("store") / "s.json")
    return list(kb.notes())


@pytest.fixture
def switcher(qtbot, bundled_notes):
    dialog = Switcher()
    qtbot.addWidget(dialog)
    dialog.open_with(bundled_notes, [])
    return dialog


def type_in(qtbot, dialog: Switcher, text: str) -> None:
    """Type `text` a key at a time and wait for its choices (ranked in a worker)."""
    qtbot.keyClicks(dialog.field, text)
    qtbot.waitUntil(lambda: not dialog.busy())


def titles(dialog: Switcher, notes) -> list[str]:
    by_id = {note.id: note.title for note in notes}
    return [by_id[note_id] for note_id in dialog.choice_ids()]


def containing(notes, text: str) -> set[str]:
    return {note.title for note in notes
            if any(text in utils.default_process(name) for name in (note.title, *note.aliases))}


def test_typing_opp_lists_every_note_named_opp(qtbot, switcher, bundled_notes):
    type_in(qtbot, switcher, "opp")
    listed = titles(switcher, bundled_notes)
    expected = containing(bundled_notes, "opp")
    assert {"OPP units that used Clearview AI", "OPP officers begin a free trial of Clearview AI",
            "OPP confirms past use of controversial Clearview AI technology",
            "OPP confirms use of controversial facial recognition tool Clearview AI",
            "Ontario Provincial Police"} <= expected
    assert len([t for t in expected if "OPP" in t or t == "Ontario Provincial Police"]) == 8
    assert set(listed[:len(expected)]) == expected
    assert listed[0] == "Ontario Provincial Police"  # its alias is exactly "OPP"


def test_typing_nyt_ranks_the_nyt_notes_first(qtbot, switcher, bundled_notes):
    type_in(qtbot, switcher, "nyt")
    listed = titles(switcher, bundled_notes)
    assert listed[0] == "The New York Times"
    nyt = containing(bundled_notes, "nyt")
    assert "The New York Times publishes its Clearview AI investigation" in nyt
    assert set(listed[:len(nyt)]) == nyt
    assert set(listed) == nyt  # no unrelated fuzzy match for a three-letter query


def test_a_word_inside_a_title_is_found_and_typos_still_match(qtbot, switcher, bundled_notes):
    type_in(qtbot, switcher, "provincial")
    assert titles(switcher, bundled_notes)[0] == "Ontario Provincial Police"
    switcher.field.clear()
    type_in(qtbot, switcher, "clearvew")
    assert titles(switcher, bundled_notes)[0] == "Clearview AI"


def test_ranking_tiers_and_recent_notes_among_equals():
    # exact alias > prefix > word prefix > substring
    assert [c.note_id for c in rank(NOTES, "rcmp")][:1] == ["rcmp"]
    assert [c.note_id for c in rank(NOTES, "police")] == ["opp", "rcmp"]
    assert [c.note_id for c in rank(NOTES, "police", recent=["rcmp"])] == ["rcmp", "opp"]
    assert [c.note_id for c in rank(NOTES, "ill")] == ["hill"]
    assert [c.note_id for c in rank(NOTES, "fac")][:1] == ["fr"]
