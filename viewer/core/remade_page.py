"""The page of the note read last, made before the notes are read, from its file and what was kept.

When the note shown at the end of the last session was edited since, its
kept page (`viewer.core.start_page`) no longer holds, but what its render
looked up was kept with it: the note each link named (with its title), the
file each image or attachment link found, the notes it embeds and cites.
`remake` reads the files of those notes as they are now (inside the folder,
at most `start_page.EARLY_FILES` files and `EARLY_BYTES`) and makes the page
again, each name looked up in what was kept. A name the kept page did not
look up (a new link, source or embed), and every name when no page was kept
(removed, over its size limit, or of another note), is looked up in the
names kept beside the store (`viewer.core.kept_names`), and a note it embeds
or cites is read from its file. With neither, or a file gone, the page waits
for the notes. What a kept name finds may have changed since; the window
shows the page only until the notes are read, then makes it as any other
page and shows that one if it differs.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from viewer.core import kept_names, start_page
from viewer.core.model import Note, NoteId

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase
    from viewer.core.kept_names import KeptNames
    from viewer.core.vault import Attachments


class NotKept(Exception):
    """The page looks up a name, file or note neither its kept page nor the kept names hold."""


_NO_DEPS: dict[str, Any] = {"notes": {}, "links": [], "names": [], "files": []}


def remake(store_path: Path, folder: Path, note_id: str | None) -> tuple[str, str, str, str] | None:
    """The page of `note_id` made from its file as it is now, what its last page looked up and the kept
    names: (note id, page, title, path), or None (wait for the notes).

    With no `note_id`, or one the kept names do not know (its note removed or renamed before the last
    sync), the page is of the note the folder opened on then, as the window will show once the notes are
    read. A note whose file is gone since waits for the notes: it may have moved, keeping its id.
    """
    kept = start_page.kept_page(store_path)
    names = kept_names.open_names(store_path)
    try:
        with names if names is not None else nullcontext():
            if names is not None and (note_id is None or names.note(note_id) is None):
                note_id = kept_names.first_note(store_path)  # none read last, or gone at the last sync
            if note_id is None:
                return None
            deps = kept["deps"] if kept is not None and kept["note"] == note_id else None
            if deps is None and names is None:
                return None
            try:
                lookups = _Lookups(Path(folder), deps if deps is not None else _NO_DEPS, names, note_id)
            except Exception:  # noqa: BLE001 (a damaged file, of any shape)
                if deps is None or names is None:
                    return None
                lookups = _Lookups(Path(folder), _NO_DEPS, names, note_id)
            note = lookups.notes.get(NoteId(note_id))
            if note is None:
                return None
            from viewer.core.page import page_of  # Python-Markdown: only when a page is made

            page = page_of(cast("KnowledgeBase", lookups), note_id)
    except Exception:  # noqa: BLE001 (NotKept, Damaged, or what the notes are read for would say)
        return None
    return (note_id, page.html, note.title, note.path) if page is not None else None


class _Named:
    """A note a link names, known by its id and title; its file is read when more is asked of it."""

    def __init__(self, note_id: str, title: str, lookups: _Lookups) -> None:
        self.id, self.title, self._lookups = NoteId(note_id), title, lookups

    def __getattr__(self, name: str) -> Any:
        return getattr(self._lookups.read(self.id), name)  # its text, path or front matter: an embed, a source


class _Files:
    def __init__(self, found: dict[tuple[str, str | None], str | None], kept: Attachments | None) -> None:
        self.found, self.kept = found, kept

    def find(self, src: str, source_path: str | None = None) -> str | None:
        try:
            return self.found[(src, source_path)]
        except KeyError:
            if self.kept is None:
                raise NotKept(src) from None
            return self.kept.find(src, source_path)


class _Lookups:
    """What `page_of` and the renderer ask of a knowledge base, answered from a kept page's `deps`, else
    from the kept names (`names`; None: none kept)."""

    def __init__(self, folder: Path, deps: dict[str, Any], names: KeptNames | None, note_id: str) -> None:
        self.folder, self.kept = folder, names
        files = dict(deps["notes"])
        if note_id not in files:
            found = names.note(note_id) if names is not None else None
            if found is None:
                raise NotKept(note_id)
            files[note_id] = [found[0], None]
        self.notes: dict[NoteId, Note] = {}
        self.left = [start_page.EARLY_FILES, start_page.EARLY_BYTES]  # files and bytes still to be read
        self._read(list(files), [path for path, _digest in files.values()])
        self.links = {(_text(t), _text_or_none(p)): _found(i, n) for t, p, i, n in deps["links"]}
        self.names = {_text(name): _found(i, n) for name, i, n in deps["names"]}
        self.attachments = _Files({(_text(n), _text_or_none(p)): _text_or_none(f) for n, p, f in deps["files"]},
                                  names.attachments if names is not None else None)
        self.by_path = {note.path: note for note in self.notes.values()}

    def _read(self, ids: list[Any], paths: list[Any]) -> None:
        """Parse the files at `paths` as the notes `ids` (within the files and bytes left)."""
        read = start_page.read_files(self.folder, paths, self.left[1]) if len(ids) <= self.left[0] else None
        if read is None or not all(isinstance(i, str) for i in ids):
            raise NotKept("files")
        self.left = [self.left[0] - len(read), self.left[1] - sum(map(len, read))]
        from viewer.core.parser import parse_file

        for note_id, path, data in zip(ids, paths, read, strict=True):
            note = parse_file(path, data).note
            if note is not None:
                self.notes[NoteId(note_id)] = replace(note, id=NoteId(note_id))

    def read(self, note_id: str) -> Note:
        """The note `note_id` as its file holds it now (a note the kept page did not show)."""
        found = self.notes.get(NoteId(note_id))
        if found is None:
            kept = self.kept.note(note_id) if self.kept is not None else None
            if kept is None:
                raise NotKept(note_id)
            self._read([note_id], [kept[0]])
            found = self.notes.get(NoteId(note_id))
        if found is None:
            raise NotKept(note_id)
        return found

    # what page_of asks
    def get(self, note_id: str) -> Note | None:
        return self.notes.get(NoteId(note_id))

    def resolve(self, name: str) -> Note | _Named | None:
        try:
            return self.note(self.names[name])
        except KeyError:
            if self.kept is None:
                raise NotKept(name) from None
            return self.note_of(self.kept.names.resolve(name))

    def render(self, note_id: str, toggled: frozenset[int] = frozenset()) -> str:
        from viewer.core.render import Renderer

        note = self.notes[NoteId(note_id)]
        return Renderer(_unasked, cast(Any, _Vault(self))).render(note.body, note.path, toggled)

    def note(self, found: tuple[str, str] | None) -> Note | _Named | None:
        if found is None:
            return None
        return self.notes.get(NoteId(found[0])) or _Named(*found, self)

    def note_of(self, note_id: str | None) -> Note | _Named | None:
        """The note with this id the kept names gave (None: no note has the name)."""
        if note_id is None:
            return None
        known = self.notes.get(NoteId(note_id))
        kept = self.kept.note(note_id) if known is None and self.kept is not None else None
        if known is None and kept is None:
            raise NotKept(note_id)
        return known or _Named(note_id, cast(tuple, kept)[1], self)


class _Vault:
    """What the renderer asks of a folder (as of a `viewer.core.vault.VaultContext`), from the kept lookups."""

    def __init__(self, lookups: _Lookups) -> None:
        self.lookups, self.folder, self.attachments = lookups, lookups.folder, lookups.attachments

    def by_path(self) -> dict[str, Note]:
        return self.lookups.by_path

    def resolve(self, target: str, source_path: str | None) -> Note | _Named | None:
        lookups = self.lookups
        try:
            return lookups.note(lookups.links[(target, source_path)])
        except KeyError:
            if lookups.kept is None:
                raise NotKept(target) from None
            return lookups.note_of(lookups.kept.names.resolve(target, source_path))


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
