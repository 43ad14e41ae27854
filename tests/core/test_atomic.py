"""Atomic writes: the old file or the new one, exact content, no temp file left behind."""

from __future__ import annotations

import os

import pytest

from viewer.core.atomic import AtomicJSONStorage, atomic_write, write_streamed

OLD = b"the old content\n"


class Boom(Exception):
    pass


def failing_stream(chunks: list[bytes], error: BaseException):
    yield from chunks
    raise error


def names(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_content_is_exactly_what_was_written(tmp_path):
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 10_000 + b"\x00 end"
    atomic_write(path, data)
    assert path.read_bytes() == data
    assert names(tmp_path) == ["f.bin"]


def test_a_stream_is_written_whole_and_in_order(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(OLD)
    chunks = [f"chunk {i}\n".encode() * (i % 7 + 1) for i in range(3000)]  # more than one buffer
    write_streamed(path, iter(chunks))
    assert path.read_bytes() == b"".join(chunks)
    assert names(tmp_path) == ["f.txt"]


def test_the_old_file_is_intact_when_the_stream_raises_midway(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(OLD)
    with pytest.raises(Boom):
        write_streamed(path, failing_stream([b"new " * 1_000_000, b"more"], Boom()))
    assert path.read_bytes() == OLD
    assert names(tmp_path) == ["f.txt"]  # no temp file left


def test_an_interrupt_midway_also_leaves_the_old_file_and_no_temp_file(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(OLD)
    with pytest.raises(KeyboardInterrupt):
        write_streamed(path, failing_stream([b"new"], KeyboardInterrupt()))
    assert path.read_bytes() == OLD
    assert names(tmp_path) == ["f.txt"]


def test_a_failed_first_write_leaves_no_file_at_all(tmp_path):
    path = tmp_path / "f.txt"
    with pytest.raises(Boom):
        write_streamed(path, failing_stream([b"partial"], Boom()))
    assert names(tmp_path) == []


def test_a_failing_rename_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_bytes(OLD)

    def no_replace(src, dst):
        raise OSError("disk said no")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError, match="disk said no"):
        atomic_write(path, b"new")
    assert path.read_bytes() == OLD
    assert names(tmp_path) == ["f.txt"]


def test_the_new_file_is_synced_before_it_replaces_the_old(tmp_path, monkeypatch):
    path = tmp_path / "f.txt"
    path.write_bytes(OLD)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    atomic_write(path, b"new")
    assert events == ["fsync", "replace", "fsync"]  # the file, the rename, then the folder
    assert path.read_bytes() == b"new"


def test_missing_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "f.txt"
    atomic_write(path, b"x")
    assert path.read_bytes() == b"x"


def test_the_json_storage_round_trips_and_writes_atomically(tmp_path):
    path = tmp_path / "db.json"
    storage = AtomicJSONStorage(path)
    assert storage.read() is None  # no file yet
    storage.write({"table": {"1": {"name": "Québec", "n": 2}}})
    assert storage.read() == {"table": {"1": {"name": "Québec", "n": 2}}}
    storage.write_serialised(iter([b'{"t":', b'{"1":{"a":1}}', b"}"]))
    assert storage.read() == {"t": {"1": {"a": 1}}}
    assert names(tmp_path) == ["db.json"]


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_an_empty_json_file_reads_as_no_database(tmp_path, content):
    path = tmp_path / "db.json"
    path.write_bytes(content)
    assert AtomicJSONStorage(path).read() is None


@pytest.mark.parametrize("content, message", [
    (b"{not json", "is not valid JSON"),
    (b"[1, 2]", "does not hold a JSON object"),
    (b'"text"', "does not hold a JSON object"),
])
def test_a_json_file_that_is_not_an_object_is_a_value_error(tmp_path, content, message):
    path = tmp_path / "db.json"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        AtomicJSONStorage(path).read()
    assert path.read_bytes() == content  # never touched
