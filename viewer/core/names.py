"""Resolving a link target or a reader's query to a note: by path, file name, title or alias.

A link resolves as wiki-style note apps do it: the exact path from the folder's
top (`people/Smith`), then a file name or the end of a path (`Smith`,
`people/Smith`) when one note has it, then a title, then an alias. When several
notes share the file name, the one in the linking note's folder wins, then the
one with the shortest path, then the first path in alphabetical order; such a
link is reported as ambiguous unless the folder rule decided it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import cast

from viewer.core.model import Diagnostic, Note, NoteId


def _fold(name: str) -> str:
    key = " ".join(name.casefold().split())
    return name if key == name else key  # the name itself when already folded: one string, not two


def _fold_path(name: str) -> str:
    """A link or a path, folded, without a leading slash or the `.md` suffix."""
    key = _fold(name).strip("/")
    return key[:-3] if key.endswith(".md") else key


# Links: the same names come back for every link and every sync. The index of
# the notes' own names folds each once, uncached (50,000 notes would only
# push the links' names out of the cache).
_key = lru_cache(maxsize=1 << 16)(_fold)
_path_key = lru_cache(maxsize=1 << 16)(_fold_path)


_UNKNOWN = object()


def stem(path: str) -> str:
    """A note file's name without its folder and `.md`."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.lower().endswith(".md") else name


def stem_key(path: str) -> str:
    """The key of a note file's name in `NameIndex.by_stem`."""
    return _key(stem(path))


def name_key(name: str) -> str:
    """A title or alias as the title and alias tables hold it."""
    return _key(name)


def name_words(names: set[str]) -> frozenset[str]:
    """The first word of each of `names` (folded): a link that may name one holds it (`may_name`)."""
    return frozenset(name.split(" ", 1)[0] for name in names)


def may_name(target: str, names: set[str], words: frozenset[str]) -> bool:
    """Whether a link to `target` may resolve by a title or alias among `names` (as `name_key` gives
    them); `words`: their `name_words`."""
    low = target.casefold()
    if not any(word in low for word in words):
        return False  # not one of the names, nor its last part, whatever its spaces
    key = _path_key(target)
    if _key(target) in names or key in names:
        return True
    last = key.rsplit("/", 1)[-1]
    return last != key and (_key(last) in names or _path_key(last) in names)


