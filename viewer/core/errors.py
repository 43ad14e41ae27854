"""Errors shared by the layers: a problem the reader must be told in one line, and work made stale."""

from __future__ import annotations


class ViewerError(Exception):
    """A one-line message for the reader (the command line prints it and exits 1)."""


class Stale(Exception):
    """Work for a request that a newer one replaced (raised in a worker thread, never shown)."""
