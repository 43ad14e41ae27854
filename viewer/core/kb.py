"""KnowledgeBase: a folder of notes, synced into the store, with its link graph."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from viewer.core.folder import NoteFile, list_note_files
from viewer.core.mentions import Mention, MentionFinder
from viewer.core.model import Diagnostic, Link, Note, NoteId, RawLink, SyncResult
from viewer.core.names import NameIndex
from viewer.core.parser import MAX_NOTE_BYTES, parse_file
from viewer.core.paths import default_store
from viewer.core.render import Renderer
from viewer.core.search import SearchIndex, SearchResult, index_path
from viewer.core.store import NoteStore
from viewer.core.wikilinks import display_context

Progress = Callable[[str, int, int], None]  # (what, done, total)


class KnowledgeBaseError(Exception):
    """A knowledge base that cannot be opened at all (no such folder...)."""


class KnowledgeBase:
    """The notes of one folder and the links between them.

    Open with `KnowledgeBase.open(folder)`; the store is synced on open.
    """

    def __init__(self, folder: Path, store: Path | None = None) -> None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise KnowledgeBaseError(f"no such folder: {folder}")
        self.folder = folder.resolve()
        self.store_path = Path(store).expanduser() if store else default_store(self.folder)
        self._store = NoteStore(self.store_path)
        self._search = SearchIndex(index_path(self.store_path))
        self._files: dict[str, dict[str, Any]] | None = None
        self._link_docs: list[dict[str, Any]] = []
        self._notes: dict[NoteId, Note] = {}
        self._outgoing: dict[NoteId, list[Link]] = {}
        self._incoming: dict[NoteId, list[Link]] = {}
        self._names = NameIndex([])
        self._diagnostics: list[Diagnostic] = []
        self.warnings: list[str] = []
        self.last_sync = SyncResult()
        self._renderer: Renderer | None = None

    @classmethod
    def open(cls, folder: Path | str, store: Path | str | None = None,
             progress: Progress | None = None) -> KnowledgeBase:
        kb = cls(Path(folder), Path(store) if store else None)
        kb.sync(progress)
        return kb

    # -- sync -----------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncResult:
        """Bring the store up to date with the folder: only changed files are parsed.

        Nothing is written until the end, so an interrupted sync leaves the
        previous store as it was.
        """
        first = self._files is None
        if first:
            cached, self._link_docs = self._store.load(self.folder)
            if self._store.warning:
                self.warnings.append(self._store.warning)
        else:
            cached = self._files or {}
        files, scan_problems = list_note_files(self.folder)
        fresh: dict[str, dict[str, Any]] = {}
        updated: set[str] = set()
        added = changed = unchanged = 0
        dirty = False
        total = len(files)
        for done, nf in enumerate(files, 1):
            old = cached.get(nf.rel_path)
            doc = self._file_doc(nf, old)
            fresh[nf.rel_path] = doc
            if progress is not None and (done % 200 == 0 or done == total):
                progress("Reading notes", done, total)
            dirty = dirty or doc is not old
            if old is None:
                added += 1
            elif doc.get("sha") != old.get("sha"):
                changed += 1
            else:
                unchanged += 1
                continue
            if doc.get("note"):
                updated.add(doc["note"]["id"])
        removed_paths = cached.keys() - fresh.keys()
        removed_ids = {cached[p]["note"]["id"] for p in removed_paths if cached[p].get("note")}
        touched = dirty or bool(removed_paths)
        self._files = fresh
        self._build(scan_problems, relink=bool(touched))
        # The index is committed before the store is saved: if the save is
        # interrupted, the next sync finds the same changes and indexes them again.
        removed_ids -= updated
        self.warnings.extend(self._search.sync(self, updated, removed_ids, progress))
        if touched:
            self._store.save(self.folder, list(fresh.values()), self._link_docs)
        self.last_sync = SyncResult(added, changed, len(removed_paths), unchanged,
                                    frozenset(updated), frozenset(removed_ids))
        return self.last_sync

    def _file_doc(self, nf: NoteFile, old: dict[str, Any] | None) -> dict[str, Any]:
        if old and old.get("size") == nf.size and old.get("mtime_ns") == nf.mtime_ns:
            return old
        try:
            with open(nf.path, "rb") as handle:
                data = handle.read(MAX_NOTE_BYTES + 1)
        except OSError as err:
            problem = Diagnostic(nf.rel_path, 1, "error", "unreadable", f"cannot read file: {err.strerror}")
            return {"path": nf.rel_path, "size": nf.size, "mtime_ns": nf.mtime_ns, "sha": "",
                    "note": None, "links": [], "diagnostics": [problem.to_dict()]}
        sha = hashlib.blake2b(data, digest_size=16).hexdigest()
        if old and old.get("sha") == sha:
            return {**old, "mtime_ns": nf.mtime_ns, "size": nf.size}
        parsed = parse_file(nf.rel_path, data, size=nf.size)
        return {
            "path": nf.rel_path,
            "size": nf.size,
            "mtime_ns": nf.mtime_ns,
            "sha": sha,
            "note": _note_doc(parsed.note) if parsed.note else None,
            "links": [asdict(link) for link in parsed.links],
            "diagnostics": [d.to_dict() for d in parsed.diagnostics],
        }

    def _build(self, scan_problems: list[Diagnostic], relink: bool) -> None:
        """Rebuild the in-memory notes, names, links and diagnostics."""
        assert self._files is not None
        diagnostics = list(scan_problems)
        notes: dict[NoteId, Note] = {}
        owners: dict[str, str] = {}
        for path in sorted(self._files):
            doc = self._files[path]
            diagnostics.extend(Diagnostic(**d) for d in doc.get("diagnostics", ()))
            if not doc.get("note"):
                continue
            note = _note_from_doc(doc["note"])
            key = note.id.casefold()
            if key in owners:
                diagnostics.append(Diagnostic(path, 1, "error", "duplicate-id",
                                              f"id '{note.id}' is already used by {owners[key]}; skipped"))
                continue
            owners[key] = path
            notes[note.id] = note
        self._notes = notes
        self._names = NameIndex(notes.values())
        diagnostics.extend(self._names.diagnostics)
        if relink:
            self._link_docs = self._resolve_links()
        links = [_link_from_doc(d) for d in self._link_docs if d.get("source") in notes]
        self._outgoing = defaultdict(list)
        self._incoming = defaultdict(list)
        for link in links:
            self._outgoing[link.source].append(link)
            if link.target_id is not None:
                self._incoming[link.target_id].append(link)
            else:
                diagnostics.append(Diagnostic(notes[link.source].path, link.line, "warning", "broken-link",
                                              f"link to '{link.target}' matches no note"))
        for note in notes.values():
            for source in note.sources:
                if self._names.resolve(source) is None:
                    diagnostics.append(Diagnostic(note.path, 1, "warning", "unknown-source",
                                                  f"source '{source}' matches no note"))
        self._diagnostics = diagnostics

    def _resolve_links(self) -> list[dict[str, Any]]:
        assert self._files is not None
        docs = []
        for doc in self._files.values():
            note_doc = doc.get("note")
            if not note_doc or note_doc["id"] not in self._notes:
                continue
            source = note_doc["id"]
            for raw in doc.get("links", ()):
                target_id = self._names.resolve(raw["target"]) if raw["target"] else source
                docs.append({"source": source, "target_id": target_id, **raw})
        return docs

    # -- queries --------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self._notes.values())

    def notes(self) -> list[Note]:
        return list(self._notes.values())

    def get(self, note_id: str) -> Note | None:
        return self._notes.get(NoteId(note_id))

    def resolve(self, name: str) -> Note | None:
        """The note with this id, title or alias (case-insensitive)."""
        note_id = self._names.resolve(name)
        return self._notes.get(note_id) if note_id else None

    def outgoing(self, note_id: str) -> list[Link]:
        return [self._shown(link) for link in self._outgoing.get(NoteId(note_id), ())]

    def backlinks(self, note_id: str) -> list[Link]:
        """Links from other notes (and from itself) into this note."""
        return [self._shown(link) for link in self._incoming.get(NoteId(note_id), ())]

    def links(self) -> list[Link]:
        return [link for links in self._outgoing.values() for link in links]

    def _shown(self, link: Link) -> Link:
        """The link with its context as a reader sees it (bare ids read as titles)."""
        return replace(link, context=display_context(link.context, self._title_for_id))

    def _title_for_id(self, target: str) -> str | None:
        note = self._notes.get(NoteId(target))
        if note is None:
            note_id = self._names.by_id.get(" ".join(target.casefold().split()))
            note = self._notes.get(note_id) if note_id else None
        return note.title if note else None

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._diagnostics)

    def overview(self) -> Note | None:
        """The entry note: the first of type overview, else the first note."""
        for note in self._notes.values():
            if note.type == "overview":
                return note
        return next(iter(self._notes.values()), None)

    def search(self, query: str, limit: int = 20) -> SearchResult:
        """Ranked hits with snippets; see viewer.core.search.query for the language.

        Safe to call from a worker thread while others read the notes.
        """
        return self._search.search(query, self, limit)

    def prepare_search(self, progress: Progress | None = None) -> None:
        """Make sure the search index is ready (it is built when the folder opens)."""
        self.warnings.extend(self._search.sync(self, (), (), progress))

    def render(self, note_id: str) -> str:
        """The note's body as sanitised HTML ('' for an unknown id)."""
        note = self.get(note_id)
        if note is None:
            return ""
        if self._renderer is None:
            self._renderer = Renderer(self._title_of)
        return self._renderer.render(note.body)

    def unlinked_mentions(self, note_id: str) -> list[Mention]:
        """Notes that name this note (title or alias) without linking to it."""
        finder = getattr(self, "_mention_finder", None)
        if finder is None or finder.notes is not self._notes:
            finder = self._mention_finder = MentionFinder(self)
        return finder.find(note_id)

    def _title_of(self, target: str) -> tuple[str, str] | None:
        note = self.resolve(target)
        return (note.id, note.title) if note else None


def _note_doc(note: Note) -> dict[str, Any]:
    return asdict(note)


def _note_from_doc(doc: dict[str, Any]) -> Note:
    return Note(
        id=NoteId(doc["id"]),
        path=doc["path"],
        title=doc["title"],
        type=doc.get("type"),
        aliases=tuple(doc.get("aliases", ())),
        tags=tuple(doc.get("tags", ())),
        date=doc.get("date"),
        sources=tuple(doc.get("sources", ())),
        meta=dict(doc.get("meta", {})),
        body=doc.get("body", ""),
        body_line=doc.get("body_line", 1),
    )


def _link_from_doc(doc: dict[str, Any]) -> Link:
    return Link(
        source=NoteId(doc["source"]),
        target=doc["target"],
        target_id=NoteId(doc["target_id"]) if doc.get("target_id") else None,
        label=doc.get("label"),
        heading=doc.get("heading"),
        embed=bool(doc.get("embed")),
        line=int(doc.get("line", 1)),
        context=doc.get("context", ""),
    )


__all__ = ["KnowledgeBase", "KnowledgeBaseError", "RawLink"]
