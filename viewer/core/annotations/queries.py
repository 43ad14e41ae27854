"""Reading the annotations a store holds in memory: by id, by note, by tag, by words.

`AnnotationQueries` is a part of `AnnotationStore` (a mixin) over its
`_items` (annotations by id) and `_folded` (each one's searchable text,
made on first use).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from viewer.core.annotations.model import Annotation, AnnotationId
from viewer.core.model import NoteId


class AnnotationQueries:
    """Queries on the annotations in memory; none reads the file."""

    _items: dict[AnnotationId, Annotation]
    _folded: dict[AnnotationId, str]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Annotation]:
        return iter(self.all())

    def get(self, annotation_id: str) -> Annotation | None:
        return self._items.get(AnnotationId(annotation_id))

    def all(self) -> list[Annotation]:
        """Every annotation, by note, then by place in the note."""
        return sorted(self._items.values(), key=lambda a: (a.note, a.start, a.end, a.created, a.id))

    def for_note(self, note_id: str) -> list[Annotation]:
        """A note's annotations (orphans too: check `status`), by place in the note."""
        found = [a for a in self._items.values() if a.note == note_id]
        return sorted(found, key=lambda a: (a.start, a.end, a.created, a.id))

    def orphaned(self) -> list[Annotation]:
        """Annotations whose passage could not be found, for the "Orphaned" list."""
        return [a for a in self.all() if a.orphaned]

    def notes(self) -> list[NoteId]:
        """The ids of the notes that have annotations."""
        return sorted({a.note for a in self._items.values()})

    def tags(self) -> list[tuple[str, int]]:
        """Every tag with the number of annotations carrying it, most used first.

        Tags differing only in case or accents count as one, spelt as first met."""
        from viewer.core.annotations.search import fold  # the search's module loads with the first query

        counts: Counter[str] = Counter()
        spelling: dict[str, str] = {}
        for annotation in self.all():
            for tag in annotation.tags:
                key = fold(tag)
                spelling.setdefault(key, tag)
                counts[key] += 1
        return sorted(((spelling[k], n) for k, n in counts.items()), key=lambda item: (-item[1], fold(item[0])))

    def search(self, text: str = "", tags: Iterable[str] = (), note: str | None = None) -> list[Annotation]:
        """Annotations whose comment, tags or quote contain every word of `text`,
        ignoring case and accents; `tags` (and `tag:NAME` in the text) must all
        be present. Newest first. An empty query finds every annotation."""
        from viewer.core.annotations.search import Query, haystack, matches

        query = Query.parse(text, list(tags))
        found = []
        for annotation in self._items.values():
            if note is not None and annotation.note != note:
                continue
            folded = self._folded.get(annotation.id)
            if folded is None:
                folded = self._folded[annotation.id] = haystack(annotation)
            if matches(query, annotation, folded):
                found.append(annotation)
        return sorted(found, key=lambda a: (a.modified, a.created, a.id), reverse=True)