def folder_of(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def note_ids(paths: Iterable[str]) -> dict[str, NoteId]:
    """The id of each note file: its file name, or its path without `.md` when another file has that name.

    Only the clashing names get a path, so ids of a folder without clashes are its file names.
    """
    paths = list(paths)
    counts: dict[str, int] = defaultdict(int)
    for path in paths:
        counts[stem(path).casefold()] += 1
    return {path: NoteId(stem(path) if counts[stem(path).casefold()] == 1 else _without_md(path))
            for path in paths}


def _without_md(path: str) -> str:
    return path[:-3] if path.lower().endswith(".md") else path


def _tie_order(source_path: str | None) -> Callable[[Note], tuple]:
    """Sort key among same-named notes: the linking note's folder, the shortest path, the first path."""
    home = folder_of(source_path).casefold() if source_path else None

    def order(note: Note) -> tuple:
        return (folder_of(note.path).casefold() != home, note.path.count("/"), note.path.casefold())
    return order


_Lost = tuple[str, int, NoteId, str, str, str, NoteId]  # path, entry, note, kind, name, key, owner


def _entries(note: Note, stem_folded: str | None = None) -> list[tuple[str, str, str]]:
    """The names a note claims: (kind, name, key), its title (unless its file's name) then its aliases."""
    title = _fold(note.title)
    if stem_folded is None:
        stem_folded = stem_key(note.path)
    return ([("title", note.title, title)] if title != stem_folded else []) + [
        ("alias", alias, _fold(alias)) for alias in note.aliases]


def _duplicate(lost: _Lost) -> Diagnostic:
    path, _entry, _note, kind, name, _key, owner = lost
    return Diagnostic(path, 1, "warning", "duplicate-name",
                      f"{kind} '{name}' is also claimed by note '{owner}'; links use '{owner}'")


class NameIndex:
    """Case-insensitive lookup by path, file name, id, title and alias."""

    def __init__(self, notes: Iterable[Note]) -> None:
        self.by_id: dict[str, NoteId] = {}
        self.by_path: dict[str, NoteId] = {}
        self.by_stem: dict[str, list[Note]] = defaultdict(list)
        self.by_title: dict[str, NoteId] = {}
        self.by_alias: dict[str, NoteId] = {}
        self.diagnostics: list[Diagnostic] = []
        # Answers that depend on the link alone (not on the linking note's
        # folder), kept: 250,000 links name some 90,000 targets at 50,000 notes.
        self._resolved: dict[str, NoteId | None] = {}
        self._clashing: dict[str, bool] = {}
        notes = list(notes)
        stems = []
        for note in notes:
            self.by_id.setdefault(_fold(note.id), note.id)
            self.by_path.setdefault(_fold_path(note.path), note.id)
            key = _fold(stem(note.path))
            self.by_stem[key].append(note)
            stems.append(key)
        self._claim(notes, stems)

    def with_names_of(self, notes: Mapping[NoteId, Note], changed: Iterable[tuple[Note, Note]]) -> NameIndex:
        """The index with the titles and aliases of the `changed` notes (each old and new) as they are now,
        the rest as it was: the same paths and ids; `notes`: all of them now (`by_stem` holding them).

        Only the names those notes had or have are claimed again, among the notes that claimed them
        (in the tables, or losing to their owner) and the changed ones, in the notes' order (by path).
        """
        index = NameIndex([])
        index.by_id, index.by_path, index.by_stem = self.by_id, self.by_path, self.by_stem
        index.by_title, index.by_alias = dict(self.by_title), dict(self.by_alias)
        changed = list(changed)
        keys = {entry[2] for pair in changed for note in pair for entry in _entries(note)}
        claimants: dict[str, set[NoteId]] = {key: set() for key in keys}
        for key in keys:
            claimants[key].update(table[key] for table in (self.by_title, self.by_alias) if key in table)
            index.by_title.pop(key, None)
            index.by_alias.pop(key, None)
        for lost in self._lost:
            if lost[5] in claimants:
                claimants[lost[5]].add(lost[2])
        for _old, new in changed:
            for entry in _entries(new):
                claimants[entry[2]].add(new.id)
        index._lost = [lost for lost in self._lost if lost[5] not in claimants]
        for key, ids in claimants.items():
            entries = sorted((notes[i].path, n, i, kind, name) for i in ids if i in notes
                             for n, (kind, name, k) in enumerate(_entries(notes[i])) if k == key)
            for path, n, note_id, kind, name in entries:
                owner = entries[0][2]
                if note_id != owner:
                    index._lost.append((path, n, note_id, kind, name, key, owner))
                else:
                    (index.by_title if kind == "title" else index.by_alias).setdefault(key, owner)
        index._lost.sort(key=lambda lost: (lost[0], lost[1]))
        index.diagnostics = [_duplicate(lost) for lost in index._lost]
        return index

    def _claim(self, notes: list[Note], stems: list[str]) -> None:
        """The title and alias tables: each name to the first note claiming it, in the notes' order."""
        claims: dict[str, NoteId] = {}
        by_title, by_alias = self.by_title, self.by_alias
        self._lost: list[_Lost] = []  # the claims that lost to another note's, in the notes' order
        for note, stem_folded in zip(notes, stems, strict=True):
            for n, (kind, name, key) in enumerate(_entries(note, stem_folded)):
                owner = claims.setdefault(key, note.id)
                if owner != note.id:
                    self._lost.append((note.path, n, note.id, kind, name, key, owner))
                    continue
                (by_title if kind == "title" else by_alias).setdefault(key, note.id)
        self.diagnostics = [_duplicate(lost) for lost in self._lost]

    @classmethod
    def of_tables(cls, by_id: Mapping[str, NoteId], by_path: Mapping[str, NoteId],
                  by_stem: Mapping[str, list[Note]], by_title: Mapping[str, NoteId],
                  by_alias: Mapping[str, NoteId]) -> NameIndex:
        """An index that looks names up in tables kept from another's (`viewer.core.kept_names`)."""
        index = cls([])
        index.by_id, index.by_path, index.by_title, index.by_alias = (
            cast(dict, by_id), cast(dict, by_path), cast(dict, by_title), cast(dict, by_alias))
        index.by_stem = cast(defaultdict, by_stem)
        return index

    def candidates(self, target: str) -> list[Note]:
        """The notes whose path ends with `target` (a file name, or a path's last folders and name)."""
        key = _path_key(target)
        if not key:
            return []
        last = key.rsplit("/", 1)[-1]
        found = self.by_stem.get(last, [])
        if "/" in key:
            found = [n for n in found if ("/" + _path_key(n.path)).endswith("/" + key)]
        return found

    def owner(self, note_id: str) -> NoteId | None:
        """The note that holds this id (matched without case), if any."""
        return self.by_id.get(_fold(note_id))

    def resolve(self, target: str, source_path: str | None = None) -> NoteId | None:
        """The note a link to `target` written in the note at `source_path` leads to, or None."""
        known = self._resolved.get(target, _UNKNOWN)
        if known is not _UNKNOWN:
            return cast(NoteId | None, known)
        found, tied = self._resolve(target, source_path)
        if not tied:
            self._resolved[target] = found
        return found

    def _resolve(self, target: str, source_path: str | None) -> tuple[NoteId | None, bool]:
        """The note, and whether the linking note's folder decided among same-named notes."""
        key = _path_key(target)
        if not key:
            return None, False
        if key in self.by_path:
            return self.by_path[key], False
        found = self.candidates(key)
        if found:
            if len(found) == 1:
                return found[0].id, False
            return min(found, key=_tie_order(source_path)).id, True
        whole = _key(target)
        for table in (self.by_id, self.by_title, self.by_alias):
            for name in (whole, key):
                if name in table:
                    return table[name], False
        if "/" in key:
            return self._resolve(key.rsplit("/", 1)[1], source_path)
        return None, False

    def clashing(self, target: str) -> bool:
        """Whether several notes have the file name `target` ends with (cheap)."""
        known = self._clashing.get(target)
        if known is None:
            known = self._clashing[target] = len(self.by_stem.get(_path_key(target).rsplit("/", 1)[-1], ())) > 1
        return known

    def ambiguous(self, target: str, source_path: str | None = None) -> list[Note]:
        """The candidates of a link the rules cannot tell apart ([] when it is clear).

        Clear: an exact path, one note with the name, or one of them in the linking note's folder.
        """
        key = _path_key(target)
        if not key or key in self.by_path:
            return []
        found = self.candidates(key)
        if len(found) < 2:
            return []
        home = folder_of(source_path).casefold() if source_path else None
        if sum(1 for n in found if folder_of(n.path).casefold() == home) == 1:
            return []
        return sorted(found, key=_tie_order(source_path))
