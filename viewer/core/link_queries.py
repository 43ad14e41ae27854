"""The link queries of a knowledge base: links out of a note and into it, as the store holds them.

A mixin of `viewer.core.kb.KnowledgeBase`, which fills the attributes declared
here at each sync. Links are read from the links table when asked for, not
kept as objects: there may be 250,000.
"""

from __future__ import annotations

from viewer.core.model import Link, Note, NoteId
from viewer.core.names import NameIndex
from viewer.core.plain import link_sentence
from viewer.core.records import FileRecord
from viewer.core.store import NoteStore

LinkRef = tuple[NoteId, str, int]  # (source id, file path, index in the file's links)


class LinkQueries:
    """Outgoing links, backlinks and their counts, for the notes of the last sync."""

    _store: NoteStore
    _files: dict[str, FileRecord] | None
    _notes: dict[NoteId, Note]
    _incoming: dict[NoteId, list[LinkRef]]
    _names: NameIndex

    def outgoing(self, note_id: str, sentences: bool = True) -> list[Link]:
        """Links from this note; with `sentences=False`, without their sentences (context ''): much
        cheaper for a note of thousands of links, each sentence holding others."""
        links = self._links(self._outgoing(NoteId(note_id)), sentences)
        return [self._shown(link) for link in links] if sentences else links

    def outgoing_targets(self, note_id: str, rows: int | None = None) -> list[tuple[str, NoteId | None, int]]:
        """The distinct targets of this note's links (of its first `rows` links, if given), in order, each
        as (target as written, its note's id or None, line of its first link): no Link made."""
        note = self._notes.get(NoteId(note_id))
        record = (self._files or {}).get(note.path) if note is not None else None
        if record is None:
            return []
        written, targets = self._link_rows(record)
        if rows is not None:
            written, targets = written[:rows], targets[:rows]
        seen: set[str] = set()
        found: list[tuple[str, NoteId | None, int]] = []
        for row, target_id in zip(written, targets, strict=False):
            key = target_id or f"broken:{row[0]}"
            if key not in seen:
                seen.add(key)
                found.append((row[0], NoteId(target_id) if target_id else None, row[4]))
        return found

    def backlinks(self, note_id: str, limit: int | None = None) -> list[Link]:
        """Links from other notes (and from itself) into this note (the first `limit` of them, if given)."""
        refs = self._incoming.get(NoteId(note_id), [])
        return [self._shown(link) for link in self._links(refs[:limit] if limit is not None else refs)]

    def link_count(self, note_id: str) -> int:
        """How many links this note holds."""
        note = self._notes.get(NoteId(note_id))
        record = (self._files or {}).get(note.path) if note is not None else None
        return len(record.links) if record is not None else 0

    def backlink_count(self, note_id: str) -> int:
        """How many links lead into this note."""
        return len(self._incoming.get(NoteId(note_id), ()))

    def links(self) -> list[Link]:
        """Every link, as written (sentences not made readable: see outgoing)."""
        return self._links([ref for note_id in self._notes for ref in self._outgoing(note_id)])

    def _outgoing(self, note_id: NoteId) -> list[LinkRef]:
        note = self._notes.get(note_id)
        record = (self._files or {}).get(note.path) if note is not None else None
        return [(note_id, record.path, index) for index in range(len(record.links))] if record else []

    def backlink_sources(self, note_id: str) -> set[str]:
        """The ids of the notes linking to this one (cheaper than backlinks)."""
        return {source for source, _, _ in self._incoming.get(NoteId(note_id), ())}

    def link_targets(self, note_id: str) -> set[str]:
        """The ids of the notes this one links to (cheaper than outgoing: nothing is read from the store)."""
        note = self._notes.get(NoteId(note_id))
        record = (self._files or {}).get(note.path) if note is not None else None
        return {target for target in record.targets if target is not None} if record is not None else set()

    def _shown(self, link: Link) -> Link:
        """The link with its context as a reader sees it (bare ids read as titles)."""
        return link._replace(context=link_sentence(link.context, self._title_for_id))

    def _title_for_id(self, target: str) -> str | None:
        note = self._notes.get(NoteId(target))
        if note is None:
            note_id = self._names.by_id.get(" ".join(target.casefold().split()))
            note = self._notes.get(note_id) if note_id else None
        return note.title if note else None

    def _links(self, refs: list[LinkRef], sentences: bool = True) -> list[Link]:
        """Link objects for link references, read from the links table (sentences once per file, if asked)."""
        files = self._files or {}
        rows: dict[str, tuple[list, list]] = {}
        contexts: dict[str, list[str]] = {}
        links = []
        for source, path, index in refs:
            record = files.get(path)
            if record is None:
                continue
            if path not in rows:
                rows[path] = self._link_rows(record)
                contexts[path] = record.sentences() if sentences else []
            written, targets = rows[path]
            if index >= len(written):
                continue
            target, label, heading, embed, line = written[index]
            target_id = targets[index]
            links.append(Link(source, target, NoteId(target_id) if target_id else None, label, heading,
                              bool(embed), line, contexts[path][index] if sentences else ""))
        return links

    def _link_rows(self, record: FileRecord) -> tuple[list, list]:
        """A file's links and their targets: its document in the links table once committed."""
        if record.links_id is not None:
            doc = self._store.links.get(doc_id=record.links_id)
            if isinstance(doc, dict):
                return doc["links"], doc["targets"]
        return record.links, record.targets
