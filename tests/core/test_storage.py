"""The note store's storage: a line of documents at a time, the file still plain JSON."""

from __future__ import annotations

import orjson
import pytest

from viewer.core import storage as storage_module
from viewer.core.storage import StreamingStorage


def test_tables_round_trip_a_line_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(storage_module, "WRITE_BATCH", 2)
    path = tmp_path / "s.json"
    data = {"meta": {"1": {"schema": 6}}, "empty": {},
            "files": {str(n): {"path": f"n{n}.md", "text": "a\nb }\n},", "list": [n, "x"]} for n in range(1, 6)}}
    StreamingStorage(path).write(data)
    assert orjson.loads(path.read_bytes()) == data  # plain JSON
    assert len(path.read_bytes().splitlines()) > 6  # documents spread over lines
    monkeypatch.setattr(storage_module.AtomicJSONStorage, "read", lambda self: pytest.fail("parsed whole"))
    assert StreamingStorage(path).read() == data


@pytest.mark.parametrize("text", [b'{"files": {"1": {"path": "a.md"}}}', b'{\n"files":{\n"1":{"path":"a.md"}}}'])
def test_a_file_laid_out_otherwise_is_parsed_whole(tmp_path, text):
    path = tmp_path / "s.json"
    path.write_bytes(text)
    assert StreamingStorage(path).read() == {"files": {"1": {"path": "a.md"}}}


def test_a_file_cut_short_is_not_json(tmp_path):
    path = tmp_path / "s.json"
    StreamingStorage(path).write({"files": {"1": {"path": "a.md"}, "2": {"path": "b.md"}}})
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(ValueError):
        StreamingStorage(path).read()
