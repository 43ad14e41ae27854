"""What the reader calls each type of note: in page headers, panels, the Notes tree and the switcher."""

from __future__ import annotations

TYPE_LABELS = {
    "overview": "Overview",
    "organisation": "Organisation",
    "person": "Person",
    "event": "Event",
    "topic": "Topic",
    "source": "Source",
}
PLURAL_LABELS = {
    "overview": "Overview",
    "organisation": "Organisations",
    "person": "People",
    "event": "Events",
    "topic": "Topics",
    "source": "Sources",
}


def type_label(note_type: str | None) -> str:
    if not note_type:
        return "Note"
    return TYPE_LABELS.get(note_type, note_type.capitalize())
