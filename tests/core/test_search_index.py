"""The persisted search index: where it lives, incremental updates, rebuilds, interruptions."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest
import tantivy

from viewer.core import KnowledgeBase
from viewer.core.search import index_path
from viewer.core.search.index import PENDING_FILE, VERSION_FILE


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000  # mtimes must differ even on coarse clocks
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for index in range(30):
        (folder / f"note-{index}.md").write_text(
            f"---\ntitle: Note {index}\n---\n# Note {index}\n\nFiller text number {index} about apples.\n",
            encoding="utf-8")
    (folder / "special.md").write_text("# Special\n\nThe walrus sings.\n", encoding="utf-8")
    return folder


def ids(result) -> set[str]:
    return {hit.note_id for hit in result}


def checked(folder: Path, store: Path) -> KnowledgeBase:
    """The folder opened, then its index checked (as the window's loader does next)."""
    kb = KnowledgeBase.open(folder, store=store)
    kb.prepare_search()
    return kb


def test_index_lives_beside_the_store(folder, tmp_path):
    store = tmp_path / "cache" / "s.json"
    KnowledgeBase.open(folder, store=store)
    assert index_path(store) == tmp_path / "cache" / "s.index"
    assert (tmp_path / "cache" / "s.index" / VERSION_FILE).is_file()


def test_reopening_reuses_the_index(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    stamp = (index_path(store) / VERSION_FILE).stat().st_mtime_ns
    kb = KnowledgeBase.open(folder, store=store)
    assert (index_path(store) / VERSION_FILE).stat().st_mtime_ns == stamp
    assert ids(kb.search("walrus")) == {"special"} and kb.warnings == []


def test_edited_note_is_found_by_its_new_word_only(folder, tmp_path):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    result = kb.sync()
    assert result.updated_ids == {"special"}
    assert ids(kb.search("narwhal")) == {"special"}
    assert ids(kb.search("walrus")) == set()
    reopened = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert ids(reopened.search("narwhal")) == {"special"} and ids(reopened.search("walrus")) == set()


def test_added_and_removed_notes(folder, tmp_path):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    write(folder, "new.md", "# New\n\nA fresh walrus arrives.\n")
    (folder / "note-3.md").unlink()
    kb.sync()
    assert ids(kb.search("walrus")) == {"special", "new"}
    assert "note-3" not in ids(kb.search("apples", limit=100))
    assert len(kb.search("apples", limit=100)) == 29


def test_corrupt_tantivy_meta_is_rebuilt_with_a_warning(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / "meta.json").write_text("{not json", encoding="utf-8")
    kb = checked(folder, store)
    assert any("search index" in w and "rebuilding" in w for w in kb.warnings)
    assert ids(kb.search("walrus")) == {"special"}
    assert checked(folder, store).warnings == []  # sound again


def test_damaged_segment_files_are_rebuilt(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    for path in index_path(store).iterdir():
        if path.suffix in (".store", ".idx", ".term", ".pos"):
            # a new file in its place: writing over the old one in place could truncate pages that
            # tantivy's merge threads, still running from the first open, have mapped (SIGBUS)
            damaged = path.with_name(path.name + ".damaged")
            damaged.write_bytes(b"\x00garbage" * 3)
            os.replace(damaged, path)
    kb = checked(folder, store)
    assert any("search index" in w for w in kb.warnings)
    assert ids(kb.search("walrus")) == {"special"}


def test_other_schema_version_is_rebuilt(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / VERSION_FILE).write_text('{"schema": -1}', encoding="utf-8")
    kb = checked(folder, store)
    assert any("another version" in w for w in kb.warnings)
    assert ids(kb.search("walrus")) == {"special"}


def test_an_unchanged_folder_opens_without_the_index_and_its_first_search_checks_it(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / VERSION_FILE).write_text('{"schema": -1}', encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.warnings == []  # not looked at: the notes are read without it
    assert ids(kb.search("walrus")) == {"special"}
    assert any("another version" in w for w in kb.warnings)  # found, and rebuilt, by the first search


def test_opening_an_unchanged_folder_does_not_load_tantivy(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    script = ("import sys\n"
              "from viewer.core import KnowledgeBase\n"
              f"kb = KnowledgeBase.open({str(folder)!r}, store={str(store)!r})\n"
              "before = 'tantivy' in sys.modules\n"
              "found = [m.source for m in kb.unlinked_mentions('special')]\n"
              "print(before, 'tantivy' in sys.modules, found)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["False", "True", "[]"]


def test_a_look_for_mentions_checks_the_index_first(folder, tmp_path):
    store = tmp_path / "s.json"
    write(folder, "mentioner.md", "# Mentioner\n\nSomething Special happened.\n")
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / VERSION_FILE).write_text('{"schema": -1}', encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=store)
    assert [m.source for m in kb.unlinked_mentions("special")] == ["mentioner"]
    assert any("another version" in w for w in kb.warnings)  # checked, and rebuilt, before it was asked


def test_missing_index_is_rebuilt_quietly(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    for path in index_path(store).iterdir():
        path.unlink()
    index_path(store).rmdir()
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.warnings == [] and ids(kb.search("walrus")) == {"special"}


def test_index_out_of_step_with_the_store_is_rebuilt(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    index = tantivy.Index.open(str(index_path(store)))
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    writer.delete_documents_by_term("id", "special")
    writer.commit()
    writer.wait_merging_threads()
    kb = checked(folder, store)
    assert any("out of step" in w for w in kb.warnings)
    assert ids(kb.search("walrus")) == {"special"}


def test_indexing_reports_its_own_phase(folder, tmp_path):
    calls = []
    KnowledgeBase.open(folder, store=tmp_path / "s.json", progress=lambda *a: calls.append(a))
    phases = [what for what, _, _ in calls]
    assert "Reading notes" in phases and "Indexing notes" in phases
    assert calls[-1] == ("Indexing notes", 31, 31)


def test_interrupted_first_indexing_leaves_nothing_broken(folder, tmp_path):
    store = tmp_path / "s.json"

    def interrupt(what, done, total):
        if what == "Indexing notes":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.open(folder, store=store, progress=interrupt)
    assert not (index_path(store) / VERSION_FILE).exists()
    kb = KnowledgeBase.open(folder, store=store)
    assert ids(kb.search("walrus")) == {"special"} and len(kb) == 31


def interrupt(what, done, total):
    if what == "Indexing notes":
        raise KeyboardInterrupt


def test_interrupted_update_is_applied_on_the_next_open(folder, tmp_path):
    store = tmp_path / "s.json"
    kb = checked(folder, store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    with pytest.raises(KeyboardInterrupt):
        kb.sync(progress=interrupt)
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.last_sync.updated_ids == {"special"}  # the store was not saved either
    assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("walrus")) == set()


@pytest.mark.parametrize("then", ["search on", "open again"])
def test_interrupted_indexing_of_notes_changed_while_closed_is_done_next_time(folder, tmp_path, then):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    kb = KnowledgeBase.open(folder, store=store)
    with pytest.raises(KeyboardInterrupt):
        kb.prepare_search(progress=interrupt)
    if then == "search on":  # the same session: its next search finishes the job
        assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("walrus")) == set()
        return
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.last_sync.updated_ids == set()  # the store has the change: only the list says what to index
    assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("walrus")) == set()
    assert not (index_path(store) / PENDING_FILE).exists()


def test_notes_changed_while_closed_are_indexed_at_the_first_search(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    write(folder, "new.md", "# New\n\nA fresh walrus arrives.\n")
    (folder / "note-3.md").unlink()
    script = ("import sys\n"
              "from viewer.core import KnowledgeBase\n"
              f"kb = KnowledgeBase.open({str(folder)!r}, store={str(store)!r})\n"
              "print('tantivy' in sys.modules, kb.search_can_wait(), kb.warnings)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout.split()
    assert out == ["False", "True", "[]"]  # the store took the changes; the index waits for its first use
    assert sorted(orjson.loads((index_path(store) / PENDING_FILE).read_bytes())) == ["new", "note-3", "special"]
    kb = KnowledgeBase.open(folder, store=store)
    assert ids(kb.search("narwhal")) == {"special"}
    assert ids(kb.search("walrus")) == {"new"}
    assert ids(kb.search('"number 3"')) == set() and len(kb.search("apples", limit=50)) == 29
    assert kb.warnings == [] and not (index_path(store) / PENDING_FILE).exists()


def test_a_stop_before_the_store_takes_the_change_leaves_both_to_the_next_open(folder, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("viewer.core.store.NoteStore.commit", stopped)
    with pytest.raises(KeyboardInterrupt):
        KnowledgeBase.open(folder, store=store)
    assert orjson.loads((index_path(store) / PENDING_FILE).read_bytes()) == ["special"]
    monkeypatch.undo()
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.last_sync.updated_ids == {"special"}
    assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("walrus")) == set()


def test_notes_changed_over_several_sessions_all_wait_for_the_index(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    KnowledgeBase.open(folder, store=store)  # closed without a search
    write(folder, "note-5.md", "# Note 5\n\nA quokka smiles.\n")
    kb = KnowledgeBase.open(folder, store=store)
    assert kb.last_sync.updated_ids == {"note-5"}
    assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("quokka")) == {"note-5"}
    assert ids(kb.search("walrus")) == set()


def test_mentions_see_a_note_changed_while_closed(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "note-7.md", "# Note 7\n\nSomething Special happened.\n")
    kb = KnowledgeBase.open(folder, store=store)
    assert [m.source for m in kb.unlinked_mentions("special")] == ["note-7"]


def test_a_damaged_list_of_notes_to_index_rebuilds_the_index(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / PENDING_FILE).write_bytes(b'["spec')
    kb = KnowledgeBase.open(folder, store=store)
    assert ids(kb.search("narwhal")) == {"special"} and ids(kb.search("walrus")) == set()
    assert any("damaged; rebuilding" in w for w in kb.warnings)


def test_many_changed_notes_are_indexed_with_the_sync(folder, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    monkeypatch.setattr("viewer.core.search.index.PENDING_MAX", 2)
    for number in (1, 2, 3):
        write(folder, f"note-{number}.md", f"# Note {number}\n\nA quokka number {number}.\n")
    calls = []
    kb = KnowledgeBase.open(folder, store=store, progress=lambda *a: calls.append(a))
    assert ("Indexing notes", 3, 3) in calls and not (index_path(store) / PENDING_FILE).exists()
    assert ids(kb.search("quokka")) == {"note-1", "note-2", "note-3"}


def test_an_old_index_is_rebuilt_with_the_sync_not_left_for_later(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    (index_path(store) / VERSION_FILE).write_text('{"schema": -1}', encoding="utf-8")
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    kb = KnowledgeBase.open(folder, store=store)
    assert any("another version" in w for w in kb.warnings)  # rebuilt while opening, with its progress
    assert not (index_path(store) / PENDING_FILE).exists()
    assert ids(kb.search("narwhal")) == {"special"}


def test_the_window_loader_waits_only_for_a_missing_or_old_index(folder, tmp_path):
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    assert KnowledgeBase.open(folder, store=store).search_can_wait()  # the change waits for the first use
    (index_path(store) / VERSION_FILE).write_text('{"schema": -1}', encoding="utf-8")
    assert not KnowledgeBase.open(folder, store=store).search_can_wait()
    (index_path(store) / VERSION_FILE).unlink()
    assert not KnowledgeBase.open(folder, store=store).search_can_wait()


def test_update_blocked_by_another_writer_is_made_good_next_time(folder, tmp_path):
    store = tmp_path / "s.json"
    kb = KnowledgeBase.open(folder, store=store)
    other = tantivy.Index.open(str(index_path(store))).writer(heap_size=15_000_000, num_threads=1)
    try:
        write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
        kb.sync()
        assert any("could not be updated" in w for w in kb.warnings)
    finally:
        other.rollback()
        other.wait_merging_threads()
        del other
    reopened = KnowledgeBase.open(folder, store=store)
    assert ids(reopened.search("narwhal")) == {"special"}


def test_search_from_threads_while_notes_are_read(folder, tmp_path):
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    queries = ["apples", "walrus", "filler -walrus", "appl*", "nmber", "title:special"]
    expected = {query: ids(kb.search(query, limit=50)) for query in queries}
    assert [len(expected[q]) for q in queries] == [30, 1, 30, 30, 30, 1]
    errors: list[BaseException] = []
    answers: list[tuple[str, set[str]]] = []

    def worker() -> None:
        try:
            for query in queries * 20:
                answers.append((query, ids(kb.search(query, limit=50))))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(200):
        assert len(kb.notes()) == 31 and kb.get("special").title == "special"
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(answers) == 4 * 120
    assert all(found == expected[query] for query, found in answers)


def test_processes_opening_one_folder_at_once_share_one_index(folder, tmp_path):
    import subprocess
    import sys

    store = tmp_path / "s.json"
    code = ("import sys\nfrom viewer.core import KnowledgeBase\n"
            "kb = KnowledgeBase.open(sys.argv[1], store=sys.argv[2])\n"
            "print(sorted(h.note_id for h in kb.search('walrus')), kb.warnings)\n")
    runs = [subprocess.Popen([sys.executable, "-c", code, str(folder), str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    assert all(out.strip() == "['special'] []" for out, _ in outputs), outputs


def test_an_older_knowledge_base_leaves_a_newer_ones_list_for_it(folder, tmp_path):
    """The window reloading keeps the old notes on screen while the new ones load: each may search first."""
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    old = KnowledgeBase.open(folder, store=store)
    write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
    new = KnowledgeBase.open(folder, store=store)
    assert ids(old.search("walrus")) == {"special"}  # its own notes, as they were
    assert (index_path(store) / PENDING_FILE).exists()  # not its to delete: newer notes wrote it
    assert ids(new.search("narwhal")) == {"special"} and ids(new.search("walrus")) == set()
    assert not (index_path(store) / PENDING_FILE).exists()
    later = KnowledgeBase.open(folder, store=store)
    assert ids(later.search("narwhal")) == {"special"} and ids(later.search("walrus")) == set()


def test_an_id_taken_over_by_its_duplicate_is_indexed(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "Dup.md").write_text("# Dup\n\nThe first walrus.\n", encoding="utf-8")
    (folder / "dup.md").write_text("# Dup again\n\nThe second narwhal.\n", encoding="utf-8")
    store = tmp_path / "s.json"
    first = KnowledgeBase.open(folder, store=store)
    assert len(first) == 1 and ids(first.search("walrus")) == {"Dup"}
    write(folder, "Dup.md", "")
    kb = KnowledgeBase.open(folder, store=store)
    assert [n.path for n in kb.notes()] == ["dup.md"]
    assert ids(kb.search("narwhal")) == {"dup"} and ids(kb.search("walrus")) == set()
    assert not any("out of step" in w for w in kb.warnings)


def test_a_list_written_while_a_sync_reads_the_folder_is_left_to_its_writer(folder, tmp_path, monkeypatch):
    """Another opener of the same store (the command line, a second window) syncs an edit while this
    one is reading the folder: this one's older notes may apply that list, never delete it."""
    store = tmp_path / "s.json"
    KnowledgeBase.open(folder, store=store)
    real = KnowledgeBase._build
    raced: list[bool] = []

    def build_after_another_sync(kb, *args, **kwargs):
        if not raced:
            raced.append(True)
            write(folder, "special.md", "# Special\n\nThe narwhal dances.\n")
            KnowledgeBase.open(folder, store=store)  # writes the list, commits the store
        return real(kb, *args, **kwargs)

    monkeypatch.setattr(KnowledgeBase, "_build", build_after_another_sync)
    slow = KnowledgeBase.open(folder, store=store)
    monkeypatch.undo()
    assert "walrus" in slow.get("special").body  # read before the edit
    slow.search("walrus")  # its first use
    assert (index_path(store) / PENDING_FILE).exists()
    later = KnowledgeBase.open(folder, store=store)
    assert ids(later.search("narwhal")) == {"special"} and ids(later.search("walrus")) == set()


def test_a_list_joined_after_another_sync_wrote_it_is_left_to_that_one(folder, tmp_path):
    from viewer.core.search.index import SearchIndex

    store = tmp_path / "s.json"
    notes = KnowledgeBase.open(folder, store=store)  # the index built
    mine, other = SearchIndex(index_path(store)), SearchIndex(index_path(store))
    mine.saw_list()  # this sync begins: no list yet
    assert other.sync_later(notes.folder, {"special"}, ())  # another opener's sync, meanwhile
    assert mine.sync_later(notes.folder, {"note-1"}, ())  # this one's change joins that list
    mine.check(notes)
    assert orjson.loads((index_path(store) / PENDING_FILE).read_bytes()) == ["note-1", "special"]
    other.check(notes)  # its writer's notes apply it, and may not delete it either: it was rewritten
    later = KnowledgeBase.open(folder, store=store)
    later.prepare_search()
    assert not (index_path(store) / PENDING_FILE).exists()
