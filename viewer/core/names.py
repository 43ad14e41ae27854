"""Resolving a link target or a reader's query to a note, by id, title or alias."""

from __future__ import annotations

from collections.abc import Iterable

from viewer.core.model import Diagnostic, Note, NoteId


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class NameIndex:
    """Case-insensitive lookup: ids first, then titles, then aliases."""

    def __init__(self, notes: Iterable[Note]) -> None:
        self.by_id: dict[str, NoteId] = {}
        self.by_title: dict[str, NoteId] = {}
        self.by_alias: dict[str, NoteId] = {}
        self.diagnostics: list[Diagnostic] = []
        notes = list(notes)
        claims: dict[str, NoteId] = {}
        for note in notes:
            self.by_id.setdefault(_key(note.id), note.id)
        for note in notes:
            for kind, name in [("title", note.title)] + [("alias", a) for a in note.aliases]:
                key = _key(name)
                owner = claims.get(key)
                if owner is not None and owner != note.id:
                    self.diagnostics.append(Diagnostic(
                        note.path, 1, "warning", "duplicate-name",
                        f"{kind} '{name}' is also claimed by note '{owner}'; links use '{owner}'"))
                    continue
                claims[key] = note.id
                table = self.by_title if kind == "title" else self.by_alias
                table.setdefault(key, note.id)

    def resolve(self, target: str) -> NoteId | None:
        key = _key(target)
        if key.endswith(".md"):
            key = key[:-3]
        for table in (self.by_id, self.by_title, self.by_alias):
            if key in table:
                return table[key]
        if "/" in key:
            return self.resolve(key.rsplit("/", 1)[1])
        return None

