"""Folders written for other wiki-style note apps: ids of same-named notes, attachments, the first note.

See the README's "Opening another app's folder" for the rules.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from viewer.core.model import Diagnostic, Note, NoteId
from viewer.core.names import NameIndex, folder_of, note_ids, stem

if TYPE_CHECKING:
    from viewer.core.records import FileRecord

HOME_NAMES = ("home", "index", "readme")  # a folder's entry note, when none has type overview
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp")


def assign_ids(records: dict[str, FileRecord], updated: set[str], removed: set[str],
               ids: dict[str, NoteId] | None = None) -> set[str]:
    """Give each note its id (see `names.note_ids`); the paths of the notes whose id changed.

    `ids`, when the folder's paths are those of the last sync, are the ids
    those paths had (`records` then holds only the changed files). A note
    whose id changed is indexed again under the new id, and the old one is
    dropped unless another note now has it.
    """
    notes = {path: r.stored_note for path, r in records.items() if r.stored_note is not None}
    if ids is None:
        ids = note_ids(notes)
    changed = set()
    for path, note in notes.items():
        new = ids[path]
        if note is None or note.id == new:
            continue
        old = note.id
        object.__setattr__(note, "id", new)  # frozen: a note's id is fixed once the folder is read
        if old in updated:
            updated.discard(old)
        else:
            removed.add(old)
        updated.add(new)
        changed.add(path)
    removed -= set(ids.values())
    return changed


def keep_ids(before: dict[str, FileRecord], changed: dict[str, FileRecord], updated: set[str],
             removed: set[str]) -> set[str]:
    """`assign_ids` when the folder's paths are those of the last sync: each changed note keeps its path's id.

    A file that was not a note before, or is no longer one (its file name may no longer clash with
    another's), makes every id given from every path, as `assign_ids` would give them.
    """
    ids = {}
    for path, record in changed.items():
        old, note = before[path].stored_note, record.stored_note
        if (note is None) != (old is None):
            return assign_ids({**before, **changed}, updated, removed)
        if old is not None:
            ids[path] = old.id
    return assign_ids(changed, updated, removed, ids)


def ambiguity(names: NameIndex, note: Note, target: str, line: int, chosen: str) -> list[Diagnostic]:
    """A warning for a link that several same-named notes answer to, naming them ([] when it is clear)."""
    found = names.ambiguous(target, note.path)
    if not found:
        return []
    listed = ", ".join(n.path for n in found)
    return [Diagnostic(note.path, line, "warning", "ambiguous-link",
                       f"link to '{target}' matches {len(found)} notes ({listed}); it leads to '{chosen}'")]


def first_note(notes: Iterable[Note]) -> Note | None:
    """The note a folder opens on: its overview, else a top-level Home, index or README, else the first by name."""
    notes = list(notes)
    for note in notes:
        if note.type == "overview":
            return note
    top = {stem(n.path).casefold(): n for n in notes if "/" not in n.path}
    for name in HOME_NAMES:
        if name in top:
            return top[name]
    return min(notes, key=lambda n: (n.title.casefold(), n.path), default=None)


class Attachments:
    """The folder's other files (images, PDFs...), found by path or by file name anywhere."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.by_path: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for path in sorted(paths):
            self.by_path.setdefault(path.casefold(), path)
            self.by_name[path.rsplit("/", 1)[-1].casefold()].append(path)

    @classmethod
    def of_tables(cls, by_path: Mapping[str, str], by_name: Mapping[str, list[str]]) -> Attachments:
        """Files looked up in tables kept from another's (`viewer.core.kept_names`)."""
        found = cls([])
        found.by_path, found.by_name = cast(dict, by_path), cast(defaultdict, by_name)
        return found

    def __len__(self) -> int:
        return len(self.by_path)

    def find(self, src: str, source_path: str | None = None) -> str | None:
        """The path from the folder's top of the file `src` names (decoded), or None.

        Tried in turn: relative to the linking note's folder, from the top, then by
        file name anywhere (the note's folder first, then the shortest path).
        """
        src = src.strip().replace("\\", "/")
        if not src or src.startswith("/") or "\x00" in src:
            return None
        for base in (folder_of(source_path or ""), ""):
            joined = posixpath.normpath(posixpath.join(base, src))
            if not joined.startswith("../") and joined != ".." and joined.casefold() in self.by_path:
                return self.by_path[joined.casefold()]
        found = self.by_name.get(src.rsplit("/", 1)[-1].casefold())
        if not found:
            return None
        home = folder_of(source_path or "").casefold()
        return min(found, key=lambda p: (folder_of(p).casefold() != home, p.count("/"), p.casefold()))


@dataclass
class VaultContext:
    """What rendering needs of a folder beyond one note: its notes, names and files."""

    folder: Path
    names: NameIndex
    notes: dict[NoteId, Note]
    attachments: Attachments

    def by_path(self) -> dict[str, Note]:
        found = self.__dict__.get("_by_path")
        if found is None:
            found = self.__dict__["_by_path"] = {note.path: note for note in self.notes.values()}
        return found

    def resolve(self, target: str, source_path: str | None) -> Note | None:
        note_id = self.names.resolve(target, source_path)
        return self.notes.get(note_id) if note_id else None
