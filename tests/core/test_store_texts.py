"""The store's texts file: bodies and link sentences on disk, read by offset; saves in two steps."""

from __future__ import annotations

import dataclasses
import os

import orjson
import pytest
from edits import touch

from viewer.core import KnowledgeBase, Note
from viewer.core import store as store_module
from viewer.core.records import StoredNote
from viewer.core.search import index as index_module


def texts_files(store):
    return sorted(p.name for p in store.parent.glob(f"{store.stem}.texts-*"))



def test_reopened_notes_read_their_bodies_from_the_texts_file(small_kb, tmp_path):
    store = tmp_path / "s.json"
    first = KnowledgeBase.open(small_kb, store=store)
    again = KnowledgeBase.open(small_kb, store=store)
    assert not again.last_sync.touched
    note = again.get("alpha")
    assert isinstance(note, StoredNote) and isinstance(note, Note)
    assert note.body == first.get("alpha").body and "took part in" in note.body
    assert b"took part in" not in store.read_bytes()  # bodies are not in the JSON
    assert len(texts_files(store)) == 1


def test_backlink_sentences_survive_a_reopen(small_kb, tmp_path):
    store = tmp_path / "s.json"
    before = {(link.source, link.line): link.context
              for link in KnowledgeBase.open(small_kb, store=store).backlinks("alpha")}
    after = {(link.source, link.line): link.context
             for link in KnowledgeBase.open(small_kb, store=store).backlinks("alpha")}
    assert before == after and after[("paper", 9)] == "About Alpha Agency and The Event."


