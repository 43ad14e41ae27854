"""The names kept beside the store answer as the knowledge base's own do, are written again only when a
name or a file changed, and a damaged file is no answer and no error."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import replace

import pytest
from edits import write_notes

from viewer.core import KnowledgeBase, kept_names
from viewer.core.kept_names import Damaged, open_names
from viewer.core.remade_page import remake


@pytest.fixture
def vault(tmp_path):
    """Another app's folder: same-named notes in folders, titles, aliases, images by name."""
    folder = write_notes(tmp_path / "vault", {
        "Home.md": "# Home\n\n[[Smith]] [[people/Smith]] [[Ottawa]]\n",
        "people/Smith.md": "---\ntitle: Jane Smith\naliases: [JS, The Chief]\n---\nIn [[Ottawa]].\n",
        "places/Smith.md": "---\ntitle: Smith Falls\n---\nA town. [[Smith]]\n",
        "places/Ottawa.md": "---\naliases: [Capital]\n---\n![[map.png]]\n",
        "places/old/Ottawa.md": "# Bytown\n\n![[map.png]] ![[media/map.png]]\n",
        "Journal.md": "---\ntitle: Notebook\n---\nDaily notes.\n",
    })
    (folder / "media").mkdir()
    for path in ("media/map.png", "places/map.png", "a.pdf"):
        (folder / path).write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


TARGETS = ["Smith", "smith", "people/Smith", "places/smith.md", "Jane Smith", "JS", "the  chief", "Ottawa",
           "old/Ottawa", "Capital", "Bytown", "Notebook", "journal", "Home", "nobody", "people/nobody", "/Home",
           "people/Smith#Work", ""]
SOURCES = [None, "Home.md", "people/Smith.md", "places/Smith.md", "places/old/Ottawa.md"]
FILES = ["map.png", "media/map.png", "./map.png", "../map.png", "a.pdf", "A.PDF", "nothing.png", "/etc/passwd"]


def test_the_kept_names_resolve_every_link_as_the_notes_do(vault, tmp_path):
    kb = KnowledgeBase.open(vault, tmp_path / "store.json")
    with open_names(kb.store_path) as kept:
        for target in TARGETS:
            for source in SOURCES:
                assert kept.names.resolve(target, source) == kb._names.resolve(target, source), (target, source)
                assert kept.names.ambiguous(target, source) == [] or [
                    n.path for n in kept.names.ambiguous(target, source)] == [
                    n.path for n in kb._names.ambiguous(target, source)]
            for src in FILES:
                assert kept.attachments.find(target + src, None) == kb.attachments.find(target + src, None)
        for src in FILES:
            for source in SOURCES:
                assert kept.attachments.find(src, source) == kb.attachments.find(src, source), (src, source)
        for note in kb.notes():
            assert kept.note(note.id) == (note.path, note.title)
        assert kept.note("nobody") is None


def token(store) -> str:
    with open_names(store) as kept:
        return kept.token


