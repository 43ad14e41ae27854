"""The annotations file: changes, undo, reloads, the backup and corrupt files."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from viewer.core.annotations import (
    ORPHANED,
    AnnotationError,
    AnnotationStore,
    AnnotationStoreError,
    QuoteNotFound,
    search_scope,
)
from viewer.core.atomic import AtomicJSONStorage

TEXT = ("Officers of the Ontario Provincial Police used a free online trial of Clearview AI.\n"
        "The privacy commissioners of Québec and Alberta opened a joint investigation.")


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


def add(store: AnnotationStore, quote: str, **fields) -> str:
    return store.add_quote("note", TEXT, quote, **fields).added[0]


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_open_uses_the_user_data_folder_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    store = AnnotationStore.open()
    assert store.path == tmp_path / "xdg" / "kbviewer" / "annotations.json"


def test_add_stores_both_selectors_and_survives_reopening(data):
    store = AnnotationStore.open(data)
    changes = store.add_quote("note", TEXT, "free online trial", comment="Trial", tags=["OPP", "opp", " x "],
                              colour="green")
    assert changes.added and changes.notes == {"note"} and not changes.removed
    a = store.get(changes.added[0])
    assert (a.exact, a.start, a.end) == ("free online trial", TEXT.index("free"), TEXT.index(" of Clear"))
    assert a.prefix == TEXT[a.start - 32:a.start] and a.suffix == TEXT[a.end:a.end + 32]
    assert a.tags == ("OPP", "x") and a.colour == "green" and a.status == "anchored"
    assert a.created == a.modified and a.created.endswith("Z")
    assert AnnotationStore.open(data).all() == [a]


def test_the_file_is_a_tinydb_database(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "joint investigation", comment="JI")
    docs = TinyDB(store.path, storage=AtomicJSONStorage).table("annotations").all()
    assert [(d["id"], d["comment"], d.doc_id) for d in docs] == [(ann_id, "JI", 1)]


def test_add_refuses_bad_ranges_colours_and_missing_quotes(data):
    store = AnnotationStore.open(data)
    with pytest.raises(AnnotationError):
        store.add("note", TEXT, 5, 5)
    with pytest.raises(AnnotationError):
        store.add("note", TEXT, 0, len(TEXT) + 1)
    with pytest.raises(AnnotationError):
        store.add("note", "a   b", 1, 4)  # only white space
    with pytest.raises(AnnotationError, match="unknown colour"):
        store.add("note", TEXT, 0, 4, colour="red")
    with pytest.raises(QuoteNotFound):
        store.add_quote("note", TEXT, "not in the text")
    with pytest.raises(QuoteNotFound, match="occurs 1 time"):
        store.add_quote("note", TEXT, "Clearview", occurrence=2)
    assert len(store) == 0 and not store.path.exists()


def test_edges_of_a_selection_lose_their_white_space(data):
    store = AnnotationStore.open(data)
    start = TEXT.index(" used")
    a = store.get(store.add("note", TEXT, start, start + 6).added[0])
    assert a.exact == "used" and a.start == start + 1


def test_update_delete_undo_redo(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "Clearview AI", comment="first")
    original = store.get(ann_id)
    assert store.update(ann_id, comment="second", tags=["a"], colour="pink").updated == (ann_id,)
    assert not store.update(ann_id, comment="second")  # nothing changed: nothing written
    assert store.undo_label == "Edit annotation"
    store.undo()
    assert (store.get(ann_id).comment, store.get(ann_id).tags) == ("first", ())
    store.redo()
    assert store.get(ann_id).comment == "second"
    assert store.delete(ann_id).removed == (ann_id,)
    assert store.get(ann_id) is None
    assert store.undo().added == (ann_id,)
    assert store.get(ann_id).comment == "second" and store.get(ann_id).created == original.created
    assert AnnotationStore.open(data).get(ann_id).comment == "second"  # undo is saved too
    with pytest.raises(AnnotationError):
        store.delete("no-such-id")
    with pytest.raises(AnnotationError):
        store.update("no-such-id", comment="x")


def test_undo_keeps_the_current_place_of_the_passage(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "joint investigation", comment="before")
    store.update(ann_id, comment="after")
    moved = "New first line.\n" + TEXT
    store.reanchor("note", moved)
    store.undo()
    a = store.get(ann_id)
    assert a.comment == "before" and moved[a.start:a.end] == "joint investigation"


def test_reanchor_orphans_and_recovers(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "free online trial of Clearview AI")
    changes = store.reanchor("note", TEXT.replace("used a free online trial of Clearview AI", "did things"))
    assert changes.orphaned == (ann_id,) and changes.updated == (ann_id,)
    assert [a.id for a in store.orphaned()] == [ann_id]
    assert AnnotationStore.open(data).get(ann_id).status == ORPHANED  # kept, with its status
    assert store.reanchor("note", TEXT).updated == (ann_id,)
    assert store.orphaned() == []
    assert not store.reanchor("note", TEXT)  # nothing to do


def test_reanchor_all_orphans_the_annotations_of_a_missing_note(data):
    store = AnnotationStore.open(data)
    kept = add(store, "Clearview AI")
    gone = store.add_quote("gone", TEXT, "Alberta").added[0]
    changes = store.reanchor_all(lambda note: TEXT if note == "note" else None)
    assert changes.orphaned == (gone,) and store.get(kept).status == "anchored"


def test_search_ignores_case_and_accents_and_filters_tags(data):
    store = AnnotationStore.open(data)
    quebec = add(store, "Québec", comment="Provincial commissioner", tags=["Privacy"])
    trial = add(store, "free online trial", comment="No procurement", tags=["OPP", "privacy"])
    assert [a.id for a in store.search("quebec")] == [quebec]  # matched in the quote
    assert [a.id for a in store.search("PROCUREMENT")] == [trial]
    assert {a.id for a in store.search("privacy")} == {quebec, trial}  # tags are searched
    assert [a.id for a in store.search("", tags=["opp"])] == [trial]
    assert [a.id for a in store.search("tag:privacy commissioner")] == [quebec]
    assert [a.id for a in store.search('"online trial"')] == [trial]
    assert store.search("online commissioner") == []  # every word must match
    assert store.search("québec", note="other") == []
    store.update(quebec, comment="Édition spéciale")
    assert [a.id for a in store.search("EDITION")] == [quebec]  # the search cache follows edits
    assert store.tags() == [("privacy", 2), ("OPP", 1)]  # one tag whatever its case


def test_in_annotations_and_in_notes_set_the_scope_of_a_query():
    assert search_scope("in:annotations police trial") == ("annotations", "police trial")
    assert search_scope('tag:opp IN:Annotations "a  phrase"') == ("annotations", 'tag:opp "a phrase"')
    assert search_scope("in:notes clearview") == ("notes", "clearview")
    assert search_scope("clearview join:in:annotations") == (None, "clearview join:in:annotations")
    assert search_scope("") == (None, "")


def test_two_stores_on_one_file_see_each_others_changes(data):
    first = AnnotationStore.open(data)
    second = AnnotationStore.open(data)
    a = add(first, "Clearview AI")
    changes = second.add_quote("note", TEXT, "Alberta")
    [b] = [i for i in changes.added if i != a]
    assert a in changes.added  # found on reload, reported with the change
    assert {x.id for x in second.all()} == {a, b}
    assert first.refresh().added == (b,)
    assert not first.refresh()
    assert len(AnnotationStore.open(data)) == 2


def test_changes_by_another_process_are_reported_even_if_an_operation_fails(data):
    first = AnnotationStore.open(data)
    second = AnnotationStore.open(data)
    a = add(first, "Clearview AI")
    with pytest.raises(AnnotationError):
        second.delete("no-such-id")  # reloads, finds `a`, then fails
    assert second.get(a) is not None
    assert second.refresh().added == (a,)  # still reported, once
    assert not second.refresh()


def test_each_write_keeps_the_previous_file_as_backup(data):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    before = store.path.read_bytes()
    add(store, "Alberta")
    assert store.backup_path.read_bytes() == before
    assert store.backup_path.stat().st_ino != store.path.stat().st_ino
    assert files(data) == ["annotations.json", "annotations.json.bak", "annotations.json.lock"]


def test_a_corrupt_file_is_set_aside_and_the_backup_loaded(data):
    store = AnnotationStore.open(data)
    first = add(store, "Clearview AI")
    add(store, "Alberta")
    store.path.write_bytes(b'{"annotations": {"1": {"id": "trunc')
    again = AnnotationStore.open(data)
    assert [a.id for a in again.all()] == [first]  # the backup: the file before the last write
    [warning] = again.take_warnings()
    assert "could not be read" in warning and "backup" in warning
    aside = [name for name in files(data) if ".corrupt-" in name]
    assert len(aside) == 1 and aside[0].startswith("annotations.json.corrupt-2")
    assert (data / aside[0]).read_bytes() == b'{"annotations": {"1": {"id": "trunc'  # kept as it was
    assert AnnotationStore.open(data).take_warnings() == []  # the file was restored from the backup
    assert again.take_warnings() == []


def test_a_corrupt_file_and_backup_are_both_set_aside(data):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    add(store, "Alberta")
    store.path.write_bytes(b"\x00\x01garbage")
    store.backup_path.write_bytes(b"[1, 2, 3]")
    again = AnnotationStore.open(data)
    assert len(again) == 0
    assert "No annotations were loaded" in again.warnings[0]
    assert len([n for n in files(data) if ".corrupt-" in n]) == 2
    add(again, "Québec")  # writing again overwrites nothing unread
    assert len([n for n in files(data) if ".corrupt-" in n]) == 2


def test_a_missing_file_with_a_backup_is_restored(data):
    store = AnnotationStore.open(data)
    first = add(store, "Clearview AI")
    add(store, "Alberta")
    store.path.unlink()
    again = AnnotationStore.open(data)
    assert [a.id for a in again.all()] == [first] and "missing" in again.warnings[0]
    assert store.path.exists()


def test_an_empty_file_is_treated_as_corrupt(data):
    data.mkdir()
    (data / "annotations.json").write_bytes(b"")
    store = AnnotationStore.open(data)
    assert len(store) == 0 and "empty" in store.warnings[0]
    assert any(".corrupt-" in n for n in files(data))


def test_a_corrupt_file_found_when_saving_is_set_aside_too(data):
    store = AnnotationStore.open(data)
    first = add(store, "Clearview AI")
    add(store, "Alberta")
    store.path.write_bytes(b"{not json")
    last = add(store, "Québec")
    assert any(".corrupt-" in n for n in files(data)) and "backup" in store.take_warnings()[0]
    assert {a.id for a in AnnotationStore.open(data).all()} == {first, last}


def test_unreadable_entries_are_kept_in_the_file(data):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    raw = orjson.loads(store.path.read_bytes())
    raw["annotations"]["7"] = {"id": "x", "start": "not a number"}
    raw["bookmarks"] = {"1": {"note": "n"}}
    store.path.write_bytes(orjson.dumps(raw))
    again = AnnotationStore.open(data)
    assert len(again) == 1 and "1 entries" in again.warnings[0]
    add(again, "Alberta")
    saved = orjson.loads(store.path.read_bytes())
    assert saved["annotations"]["7"] == {"id": "x", "start": "not a number"}
    assert saved["bookmarks"] == {"1": {"note": "n"}} and len(saved["annotations"]) == 3
    assert "8" in saved["annotations"]  # a fresh document id


def test_a_file_from_a_newer_version_is_read_only(data):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    raw = orjson.loads(store.path.read_bytes())
    raw["_meta"]["1"]["schema"] = 99
    store.path.write_bytes(orjson.dumps(raw))
    again = AnnotationStore.open(data)
    assert len(again) == 1 and again.read_only and "newer" in again.warnings[0]
    with pytest.raises(AnnotationStoreError):
        add(again, "Alberta")
    assert orjson.loads(store.path.read_bytes())["_meta"]["1"]["schema"] == 99


def test_a_failed_write_changes_nothing(data, monkeypatch):
    store = AnnotationStore.open(data)
    kept = add(store, "Clearview AI")
    before = store.path.read_bytes()

    def fail(path, payload):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("viewer.core.annotations.datafile.atomic_write", fail)
    with pytest.raises(AnnotationStoreError, match="No space left"):
        add(store, "Alberta")
    with pytest.raises(AnnotationStoreError):
        store.delete(kept)
    assert [a.id for a in store.all()] == [kept] and store.path.read_bytes() == before
    assert store.undo_label == "Add annotation"


def test_temp_files_of_a_killed_writer_are_removed(data):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    add(store, "Alberta")
    (data / ".annotations.json.abc123.tmp").write_bytes(b"half")
    (data / ".annotations.json.bak.def.tmp").write_bytes(b"half")
    AnnotationStore.open(data)
    assert files(data) == ["annotations.json", "annotations.json.bak", "annotations.json.lock"]


def test_backup_falls_back_to_a_copy_without_hard_links(data, monkeypatch):
    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    before = store.path.read_bytes()

    def no_link(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    add(store, "Alberta")
    assert store.backup_path.read_bytes() == before


@pytest.mark.parametrize("bad", [
    {"colour": ["yellow"]}, {"colour": {"name": "pink"}}, {"status": ["anchored"]}, {"status": {}},
    {"tags": "police"}, {"tags": [1, 2]}, {"tags": [["a"]]}, {"start": "3"}, {"end": 2.5},
    {"start": True}, {"comment": ["x"]}, {"prefix": {}}, {"created": 3}, {"note": ["n"]},
])
def test_an_entry_with_a_field_of_the_wrong_kind_is_kept_as_unreadable(data, bad):
    store = AnnotationStore.open(data)
    good = add(store, "Clearview AI", comment="good")
    raw = orjson.loads(store.path.read_bytes())
    [doc] = raw["annotations"].values()
    raw["annotations"]["9"] = {**doc, "id": "bad-one", **bad}
    store.path.write_bytes(orjson.dumps(raw))
    again = AnnotationStore.open(data)
    assert [a.id for a in again.all()] == [good] and "1 entries" in again.warnings[0]
    add(again, "Alberta")  # a write keeps the bad entry as it is
    saved = orjson.loads(store.path.read_bytes())
    assert saved["annotations"]["9"] == {**doc, "id": "bad-one", **bad}
    assert len(AnnotationStore.open(data)) == 2


def test_an_unknown_colour_or_status_name_still_reads(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "Clearview AI")
    raw = orjson.loads(store.path.read_bytes())
    raw["annotations"]["1"].update(colour="mauve", status="lost")
    store.path.write_bytes(orjson.dumps(raw))
    a = AnnotationStore.open(data).get(ann_id)
    assert (a.colour, a.status) == ("yellow", ORPHANED)


def test_add_and_update_refuse_a_colour_that_is_not_a_name(data):
    store = AnnotationStore.open(data)
    with pytest.raises(AnnotationError, match="unknown colour"):
        add(store, "Clearview AI", colour=["yellow"])
    ann_id = add(store, "Clearview AI")
    with pytest.raises(AnnotationError, match="unknown colour"):
        store.update(ann_id, colour={"a": 1})


def test_undo_of_an_import_that_replaced_an_annotation_restores_the_whole_record(data):
    store = AnnotationStore.open(data)
    ann_id = add(store, "Clearview AI", comment="mine", tags=["police"], colour="blue")
    original = store.get(ann_id)
    other = "Another note altogether, about Alberta and its joint investigation."
    start = other.index("joint investigation")
    newer = replace(original, note="other", exact="joint investigation", prefix=other[:start],
                    suffix="", start=start, end=start + len("joint investigation"), comment="theirs",
                    tags=("privacy",), colour="green", modified="2999-01-01T00:00:00.000Z")
    assert store.merge([newer]).updated == 1
    imported = store.get(ann_id)
    assert imported == newer

    fields = ("note", "exact", "prefix", "suffix", "start", "end", "comment", "tags", "colour", "created",
              "status")
    changes = store.undo()
    back = store.get(ann_id)
    assert [getattr(back, f) for f in fields] == [getattr(original, f) for f in fields]
    assert back.modified > original.modified and changes.notes == {"note", "other"}
    assert AnnotationStore.open(data).get(ann_id) == back  # saved
    store.redo()
    again = store.get(ann_id)
    assert [getattr(again, f) for f in fields] == [getattr(newer, f) for f in fields]


def test_a_short_lock_timeout_gives_up_quickly_and_the_lock_keeps_its_own(data, lock_clock):
    from viewer.core.filelock import FileLock

    store = AnnotationStore.open(data)
    add(store, "Clearview AI")
    own = store._file.lock.timeout
    assert own > 1
    with FileLock(store._file.lock.path):  # another holder
        lock_clock.waits.clear()
        with pytest.raises(AnnotationStoreError, match="busy"):
            store.reanchor("note", TEXT, timeout=0.2)
        other = AnnotationStore(store.path)
        other._file._stamp = None  # as if the file changed: refresh needs the lock
        with pytest.raises(AnnotationStoreError, match="busy"):
            other.refresh(timeout=0.2)
        # each gave up after its 0.2 s, not after the lock's own timeout
        assert len(lock_clock.waits) == 2 and all(0.2 <= wait < 0.25 for wait in lock_clock.waits)
    assert store._file.lock.timeout == own
    assert store.reanchor("note", "nothing of it", timeout=0.2).orphaned
