"""Name resolution: ids, then titles, then aliases, ignoring case; a name claimed twice."""

from __future__ import annotations

from viewer.core.model import Note, NoteId
from viewer.core.names import NameIndex


def note(note_id: str, title: str, *aliases: str, path: str | None = None) -> Note:
    return Note(NoteId(note_id), path or f"{note_id}.md", title, "topic", aliases=aliases)


def test_a_note_is_found_by_id_title_or_alias_in_any_case():
    names = NameIndex([note("rcmp", "Royal Canadian Mounted Police", "RCMP", "Mounties")])
    for name in ("rcmp", "RCMP", "Royal Canadian Mounted Police", "royal canadian MOUNTED police",
                 "mounties", "MOUNTIES"):
        assert names.resolve(name) == "rcmp", name


def test_white_space_in_a_name_is_folded():
    names = NameIndex([note("opp", "Ontario Provincial Police")])
    assert names.resolve("  Ontario   Provincial\tPolice ") == "opp"


def test_case_is_folded_beyond_lower_case():
    names = NameIndex([note("strasse", "Straße")])
    assert names.resolve("STRASSE") == "strasse"  # casefold, not lower()


def test_a_file_name_and_a_folder_path_resolve_to_the_note():
    names = NameIndex([note("the-event", "The Event", path="events/the-event.md")])
    assert names.resolve("the-event.md") == "the-event"
    assert names.resolve("events/the-event") == "the-event"
    assert names.resolve("somewhere/else/The Event") == "the-event"


def test_an_unknown_name_resolves_to_nothing():
    names = NameIndex([note("a", "Alpha", "AA")])
    assert names.resolve("beta") is None
    assert names.resolve("") is None
    assert names.resolve("al") is None  # no partial matches


def test_an_id_wins_over_another_notes_title_and_a_title_over_an_alias():
    names = NameIndex([
        note("alpha", "Beta"),  # its title is another note's id
        note("beta", "Second"),
        note("gamma", "Delta"),
        note("epsilon", "Epsilon", "delta"),  # its alias is another note's title
    ])
    assert names.resolve("beta") == "beta"
    assert names.resolve("delta") == "gamma"


def test_a_title_claimed_twice_goes_to_the_first_note_with_a_warning():
    names = NameIndex([note("first", "Same Name"), note("second", "same name")])
    assert names.resolve("Same Name") == "first"
    [warning] = names.diagnostics
    assert warning.file == "second.md" and warning.severity == "warning" and warning.code == "duplicate-name"
    assert "'same name'" in warning.message and "'first'" in warning.message


def test_an_alias_claimed_by_two_notes_warns_about_the_second():
    names = NameIndex([note("a", "Alpha", "Shared"), note("b", "Bravo", "shared")])
    assert names.resolve("shared") == "a"
    assert [(d.file, d.code) for d in names.diagnostics] == [("b.md", "duplicate-name")]
    assert "alias 'shared'" in names.diagnostics[0].message


def test_an_alias_equal_to_another_notes_title_is_a_clash():
    names = NameIndex([note("a", "Alpha"), note("b", "Bravo", "alpha")])
    assert names.resolve("alpha") == "a"
    assert len(names.diagnostics) == 1 and names.diagnostics[0].file == "b.md"


def test_a_note_repeating_its_own_title_as_an_alias_is_no_clash():
    names = NameIndex([note("a", "Alpha", "ALPHA", "alpha")])
    assert names.resolve("alpha") == "a" and names.diagnostics == []


def test_no_names_no_diagnostics():
    names = NameIndex([])
    assert names.resolve("anything") is None and names.diagnostics == []


def test_a_name_several_notes_share_resolves_by_the_linking_notes_folder_each_time():
    names = NameIndex([note("a/smith", "Smith in A", path="a/smith.md"), note("b/smith", "Smith in B", path="b/smith.md"),
                       note("solo", "Solo", path="c/solo.md")])
    for _ in range(2):  # the answers are kept: the folder's must not be taken for the link's
        assert names.resolve("smith", "a/x.md") == "a/smith"
        assert names.resolve("smith", "b/x.md") == "b/smith"
        assert names.resolve("somewhere/smith", "b/y.md") == "b/smith"
        assert names.resolve("somewhere/smith", "a/y.md") == "a/smith"
        assert names.resolve("solo", "a/x.md") == names.resolve("solo", "b/x.md") == "solo"
        assert names.clashing("smith") and names.clashing("B/Smith.md") and not names.clashing("solo")
