"""The error every layer raises for a problem the reader must be told in one line."""

from __future__ import annotations


class ViewerError(Exception):
    """A one-line message for the reader (the command line prints it and exits 1)."""
