"""The texts file is read ahead: short texts come from one read of many, and are the file's bytes."""

from __future__ import annotations

import random

from viewer.core import texts as texts_module
from viewer.core.texts import Texts


def test_short_texts_read_in_order_take_few_reads(tmp_path, monkeypatch):
    path = tmp_path / "store.texts-x"
    chunks = [f"note {i} ".encode() * 20 for i in range(2_000)]  # about 300 KB
    path.write_bytes(b"".join(chunks))
    texts = Texts(path)
    reads = []
    real = texts._read
    monkeypatch.setattr(texts, "_read", lambda offset, length: (reads.append(length), real(offset, length))[1])
    offset = 0
    for chunk in chunks:
        assert texts.raw(offset, len(chunk)) == chunk
        offset += len(chunk)
    assert len(reads) <= 3  # not one read per text


def test_reads_match_the_file_anywhere_and_after_it_grows(tmp_path, monkeypatch):
    monkeypatch.setattr(texts_module, "READ_AHEAD", 1024)
    path = tmp_path / "store.texts-y"
    data = bytes(random.Random(7).randrange(256) for _ in range(5_000))
    path.write_bytes(data)
    texts = Texts(path)
    pick = random.Random(8)
    for _ in range(300):
        offset, length = pick.randrange(len(data)), pick.randrange(1, 600)
        assert texts.raw(offset, length) == data[offset:offset + length]
    assert texts.raw(4_900, 100) == data[4_900:]  # the window ends at the end of the file
    more = b"appended by a later sync"
    with path.open("ab") as out:
        out.write(more)
    assert texts.raw(5_000, len(more)) == more  # beyond the window: read again, not cut short
    assert texts.raw(4_990, 20) == (data + more)[4_990:5_010]
