"""The persisted search index: built from the notes, updated when they change.

It lives in a folder beside the note store. A missing, corrupt or
other-version index is rebuilt; an interrupted build leaves no index that
looks complete (the version file is written after the commit). tantivy and
the schema load with the index's first use, not with the knowledge base.

A few notes changed while the viewer was closed are indexed at that first
use too (`sync_later`): their ids are written beside the index before the
store takes the change, so the index is brought up to date even if the
viewer stops first.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import orjson

from viewer.core.atomic import atomic_write
from viewer.core.filelock import FileLock
from viewer.core.model import Note
from viewer.core.plain import link_labels

if TYPE_CHECKING:
    import tantivy

    from viewer.core.search.hits import SearchResult
    from viewer.core.search.schema import Analysis
    from viewer.core.search.typos import Vocabulary

Progress = Callable[[str, int, int], None]
VERSION_FILE = "kbviewer-index.json"
PENDING_FILE = "kbviewer-pending.json"  # ids of notes changed since the index was written
PENDING_MAX = 200  # more changed notes than this are indexed with the sync, not at the first use
# Bump when the fields, the analysis or what is indexed changes: an index with
# another version is rebuilt.
SCHEMA_VERSION = 3  # 2: link targets behind a label not indexed; 3: real month ends, date ranges
PHASE = "Indexing notes"
BUILD_HEAP = 64_000_000
UPDATE_HEAP = 20_000_000


class Notes(Protocol):
    """What the index reads from a knowledge base."""

    folder: Path

    def __len__(self) -> int: ...
    def __iter__(self): ...
    def get(self, note_id: str) -> Note | None: ...
    def resolve(self, name: str) -> Note | None: ...
    def backlink_sources(self, note_id: str) -> set[str]: ...


_WORD_RE = re.compile(r"[^\W_]+")  # runs of letters and digits: the index's words, before any is dropped


def _uncased(name: str) -> bool:
    """Whether `name` holds a letter of a script without case, or a combining mark."""
    import unicodedata

    return any(unicodedata.category(c) in ("Lo", "Mn", "Mc") for c in name)


def index_path(store_path: Path) -> Path:
    """The index folder beside a note store: `store.json` -> `store.index/`."""
    return store_path.parent / (store_path.stem + ".index")


class SearchIndex:
    """A tantivy index of the notes, with the query language on top (`running.py`).

    `sync` is called after every sync of the knowledge base; `search` may run
    on a worker thread while other threads read the notes.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._tools: tuple[tantivy.Schema, Analysis] | None = None  # made when first needed
        self._index: tantivy.Index | None = None
        self._generation = 0  # counts index versions, so a vocabulary is never kept too long
        self._vocabulary: tuple[int, Vocabulary] | None = None  # for typos; read when first needed
        self._titles: tuple[int, dict[str, str | None]] | None = None  # link titles, by index version
        self._lock = threading.RLock()
        self.checked = False  # brought in line with the notes at least once (opened, or rebuilt)
        self._seen: tuple[int, int, int] | None = None  # the list of notes to index, as the last sync saw it

    @property
    def schema(self) -> tantivy.Schema:
        return self._made()[0]

    @property
    def analysis(self) -> Analysis:
        return self._made()[1]

    def _made(self) -> tuple[tantivy.Schema, Analysis]:
        tools = self._tools
        if tools is None:
            with self._lock:
                if self._tools is None:
                    from viewer.core.search.schema import Analysis, build_schema

                    self._tools = (build_schema(), Analysis())
                tools = self._tools
        return tools

    # -- keeping it up to date ----------------------------------------------

    def sync(self, notes: Notes, updated: Collection[str], removed: Collection[str],
             progress: Progress | None = None) -> list[str]:
        """Bring the index in line with the notes; return warnings for the reader.

        Only an interruption (KeyboardInterrupt) escapes: a failure leaves the
        index as it was, marked to be rebuilt next time, and says so.
        """
        warnings: list[str] = []
        with self._lock:
            try:
                with FileLock(self.path.parent / (self.path.name + ".lock"), timeout=120.0):
                    self._sync(notes, updated, removed, progress, warnings)
            except (OSError, ValueError, RuntimeError) as err:
                self._forget()
                warnings.append(f"search index {self.path} could not be updated ({err}); "
                                "it will be rebuilt next time")
            self.checked = True
        return warnings

    def check(self, notes: Notes, progress: Progress | None = None) -> list[str]:
        """`sync` with nothing changed, the first time only: the index is opened when first needed."""
        return [] if self.checked else self.sync(notes, (), (), progress)

    def sync_later(self, folder: Path, updated: Collection[str], removed: Collection[str]) -> bool:
        """Leave these changed notes to the index's first use (`check`) instead of opening it now.

        Their ids join those written beside the index; call before the store
        is committed. False, with nothing written, when the index is open
        already, is not a sound one of `folder`, or more than PENDING_MAX
        notes would wait: the caller syncs it now.
        """
        with self._lock:
            if self._index is not None or self.checked:
                return False
            try:
                with FileLock(self.path.parent / (self.path.name + ".lock"), timeout=5.0):
                    waiting = self._pending() if self.sound(folder) else None
                    if waiting is None:
                        return False
                    waiting |= {*updated, *removed}
                    if len(waiting) > PENDING_MAX:
                        return False
                    ours = self._list_signature() == self._seen  # else a newer sync's, that list waits for
                    atomic_write(self.path / PENDING_FILE, orjson.dumps(sorted(waiting)))
                    if ours:
                        self.saw_list()
            except OSError:
                return False
            return True

    def saw_list(self) -> None:
        """Note the list of notes to index as it is when the notes are synced: a list written after
        that (by a newer sync of the same folder) is applied, but left for its writer to delete."""
        self._seen = self._list_signature()

    def _list_signature(self) -> tuple[int, int, int] | None:
        try:
            info = (self.path / PENDING_FILE).stat()
        except OSError:
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size

    def sound(self, folder: Path) -> bool:
        """Whether the index on disk was finished for `folder` with this schema (its files are
        checked when it is opened)."""
        return self._version_problem(folder) is None

    def _version_problem(self, folder: Path) -> str | None:
        """What the version file says is wrong: None if nothing, '' if the index is simply missing."""
        try:
            version = orjson.loads((self.path / VERSION_FILE).read_bytes())
        except FileNotFoundError:
            return f"search index {self.path} is incomplete; rebuilding it" if self.path.exists() else ""
        except (OSError, orjson.JSONDecodeError) as err:
            return f"search index {self.path} could not be read ({err}); rebuilding it"
        if not isinstance(version, dict) or version.get("schema") != SCHEMA_VERSION:
            return f"search index {self.path} is of another version; rebuilding it"
        if version.get("folder") != str(folder):
            return f"search index {self.path} belongs to another folder; rebuilding it"
        return None

    def _pending(self) -> set[str] | None:
        """The ids of notes left to index again: empty if none, None if the list cannot be read."""
        try:
            waiting = orjson.loads((self.path / PENDING_FILE).read_bytes())
        except FileNotFoundError:
            return set()
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(waiting, list) or not all(isinstance(i, str) for i in waiting):
            return None
        return set(waiting)

    def _sync(self, notes: Notes, updated: Collection[str], removed: Collection[str],
              progress: Progress | None, warnings: list[str]) -> None:
        found = self._pending()  # read with the index open too: an interrupted first use leaves it
        if found is None:
            problem: str | None = f"search index {self.path}: its list of notes to index again is damaged; rebuilding it"
        else:
            problem = self._open(notes.folder) if self._index is None else None
        if problem is not None:
            if problem:
                warnings.append(problem)
            self.rebuild(notes, progress)  # the list goes with the old index
            return
        waiting = found or set()
        assert self._index is not None
        if waiting:  # changed while the index was closed (`sync_later`): here or gone
            updated = {*updated, *(i for i in waiting if notes.get(i) is not None)}
            removed = {*removed, *(i for i in waiting if i not in updated)}
        changed = set(updated) | set(removed)
        if len(changed) > max(1000, len(notes) // 3):
            self.rebuild(notes, progress)
        elif changed:
            self._update(notes, updated, removed, progress)
        if self._index.searcher().num_docs != len(notes):
            warnings.append(f"search index {self.path} was out of step with the notes; rebuilding it")
            self.rebuild(notes, progress)
        if waiting and self._list_signature() == self._seen:  # else a newer sync's: it stays for that one
            (self.path / PENDING_FILE).unlink(missing_ok=True)  # indexed: an interruption before this redoes it

    def rebuild(self, notes: Notes, progress: Progress | None = None) -> None:
        """Index every note from scratch."""
        with self._lock:
            self._index = None
            if self.path.is_dir() and not self.path.is_symlink():
                shutil.rmtree(self.path)
            elif self.path.exists() or self.path.is_symlink():
                self.path.unlink()
            self.path.mkdir(parents=True)
            import tantivy

            from viewer.core.search.schema import register

            index = tantivy.Index(self.schema, path=str(self.path), reuse=False)
            register(index, self.analysis)
            self._write(index, notes, notes, (), progress, BUILD_HEAP, min(2, os.cpu_count() or 1))
            atomic_write(self.path / VERSION_FILE, orjson.dumps(
                {"schema": SCHEMA_VERSION, "folder": str(notes.folder)}))
            self._index = index

    def _update(self, notes: Notes, updated: Iterable[str], removed: Iterable[str],
                progress: Progress | None) -> None:
        assert self._index is not None
        self._write(self._index, notes, [n for i in updated if (n := notes.get(i)) is not None],
                    (*updated, *removed), progress, UPDATE_HEAP, 1)

    def _write(self, index: tantivy.Index, notes: Notes, adding: Iterable[Note], deleting: Iterable[str],
               progress: Progress | None, heap: int, threads: int) -> None:
        """Delete, add and commit in one go; nothing is kept if it is interrupted."""
        writer = index.writer(heap_size=heap, num_threads=threads)
        try:
            for note_id in deleting:
                writer.delete_documents_by_term("id", note_id)
            adding = list(adding)
            total = len(adding)
            link_text = _link_text(notes)
            from tantivy import Document

            from viewer.core.dates import day_numbers  # loaded with the first notes indexed, not with the index

            for done, note in enumerate(adding, 1):
                writer.add_document(_document(note, link_text, day_numbers, Document))
                if progress is not None and (done % 500 == 0 or done == total):
                    progress(PHASE, done, total)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            try:
                writer.rollback()
            except (ValueError, RuntimeError):
                pass
            raise
        index.reload()
        self._generation += 1

    def _open(self, folder: Path) -> str | None:
        """Open the index on disk: None if sound, '' if simply missing, else why it is not."""
        import tantivy

        from viewer.core.search.schema import register

        problem = self._version_problem(folder)
        if problem is not None:
            return problem
        try:
            if not tantivy.Index.exists(str(self.path)) or not tantivy.Index.is_compatible(str(self.path)):
                return f"search index {self.path} is incomplete or of another format; rebuilding it"
            index = tantivy.Index.open(str(self.path))
            register(index, self.analysis)
            searcher = index.searcher()
            if searcher.num_docs:  # read a document, so a damaged store shows now
                first = searcher.search(tantivy.Query.all_query(), 1, count=False).hits
                if first:
                    searcher.doc(first[0][1])
        except (ValueError, OSError, RuntimeError) as err:
            return f"search index {self.path} is damaged ({err}); rebuilding it"
        self._index = index
        self._generation += 1
        return None

    def _forget(self) -> None:
        """Make the next open rebuild the index (it missed an update)."""
        try:
            (self.path / VERSION_FILE).unlink()
        except OSError:
            pass

    # -- searching ----------------------------------------------------------

    def search(self, query: str, notes: Notes, limit: int = 20, offset: int = 0,
               correct_typos: bool = True) -> SearchResult:
        """Ranked hits for a query, from the `offset`-th best. Never raises for any query text."""
        from viewer.core.search import running  # the query language and its rules load with the first search

        return running.search(self, query, notes, limit, offset, correct_typos)

    def version(self) -> tuple[int, tantivy.Index | None]:
        """The index's version (a count of its changes) and the index, None when there is none."""
        return self._generation, self._index

    def vocabulary(self, generation: int, searcher: tantivy.Searcher) -> Vocabulary:
        """The index's words for typo correction, read once per version of the index."""
        kept = self._vocabulary
        if kept is None or kept[0] != generation:
            from viewer.core.search.typos import Vocabulary  # rapidfuzz is loaded on the first typo

            kept = self._vocabulary = (generation, Vocabulary(searcher))  # reads terms only when a typo asks
        return kept[1]

    def naming(self, names: Iterable[str]) -> set[str] | None:
        """Ids of the notes whose text holds any of `names` as a phrase (None without an index).

        A superset: words are matched stemmed and case-folded, in a link's
        shown text and in code too; the caller confirms each. None also for a
        name the index may not hold as words of their own: with a word over 40
        bytes or with no letters, or in a script without case (Arabic,
        Devanagari...), whose combining marks the index joins to the word
        before them where a scan sees a word's end. (A combining mark written
        after a cased letter, as in some Cyrillic, is missed the same way.)
        """
        index = self._index
        if index is None:
            return None
        import tantivy

        queries = []
        for name in names:
            terms = self.analysis.terms(name)
            if not terms or len(terms) != len(_WORD_RE.findall(name)) or _uncased(name):
                return None  # a word the index leaves out, or may hold joined to a mark: only a scan finds it
            if len(terms) == 1:
                queries.append(tantivy.Query.term_query(self.schema, "body", terms[0]))
            elif terms:
                queries.append(tantivy.Query.phrase_query(self.schema, "body", list[str | tuple[int, str]](terms)))
        if not queries:
            return set()
        query = queries[0] if len(queries) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, q) for q in queries])
        searcher = index.searcher()
        count = searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]
        if not count:
            return set()
        hits = searcher.search(query, count, count=False).hits
        return {searcher.doc(address).get_first("id") or "" for _, address in hits}

    def link_text(self, notes: Notes, generation: int) -> Callable[[str], str | None]:
        """Link titles, kept from query to query while the index (so the notes) is the same."""
        kept = self._titles
        if kept is None or kept[0] != generation:
            kept = self._titles = (generation, {})
        return _link_text(notes, kept[1])

def _document(note: Note, link_text: Callable[[str], str | None],
              day_numbers: Callable[[str], tuple[int, int] | None],
              make: type[tantivy.Document]) -> tantivy.Document:
    """The note as indexed: its body as read, so a link's hidden target is not searched."""
    doc = make(id=note.id, title=note.title, body=link_labels(note.body, link_text))
    for alias in note.aliases:
        doc.add_text("aliases", alias)
    if note.type:
        doc.add_text("type", note.type.casefold())
    for tag in note.tags:
        doc.add_text("tag", tag.casefold())
    bounds = day_numbers(note.date) if note.date else None
    if bounds is not None:
        doc.add_integer("date_start", bounds[0])
        doc.add_integer("date_end", bounds[1])
    return doc


def _link_text(notes: Notes, titles: dict[str, str | None] | None = None) -> Callable[[str], str | None]:
    """A link target's title, remembered (in `titles`): the same targets come back again and again."""
    titles = {} if titles is None else titles

    def title(name: str) -> str | None:
        if name not in titles:
            note = notes.resolve(name)
            titles[name] = note.title if note is not None else None
        return titles[name]
    return title


