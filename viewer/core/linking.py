"""Resolving a knowledge base's links, all of them or only those a few changed files can touch.

A sync of a few changed files whose folder keeps its paths (`KnowledgeBase._build`
with `changed`) works out only their notes, links and problems when their notes
keep their ids, titles and aliases. When some changed a title or an alias, the
names they had or have are claimed again (the paths, file names and ids are the
same: `NameIndex.with_names_of`), and the links and sources of every note that
may name one of them (in any of the forms a link is looked up by) are resolved
again: no other link can resolve differently.
"""

from __future__ import annotations

from viewer.core.model import Diagnostic, Note, NoteId
from viewer.core.names import NameIndex, may_name, name_key, name_words, stem_key
from viewer.core.records import FileRecord
from viewer.core.vault import ambiguity


class Linking:
    """The links part of `viewer.core.kb.KnowledgeBase`."""

    _files: dict[str, FileRecord] | None
    _notes: dict[NoteId, Note]
    _names: NameIndex
    _incoming: dict[NoteId, list[tuple[NoteId, str, int]]]
    _file_problems: dict[str, tuple[Diagnostic, ...]]
    _link_problems: dict[str, tuple[Diagnostic, ...]]

    def _same_ids(self, changed: list[str], before: dict[str, FileRecord]) -> bool:
        """Whether the changed files' notes keep the ids they had (and were neither skipped nor new)."""
        assert self._files is not None
        for path in changed:
            note, old = self._files[path].stored_note, before[path].stored_note
            if (note is None) != (old is None):
                return False
            if note is not None and old is not None and (self._notes.get(old.id) is not old or note.id != old.id):
                return False
        return True

    def _changed_names(self, changed: list[str], before: dict[str, FileRecord]) -> set[str]:
        """The titles and aliases (folded) the changed files' notes had and have, of those whose title or
        aliases changed ({}: none)."""
        assert self._files is not None
        found: set[str] = set()
        for path in changed:
            note, old = self._files[path].stored_note, before[path].stored_note
            if note is not None and old is not None and (note.title, note.aliases) != (old.title, old.aliases):
                found |= _names_of(note) | _names_of(old)  # a name kept may change from title to alias
        return found

    def _update(self, changed: list[str], before: dict[str, FileRecord], names: set[str]) -> list[FileRecord]:
        """`_build` for a few changed files keeping their ids: only their notes, links and problems, and,
        for `names` (titles and aliases dropped or taken), the tables of names and the links naming them.
        """
        assert self._files is not None
        notes = dict(self._notes)  # a new dict: what was worked out from the old one is made again
        for path in changed:
            record = self._files[path]
            found = [Diagnostic(**d) for d in record.diagnostics]
            if found:
                self._file_problems[path] = tuple(found)
            else:
                self._file_problems.pop(path, None)
            note, old = record.stored_note, before[path].stored_note
            if note is not None and old is not None:
                notes[note.id] = note
                stems = self._names.by_stem[stem_key(path)]
                stems[:] = [note if n is old else n for n in stems]
        self._notes = notes
        paths = [path for path in changed if self._files[path].stored_note is not None]
        if names:
            paths += sorted(self._naming(names) - set(paths))
            self._names = self._names.with_names_of(notes, [
                (old, note) for p in changed if (old := before[p].stored_note) and (note := self._files[p].stored_note)])
        relinked = []
        for path in paths:
            record = self._files[path]
            note = record.stored_note
            assert note is not None
            old_targets = {NoteId(t) for t in before[path].targets if t is not None}  # read before `_resolve`
            if self._resolve(note, record) or record.links_id is None:
                relinked.append(record)
            for target in old_targets:  # the old links out, each list made anew
                self._incoming[target] = [ref for ref in self._incoming.get(target, ()) if ref[1] != path]
            self._link(note, record)
            for target in old_targets | {NoteId(t) for t in record.targets if t is not None}:
                self._incoming[target] = sorted(self._incoming[target], key=lambda ref: (ref[1], ref[2]))
        return relinked

    def _naming(self, names: set[str]) -> set[str]:
        """The paths of the notes a link or source of which may name one of `names` (titles or aliases
        dropped or taken): any other resolves as before.

        A link is looked up by several forms (as written, without `.md`, by its last part after a
        `/`), by path, file name and id before title and alias: whichever note it leads to now, a
        form of it that is one of `names` may make it lead elsewhere. Each note's links are first
        looked at together, for the first word of a name anywhere in them.
        """
        assert self._files is not None
        words = name_words(names)
        found = set()
        for note in self._notes.values():  # not a file skipped for its id: its links are not the notes'
            record = self._files[note.path]
            text = "\x00".join([raw[0] for raw in record.links]).casefold()
            if any(word in text for word in words) and any(raw[0] and may_name(raw[0], names, words)
                                                           for raw in record.links):
                found.add(note.path)
        sources = {source for note in self._notes.values() for source in note.sources}
        named = {source for source in sources if may_name(source, names, words)}
        if named:
            found.update(note.path for note in self._notes.values() if not named.isdisjoint(note.sources))
        return found

    def _resolve(self, note: Note, record: FileRecord) -> bool:
        """Resolve the note's links again; whether their targets changed."""
        resolve = self._names.resolve
        targets: list[str | None] = [resolve(raw[0], note.path) if raw[0] else note.id for raw in record.links]
        if record.links_id is None or targets != record.targets:
            record.targets = targets
            return True
        return False

    def _link(self, note: Note, record: FileRecord, check: bool = True) -> None:
        """Add the note's links to the outgoing and incoming lists, and their problems.

        Without `check` the problems saved in the store are taken (the names
        are those they were worked out with); a record whose problems changed
        is marked to be written again.
        """
        incoming = self._incoming
        for index, target_id in enumerate(record.targets):
            if target_id is not None:
                incoming[NoteId(target_id)].append((note.id, note.path, index))
        saved = record.link_problems
        if not check and saved is not None:
            if saved:
                self._link_problems[note.path] = tuple(Diagnostic(note.path, *row) for row in saved)
            return
        names = self._names
        problems = []
        for raw, target_id in zip(record.links, record.targets, strict=True):
            if target_id is None:
                problems.append(Diagnostic(note.path, raw[4], "warning", "broken-link",
                                           f"link to '{raw[0]}' matches no note"))
            elif names.clashing(raw[0]):
                problems.extend(ambiguity(names, note, raw[0], raw[4], target_id))
        for source in note.sources:
            if names.resolve(source) is None:
                problems.append(Diagnostic(note.path, 1, "warning", "unknown-source",
                                           f"source '{source}' matches no note"))
        if problems:
            self._link_problems[note.path] = tuple(problems)
        else:
            self._link_problems.pop(note.path, None)
        rows = [[d.line, d.severity, d.code, d.message] for d in problems]
        if rows != saved:
            record.link_problems, record.stale = rows, True


def _names_of(note: Note) -> set[str]:
    return {name_key(note.title), *(name_key(alias) for alias in note.aliases)}


