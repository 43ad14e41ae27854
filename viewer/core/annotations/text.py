"""The plain text of a note: what annotation offsets count in.

`note_text(kb, note_id)` is the text a reader sees: the note rendered to
sanitised HTML (`KnowledgeBase.render`), then reduced to text close to what
Qt's `QTextDocument.toPlainText()` gives for the same HTML:

- every block (paragraph, heading, list item, table cell, quote...) is one
  line; blocks are separated by a single "\\n", with no blank lines;
- within a block, runs of HTML white space become one space, and a block's
  leading and trailing spaces are dropped;
- `<br>` starts a new line; `<pre>` keeps its lines and spaces as written;
- no list bullets or numbers, no images (they have no text); entities are
  decoded and a no-break space becomes a plain space.

The window maps a selection to these offsets by searching the selected text
near the selection (`find_quote`), so its own text need not match this one
character for character; the quote selector is what anchors an annotation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, by the rules in this module's docstring."""
    from viewer.core.annotations.html_text import TextExtractor  # html.parser, loaded when first needed

    extractor = TextExtractor()
    extractor.feed(html)
    return extractor.text()


def note_text(kb: KnowledgeBase, note_id: str) -> str:
    """The plain text of a note, over which annotation offsets are counted.

    Raises KeyError for a note the knowledge base does not hold.
    """
    if kb.get(note_id) is None:
        raise KeyError(note_id)
    return html_to_text(kb.render(note_id))


class NoteTexts:
    """Plain texts of a knowledge base's notes, each computed once.

    Call it with a note id: the text, or None for a note the knowledge base
    does not hold. After a sync, `forget(result.updated_ids | result.removed_ids)`.
    """

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._texts: dict[str, str | None] = {}

    def __call__(self, note_id: str) -> str | None:
        if note_id not in self._texts:
            self._texts[note_id] = note_text(self.kb, note_id) if self.kb.get(note_id) else None
        return self._texts[note_id]

    def forget(self, note_ids: Iterable[str] | None = None) -> None:
        if note_ids is None:
            self._texts.clear()
        for note_id in note_ids or ():
            self._texts.pop(note_id, None)

    def title(self, note_id: str) -> str | None:
        note = self.kb.get(note_id)
        return note.title if note else None


TextSource = Callable[[str], "str | None"]  # note id -> plain text, None when the note is gone
