"""The viewer's library: no Qt here. The command line and the window both use it."""

from viewer.core.kb import KnowledgeBase, KnowledgeBaseError
from viewer.core.model import Diagnostic, Link, Note, NoteId, SyncResult
from viewer.core.search import Hit, SearchResult

__all__ = ["Diagnostic", "Hit", "KnowledgeBase", "KnowledgeBaseError", "Link", "Note", "NoteId",
           "SearchResult", "SyncResult"]
