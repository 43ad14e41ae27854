"""The note store is a TinyDB database: TinyDB itself reads its notes and resolved links."""

from tinydb import Query, TinyDB

from viewer.core import KnowledgeBase
from viewer.core.atomic import AtomicJSONStorage
from viewer.core.journal import JournaledCache
from viewer.core.storage import StreamingStorage


def test_tinydb_reads_the_store_written_by_a_sync(small_kb, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(small_kb, store=store)
    db = TinyDB(store, storage=AtomicJSONStorage)
    files = db.table("files")
    (doc,) = files.search(Query().path == "alpha.md")
    assert doc["note"]["title"] == "Alpha Agency" and doc["note"]["aliases"] == ["AA"]
    assert len(files) == 3
    assert db.table("meta").all()[0]["folder"] == str(small_kb.resolve())


def test_links_are_a_tinydb_table_queried_with_query(small_kb, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(small_kb, store=store)
    links = TinyDB(store, storage=AtomicJSONStorage).table("links")
    link = Query()
    (paper,) = links.search(link.source == "paper")
    assert paper["path"] == "paper.md"
    written = [row[0] for row in paper["links"]]
    assert written == ["Alpha Agency", "The Event"] and paper["targets"] == ["alpha", "the-event"]
    assert paper["links"][0][4] == 9  # the line the link is on
    into_alpha = links.search(link.targets.any(["alpha"]))  # resolved targets are queryable
    assert "paper" in {doc["source"] for doc in into_alpha}


def test_backlinks_are_read_from_the_links_table(small_kb, tmp_path, monkeypatch):
    from tinydb.table import Table

    kb = KnowledgeBase.open(small_kb, store=tmp_path / "store.json")
    asked = []
    real_get = Table.get

    def get(self, *args, **kwargs):
        asked.append((self.name, kwargs.get("doc_id")))
        return real_get(self, *args, **kwargs)

    monkeypatch.setattr(Table, "get", get)
    sources = {link.source for link in kb.backlinks("alpha")}
    assert "paper" in sources
    assert any(name == "links" and doc_id is not None for name, doc_id in asked)


def test_a_one_file_change_rewrites_only_its_links_document(small_kb, tmp_path):
    import os
    import time

    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store=store)
    before = {d["source"]: (d.doc_id, d["links"]) for d in TinyDB(store, storage=AtomicJSONStorage).table("links")}
    (small_kb / "paper.md").write_text("# The Paper\n\nNow about [[beta]] only.\n", encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000
    os.utime(small_kb / "paper.md", ns=(stamp, stamp))
    kb.sync()
    journaled = TinyDB(store, storage=JournaledCache(StreamingStorage))  # the file and its journal
    after = {d["source"]: (d.doc_id, d["links"]) for d in journaled.table("links")}
    assert [row[0] for row in after["paper"][1]] == ["beta"]
    assert after["paper"][0] == before["paper"][0]  # its document replaced in place: one table update
    unchanged = set(before) - {"paper"}
    assert unchanged and all(after[s] == before[s] for s in unchanged)