def test_replace_gives_a_plain_note_with_the_body(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    note = KnowledgeBase.open(small_kb, store=store).get("paper")
    copy = dataclasses.replace(note, title="Other")
    assert copy.title == "Other" and copy.body == note.body and "About" in copy.body


def test_an_edit_appends_the_new_text_and_keeps_the_other_notes_offsets(small_kb, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    (name,) = texts_files(store)
    size = (tmp_path / name).stat().st_size
    spans = {path: record.span for path, record in kb._files.items()}
    touch(small_kb / "paper.md", "# The Paper\n\nNow only [[alpha]], said plainly.\n")
    kb.sync()
    assert texts_files(store) == [name] and (tmp_path / name).stat().st_size > size  # appended to
    assert {p: r.span for p, r in kb._files.items() if p != "paper.md"} == {
        p: s for p, s in spans.items() if p != "paper.md"}
    assert kb._files["paper.md"].span[0] >= size  # the new text is past the old end
    assert "said plainly" in kb.get("paper").body
    assert "took part in" in kb.get("alpha").body  # an unchanged note, read where it was
    assert [link.context for link in kb.backlinks("alpha") if link.source == "paper"] == [
        "Now only Alpha Agency, said plainly."]
    again = KnowledgeBase.open(small_kb, store=store)
    assert again.warnings == [] and not again.last_sync.touched
    assert "said plainly" in again.get("paper").body and "took part in" in again.get("alpha").body
    assert b"said plainly" not in store.read_bytes()
    tables = orjson.loads(store.read_bytes())
    assert sorted(doc["path"] for doc in tables["files"].values()) == ["alpha.md", "events/the-event.md", "paper.md"]


def test_the_texts_file_is_compacted_after_enough_churn(small_kb, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    (first,) = texts_files(store)
    sizes = []
    for round_ in range(40):
        touch(small_kb / "paper.md", f"# The Paper\n\nRound {round_} about [[alpha]].\n" + "filler " * 40)
        kb.sync()
        sizes.append((tmp_path / texts_files(store)[0]).stat().st_size)
        assert len(texts_files(store)) == 1 and f"Round {round_} " in kb.get("paper").body
    assert texts_files(store) != [first]  # moved to a new file at least once
    assert any(later < earlier for earlier, later in zip(sizes, sizes[1:], strict=False))  # it shrank
    live = sum(r.span[1] + 1 + r.span[2] for r in kb._files.values())
    assert sizes[-1] <= live / (1 - store_module.COMPACT_SHARE) + 1
    again = KnowledgeBase.open(small_kb, store=store)
    assert again.warnings == [] and "Round 39 " in again.get("paper").body
    assert "took part in" in again.get("alpha").body


def test_texts_appended_by_a_sync_killed_before_its_commit_are_ignored(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    committed = store.read_bytes()
    (name,) = texts_files(store)
    with open(tmp_path / name, "ab") as texts:  # what a killed sync leaves: texts, no store.json
        texts.write(b"# The Paper\n\nHalf written" * 50)
    kb = KnowledgeBase.open(small_kb, store=store)
    assert kb.warnings == [] and not kb.last_sync.touched and store.read_bytes() == committed
    assert "took part in" in kb.get("alpha").body and "Half written" not in kb.get("paper").body
    touch(small_kb / "paper.md", "# The Paper\n\nWritten after the crash about [[alpha]].\n")
    kb.sync()
    again = KnowledgeBase.open(small_kb, store=store)
    assert again.warnings == [] and "after the crash" in again.get("paper").body
    assert "took part in" in again.get("alpha").body


def test_a_store_whose_texts_file_lost_its_committed_end_is_rebuilt(small_kb, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    touch(small_kb / "paper.md", "# The Paper\n\nAppended text about [[alpha]].\n")
    kb.sync()
    (name,) = texts_files(store)
    data = (tmp_path / name).read_bytes()
    cut = tmp_path / "cut"
    cut.write_bytes(data[:-5])  # the appended end is missing
    os.replace(cut, tmp_path / name)
    again = KnowledgeBase.open(small_kb, store=store)
    assert any("rebuilding" in w for w in again.warnings)
    assert "Appended text" in again.get("paper").body and "took part in" in again.get("alpha").body


@pytest.mark.parametrize("damage", ["delete", "truncate"])
def test_a_missing_or_short_texts_file_rebuilds_the_store(small_kb, tmp_path, damage):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    (texts,) = texts_files(store)
    if damage == "delete":
        (tmp_path / texts).unlink()
    else:
        short = tmp_path / "short"
        short.write_bytes(b"short")
        os.replace(short, tmp_path / texts)  # a new file: the first open may still map the old one
    kb = KnowledgeBase.open(small_kb, store=store)
    assert any("rebuilding" in w for w in kb.warnings)
    assert kb.last_sync.added == 3 and "took part in" in kb.get("alpha").body


def test_interrupted_between_texts_and_commit_leaves_the_old_store(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    committed = store.read_bytes()
    touch(small_kb / "paper.md", "# The Paper\n\nA new sentence about [[alpha]].\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(index_module.SearchIndex, "sync", interrupted)
    monkeypatch.setattr(index_module.SearchIndex, "sync_later", interrupted)  # the index's turn, either way
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.open(small_kb, store=store)
    monkeypatch.undo()
    assert store.read_bytes() == committed and len(texts_files(store)) == 1  # appended to, past its length
    kb = KnowledgeBase.open(small_kb, store=store)
    assert kb.last_sync.updated_ids == {"paper"}, (kb.warnings, kb.last_sync)
    assert "A new sentence" in kb.get("paper").body
    assert [h.note_id for h in kb.search("sentence")] == ["paper"]


def test_stray_texts_files_are_removed_once_stale(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    stray = tmp_path / "s.texts-000000000000"
    stray.write_bytes(b"left by a crash")
    touch(small_kb / "paper.md", "# The Paper\n\nChanged.\n")
    kb.sync()
    assert stray.exists()  # might belong to a save in progress elsewhere
    monkeypatch.setattr(store_module, "STALE_TEXTS_SECONDS", -1)
    touch(small_kb / "paper.md", "# The Paper\n\nChanged again.\n")
    kb.sync()
    assert not stray.exists() and len(texts_files(store)) == 1


def test_a_store_replaced_between_reading_its_json_and_its_texts_is_read_again(small_kb, tmp_path, monkeypatch):
    from viewer.core import store as store_module

    path = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=path)
    real_texts = store_module.Texts
    calls = []

    def texts_gone_once(texts_path):
        calls.append(texts_path)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file", str(texts_path))
        return real_texts(texts_path)

    monkeypatch.setattr(store_module, "Texts", texts_gone_once)
    again = KnowledgeBase.open(small_kb, store=path)
    assert len(calls) == 2
    assert again.warnings == [] and again.last_sync.unchanged == 3
