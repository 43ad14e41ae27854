"""The viewer's library: no Qt here. The command line and the window both use it.

Its main types are named here but imported when first asked for, so that a
small part (`viewer.core.collector`, say) can be loaded without the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from viewer.core.lazy import lazy_names

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase, KnowledgeBaseError
    from viewer.core.model import Diagnostic, Link, Note, NoteId, SyncResult
    from viewer.core.search import Hit, SearchResult

_HOME = {"KnowledgeBase": "kb", "KnowledgeBaseError": "kb", "Diagnostic": "model", "Link": "model", "Note": "model",
         "NoteId": "model", "SyncResult": "model", "Hit": "search", "SearchResult": "search"}

__all__ = ["Diagnostic", "Hit", "KnowledgeBase", "KnowledgeBaseError", "Link", "Note", "NoteId",
           "SearchResult", "SyncResult"]


__getattr__ = lazy_names(__name__, _HOME, globals())
