"""The reader's annotations: highlights with comments and tags, anchored in notes.

- `model`: `Annotation`, `AnnotationChanges`, the colour palette.
- `text`: `note_text(kb, note_id)`, the text offsets count in; `NoteTexts`.
- `anchoring`: placing a quote again after its note changed; `find_quote`.
- `store`: `AnnotationStore`, the file in the user data folder.
- `datafile`, `lock`: atomic writes, the backup, corrupt files set aside.
- `search`, `export`: queries; Markdown and W3C Web Annotation out and in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.core.lazy import lazy_names

if TYPE_CHECKING:
    from viewer.core.annotations.anchoring import Placement, find_quote, find_quotes, place, reanchor
    from viewer.core.annotations.export import (
        AnnotationFormatError,
        read_w3c,
        to_markdown,
        to_w3c,
        to_w3c_bytes,
    )
    from viewer.core.annotations.model import (
        ANCHORED,
        COLOURS,
        DEFAULT_COLOUR,
        ORPHANED,
        Annotation,
        AnnotationChanges,
        AnnotationError,
        AnnotationId,
    )
    from viewer.core.annotations.search import search_scope
    from viewer.core.annotations.store import (
        FILE_NAME,
        AnnotationStore,
        AnnotationStoreError,
        ImportResult,
        QuoteNotFound,
    )
    from viewer.core.annotations.text import NoteTexts, html_to_text, note_text

# Each name's module, imported when the name is first asked for: the window's start needs the store and
# the model, not the exports or the search.
_HOME = {
    **dict.fromkeys(("Placement", "find_quote", "find_quotes", "place", "reanchor"), "anchoring"),
    **dict.fromkeys(("AnnotationFormatError", "read_w3c", "to_markdown", "to_w3c", "to_w3c_bytes"), "export"),
    **dict.fromkeys(("ANCHORED", "COLOURS", "DEFAULT_COLOUR", "ORPHANED", "Annotation", "AnnotationChanges",
                     "AnnotationError", "AnnotationId"), "model"),
    "search_scope": "search",
    **dict.fromkeys(("FILE_NAME", "AnnotationStore", "AnnotationStoreError", "ImportResult", "QuoteNotFound"), "store"),
    **dict.fromkeys(("NoteTexts", "html_to_text", "note_text"), "text"),
}

__all__ = [
    "ANCHORED", "COLOURS", "DEFAULT_COLOUR", "FILE_NAME", "ORPHANED", "Annotation",
    "AnnotationChanges", "AnnotationError", "AnnotationFormatError", "AnnotationId",
    "AnnotationStore", "AnnotationStoreError", "ImportResult", "NoteTexts", "Placement",
    "QuoteNotFound", "find_quote", "find_quotes", "html_to_text", "place", "note_text",
    "read_w3c", "reanchor", "search_scope", "to_markdown", "to_w3c", "to_w3c_bytes",
]


__getattr__ = lazy_names(__name__, _HOME, globals())