def test_written_again_only_when_a_name_or_a_file_changed(vault, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    first = token(store)
    note = vault / "places" / "Ottawa.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    kb.sync()
    assert token(store) == first  # the text alone changed: the tables hold
    assert KnowledgeBase.open(vault, store) and token(store) == first  # and the next start knows it
    note.write_text("---\naliases: [Capital, Bytown]\n---\n", encoding="utf-8")
    kb.sync()
    second = token(store)
    assert second != first
    with open_names(store) as kept:
        assert kept.names.resolve("Bytown") == kb._names.resolve("Bytown")
    (vault / "media" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    kb.sync()
    assert token(store) != second
    with open_names(store) as kept:
        assert kept.attachments.find("chart.png") == "media/chart.png"


def test_a_missing_or_stale_file_is_written_at_the_next_sync(vault, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(vault, store)
    kept_names.names_file(store).unlink()
    KnowledgeBase.open(vault, store)  # nothing changed in the notes
    assert open_names(store) is not None
    first = token(store)
    kept_names.stamp_file(store).unlink()  # which revision the tables hold for is not known
    KnowledgeBase.open(vault, store)
    assert token(store) != first


def test_a_note_renamed_while_the_viewer_was_closed_is_found_by_its_new_name(vault, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(vault, store)
    (vault / "Journal.md").rename(vault / "Diary.md")
    kb = KnowledgeBase.open(vault, store)
    with open_names(store) as kept:
        assert kept.names.resolve("Diary") == kb._names.resolve("Diary") == "Diary"
        assert kept.names.resolve("Journal") is None


@pytest.mark.parametrize("damage", [
    b"",
    b"not json\n",
    b'{"version": 1, "token": "t", "shards": []}\n',
    b'{"version": 99, "token": "t", "shards": []}\n',
])
def test_a_damaged_header_is_no_names(vault, tmp_path, damage):
    store = tmp_path / "store.json"
    KnowledgeBase.open(vault, store)
    kept_names.names_file(store).write_bytes(damage)
    assert open_names(store) is None


def test_a_damaged_part_is_no_answer_and_no_error(vault, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(vault, store)
    path = kept_names.names_file(store)
    data = path.read_bytes()
    header, body = data.split(b"\n", 1)
    path.write_bytes(header + b"\n" + bytes(len(body)))  # every part zeroed
    with open_names(store) as kept, pytest.raises(Damaged):
        kept.names.resolve("Smith")
    path.write_bytes(header + b"\n")  # every part cut off
    with open_names(store) as kept, pytest.raises(Damaged):
        kept.attachments.find("map.png")
    assert remake(store, vault, "Home") is None


def test_values_of_the_wrong_shape_are_damage(vault, tmp_path, monkeypatch):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    kb._names.by_title["jane smith"] = 7  # as a file edited by hand would hold
    kb.attachments.by_name["map.png"] = [None]
    kept_names.save(store, kb._names, kb.attachments)
    with open_names(store) as kept:
        with pytest.raises(Damaged):
            kept.names.resolve("Jane Smith")
        with pytest.raises(Damaged):
            kept.attachments.find("elsewhere/map.png")


def test_a_pipe_in_its_place_is_not_waited_on(vault, tmp_path):
    store = tmp_path / "store.json"
    KnowledgeBase.open(vault, store)
    kept_names.names_file(store).unlink()
    os.mkfifo(kept_names.names_file(store))
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(open_names(store)), daemon=True)
    reader.start()
    reader.join(5)
    assert found == [None]


def test_a_kept_path_out_of_the_folder_is_not_read(vault, tmp_path):
    """The kept names are a file like any other: a note's path in them is read only inside the folder."""
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    (tmp_path / "secret.md").write_text("# Home\n\nA secret from outside.\n", encoding="utf-8")
    for notes in kb._names.by_stem.values():
        for i, note in enumerate(notes):
            if note.id == "Home":
                notes[i] = replace(note, path="../secret.md")
    kept_names.save(store, kb._names, kb.attachments)
    assert remake(store, vault, "Home") is None  # no page kept: the note's file is found by the kept names


def test_the_note_the_folder_opens_on_is_kept_and_follows_a_change_of_type(vault, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    assert kept_names.first_note(store) == kb.overview().id == "Home"
    first = token(store)
    journal = vault / "Journal.md"
    journal.write_text(journal.read_text(encoding="utf-8").replace("title: Notebook", "title: Notebook\ntype: overview"),
                       encoding="utf-8")
    kb.sync()
    assert kept_names.first_note(store) == kb.overview().id == "Journal"
    assert token(store) == first  # no name changed: only the stamp was written
    stamp = json.loads(kept_names.stamp_file(store).read_text(encoding="utf-8"))
    kept_names.stamp_file(store).write_text(json.dumps({**stamp, "first": None}), encoding="utf-8")
    KnowledgeBase.open(vault, store)  # nothing changed since: the stamp is written again all the same
    assert kept_names.first_note(store) == "Journal" and token(store) == first
    kept_names.stamp_file(store).write_text("[" * 4000, encoding="utf-8")
    assert kept_names.first_note(store) is None


def test_a_damaged_file_met_by_a_rename_is_written_whole(vault, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    path = kept_names.names_file(store)
    header, body = path.read_bytes().split(b"\n", 1)
    path.write_bytes(header + b"\n" + bytes(len(body)))
    note = vault / "people" / "Smith.md"
    note.write_text(note.read_text(encoding="utf-8").replace("The Chief", "The Boss"), encoding="utf-8")
    kb.sync()
    with open_names(store) as kept:
        assert kept.names.resolve("The Boss") == "people/Smith"
        assert kept.names.resolve("Ottawa") == kb._names.resolve("Ottawa")


def test_an_offset_past_any_file_is_damage_not_an_error(vault, tmp_path):
    """A header with an offset too large for the system's reads: the file is not one written here."""
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    path = kept_names.names_file(store)
    line, rest = path.read_bytes().split(b"\n", 1)
    header = json.loads(line)
    header["shards"][0][0] = 2**63 + 5  # the token kept: the stamp still says the file is current
    path.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    assert open_names(store) is None
    note = vault / "places" / "Ottawa.md"
    note.write_text("---\naliases: [Capital, Bytown]\n---\n", encoding="utf-8")
    kb.sync()  # written whole, without an error
    with open_names(store) as kept:
        assert kept.names.resolve("Bytown") == kb._names.resolve("Bytown")
