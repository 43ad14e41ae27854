"""SHA-1 and BLAKE2b without `hashlib`, which loads OpenSSL when imported (3–4 ms of every start).

CPython's own modules give the same digests; another Python gets them through `hashlib`.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
    from _sha1 import sha1  # type: ignore[import-not-found]  # (no stub)
except ImportError:  # pragma: no cover (not CPython)
    from hashlib import blake2b, sha1

__all__ = ["MAX_NOTE_BYTES", "blake2b", "file_digest", "sha1"]

MAX_NOTE_BYTES = 2 * 1024 * 1024  # a bigger file is not read as a note


def file_digest(data: bytes) -> str:
    """The digest the store keeps of a note file: of its first MAX_NOTE_BYTES + 1 bytes, as read."""
    return blake2b(data, digest_size=16).hexdigest()
