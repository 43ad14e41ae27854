"""The Notes panel's tree as plain data: notes by type or by folder, sorted, and a filter over them.

`NoteListing` sorts the notes once (in the loading worker, not the UI thread)
and keeps a lowercase key of each note's names; `tree` then picks the notes
matching a filter text without sorting again. A branch holds note numbers
(places in `NoteListing.notes`), not a row object per note, so a tree of
50,000 notes costs a few lists.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from viewer.core.labels import PLURAL_LABELS, type_label
from viewer.core.model import NOTE_TYPES, Note
from viewer.core.names import folder_of, stem
from viewer.core.sorting import sorted_in_runs

BY_TYPE, BY_FOLDER = "type", "folder"
_SEPARATOR = "\x1f"  # between a note's names in its key: no filter text holds it
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """Sort as a file manager does: case ignored, numbers by value (`Note 2` before `Note 10`)."""
    folded = text.casefold()
    if _DIGITS.search(folded) is None:
        return (folded,)  # what the split below makes of it, sooner
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(folded))


def type_sort_key(note: Note) -> tuple:
    """Within a type: events by date, then title; the rest by title."""
    if note.type == "event":
        return (note.date or "9999", note.title.casefold())
    return (note.title.casefold(),)


def names_key(note: Note) -> str:
    """The title, aliases and file name, lowercase, in one string the filter looks in."""
    return _SEPARATOR.join(name.casefold() for name in (note.title, *note.aliases, stem(note.path)))


def needle_of(text: str) -> str:
    """What the filter looks for: the text, case ignored, spaces round it dropped."""
    return text.casefold().strip()


@dataclass(eq=False)
class Branch:
    """A group row: a type or a folder, its folders (first) and its notes, as note numbers in order.

    `total` counts the notes under it before filtering, `shown` those left after.
    """

    label: str
    key: str = ""
    folders: list[Branch] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    total: int = 0
    shown: int = 0

    def count_text(self) -> str:
        return f"{self.shown}" if self.shown == self.total else f"{self.shown} of {self.total}"


class NoteListing:
    """The notes sorted both ways, with their filter keys; built once a load.

    Attributes:
        notes: every note; a note's number is its place here.
        number: note id -> number.
        keys: each note's names key (see `names_key`).
    """

    def __init__(self, notes: Iterable[Note]) -> None:
        self.notes: list[Note] = list(notes)
        self.number = {note.id: i for i, note in enumerate(self.notes)}
        self.keys = [names_key(note) for note in self.notes]
        self._roots = {BY_TYPE: self._by_type(), BY_FOLDER: self._by_folder()}
        self._homes: dict[str, list[str]] = {BY_TYPE: [note.type or "" for note in self.notes],
                                             BY_FOLDER: [folder_of(note.path) for note in self.notes]}
        self._places: dict[str, list[int]] = {}
        for grouping, root in self._roots.items():
            place = [0] * len(self.notes)
            for branch in _branches(root):
                for row, number in enumerate(branch.notes):
                    place[number] = row
            self._places[grouping] = place

    def __len__(self) -> int:
        return len(self.notes)

    def default_grouping(self) -> str:
        """By type when at least half the notes have a type, else by folder."""
        typed = sum(branch.total for branch in self._roots[BY_TYPE].folders if branch.key)
        return BY_TYPE if self.notes and 2 * typed >= len(self.notes) else BY_FOLDER

    def counts(self) -> dict[str, int]:
        """Notes per type key ('' for untyped)."""
        return {branch.key: branch.total for branch in self._roots[BY_TYPE].folders}

    def home(self, grouping: str, number: int) -> str:
        """The key of the branch holding note `number`: its type, or its folder."""
        return self._homes[grouping][number]

    def row_in(self, grouping: str, branch: Branch, number: int) -> int | None:
        """Where note `number` is among `branch.notes` (a filtered copy of its branch), or None."""
        place = self._places[grouping]
        row = bisect_left(branch.notes, place[number], key=place.__getitem__)
        return row if row < len(branch.notes) and branch.notes[row] == number else None

    def matching(self, text: str) -> bytearray | None:
        """1 for each note whose title, an alias or the file name holds `text` (case ignored); None for no filter."""
        needle = needle_of(text)
        if not needle:
            return None
        found = bytearray(len(self.keys))
        for number, key in enumerate(self.keys):
            if needle in key:
                found[number] = 1
        return found

    def tree(self, grouping: str, text: str = "") -> Branch:
        """The tree for `grouping` ("type" or "folder"), narrowed to the notes matching `text`.

        Filtered, only the branches holding a match are kept; unfiltered, the sorted tree itself.
        """
        root = self._roots[grouping]
        found = self.matching(text)
        if found is None:
            return root
        return _narrowed(root, found) or Branch("")

    # -- building ---------------------------------------------------------------

    def _by_type(self) -> Branch:
        groups: dict[str, list[int]] = {}
        for number, note in enumerate(self.notes):
            groups.setdefault(note.type or "", []).append(number)
        order = {key: i for i, key in enumerate(NOTE_TYPES)}
        root = Branch("")
        for key in sorted(groups, key=lambda k: (order.get(k, len(order)), k == "", k)):
            numbers = sorted_in_runs(groups[key], lambda n: type_sort_key(self.notes[n]))
            label = PLURAL_LABELS.get(key) or (type_label(key) if key else "Untyped")
            root.folders.append(Branch(label, key, notes=numbers, total=len(numbers), shown=len(numbers)))
        root.total = root.shown = len(self.notes)
        return root

    def _by_folder(self) -> Branch:
        # module functions, not nested ones that call themselves: those are cycles, and a load pauses the
        # collector and freezes what it leaves
        root = Branch("")
        folders: dict[str, Branch] = {"": root}
        for number, note in enumerate(self.notes):
            _folder_branch(folders, folder_of(note.path)).notes.append(number)
        _tidy(root, [natural_key(note.title) for note in self.notes])
        return root


def _folder_branch(folders: dict[str, Branch], path: str) -> Branch:
    """The branch of folder `path`, made (with its parents) if it is not in `folders` yet."""
    branch = folders.get(path)
    if branch is None:
        branch = folders[path] = Branch(path.rsplit("/", 1)[-1], path)
        _folder_branch(folders, folder_of(path)).folders.append(branch)
    return branch


def _tidy(branch: Branch, titles: list[tuple]) -> int:
    """Sort `branch` and everything under it (notes by their title's key in `titles`); its total."""
    branch.folders.sort(key=lambda b: natural_key(b.label))
    branch.notes[:] = sorted_in_runs(branch.notes, titles.__getitem__)  # the lock passes to the window meanwhile
    branch.total = branch.shown = len(branch.notes) + sum(_tidy(child, titles) for child in branch.folders)
    return branch.total


def _branches(root: Branch) -> list[Branch]:
    """Every branch under `root` and itself, parents first."""
    found, pending = [], [root]
    while pending:
        branch = pending.pop()
        found.append(branch)
        pending.extend(branch.folders)
    return found


def _narrowed(branch: Branch, found: bytearray) -> Branch | None:
    """A copy of `branch` with only the notes in `found`; None when none is left under it."""
    notes = [number for number in branch.notes if found[number]]
    folders = [kept for kept in (_narrowed(child, found) for child in branch.folders) if kept is not None]
    shown = len(notes) + sum(child.shown for child in folders)
    if not shown:
        return None
    return Branch(branch.label, branch.key, folders, notes, branch.total, shown)


class _Notes(Protocol):
    def notes(self) -> list[Note]: ...


def listing_of(kb: _Notes) -> NoteListing:
    """The knowledge base's listing, made once a sync (the loading worker makes it first)."""
    derived = getattr(kb, "derived", None)
    if callable(derived):
        return derived("note listing", lambda: NoteListing(kb.notes()))
    return NoteListing(kb.notes())
