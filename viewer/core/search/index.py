"""The persisted search index: built from the notes, updated when they change.

It lives in a folder beside the note store. A missing, corrupt or
other-version index is rebuilt; an interrupted build leaves no index that
looks complete (the version file is written after the commit).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson
import tantivy
from tantivy import Occur

from viewer.core.atomic import atomic_write
from viewer.core.dates import day_numbers
from viewer.core.filelock import FileLock
from viewer.core.model import Note
from viewer.core.plain import link_labels
from viewer.core.search.compiler import Context, compile_query
from viewer.core.search.hits import Hit, SearchResult
from viewer.core.search.passages import find_label, note_pattern
from viewer.core.search.query import And, Text, clean, parse, parse_plain
from viewer.core.search.questions import (
    FEW,
    PERSON_QUESTIONS,
    best_match_query,
    content_words,
    is_question,
    named_people,
    plain_words,
    wanted_leaves,
    with_named_people,
)
from viewer.core.search.roles import ROLE_BONUS, ROLE_WORDS, role_holders, role_question, role_spots
from viewer.core.search.schema import SCHEMA_VERSION, Analysis, build_schema, register
from viewer.core.search.snippets import SNIPPET_CHARS, PhraseMarks, Snippets, bold_words

if TYPE_CHECKING:
    from viewer.core.search.typos import Vocabulary

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
VERSION_FILE = "kbviewer-index.json"
PHASE = "Indexing notes"
BUILD_HEAP = 64_000_000
UPDATE_HEAP = 20_000_000
MAX_LIMIT = 1000
BEST_SNIPPET_CHARS = 240  # a question's snippet: room for its answering sentence


class Notes(Protocol):
    """What the index reads from a knowledge base."""

    folder: Path

    def __len__(self) -> int: ...
    def __iter__(self): ...
    def get(self, note_id: str) -> Note | None: ...
    def resolve(self, name: str) -> Note | None: ...
    def backlink_sources(self, note_id: str) -> set[str]: ...


def index_path(store_path: Path) -> Path:
    """The index folder beside a note store: `store.json` -> `store.index/`."""
    return store_path.parent / (store_path.stem + ".index")


class SearchIndex:
    """A tantivy index of the notes, with the query language on top.

    `sync` is called after every sync of the knowledge base; `search` may run
    on a worker thread while other threads read the notes.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.schema = build_schema()
        self.analysis = Analysis()
        self._index: tantivy.Index | None = None
        self._generation = 0  # counts index versions, so a vocabulary is never kept too long
        self._vocabulary: tuple[int, Vocabulary] | None = None  # for typos; read when first needed
        self._titles: tuple[int, dict[str, str | None]] | None = None  # link titles, by index version
        self._lock = threading.RLock()

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
        return warnings

    def _sync(self, notes: Notes, updated: Collection[str], removed: Collection[str],
              progress: Progress | None, warnings: list[str]) -> None:
        if self._index is None:
            problem = self._open(notes.folder)
            if problem is not None:
                if problem:
                    warnings.append(problem)
                self.rebuild(notes, progress)
                return
        assert self._index is not None
        changed = set(updated) | set(removed)
        if len(changed) > max(1000, len(notes) // 3):
            self.rebuild(notes, progress)
        elif changed:
            self._update(notes, updated, removed, progress)
        if self._index.searcher().num_docs != len(notes):
            warnings.append(f"search index {self.path} was out of step with the notes; rebuilding it")
            self.rebuild(notes, progress)

    def rebuild(self, notes: Notes, progress: Progress | None = None) -> None:
        """Index every note from scratch."""
        with self._lock:
            self._index = None
            if self.path.is_dir() and not self.path.is_symlink():
                shutil.rmtree(self.path)
            elif self.path.exists() or self.path.is_symlink():
                self.path.unlink()
            self.path.mkdir(parents=True)
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
            for done, note in enumerate(adding, 1):
                writer.add_document(_document(note, link_text))
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
        generation = self._generation
        index = self._index
        text = clean(query)
        if index is None or limit <= 0 or not text.strip():
            return SearchResult()
        searcher = index.searcher()
        limit = min(limit, MAX_LIMIT, max(searcher.num_docs, 1))
        for parser in (parse, parse_plain):
            try:
                return self._run(parser(text), text, searcher, notes, limit, max(0, offset),
                                 generation, correct_typos)
            except RecursionError:  # brackets nested thousands deep: read as plain words
                continue
            except Exception as err:  # noqa: BLE001 - a query must never fail; fall back to plain words
                log.warning("search for %r failed (%s); searched as plain words", text[:80], err)
        return SearchResult()

    def _run(self, tree: And, text: str, searcher: tantivy.Searcher, notes: Notes, limit: int,
             offset: int, generation: int, correct_typos: bool) -> SearchResult:
        corrected: list[Text] = []
        if correct_typos:
            kept = self._vocabulary
            if kept is None or kept[0] != generation:
                from viewer.core.search.typos import Vocabulary  # rapidfuzz is loaded on the first typo

                kept = self._vocabulary = (generation, Vocabulary(searcher))  # reads terms only when a typo asks
            from viewer.core.search.typos import correct

            corrected = correct(tree, searcher, self.analysis, kept[1])
        ctx = Context(self.schema, searcher, self.analysis, lambda name: _linking(notes, name))
        query = compile_query(tree, ctx)
        leaves, weights = wanted_leaves(tree), None
        plain = plain_words(tree)
        if plain and content_words(plain):
            leaves = content_words(plain)  # `the` is not marked in the note
        best = self._best_matches(tree, query, searcher, notes)
        marked, also = query, None
        if best is not None:
            query, marked, ctx, leaves, weights, also, every = best
        if query is None:
            return SearchResult(searched_for=_rewrite(text, corrected, {}) if corrected else None)
        found = searcher.search(query, limit, count=False, offset=offset)
        snippets = Snippets(searcher, marked, self.schema, ctx.starts,  # type: ignore[arg-type]  # set with query
                            self._link_text(notes, generation),
                            max_chars=BEST_SNIPPET_CHARS if best else SNIPPET_CHARS,
                            phrases=PhraseMarks.of_query(tree, self.analysis), weights=weights, also=also)
        hits = []
        for score, address in found.hits:
            note = notes.get(searcher.doc(address).get_first("id") or "")
            if note is None:
                continue  # the index is a moment behind the notes
            snippet, passage = snippets.for_hit(note.body, note.title)
            hits.append(Hit(note.id, note.title, note.type, float(score), snippet, passage))
        surfaces = self._surfaces(corrected, hits) if corrected else {}
        searched_for = _rewrite(text, corrected, surfaces) if corrected else None
        count = lambda: searcher.search(query, 1, count=True).count  # type: ignore[attr-defined]  # noqa: E731 (not in tantivy's stubs)
        extra = {"mode": "best", "best_for": find_label(leaves, surfaces), "with_every_word": every} if best else {}
        return SearchResult(hits, searched_for, count, pattern=note_pattern(leaves, self.analysis),
                            find_words=find_label(leaves, surfaces), **extra)

    def naming(self, names: Iterable[str]) -> set[str] | None:
        """Ids of the notes whose text holds any of `names` as a phrase (None without an index).

        A superset: words are matched stemmed and case-folded, in a link's
        shown text and in code too; the caller confirms each.
        """
        index = self._index
        if index is None:
            return None
        queries = []
        for name in names:
            terms = self.analysis.terms(name)
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

    def _best_matches(self, tree: And, query: tantivy.Query | None, searcher: tantivy.Searcher,
                      notes: Notes) -> Any:
        """The best-match query for plain words no note holds all of (for a question: fewer than FEW), else None."""
        words = plain_words(tree)
        if words is None:
            return None
        kept = content_words(words)
        if not kept:
            return None
        asked = is_question(words)  # a question is always answered with best matches
        every = (searcher.search(query, 1, count=True).count if asked else  # type: ignore[attr-defined]
                 len(searcher.search(query, FEW, count=False).hits)) if query is not None else 0
        question = len(kept) < len(words)  # it has stop or question words
        if not asked and ((every >= FEW if question else every > 0) or (len(kept) == 1 and not question)):
            return None
        role = role_question(words, kept, notes)
        ctx = Context(self.schema, searcher, self.analysis, lambda name: _linking(notes, name))
        searched = [word for i, word in enumerate(kept) if i not in role.dropped] if role else kept
        best, weights = best_match_query(searched, ctx, words)
        if best is None:
            return None
        marked, also = best, None
        if role is not None:  # the organisation, and the people a note says hold a role in it
            holders = role_holders(role.organisation, notes)
            first = searcher.search(best, 1).hits
            bonus = max(ROLE_BONUS, first[0][0] if first else 0.0)  # as much as the best note scores
            best = with_named_people(best, {role.organisation: 1.0}, self.schema, bonus)
            best = with_named_people(best, holders, self.schema, bonus)
            named = {role.organisation, *holders}
            also = (lambda body: role_spots(body, notes, named), sum(weights.values()) * 1.5)  # the role's sentence
            marked = tantivy.Query.boolean_query([(Occur.Should, best), *(
                (Occur.Should, tantivy.Query.term_query(self.schema, "body", t)) for t in self.analysis.terms(ROLE_WORDS))])
        elif any(word.text.casefold() in PERSON_QUESTIONS for word in words):
            top = [searcher.doc(address).get_first("id") or "" for _, address in searcher.search(best, 5).hits]
            best = with_named_people(best, named_people(top, weights, notes), self.schema)
            marked = best
        return best, marked, ctx, kept, weights, also, every

    def _link_text(self, notes: Notes, generation: int) -> Callable[[str], str | None]:
        """Link titles, kept from query to query while the index (so the notes) is the same."""
        kept = self._titles
        if kept is None or kept[0] != generation:
            kept = self._titles = (generation, {})
        return _link_text(notes, kept[1])

    def _surfaces(self, corrected: list[Text], hits: list[Hit]) -> dict[str, str]:
        """A readable word for each corrected (stemmed) term, taken from the snippets."""
        surfaces: dict[str, str] = {}
        wanted = {leaf.corrected for leaf in corrected}
        for hit in hits:
            for word in bold_words(hit.snippet):
                terms = self.analysis.terms(word)
                if len(terms) == 1 and terms[0] in wanted and terms[0] not in surfaces:
                    surfaces[terms[0]] = word.lower()
        return surfaces


def _document(note: Note, link_text: Callable[[str], str | None]) -> tantivy.Document:
    """The note as indexed: its body as read, so a link's hidden target is not searched."""
    doc = tantivy.Document(id=note.id, title=note.title, body=link_labels(note.body, link_text))
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


def _linking(notes: Notes, name: str) -> set[str] | None:
    target = notes.resolve(name)
    if target is None:
        return None
    return notes.backlink_sources(target.id)


def _link_text(notes: Notes, titles: dict[str, str | None] | None = None) -> Callable[[str], str | None]:
    """A link target's title, remembered (in `titles`): the same targets come back again and again."""
    titles = {} if titles is None else titles

    def title(name: str) -> str | None:
        if name not in titles:
            note = notes.resolve(name)
            titles[name] = note.title if note is not None else None
        return titles[name]
    return title


def _rewrite(text: str, corrected: list[Text], surfaces: dict[str, str]) -> str:
    """The query with each corrected word replaced by what was searched for."""
    out = text
    for leaf in sorted(corrected, key=lambda leaf: leaf.span[0], reverse=True):
        start, end = leaf.span
        segment = out[start:end]
        at = segment.lower().rfind(leaf.text.lower())
        if at < 0:
            continue
        word = surfaces.get(leaf.corrected or "", leaf.corrected or leaf.text)
        out = out[:start] + segment[:at] + word + segment[at + len(leaf.text):] + out[end:]
    return out
