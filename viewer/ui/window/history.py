"""Back and forward through the notes a reader has visited; plain Python, no Qt.

Like a browser: visiting a note after going back drops the forward entries;
visiting the note already shown adds nothing. `recent()` gives the notes most
recently shown first, each once (the quick switcher lists them first).
Each entry keeps where the reader had scrolled to when they left it, so Back
and Forward return to the same place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

MAX_ENTRIES = 500


@dataclass(frozen=True)
class Entry:
    """A visited note; `scroll` is the vertical position the reader left it at (None: not left yet)."""

    note_id: str
    anchor: str = ""
    scroll: int | None = field(default=None, compare=False)


class History:
    """A list of visited entries and a cursor into it."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self._entries: list[Entry] = []
        self._index = -1
        self._max = max(2, max_entries)
        self._recent: list[str] = []  # most recently shown last

    def _touch(self, entry: Entry) -> Entry:
        if entry.note_id in self._recent:
            self._recent.remove(entry.note_id)
        self._recent.append(entry.note_id)
        del self._recent[: -self._max]
        return entry

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def current(self) -> Entry | None:
        return self._entries[self._index] if self._index >= 0 else None

    def visit(self, note_id: str, anchor: str = "") -> None:
        """Record a newly shown note; forward entries are dropped."""
        entry = Entry(note_id, anchor)
        if self.current == entry:
            self._touch(entry)
            return
        del self._entries[self._index + 1:]
        self._entries.append(entry)
        if len(self._entries) > self._max:
            del self._entries[: len(self._entries) - self._max]
        self._index = len(self._entries) - 1
        self._touch(entry)

    def remember_scroll(self, scroll: int) -> None:
        """Keep the reader's position in the current entry, before they leave it."""
        if self._index >= 0:
            self._entries[self._index] = replace(self._entries[self._index], scroll=scroll)

    def can_go_back(self) -> bool:
        return self._index > 0

    def can_go_forward(self) -> bool:
        return 0 <= self._index < len(self._entries) - 1

    def back(self) -> Entry | None:
        """Move one step back and return the entry there (None at the start)."""
        if not self.can_go_back():
            return None
        self._index -= 1
        return self._touch(self._entries[self._index])

    def forward(self) -> Entry | None:
        if not self.can_go_forward():
            return None
        self._index += 1
        return self._touch(self._entries[self._index])

    def recent(self, limit: int = 20) -> list[str]:
        """Note ids most recently shown first, each once; the current one included."""
        return self._recent[::-1][:limit]

    def forget(self, note_ids: set[str]) -> None:
        """Drop entries for notes that no longer exist (after a sync)."""
        if not note_ids:
            return
        self._recent = [n for n in self._recent if n not in note_ids]
        current = self.current
        kept = [e for e in self._entries if e.note_id not in note_ids]
        self._entries = [e for i, e in enumerate(kept) if i == 0 or kept[i - 1] != e]
        if current is not None and current in self._entries:
            self._index = len(self._entries) - 1 - self._entries[::-1].index(current)
        else:
            self._index = len(self._entries) - 1
