"""Undo and redo of a session's changes to annotations.

`AnnotationUndo` is a part of `AnnotationStore` (a mixin): each labelled
change the store makes is kept as a `Step` (its (before, after) edits); undo
takes every annotation the step touched back to its whole earlier record,
redo forward again, each as a new change through the store's `_change`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

from viewer.core.annotations.model import Annotation, AnnotationChanges, AnnotationId, Edit, now_iso

UNDO_LIMIT = 200


class Step(NamedTuple):
    """One undoable operation: its label and its edits (one per annotation)."""

    label: str
    edits: tuple[Edit, ...]


PLACE = ("note", "exact", "prefix", "suffix", "start", "end", "status")


def place_of(annotation: Annotation) -> dict[str, Any]:
    """Where an annotation's passage is: its note, selectors and status."""
    return {name: getattr(annotation, name) for name in PLACE}


class AnnotationUndo:
    """The undo and redo stacks of a store."""

    _items: dict[AnnotationId, Annotation]
    _undo: list[Step]
    _redo: list[Step]
    _change: Callable[..., AnnotationChanges]

    def remember(self, label: str, edits: list[Edit]) -> None:
        """A change made: it can be undone (the oldest past UNDO_LIMIT are forgotten); nothing to redo."""
        self._undo = [*self._undo[-(UNDO_LIMIT - 1):], Step(label, tuple(edits))]
        self._redo.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def undo_label(self) -> str | None:
        return self._undo[-1].label if self._undo else None

    @property
    def redo_label(self) -> str | None:
        return self._redo[-1].label if self._redo else None

    def undo(self) -> AnnotationChanges:
        """Undo the last add, edit, delete or import of this session.

        Each annotation the step touched goes back to its whole earlier record
        (note, passage, place, comment, tags, colour...; `modified` is now), or
        comes back whole if it was deleted. Where the step did not move the
        passage (an edit of the comment, tags or colour), the annotation keeps
        its current place, which may have been found again since.
        """
        if not self._undo:
            return AnnotationChanges()
        step = self._undo[-1]
        back = [(after, before) for before, after in reversed(step.edits)]
        changes = self._change(lambda: self._toward(back), None)
        self._redo.append(self._undo.pop())
        return changes

    def redo(self) -> AnnotationChanges:
        if not self._redo:
            return AnnotationChanges()
        step = self._redo[-1]
        changes = self._change(lambda: self._toward(list(step.edits)), None)
        self._undo.append(self._redo.pop())
        return changes

    def _toward(self, pairs: list[Edit]) -> list[Edit]:
        """Edits taking each annotation from its current state to the `after` of a pair.

        The whole `after` record is restored; only when the pair leaves the
        passage where it was (same note, quote and place) is the current
        place kept, as it may have been found again since the step.
        """
        edits: list[Edit] = []
        for before, after in pairs:
            ann_id = (after or before).id  # type: ignore[union-attr]
            current = self._items.get(ann_id)
            if after is None:
                if current is not None:
                    edits.append((current, None))
            elif current is None:
                edits.append((None, after))
            else:
                target = after
                if before is not None and place_of(before) == place_of(after) and current.note == after.note:
                    target = replace(after, **place_of(current))
                edits.append((current, replace(target, modified=now_iso())))
        return edits
