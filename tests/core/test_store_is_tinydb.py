"""The note store is a TinyDB database: TinyDB itself reads its notes and resolved links."""

from tinydb import Query, TinyDB

from viewer.core import KnowledgeBase
from viewer.core.atomic import AtomicJSONStorage


def test_tinydb_reads_the_store_written_by_a_sync(small_kb, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(small_kb, store=store)
    db = TinyDB(store, storage=AtomicJSONStorage)
    files = db.table("files")
    (doc,) = files.search(Query().path == "alpha.md")
    assert doc["note"]["title"] == "Alpha Agency" and doc["note"]["aliases"] == ["AA"]
    assert len(files) == 3
    assert db.table("meta").all()[0]["folder"] == str(small_kb.resolve())
