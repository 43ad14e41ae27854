"""Kept unlinked mentions brought up to date after a sync that kept every name, without the search index."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from viewer.core import KnowledgeBase, start_page
from viewer.core.search.index import SearchIndex

BODIES = {
    "mention": "# {title}\n\nThe Walrus Society met at noon.\n",
    "alias": "# {title}\n\nMembers of the tusk club said so. The Tusk Club again.\n",
    "none": "# {title}\n\nNothing about it here.\n",
    "link": "# {title}\n\nThe Walrus Society, see [[target]].\n",
    "code": "# {title}\n\nWritten `Walrus Society` in code only.\n",
}


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000  # the time must differ even on a coarse clock
    os.utime(path, ns=(stamp, stamp))


def note(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n" + BODIES[body].format(title=title)


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "target.md").write_text("---\ntitle: Walrus Society\naliases: [Tusk Club]\n---\n# Walrus Society\n",
                                      encoding="utf-8")
    for name, body in zip("abcdef", ["mention", "none", "link", "code", "alias", "none"], strict=True):
        (folder / f"{name}.md").write_text(note(f"Note {name.upper()}", body), encoding="utf-8")
    return folder


def found_and_kept(kb: KnowledgeBase) -> list:
    """The target's mentions looked up in the index, kept as the links panel keeps them."""
    found = kb.unlinked_mentions("target")
    start_page.keep_mentions(kb.store_path, "target", kb.mentions_state, found)
    return found


def refuse_the_index(monkeypatch) -> None:
    """Make any use of the search index fail: mentions brought up to date must not need it."""
    def refuse(*args, **kwargs):
        raise AssertionError("the search index was used")
    monkeypatch.setattr(SearchIndex, "naming", refuse)
    monkeypatch.setattr(SearchIndex, "check", refuse)


def test_an_edit_elsewhere_brings_kept_mentions_up_to_date_without_the_index(folder, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    kept = found_and_kept(KnowledgeBase.open(folder, store))
    assert [m.source for m in kept] == ["a", "e"]
    write(folder, "b.md", note("Note B", "mention"))  # a new mention
    write(folder, "a.md", note("Note A", "link"))  # a mention now linked
    kb = KnowledgeBase.open(folder, store)
    assert kb.mentions_base is not None and kb.mentions_base[1] == {"a", "b"}
    with monkeypatch.context() as patch:
        refuse_the_index(patch)
        now = start_page.mentions_now(kb, "target")
    assert now is not None and [(m.source, m.name, m.times) for m in now] == [("b", "Walrus Society", 1),
                                                                              ("e", "tusk club", 2)]
    assert now == KnowledgeBase.open(folder, store).unlinked_mentions("target")  # as looked up in the index


@pytest.mark.parametrize("change", ["title", "alias of the target", "added", "removed"])
def test_a_sync_that_changes_a_name_or_the_notes_leaves_them_to_be_looked_up(folder, tmp_path, change):
    store = tmp_path / "s.json"
    found_and_kept(KnowledgeBase.open(folder, store))
    if change == "title":
        write(folder, "b.md", note("Walrus Society Annex", "none"))
    elif change == "alias of the target":
        write(folder, "target.md", "---\ntitle: Walrus Society\naliases: [Tusk Guild]\n---\n# Walrus Society\n")
    elif change == "added":
        write(folder, "g.md", note("Note G", "mention"))
    else:
        (folder / "a.md").unlink()
    kb = KnowledgeBase.open(folder, store)
    assert kb.mentions_base is None and start_page.mentions_now(kb, "target") is None


def test_mentions_kept_two_syncs_ago_are_looked_up(folder, tmp_path):
    store = tmp_path / "s.json"
    found_and_kept(KnowledgeBase.open(folder, store))
    write(folder, "b.md", note("Note B", "mention"))
    KnowledgeBase.open(folder, store)  # closed before the mentions were looked for
    write(folder, "d.md", note("Note D", "mention"))
    kb = KnowledgeBase.open(folder, store)
    assert kb.mentions_base is not None and start_page.mentions_now(kb, "target") is None


def test_an_unchanged_folder_gives_the_kept_mentions_as_they_are(folder, tmp_path, monkeypatch):
    store = tmp_path / "s.json"
    kept = found_and_kept(KnowledgeBase.open(folder, store))
    kb = KnowledgeBase.open(folder, store)
    refuse_the_index(monkeypatch)
    assert kb.mentions_base is None and start_page.mentions_now(kb, "target") == kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mentions_brought_up_to_date_are_always_those_looked_up_now(folder, tmp_path, seed):
    rng = random.Random(seed)
    store = tmp_path / "s.json"
    found_and_kept(KnowledgeBase.open(folder, store))
    brought = 0
    for _ in range(16):
        for name in rng.sample("abcdef", rng.randint(1, 3)):
            title = "Walrus Society Fans" if rng.random() < 0.15 else f"Note {name.upper()}"
            write(folder, f"{name}.md", note(title, rng.choice(list(BODIES))))
        kb = KnowledgeBase.open(folder, store)
        now = start_page.mentions_now(kb, "target")
        looked_up = found_and_kept(kb)
        if now is not None:
            brought += 1
            assert now == looked_up
    assert brought >= 5  # most rounds keep every title


def test_a_sync_that_fails_leaves_no_state_to_keep_mentions_under(folder, tmp_path, monkeypatch):
    from viewer.core import KnowledgeBaseError

    kb = KnowledgeBase.open(folder, tmp_path / "s.json")
    assert kb.mentions_state is not None
    write(folder, "b.md", note("Note B", "mention"))

    def failed(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("viewer.core.store.NoteStore.commit", failed)
    with pytest.raises(KnowledgeBaseError):
        kb.sync()
    assert kb.mentions_state is None and kb.mentions_base is None  # its notes are no revision of the store
