"""A derived store that cannot be trusted is rebuilt with a warning, never a crash."""

from __future__ import annotations

import orjson
import pytest

from viewer.core import KnowledgeBase


def _damage(store, change):
    data = orjson.loads(store.read_bytes())
    change(data)
    store.write_bytes(orjson.dumps(data))


def _first(table):
    return next(iter(table.values()))


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: _first(d["files"]).__setitem__("note", "a string"), id="note-as-string"),
    pytest.param(lambda d: _first(d["files"]).__setitem__("text", [-5, 3, 1]), id="negative-span"),
    pytest.param(lambda d: _first(d["files"]).__setitem__("size", "big"), id="size-as-text"),
    pytest.param(lambda d: _first(d["files"]).pop("sha"), id="missing-field"),
    pytest.param(lambda d: _first(d["links"]).__setitem__("links", "not a list"), id="links-not-a-list"),
    pytest.param(lambda d: _first(d["links"]).__setitem__("targets", [1, 2, 3, 4, 5, 6, 7, 8, 9]),
                 id="targets-miscounted"),
    pytest.param(lambda d: d.__setitem__("files", []), id="table-as-list"),
])
def test_a_store_of_the_wrong_shape_is_rebuilt(small_kb, tmp_path, change):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    _damage(store, change)
    kb = KnowledgeBase.open(small_kb, store=store)
    assert any("rebuilding" in w for w in kb.warnings)
    assert kb.last_sync.added == 3 and "took part in" in kb.get("alpha").body
    again = KnowledgeBase.open(small_kb, store=store)
    assert again.warnings == [] and not again.last_sync.touched


def test_a_texts_file_of_the_right_size_but_wrong_content_is_rebuilt(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    (texts,) = tmp_path.glob("s.texts-*")
    texts.write_bytes(b"x" * texts.stat().st_size)
    kb = KnowledgeBase.open(small_kb, store=store)
    assert any("checksum" in w and "rebuilding" in w for w in kb.warnings)
    assert "took part in" in kb.get("alpha").body
