"""Rendering a knowledge base's notes: bodies kept for a while, and what each render looked up.

A mixin of `viewer.core.kb.KnowledgeBase`, which fills the attributes declared
here at each sync. Python-Markdown loads with the first note rendered.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.core.model import Note, NoteId
from viewer.core.names import NameIndex
from viewer.core.records import FileRecord
from viewer.core.vault import Attachments, VaultContext

if TYPE_CHECKING:
    from viewer.core.render import Reads, Renderer

RENDERS_KEPT = 16  # rendered bodies kept: the window's worker renders a note, the UI thread reads it again


class NoteRendering:
    """Note bodies as sanitised HTML, for the notes of the last sync."""

    folder: Path
    attachments: Attachments
    _files: dict[str, FileRecord] | None
    _notes: dict[NoteId, Note]
    _names: NameIndex
    _renderer: Renderer | None
    _renderer_for: dict[NoteId, Note] | None  # the notes the renderer resolves in
    _rendered: OrderedDict[tuple[NoteId, frozenset[int]], tuple[str, Reads]]
    _render_lock: threading.Lock

    def render(self, note_id: str, toggled: frozenset[int] = frozenset()) -> str:
        """The note's body as sanitised HTML ('' for an unknown id); `toggled`: callouts folded or opened.

        Safe to call from a worker thread. The last few results are kept (until the next sync), so a note
        rendered there is not rendered again when the window reads it for its annotations.
        """
        note = self._notes.get(NoteId(note_id))
        if note is None:
            return ""
        key = (note.id, frozenset(toggled))
        with self._render_lock:
            if self._renderer is None or self._renderer_for is not self._notes:
                from viewer.core.render import Renderer  # Python-Markdown loads with the first note rendered

                self._renderer = Renderer(_title_lookup(self._names, self._notes),
                                          VaultContext(self.folder, self._names, self._notes, self.attachments))
                self._renderer_for = self._notes
                self._rendered.clear()
            renderer = self._renderer
            kept = self._rendered.get(key)
            if kept is not None:
                self._rendered.move_to_end(key)
                return kept[0]
        from viewer.core.render import Reads

        reads = Reads()
        body = renderer.render(note.body, note.path, toggled, reads)
        with self._render_lock:
            if renderer is self._renderer:
                self._rendered[key] = (body, reads)
                while len(self._rendered) > RENDERS_KEPT:
                    self._rendered.popitem(last=False)
        return body

    def render_reads(self, note_id: str) -> Reads | None:
        """What the kept render of `note_id` looked up (`viewer.core.render.Reads`); None if none is kept."""
        with self._render_lock:
            kept = self._rendered.get((NoteId(note_id), frozenset()))
            return kept[1] if kept is not None and self._renderer_for is self._notes else None

    def note_file(self, note_id: str) -> tuple[str, str] | None:
        """The path and digest of the file that holds `note_id` (None for an unknown id)."""
        note = self._notes.get(NoteId(note_id))
        record = self._files.get(note.path) if note is not None and self._files is not None else None
        return (record.path, record.sha) if record is not None else None

    def link_target(self, target: str, source_path: str | None) -> tuple[str, str] | None:
        """(id, title) of the note a link in the note at `source_path` names, as a render finds it."""
        return _target(self._names, self._notes, target, source_path)


def _target(names: NameIndex, notes: dict[NoteId, Note], target: str,
            source_path: str | None) -> tuple[str, str] | None:
    note_id = names.resolve(target, source_path)
    note = notes.get(note_id) if note_id else None
    return (note.id, note.title) if note else None


def _title_lookup(names: NameIndex, notes: dict[NoteId, Note]) -> Callable[[str], tuple[str, str] | None]:
    """(id, title) of the note a link names, from the names and notes of one sync (not the kb)."""
    def title_of(target: str, source_path: str | None = None) -> tuple[str, str] | None:
        return _target(names, notes, target, source_path)
    return title_of
