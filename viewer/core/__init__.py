"""The viewer's library: no Qt here. The command line and the window both use it."""

from viewer.core.kb import KnowledgeBase, KnowledgeBaseError
from viewer.core.model import Diagnostic, Link, Note, NoteId, SyncResult

__all__ = ["Diagnostic", "KnowledgeBase", "KnowledgeBaseError", "Link", "Note", "NoteId", "SyncResult"]
