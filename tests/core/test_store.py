import os
import time

import viewer.core.kb as kb_module
from viewer.core import KnowledgeBase
from viewer.core.atomic import AtomicJSONStorage, atomic_write


def test_links_resolve_by_id_title_alias_case_insensitively(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    targets = {(link.source, link.target): link.target_id for link in kb.links()}
    assert targets[("the-event", "AA")] == "alpha"
    assert targets[("paper", "Alpha Agency")] == "alpha"
    assert targets[("paper", "The Event")] == "the-event"
    assert kb.resolve("alpha agency").id == "alpha"
    assert kb.resolve("aa").id == "alpha"


def test_backlinks_carry_the_sentence(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    contexts = {link.source: link.context for link in kb.backlinks("alpha")}
    assert contexts["paper"] == "About Alpha Agency and The Event."
    assert "the-event" in contexts


def test_outgoing_links_without_sentences_have_the_same_targets_and_lines(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    full, bare = kb.outgoing("paper"), kb.outgoing("paper", sentences=False)
    assert [(k.target_id, k.line) for k in bare] == [(k.target_id, k.line) for k in full]
    assert [k.target_id for k in bare] == ["alpha", "the-event"]
    assert full[0].context == "About Alpha Agency and The Event." and bare[0].context == ""


def test_outgoing_targets_are_each_target_once_with_the_line_of_its_first_link(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text("[[b]] and [[B]]\n\n[[nowhere]] [[b]] [[nowhere]]\n", encoding="utf-8")
    (folder / "b.md").write_text("# B\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert kb.outgoing_targets("a") == [("b", "b", 1), ("nowhere", None, 3)]


def test_reopen_parses_nothing_and_backlinks_come_from_store(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    again = KnowledgeBase.open(small_kb, store=store)
    assert again.last_sync.unchanged == 3 and not again.last_sync.touched
    assert {link.source for link in again.backlinks("alpha")} == {"the-event", "paper"}


def test_only_changed_files_are_parsed_and_deleted_ones_removed(small_kb, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    time.sleep(0.01)
    (small_kb / "paper.md").write_text("# The Paper\n\nNow only [[alpha]].\n", encoding="utf-8")
    (small_kb / "events" / "the-event.md").unlink()
    result = kb.sync()
    assert (result.changed, result.removed, result.unchanged) == (1, 1, 1)
    assert result.updated_ids == {"paper"} and result.removed_ids == {"the-event"}
    assert kb.get("the-event") is None
    assert [link.target for link in kb.outgoing("paper")] == ["alpha"]
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert reopened.get("the-event") is None and reopened.last_sync.unchanged == 2


def test_touched_file_with_same_content_is_not_reparsed(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    path = small_kb / "alpha.md"
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))
    result = KnowledgeBase.open(small_kb, store=store).last_sync
    assert result.changed == 0 and result.updated_ids == frozenset()


def test_a_touched_file_is_counted_unchanged_and_its_new_time_kept(small_kb, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    os.utime(small_kb / "alpha.md", ns=(time.time_ns(), time.time_ns() + 10_000_000))
    result = kb.sync()
    assert (result.added, result.changed, result.removed, result.unchanged) == (0, 0, 0, 3)
    read: list[str] = []
    real_read_all = kb_module._read_all
    monkeypatch.setattr(kb_module, "_read_all", lambda jobs, report: (read.extend(j[0] for j in jobs),
                                                                      real_read_all(jobs, report))[1])
    assert KnowledgeBase.open(small_kb, store=store).last_sync.unchanged == 3 and read == []


def test_a_sync_counts_files_added_changed_and_removed_and_drops_their_old_links(small_kb, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    time.sleep(0.01)
    (small_kb / "new.md").write_text("# New\n\nAbout [[alpha]].\n", encoding="utf-8")
    (small_kb / "paper.md").write_text("# The Paper\n\nNothing linked now.\n", encoding="utf-8")
    (small_kb / "events" / "the-event.md").unlink()
    result = kb.sync()
    assert (result.added, result.changed, result.removed, result.unchanged) == (1, 1, 1, 1)
    assert result.updated_ids == {"new", "paper"} and result.removed_ids == {"the-event"}
    assert {link.source for link in kb.backlinks("alpha")} == {"new"}
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert {link.source for link in reopened.backlinks("alpha")} == {"new"} and reopened.outgoing("paper") == []


def test_corrupt_store_is_rebuilt_with_a_warning(small_kb, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(small_kb, store=store)
    store.write_text('{"files": {"1": {"pa', encoding="utf-8")
    kb = KnowledgeBase.open(small_kb, store=store)
    assert len(kb) == 3
    assert any("rebuilding" in w for w in kb.warnings)
    assert AtomicJSONStorage(store).read()["meta"]


def test_default_store_lives_in_user_cache(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb)
    assert str(kb.store_path).startswith(os.environ["XDG_CACHE_HOME"])
    assert kb.store_path.exists()


def test_atomic_write_leaves_no_temp_files(tmp_path):
    target = tmp_path / "f.json"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_atomic_write_keeps_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    atomic_write(target, b"old")

    def boom(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    try:
        atomic_write(target, b"new")
    except OSError:
        pass
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_tinydb_reads_through_atomic_storage(tmp_path):
    from tinydb import TinyDB

    db = TinyDB(tmp_path / "db.json", storage=AtomicJSONStorage)
    db.insert({"a": 1})
    assert TinyDB(tmp_path / "db.json", storage=AtomicJSONStorage).all() == [{"a": 1}]


def test_a_knowledge_base_let_go_is_freed_without_the_cycle_collector(small_kb, tmp_path):
    import gc
    import weakref

    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    kb.render("alpha")
    kb.unlinked_mentions("alpha")
    kb.search("alpha")
    ref = weakref.ref(kb)
    gc.disable()
    try:
        del kb
        assert ref() is None  # freed by reference counting alone: no cycle back to it
    finally:
        gc.enable()


def test_a_changed_file_resolves_its_own_links_and_a_new_title_resolves_others(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    time.sleep(0.01)
    (small_kb / "paper.md").write_text("# The Paper\n\nNow [[AA]] and [[Gamma]].\n", encoding="utf-8")
    kb.sync()
    assert [(k.target, k.target_id) for k in kb.outgoing("paper")] == [("AA", "alpha"), ("Gamma", None)]
    (small_kb / "gamma.md").write_text("# Gamma\n\nNew.\n", encoding="utf-8")
    kb.sync()
    assert [(k.target, k.target_id) for k in kb.outgoing("paper")] == [("AA", "alpha"), ("Gamma", "gamma")]
    again = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    assert [k.target_id for k in again.outgoing("paper")] == ["alpha", "gamma"]
