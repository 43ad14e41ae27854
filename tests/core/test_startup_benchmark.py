"""The start-up benchmark edits a note the kept start page does not show."""

from __future__ import annotations

import json

from benchmarks.startup import other_note


def test_the_note_edited_is_not_one_the_kept_page_shows(tmp_path):
    folder, cache = tmp_path / "kb", tmp_path / "cache" / "kbviewer"
    (folder / "sources").mkdir(parents=True)
    cache.mkdir(parents=True)
    for name in ("a.md", "b.md", "sources/c.md", "sources/d.md"):
        (folder / name).write_text("# Note\n", encoding="utf-8")
    deps = {"notes": {"a": ["a.md", "0"], "b": ["b.md", "1"], "c": ["sources/c.md", "2"]}}
    (cache / "store.json.page").write_text(json.dumps({"note": "a", "deps": deps}), encoding="utf-8")
    assert other_note(folder, tmp_path / "cache") == folder / "sources" / "d.md"


def test_no_note_to_edit_or_no_kept_page_stops_the_benchmark_with_a_message(tmp_path):
    import pytest

    folder, cache = tmp_path / "kb", tmp_path / "cache"
    folder.mkdir()
    cache.mkdir()
    (folder / "a.md").write_text("# A\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="kept 0 start pages"):
        other_note(folder, cache)
    (cache / "store.json.page").write_text(json.dumps({"deps": {"notes": {"a": ["a.md", "0"]}}}), encoding="utf-8")
    with pytest.raises(SystemExit, match="shows every note"):
        other_note(folder, cache)


def test_no_kept_names_stops_the_benchmark_with_a_message(tmp_path):
    import pytest

    from benchmarks.startup import kept_names

    with pytest.raises(SystemExit, match="kept 0 files of names"):
        kept_names(tmp_path)
    (tmp_path / "store.json.names").write_bytes(b"")
    assert kept_names(tmp_path) == tmp_path / "store.json.names"
