"""The page of the note read last, made again before the notes are read, from what its kept page looked up.

When the note shown at the end of the last session was edited since, its
kept page (`viewer.core.start_page`) no longer holds, but what its render
looked up was kept with it: the note each link named (with its title), the
file each image or attachment link found, the notes it embeds and cites.
`remake` reads the files of those notes as they are now (inside the folder,
at most `start_page.EARLY_FILES` files and `EARLY_BYTES`) and makes the page
again, each name looked up in what was kept: a page naming anything the kept
one did not look up (a new link, source or embed) waits for the notes
instead. What a kept name finds may have changed since; the window shows the
page only until the notes are read, then makes it as any other page and
shows that one if it differs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from viewer.core import start_page
from viewer.core.model import Note, NoteId

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase


class NotKept(Exception):
    """The page looks up a name, file or note its kept page did not."""


def remake(store_path: Path, folder: Path, note_id: str) -> tuple[str, str, str] | None:
    """The page of `note_id` made from its file as it is now and the lookups kept with its last page:
    (page, title, path), or None (wait for the notes)."""
    kept = start_page.kept_page(store_path)
    if kept is None or kept["note"] != note_id:
        return None
    try:
        lookups = _Lookups(Path(folder), kept["deps"])
    except Exception:  # noqa: BLE001 (a damaged file, of any shape)
        return None
    note = lookups.notes.get(NoteId(note_id))
    if note is None:
        return None
    from viewer.core.page import page_of  # Python-Markdown: only when a page is made

    try:
        page = page_of(cast("KnowledgeBase", lookups), note_id)
    except Exception:  # noqa: BLE001 (NotKept, or what the notes are read for would say)
        return None
    return (page.html, note.title, note.path) if page is not None else None


class _Named:
    """A note a link names, known by its id and title only."""

    def __init__(self, note_id: str, title: str) -> None:
        self.id, self.title = NoteId(note_id), title

    def __getattr__(self, name: str) -> Any:
        raise NotKept(name)  # its text or path: an embed the kept page did not show


class _Files:
    def __init__(self, found: dict[tuple[str, str | None], str | None]) -> None:
        self.found = found

    def find(self, src: str, source_path: str | None = None) -> str | None:
        try:
            return self.found[(src, source_path)]
        except KeyError:
            raise NotKept(src) from None


class _Lookups:
    """What `page_of` and the renderer ask of a knowledge base, answered from a kept page's `deps`."""

    def __init__(self, folder: Path, deps: dict[str, Any]) -> None:
        self.folder = folder
        files = deps["notes"]
        ids, paths = list(files), [path for path, _digest in files.values()]
        read = start_page.read_files(folder, paths)
        if read is None or not all(isinstance(i, str) for i in ids):
            raise NotKept("files")
        from viewer.core.parser import parse_file

        self.notes: dict[NoteId, Note] = {}
        for note_id, path, data in zip(ids, paths, read, strict=True):
            note = parse_file(path, data).note
            if note is not None:
                self.notes[NoteId(note_id)] = replace(note, id=NoteId(note_id))
        self.links = {(_text(t), _text_or_none(p)): _found(i, n) for t, p, i, n in deps["links"]}
        self.names = {_text(name): _found(i, n) for name, i, n in deps["names"]}
        self.attachments = _Files({(_text(n), _text_or_none(p)): _text_or_none(f) for n, p, f in deps["files"]})
        self.by_path = {note.path: note for note in self.notes.values()}

    # what page_of asks
    def get(self, note_id: str) -> Note | None:
        return self.notes.get(NoteId(note_id))

    def resolve(self, name: str) -> Note | _Named | None:
        try:
            return self.note(self.names[name])
        except KeyError:
            raise NotKept(name) from None

    def render(self, note_id: str, toggled: frozenset[int] = frozenset()) -> str:
        from viewer.core.render import Renderer

        note = self.notes[NoteId(note_id)]
        return Renderer(_unasked, cast(Any, _Vault(self))).render(note.body, note.path, toggled)

    def note(self, found: tuple[str, str] | None) -> Note | _Named | None:
        if found is None:
            return None
        return self.notes.get(NoteId(found[0])) or _Named(*found)


class _Vault:
    """What the renderer asks of a folder (as of a `viewer.core.vault.VaultContext`), from the kept lookups."""

    def __init__(self, lookups: _Lookups) -> None:
        self.lookups, self.folder, self.attachments = lookups, lookups.folder, lookups.attachments

    def by_path(self) -> dict[str, Note]:
        return self.lookups.by_path

    def resolve(self, target: str, source_path: str | None) -> Note | _Named | None:
        try:
            return self.lookups.note(self.lookups.links[(target, source_path)])
        except KeyError:
            raise NotKept(target) from None


def _unasked(target: str, source_path: str | None = None) -> tuple[str, str] | None:
    raise NotKept(target)  # a renderer with a vault asks it, not this


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise NotKept("shape")
    return value


def _text_or_none(value: Any) -> str | None:
    return None if value is None else _text(value)


def _found(note_id: Any, title: Any) -> tuple[str, str] | None:
    return None if note_id is None else (_text(note_id), _text(title))
