"""The Notes panel's tree as plain data: grouping, sort orders and the filter."""

from __future__ import annotations

from viewer.core.model import Note, NoteId
from viewer.core.note_tree import BY_FOLDER, BY_TYPE, Branch, NoteListing


def note(path: str, title: str, kind: str | None = None, aliases: tuple[str, ...] = (), date: str | None = None):
    return Note(id=NoteId(path.removesuffix(".md")), path=path, title=title, type=kind, aliases=aliases, date=date)


NOTES = [
    note("people/Smith.md", "Jane Smith", "person"),
    note("people/jones.md", "Bob Jones", "person", aliases=("Bobby",)),
    note("events/b.md", "Raid", "event", date="2021-03"),
    note("events/a.md", "Audit", "event", date="2020-01-05"),
    note("events/c.md", "Undated", "event"),
    note("Note 10.md", "Note 10"),
    note("Note 2.md", "Note 2"),
    note("places/Smith.md", "Smith", "place"),
    note("index.md", "Start", "overview"),
]


def labels(branch: Branch) -> list[str]:
    return [f"{child.label} ({child.count_text()})" for child in branch.folders]


def titles(listing: NoteListing, branch: Branch) -> list[str]:
    return [listing.notes[number].title for number in branch.notes]


def test_by_type_in_the_usual_order_events_by_date_unknown_types_then_untyped_last():
    listing = NoteListing(NOTES)
    root = listing.tree(BY_TYPE)
    assert labels(root) == ["Overview (1)", "People (2)", "Events (3)", "Place (1)", "Untyped (2)"]
    assert titles(listing, root.folders[1]) == ["Bob Jones", "Jane Smith"]
    assert titles(listing, root.folders[2]) == ["Audit", "Raid", "Undated"]
    assert listing.counts() == {"overview": 1, "person": 2, "event": 3, "place": 1, "": 2}
    assert listing.default_grouping() == BY_TYPE


def test_by_folder_folders_first_and_numbers_by_value():
    listing = NoteListing(NOTES)
    root = listing.tree(BY_FOLDER)
    assert labels(root) == ["events (3)", "people (2)", "places (1)"]
    assert titles(listing, root) == ["Note 2", "Note 10", "Start"]
    assert titles(listing, root.folders[1]) == ["Bob Jones", "Jane Smith"]


def test_the_filter_looks_in_titles_aliases_and_file_names_and_counts_what_is_left():
    listing = NoteListing(NOTES)
    root = listing.tree(BY_FOLDER, "  SMITH ")
    assert labels(root) == ["people (1 of 2)", "places (1)"]
    assert root.notes == [] and titles(listing, root.folders[0]) == ["Jane Smith"]
    assert labels(listing.tree(BY_TYPE, "bobby")) == ["People (1 of 2)"]
    assert labels(listing.tree(BY_TYPE, "jones")) == ["People (1 of 2)"]  # the file name
    assert listing.tree(BY_TYPE, "nothing like it").folders == []
    assert listing.tree(BY_TYPE, "   ") is listing.tree(BY_TYPE)  # no filter: the sorted tree itself


def test_a_filter_text_never_matches_across_two_names():
    listing = NoteListing([note("x.md", "Alpha", aliases=("Beta",))])
    assert listing.matching("alphabeta") == bytearray(1)
    assert listing.matching("a") == bytearray([1])


def test_where_a_note_sits_in_a_narrowed_branch():
    listing = NoteListing(NOTES)
    people = listing.tree(BY_TYPE, "bob").folders[0]  # Bob Jones, not Jane Smith
    assert titles(listing, people) == ["Bob Jones"]
    jones, smith = listing.number["people/jones"], listing.number["people/Smith"]
    assert listing.home(BY_TYPE, jones) == "person"
    assert listing.row_in(BY_TYPE, people, jones) == 0
    assert listing.row_in(BY_TYPE, people, smith) is None
    events = listing.tree(BY_FOLDER).folders[0]
    assert listing.row_in(BY_FOLDER, events, listing.number["events/c"]) == 2
