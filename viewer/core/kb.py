"""KnowledgeBase: a folder of notes, synced into the store, with its link graph."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.core import kept_names
from viewer.core.collector import collector_paused
from viewer.core.folder import NoteFile, list_note_files
from viewer.core.link_queries import LinkQueries, LinkRef
from viewer.core.linking import Linking
from viewer.core.mentions import Mention, MentionFinder
from viewer.core.model import Diagnostic, Note, NoteId, RawLink, SyncResult
from viewer.core.names import NameIndex
from viewer.core.note_rendering import NoteRendering
from viewer.core.paths import default_store
from viewer.core.records import FileRecord
from viewer.core.search.index import SearchIndex, index_path
from viewer.core.start_page import mentions_state, page_state
from viewer.core.store import NoteStore
from viewer.core.vault import Attachments, first_note
from viewer.core.vault import assign_ids as _assign_ids
from viewer.core.vault import keep_ids as _keep_ids

if TYPE_CHECKING:
    from viewer.core.reading import Job, Read
    from viewer.core.render import Reads, Renderer
    from viewer.core.search.hits import SearchResult

Progress = Callable[[str, int, int], None]  # (what, done, total)
PARTIAL_BUILD = 200  # changed files up to which a sync that keeps every name works out only theirs


class KnowledgeBaseError(Exception):
    """A knowledge base that cannot be opened at all (no such folder...)."""


class KnowledgeBase(LinkQueries, Linking, NoteRendering):
    """The notes of one folder and the links between them.

    Open with `KnowledgeBase.open(folder)`; the store is synced on open.
    """

    def __init__(self, folder: Path, store: Path | None = None) -> None:
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            raise KnowledgeBaseError(f"no such folder: {folder}")
        self.folder = folder.resolve()
        self.store_path = Path(store).expanduser() if store else default_store(self.folder)
        if self.store_path.is_dir():
            raise KnowledgeBaseError(f"the note store must be a file, not a folder: {self.store_path}")
        self._store = NoteStore(self.store_path)
        self._search = SearchIndex(index_path(self.store_path))
        self._files: dict[str, FileRecord] | None = None
        self._notes: dict[NoteId, Note] = {}
        # Links into a note are kept as (source id, file path, index in that
        # file's links) and read from the links table when asked for: there
        # may be 250,000. Links out of a note are its file's, in order.
        self._incoming: dict[NoteId, list[LinkRef]] = {}
        self._names = NameIndex([])
        self._scan_problems: list[Diagnostic] = []  # the folder's, then each file's, then each note's links'
        self._file_problems: dict[str, tuple[Diagnostic, ...]] = {}  # by path, only files with some
        self._link_problems: dict[str, tuple[Diagnostic, ...]] = {}  # by path, only notes with some
        self._diagnostics: list[Diagnostic] | None = []  # all of them, put together when asked for
        self.warnings: list[str] = []
        self.last_sync = SyncResult()
        self.page_state: str | None = None  # what a kept page depends on besides its notes (start_page)
        self.mentions_state: str | None = None  # what kept mentions depend on: the store's revision
        # The state before the last sync and the notes it changed, when it kept every name (`mentions_since`).
        self.mentions_base: tuple[str, frozenset[str]] | None = None
        self._names_kept = False  # the last build changed no note's id, title or alias
        self._renamed: tuple[set[str], list[Note]] | None = None  # or, with the same ids, these names and notes
        self.syncs = 0  # syncs begun and ended: odd while one runs (a page made across one is not kept)
        self._first: Note | None = None
        self._renderer: Renderer | None = None
        self._renderer_for: dict[NoteId, Note] | None = None  # the notes the renderer resolves in
        self._rendered: OrderedDict[tuple[NoteId, frozenset[int]], tuple[str, Reads]] = OrderedDict()
        self._render_lock = threading.Lock()
        self._mention_finder: MentionFinder | None = None
        self.attachments = Attachments([])  # the folder's other files, for images and embeds
        self._derived: dict[str, Any] = {}  # what is worked out from the notes, once a sync

    @classmethod
    def open(cls, folder: Path | str, store: Path | str | None = None, progress: Progress | None = None) -> KnowledgeBase:
        kb = cls(Path(folder), Path(store) if store else None)
        kb.sync(progress)
        return kb

    # -- sync -----------------------------------------------------------------

    def sync(self, progress: Progress | None = None) -> SyncResult:
        """Bring the store up to date with the folder: only changed files are parsed.

        The store is committed at the very end, so an interrupted sync leaves
        the previous store as it was.
        """
        with collector_paused(loading=self._files is None):
            self.syncs += 1
            try:
                return self._sync(progress)
            except OSError as err:
                raise KnowledgeBaseError(
                    f"cannot write the note store {self.store_path} or its search index: "
                    f"{err.strerror or err}") from err
            finally:
                self.syncs += 1

    def _sync(self, progress: Progress | None) -> SyncResult:
        self._search.saw_list()  # before the folder is read: a list written after is a newer sync's
        first = self._files is None
        if first:
            cached = self._store.load(self.folder)
            if self._store.warning:
                self.warnings.append(self._store.warning)
        else:
            cached = self._files or {}
        attachments: list[str] = []
        files, scan_problems = list_note_files(self.folder, attachments)
        self.attachments = Attachments(attachments)
        fresh: dict[str, FileRecord] = {}
        updated: set[str] = set()
        added = changed = 0
        total = len(files)
        jobs: list[Job] = []
        read: dict[str, NoteFile] = {}  # the files read again (new, or another size or time), in the folder's order
        for nf in files:
            old = cached.get(nf.rel_path)
            if old and old.size == nf.size and old.mtime_ns == nf.mtime_ns:
                fresh[nf.rel_path] = old
            else:
                read[nf.rel_path] = nf
                jobs.append((nf.rel_path, str(nf.path), nf.size, old.sha if old else ""))
        skipped = total - len(jobs)
        report = None if progress is None else (lambda done: progress("Reading notes", skipped + done, total))
        if report is not None and (not jobs or skipped):
            report(0)
        writer = self._store.texts_writer()
        try:  # until the texts are finished: a file being written is not left open (nor locked)
            for result in _read_all(jobs, report) if jobs else ():
                nf = read[result[0]]
                record = fresh[nf.rel_path] = FileRecord.of_read(nf, cached.get(nf.rel_path), result)
                if record.contexts is not None:  # new texts: to disk now, not kept in memory
                    self._store.write_texts(record, writer)
            if read:
                fresh = {nf.rel_path: fresh[nf.rel_path] for nf in files}  # in the folder's order
            del files, jobs  # 50,000 paths: freed before the notes are built
            dirty = bool(read)  # a file not read again keeps its record; one read again has a new one
            unchanged = total - len(read)
            for path in read:
                record, old = fresh[path], cached.get(path)
                if old is None:
                    added += 1
                elif record.sha != old.sha:
                    changed += 1
                else:
                    unchanged += 1
                    continue
                note = record.stored_note
                if note is not None:
                    updated.add(note.id)
            removed_paths = cached.keys() - fresh.keys()
            removed_ids = {i for i in (_note_id(cached[p]) for p in removed_paths) if i is not None}
            changed_paths = list(read)
            same_paths = not added and not removed_paths
            renamed = _assign_ids(fresh, updated, removed_ids) if not same_paths else _keep_ids(
                cached, {path: fresh[path] for path in changed_paths}, updated, removed_ids)
            rewritten = any(fresh[path] is cached.get(path) for path in renamed)  # stored notes with a new id
            dirty = dirty or bool(renamed)
            touched = dirty or bool(removed_paths)
            partial = same_paths and not rewritten and touched and len(changed_paths) <= PARTIAL_BUILD
            # removed or changed files' links documents (a file not read again is unchanged)
            gone_links = [r.links_id for r in (cached[p] for p in chain(removed_paths, read) if p in cached)
                          if r.links_id is not None and (r.path not in fresh or fresh[r.path].sha != r.sha)]
            self._files = fresh
            # The texts go to disk first (bodies are read from there, not kept in
            # memory), then the index is committed (or the changed notes' ids are
            # written beside it, for its first use), then the store: if the store's
            # commit is interrupted, the next sync finds the same changes and
            # indexes them again.
            records = list(fresh.values())
            texts = self._store.finish_texts(records, writer) if touched else None
        except BaseException:
            writer.abandon()
            raise
        if first and partial:  # a few files changed while closed: the store as it was, then theirs
            self._files = cached
            self._build(scan_problems, relink=False)
            self._files = fresh
        self.mentions_state = self.mentions_base = None  # until this sync is done: the notes are changing
        old_notes = self._notes
        relinked = self._build(scan_problems, relink=bool(touched), changed=changed_paths if partial else None,
                               before=cached)
        maybe = () if self._names_kept else self._renamed[1] if self._renamed else self._notes.values()
        retitled = [n.id for n in maybe if (o := old_notes.get(n.id)) is not None and o.title != n.title]
        showing = {ref[0] for i in retitled for ref in self._incoming.get(i, ())}  # a bare link reads as the title
        showing.update(n.id for r in relinked if r.links_id is not None and (n := r.stored_note))  # now another's
        for path in read:  # a changed file's old note: its id may be gone, or now another file's
            old = cached.get(path)
            old_note = old.stored_note if old is not None and old.sha != fresh[path].sha else None
            if old_note is not None:
                owner = self._names.owner(old_note.id)
                if owner is not None:
                    updated.add(owner)
                if owner != old_note.id:
                    removed_ids.add(old_note.id)
        removed_ids -= updated
        indexed = updated | showing  # the notes to index again
        if self._search.checked or ((indexed or removed_ids)  # else opened when first needed (`prepare_search`)
                                    and not self._search.sync_later(self.folder, indexed, removed_ids)):
            self.warnings.extend(self._search.sync(self, indexed, removed_ids, progress))
        base = mentions_state(revision := self._store.revision)
        if texts is not None:
            gone_links += [r.links_id for r in relinked if r.links_id is not None]
            self._store.commit(self.folder, records, texts, rewritten, relinked, cached, gone_links)
        self.page_state = page_state()
        self.mentions_state = mentions_state(self._store.revision)
        self.mentions_base = (base, frozenset(updated | removed_ids)) if (
            base and self._names_kept and base != self.mentions_state) else None
        self._first = first_note(self._notes.values())  # here, in the loading thread: it looks at every note
        kept_names.keep(self.store_path, revision, self._store.revision, self._names, self.attachments,
                        self._renamed, self._first.id if self._first else None)
        self.last_sync = SyncResult(added, changed, len(removed_paths), unchanged,
                                    frozenset(updated), frozenset(removed_ids))
        return self.last_sync

    def _build(self, scan_problems: list[Diagnostic], relink: bool, changed: list[str] | None = None,
               before: dict[str, FileRecord] | None = None) -> list[FileRecord]:
        """Rebuild the in-memory notes, names, links and diagnostics.

        With `relink`, every link is resolved again (names may have changed);
        otherwise the targets saved in the store are used. With `changed` (the
        paths of the changed files, the folder's paths being the same, and
        `before` the records of the last sync), only those are worked out
        again when no id changed (`viewer.core.linking`; with a title or
        alias changed, also the links that may name it). Returns
        the records whose links document must be written: new ones, and those
        whose targets changed.
        """
        assert self._files is not None
        self._scan_problems = scan_problems
        self._diagnostics = None
        self._derived = {}
        if changed is not None and before is not None and self._same_ids(changed, before):
            renamed = self._changed_names(changed, before)
            self._names_kept = not renamed
            self._renamed = (renamed, [n for p in changed if (n := self._files[p].stored_note) is not None])
            return self._update(changed, before, renamed)
        self._names_kept, self._renamed = False, None
        problems: dict[str, tuple[Diagnostic, ...]] = {}
        notes: dict[NoteId, Note] = {}
        owners: dict[str, str] = {}
        for path in sorted(self._files):
            record = self._files[path]
            found = [Diagnostic(**d) for d in record.diagnostics]
            note = record.stored_note
            if note is not None:
                key = note.id.casefold()
                key = note.id if key == note.id else key  # one string, not two
                if key in owners:
                    found.append(Diagnostic(path, 1, "error", "duplicate-id",
                                            f"id '{note.id}' is already used by {owners[key]}; skipped"))
                else:
                    owners[key] = path
                    notes[note.id] = note
            if found:
                problems[path] = tuple(found)
        self._notes = notes
        self._file_problems = problems
        names = NameIndex(notes.values())
        # The same names resolve every link as before: only new and changed files need resolving.
        same_names = (names.by_id, names.by_title, names.by_alias) == (
            self._names.by_id, self._names.by_title, self._names.by_alias)
        self._names = names
        self._incoming = defaultdict(list)
        self._link_problems = {}
        relinked = []
        for note in notes.values():
            record = self._files[note.path]
            if relink and not (same_names and record.links_id is not None) and self._resolve(note, record):
                relinked.append(record)
            self._link(note, record, check=relink)
        return relinked

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

    @property
    def diagnostics(self) -> list[Diagnostic]:
        if self._diagnostics is None:
            files, links = self._file_problems, self._link_problems
            self._diagnostics = [*self._scan_problems, *chain.from_iterable(files[p] for p in sorted(files)),
                                 *self._names.diagnostics, *chain.from_iterable(links[p] for p in sorted(links))]
        return list(self._diagnostics)

    def overview(self) -> Note | None:
        """The entry note (`viewer.core.vault.first_note`), found once a sync."""
        return self._first

    def search(self, query: str, limit: int = 20, offset: int = 0, correct_typos: bool = True) -> SearchResult:
        """Ranked hits with snippets, from the `offset`-th; see viewer.core.search.query for the language.

        Safe to call from a worker thread while others read the notes.
        """
        self.warnings.extend(self._search.check(self))
        return self._search.search(query, self, limit, offset, correct_typos)

    def prepare_search(self, progress: Progress | None = None) -> None:
        """Open the search index, rebuilt if it must be (an unchanged folder opens without it)."""
        self.warnings.extend(self._search.check(self, progress))

    def search_can_wait(self) -> bool:
        """Whether the search index may be left to its first use: open already, or finished on disk
        for this folder (a few notes changed since are indexed when it opens, in well under a second)."""
        return self._search.checked or self._search.sound(self.folder)

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """`make()`, worked out once for the notes of this sync (a timeline, say) and kept until the next."""
        derived = self._derived
        if name not in derived:
            derived[name] = make()
        return derived[name]

    def unlinked_mentions(self, note_id: str) -> list[Mention]:
        """Notes that name this note (title or alias) without linking to it."""
        self.warnings.extend(self._search.check(self))
        return self._finder().find(note_id)

    def mentions_since(self, note_id: str, kept: list[Mention]) -> list[Mention]:
        """`kept`, the note's mentions found before the last sync, brought up to date by reading only the
        notes it changed: right only when `mentions_base` is not None and was their state."""
        assert self.mentions_base is not None
        return self._finder().update(note_id, kept, self.mentions_base[1])

    def _finder(self) -> MentionFinder:
        finder = self._mention_finder
        if finder is None or finder.notes is not self._notes:
            incoming = self._incoming
            finder = self._mention_finder = MentionFinder(
                self._notes, lambda target: {source for source, _, _ in incoming.get(NoteId(target), ())},
                self._search.naming)  # the index's phrase hits, not a scan of every note
        return finder


def _read_all(jobs: list[Job], report: Callable[[int], None] | None) -> Iterator[Read]:
    from viewer.core.reading import read_all  # the parser (YAML, a process pool) is loaded only when a file is read

    return read_all(jobs, report)


def _note_id(record: FileRecord) -> str | None:
    note = record.stored_note
    return note.id if note is not None else None


__all__ = ["KnowledgeBase", "KnowledgeBaseError", "RawLink"]
