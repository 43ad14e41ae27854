"""SHA-1 and BLAKE2b without `hashlib`, which loads OpenSSL when imported (3–4 ms of every start).

CPython's own modules give the same digests; another Python gets them through `hashlib`.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
    from _sha1 import sha1  # type: ignore[import-not-found]  # (no stub)
except ImportError:  # pragma: no cover (not CPython)
    from hashlib import blake2b, sha1

__all__ = ["blake2b", "sha1"]
