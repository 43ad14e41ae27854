"""The note store's journal: a commit of a few documents writes only those, and reading gives the whole."""

import random

import orjson
import pytest
from edits import touch
from tinydb import TinyDB
from tinydb.table import Document, Table

from viewer.core import KnowledgeBase, journal
from viewer.core.journal import JournaledCache, JournaledTable
from viewer.core.storage import StreamingStorage


class _DB(TinyDB):
    table_class = JournaledTable


def _open(path):
    return _DB(path, storage=JournaledCache(StreamingStorage))


def _tables(db):
    return {name: {doc.doc_id: dict(doc) for doc in db.table(name).all()} for name in sorted(db.tables())}



def test_a_one_file_sync_writes_the_journal_and_a_reopen_reads_the_change(small_kb, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    snapshot = store.read_bytes()
    touch(small_kb / "paper.md", "# The Paper\n\nNow about [[beta]] only.\n")
    assert kb.sync().changed == 1
    assert store.read_bytes() == snapshot  # the 38 MB file of a large folder is not written again
    written = orjson.loads((tmp_path / "store.json.journal").read_bytes())["tables"]
    assert {doc["path"] for doc in written["files"].values()} == {"paper.md"}
    assert {doc["path"] for doc in written["links"].values()} == {"paper.md"}
    reopened = KnowledgeBase.open(small_kb, store=tmp_path / "store.json")
    assert reopened.last_sync.touched is False and reopened.warnings == []
    assert [link.target for link in reopened.outgoing("paper")] == ["beta"]
    assert {link.source for link in reopened.backlinks("beta")} == {link.source for link in kb.backlinks("beta")}


def test_random_writes_read_back_the_same_whatever_was_journaled(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_LIMIT", 25)
    rng = random.Random(7)
    path = tmp_path / "db.json"
    db = _open(path)
    kinds = set()
    for step in range(300):
        table = db.table(rng.choice(["files", "links"]))
        ids = [doc.doc_id for doc in table.all()]
        roll = rng.random()
        if roll < 0.35 or not ids:
            table.insert_multiple({"n": step, "k": i} for i in range(rng.randint(1, 4)))
        elif roll < 0.6:
            table.update({"n": step}, doc_ids=rng.sample(ids, min(len(ids), rng.randint(1, 3))))
        elif roll < 0.75:
            table.remove(doc_ids=rng.sample(ids, 1))
        elif roll < 0.85:
            table.upsert(Document({"n": step, "upserted": True}, doc_id=rng.choice(ids + [max(ids) + 5])))
        elif roll < 0.9:
            table.update(lambda doc: doc.update(seen=True), lambda doc: doc["n"] % 2 == 0)
        elif roll < 0.95:
            table.truncate()
        else:
            db.drop_table(table.name)
        db.storage.flush()
        kinds.add("journal" if (tmp_path / "db.json.journal").exists() else "snapshot")
        assert _tables(_open(path)) == _tables(db), step
    assert kinds == {"journal", "snapshot"}


def test_a_table_changed_without_a_report_is_written_whole(tmp_path):
    path = tmp_path / "db.json"
    db = _open(path)
    db.table("files").insert({"a": 1})
    db.storage.flush()
    db.table("files").insert({"a": 2})
    db.storage.flush()
    assert (tmp_path / "db.json.journal").exists()
    Table(db.storage, "files").insert({"a": 3})  # TinyDB's own table: nothing told
    db.storage.flush()
    assert not (tmp_path / "db.json.journal").exists()
    assert [doc["a"] for doc in _open(path).table("files").all()] == [1, 2, 3]


def test_more_changes_than_the_limit_write_the_snapshot(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_LIMIT", 3)
    path = tmp_path / "db.json"
    db = _open(path)
    db.table("files").insert({"a": 0})
    db.storage.flush()
    db.table("files").insert_multiple({"a": i} for i in range(1, 4))
    db.storage.flush()
    assert len(orjson.loads((tmp_path / "db.json.journal").read_bytes())["tables"]["files"]) == 3
    snapshot = path.read_bytes()
    db.table("files").insert({"a": 4})
    db.storage.flush()
    assert path.read_bytes() != snapshot and not (tmp_path / "db.json.journal").exists()
    assert [doc["a"] for doc in _open(path).table("files").all()] == [0, 1, 2, 3, 4]


def test_a_journal_naming_an_older_snapshot_is_not_applied(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_LIMIT", 2)
    path, kept = tmp_path / "db.json", tmp_path / "db.json.journal"
    db = _open(path)
    db.table("files").insert({"a": 0})
    db.storage.flush()
    db.table("files").update({"a": "journaled"}, doc_ids=[1])
    db.storage.flush()
    old_journal = kept.read_bytes()
    db.table("files").update({"a": "newer"}, doc_ids=[1])
    db.table("files").insert_multiple([{"a": 1}, {"a": 2}])  # past the limit: a new snapshot
    db.storage.flush()
    assert not kept.exists()
    kept.write_bytes(old_journal)  # as another process that read the older snapshot writes it
    assert [doc["a"] for doc in _open(path).table("files").all()] == ["newer", 1, 2]
    db.table("files").update({"a": "after"}, doc_ids=[1])
    db.storage.flush()
    assert [doc["a"] for doc in _open(path).table("files").all()] == ["after", 1, 2]


@pytest.mark.parametrize("change", [
    lambda t: t.insert({"a": 9}),
    lambda t: t.insert_multiple([{"a": 9}]),
    lambda t: t.update({"a": 9}, doc_ids=[2]),
    lambda t: t.update_multiple([({"a": 9}, lambda doc: doc["a"] == 2)]),
    lambda t: t.upsert(Document({"a": 9}, doc_id=2)),
    lambda t: t.remove(doc_ids=[2]),
])
def test_each_kind_of_write_is_journaled(tmp_path, change):
    path = tmp_path / "db.json"
    db = _open(path)
    db.table("files").insert_multiple([{"a": 1}, {"a": 2}, {"a": 3}])
    db.storage.flush()
    snapshot = path.read_bytes()
    change(db.table("files"))
    db.storage.flush()
    assert path.read_bytes() == snapshot and (tmp_path / "db.json.journal").exists()
    assert _tables(_open(path)) == _tables(db)


@pytest.mark.parametrize("damage", [b"{not json", b"[1, 2]", b'{"snapshot": "x", "tables": {"files": 3}}'])
def test_a_damaged_journal_rebuilds_the_store_with_a_warning(small_kb, tmp_path, damage):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    touch(small_kb / "paper.md", "# The Paper\n\nNow about [[beta]] only.\n")
    kb.sync()
    journal_file = tmp_path / "store.json.journal"
    if damage.startswith(b'{"snapshot"'):
        damage = damage.replace(b'"x"', orjson.dumps(orjson.loads(journal_file.read_bytes())["snapshot"]))
    journal_file.write_bytes(damage)
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert len(reopened.warnings) == 1 and "rebuilding it" in reopened.warnings[0]
    assert [link.target for link in reopened.outgoing("paper")] == ["beta"]
    assert not journal_file.exists()  # the rebuilt store was written whole
    assert KnowledgeBase.open(small_kb, store=store).warnings == []


def test_a_write_that_fails_half_way_writes_the_snapshot(tmp_path):
    path = tmp_path / "db.json"
    db = _open(path)
    db.table("files").insert({"a": 1})
    db.storage.flush()
    with pytest.raises(ValueError):
        db.table("files").insert_multiple([{"a": 2}, Document({"a": 3}, doc_id=1)])  # the second id is taken
    db.storage.flush()
    assert not (tmp_path / "db.json.journal").exists()
    assert _tables(_open(path)) == _tables(db)


def test_writes_change_the_cached_documents_in_place(tmp_path):
    db = _open(tmp_path / "db.json")
    files = db.table("files")
    files.insert_multiple({"a": i} for i in range(5))
    cached = db.storage.read()["files"]
    files.update({"b": True}, doc_ids=[2])
    files.remove(doc_ids=[3])
    files.insert({"a": 9})
    assert db.storage.read()["files"] is cached  # not copied (TinyDB copies a table twice per write)
    assert cached["2"] == {"a": 1, "b": True} and "3" not in cached and cached["6"] == {"a": 9}


def _journaled_store(small_kb, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    touch(small_kb / "paper.md", "# The Paper\n\nNow about [[beta]] only.\n")
    kb.sync()
    assert (tmp_path / "store.json.journal").exists()
    return store, orjson.loads(store.read_bytes())


def test_a_snapshot_without_a_sound_token_is_read_without_its_journal(small_kb, tmp_path):
    store, data = _journaled_store(small_kb, tmp_path)
    data["_snapshot"] = "not a table"
    store.write_bytes(orjson.dumps(data))
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert reopened.warnings == [] and reopened.last_sync.changed == 1  # the file read again, not the journal
    assert [link.target for link in reopened.outgoing("paper")] == ["beta"]


def test_a_journal_for_a_table_the_snapshot_holds_damaged_rebuilds_the_store(small_kb, tmp_path):
    store, data = _journaled_store(small_kb, tmp_path)
    data["links"] = ["not", "documents"]
    store.write_bytes(orjson.dumps(data))
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert len(reopened.warnings) == 1 and "rebuilding it" in reopened.warnings[0]
    assert [link.target for link in reopened.outgoing("paper")] == ["beta"]


def test_a_failed_write_is_undone_and_the_next_flush_writes_the_snapshot(tmp_path):
    from tinydb import Query

    path = tmp_path / "db.json"
    db = _open(path)
    files = db.table("files")
    files.insert({"n": 1})
    db.storage.flush()
    assert files.count(Query().n == 2) == 0
    with pytest.raises(ValueError):
        files.insert_multiple([{"n": 2}, Document({"n": 3}, doc_id=1)])
    assert [doc["n"] for doc in files.all()] == [1] and files.count(Query().n == 2) == 0  # as TinyDB leaves it
    files.insert({"n": 4})
    db.storage.flush()
    assert not (tmp_path / "db.json.journal").exists()
    assert _tables(_open(path)) == _tables(db)


def test_a_table_made_by_a_failed_write_then_dropped_stays_dropped(tmp_path):
    path = tmp_path / "db.json"
    db = _open(path)
    db.table("a").insert({"n": 1})
    db.storage.flush()

    def documents():
        yield {"k": 1}
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        db.table("x").insert_multiple(documents())
    db.storage.flush()
    db.drop_table("x")
    db.table("a").insert({"n": 2})
    db.storage.flush()
    assert _tables(_open(path)) == _tables(db) and "x" not in _open(path).tables()


def test_a_snapshot_another_process_wrote_is_not_journaled_over(tmp_path):
    path = tmp_path / "db.json"
    first = _open(path)
    first.table("files").insert({"by": "first"})
    first.storage.flush()
    second = _open(path)
    second.table("files").all()  # read now: the snapshot of `first`
    first.table("files").insert_multiple({"by": "first", "n": n} for n in range(3))
    first.storage.write_whole()
    first.storage.flush()  # a new snapshot, as a compaction writes
    second.table("files").insert({"by": "second"})
    second.storage.flush()  # over a snapshot it did not read: written whole, not as a journal nobody applies
    assert not (tmp_path / "db.json.journal").exists()
    assert _tables(_open(path)) == _tables(second)


def test_a_meta_document_that_is_not_a_document_rebuilds_the_store(small_kb, tmp_path):
    store, data = _journaled_store(small_kb, tmp_path)
    journal_file = tmp_path / "store.json.journal"
    damaged = orjson.loads(journal_file.read_bytes())
    damaged["tables"]["meta"] = {"1": 5}
    journal_file.write_bytes(orjson.dumps(damaged))
    reopened = KnowledgeBase.open(small_kb, store=store)
    assert len(reopened.warnings) == 1 and "rebuilding it" in reopened.warnings[0]
