"""The annotations file is a TinyDB database, read and written through TinyDB's API."""

from __future__ import annotations

import orjson
from tinydb import Query, TinyDB
from tinydb.table import Table

from viewer.core.annotations import AnnotationStore
from viewer.core.atomic import AtomicJSONStorage

TEXT = "The force stopped the trial after a review."

# A file as the previous release wrote it: ids as strings, a meta table, an unknown table.
EARLIER_FILE = {
    "_meta": {"1": {"schema": 1}},
    "annotations": {
        "1": {"id": "a1", "note": "opp", "exact": "stopped the trial", "prefix": "The force ",
              "suffix": " after a review.", "start": 10, "end": 27, "comment": "Why then?",
              "tags": ["timeline"], "colour": "yellow", "created": "2026-01-02T10:00:00+00:00",
              "modified": "2026-01-02T10:00:00+00:00", "status": "anchored"},
        "3": {"id": "a3", "note": "opp", "exact": "a review", "prefix": "trial after ", "suffix": ".",
              "start": 34, "end": 42, "comment": "", "tags": [], "colour": "blue",
              "created": "2026-01-03T10:00:00+00:00", "modified": "2026-01-03T10:00:00+00:00",
              "status": "anchored"},
    },
    "bookmarks": {"1": {"note": "opp"}},
}


def test_an_earlier_file_opens_unchanged_and_keeps_its_documents(tmp_path):
    path = tmp_path / "annotations.json"
    path.write_bytes(orjson.dumps(EARLIER_FILE))
    before = path.read_bytes()
    store = AnnotationStore.open(tmp_path)
    assert path.read_bytes() == before  # opening writes nothing
    assert {a.id for a in store.all()} == {"a1", "a3"} and store.get("a1").comment == "Why then?"
    store.add("opp", TEXT, 4, 9, comment="who")
    data = orjson.loads(path.read_bytes())
    assert data["annotations"]["1"] == EARLIER_FILE["annotations"]["1"]
    assert data["annotations"]["3"] == EARLIER_FILE["annotations"]["3"]
    assert data["bookmarks"] == EARLIER_FILE["bookmarks"]  # another table, kept as it is
    assert data["annotations"]["4"]["comment"] == "who"  # TinyDB's next id
    assert path.with_name("annotations.json.bak").read_bytes() == before


def test_tinydb_reads_what_the_store_wrote(tmp_path):
    store = AnnotationStore.open(tmp_path)
    store.add("opp", TEXT, 10, 27, comment="first", tags=["timeline"])
    store.add("rcmp", TEXT, 34, 42, comment="second")
    db = TinyDB(tmp_path / "annotations.json", storage=AtomicJSONStorage)
    (found,) = db.table("annotations").search(Query().note == "rcmp")
    assert found["comment"] == "second" and found["exact"] == "a review"


def test_changes_go_through_tinydb_table_calls_and_one_write_each(tmp_path, monkeypatch):
    store = AnnotationStore.open(tmp_path)
    calls = []
    for name in ("insert_multiple", "update", "remove"):
        real = getattr(Table, name)

        def spy(self, *args, _name=name, _real=real, **kwargs):
            if self.name == "annotations":
                calls.append(_name)
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(Table, name, spy)
    writes = []
    real_save = type(store._file).save

    def save(self, data):
        writes.append(data)
        return real_save(self, data)
    monkeypatch.setattr(type(store._file), "save", save)

    first = store.add("opp", TEXT, 10, 27).added[0]
    store.update(first, comment="edited")
    store.delete([first])
    assert calls == ["insert_multiple", "update", "remove"]
    assert len(writes) == 3
