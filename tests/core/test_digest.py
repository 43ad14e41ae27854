"""The digests kept in store folder names and settings keys are the standard ones (they must not change)."""

from __future__ import annotations

import hashlib

from viewer.core.digest import blake2b, sha1


def test_sha1_and_blake2b_match_hashlib():
    data = "Clearview AI in Canada — 2020".encode()
    assert sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()
    assert blake2b(data, digest_size=12).hexdigest() == hashlib.blake2b(data, digest_size=12).hexdigest()
