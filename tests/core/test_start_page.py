"""The page kept beside the store for the next start, and what makes it stale."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from viewer.core import KnowledgeBase, start_page
from viewer.core.mentions import Mention
from viewer.core.model import NoteId
from viewer.core.page import note_page

CORE = Path(start_page.__file__).parent


def test_a_kept_page_comes_back_in_the_same_state(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    page = note_page(kb, "alpha")
    start_page.save(kb.store_path, "alpha", kb.page_state, page)
    again = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    assert again.page_state == kb.page_state
    assert start_page.load(again.store_path, "alpha", again.page_state) == page
    assert start_page.load(again.store_path, "paper", again.page_state) is None  # kept for another note


def test_any_changed_added_or_removed_note_makes_it_stale(small_kb, tmp_path):
    store = tmp_path / "store.json"
    states = [KnowledgeBase.open(small_kb, store).page_state]
    (small_kb / "paper.md").write_text("---\ntitle: The Paper, renamed\ntype: source\n---\nText.\n", encoding="utf-8")
    states.append(KnowledgeBase.open(small_kb, store).page_state)
    (small_kb / "new.md").write_text("# New\n", encoding="utf-8")
    states.append(KnowledgeBase.open(small_kb, store).page_state)
    (small_kb / "new.md").unlink()
    states.append(KnowledgeBase.open(small_kb, store).page_state)
    assert None not in states and len(set(states)) == 4


def test_an_added_image_makes_it_stale(small_kb, tmp_path):
    store = tmp_path / "store.json"
    before = KnowledgeBase.open(small_kb, store).page_state
    (small_kb / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert KnowledgeBase.open(small_kb, store).page_state != before


def test_a_rebuilt_store_never_matches_an_old_page(small_kb, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store)
    start_page.save(store, "alpha", kb.page_state, "<p>old</p>")
    store.unlink()  # the cache was cleared: the store is made again from the folder
    rebuilt = KnowledgeBase.open(small_kb, store)
    assert rebuilt.page_state != kb.page_state
    assert start_page.load(store, "alpha", rebuilt.page_state) is None


def test_a_damaged_or_oversized_file_is_ignored(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    start_page.page_file(kb.store_path).write_bytes(b'{"note": "alpha", "state": ')
    assert start_page.load(kb.store_path, "alpha", kb.page_state) is None
    start_page.save(kb.store_path, "alpha", kb.page_state, "x" * (start_page.MAX_BYTES + 1))
    assert start_page.load(kb.store_path, "alpha", kb.page_state) is None


def test_nothing_is_kept_without_a_state(tmp_path):
    start_page.save(tmp_path / "store.json", "alpha", None, "<p>page</p>")
    assert not start_page.page_file(tmp_path / "store.json").exists()
    assert start_page.load(tmp_path / "store.json", "alpha", None) is None


def test_a_kept_page_passes_the_sanitiser_again(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    start_page.save(kb.store_path, "alpha", kb.page_state,
                    '<p onclick="x()">Kept</p><script>alert(1)</script><img src="https://example.org/t.png">')
    page = start_page.load(kb.store_path, "alpha", kb.page_state)
    assert "Kept" in page and "script" not in page and "onclick" not in page and "example.org/t.png" not in page


def test_the_code_stamp_names_the_viewer_version(monkeypatch):
    stamp = start_page.code_stamp()
    monkeypatch.setattr(start_page, "_code_stamp", None)
    monkeypatch.setattr(start_page, "__version__", "0.0.0-other")
    assert start_page.code_stamp() != stamp


def _run_time_imports(name: str) -> set[str]:
    """The `viewer.core` modules a core module imports when it runs (type checkers' imports left out)."""
    tree = ast.parse((CORE / f"{name}.py").read_text(encoding="utf-8"))
    for_types = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                 and getattr(block.test, "id", None) == "TYPE_CHECKING" for node in ast.walk(block)}
    return {node.module.split(".")[2] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and id(node) not in for_types and (node.module or "").startswith("viewer.core.")}


def test_every_module_that_shapes_a_page_is_in_the_code_stamp():
    """A kept page is stale when the code that made it changes: each module the page makers use counts."""
    seen: set[str] = set()
    todo = ["page", "render"]
    while todo:
        name = todo.pop()
        if name not in seen and (CORE / f"{name}.py").exists():
            seen.add(name)
            todo.extend(_run_time_imports(name))
    assert seen - {"budget"} <= set(start_page._PAGE_MODULES)  # budget: time limits; a page past them is not kept


def test_a_temp_file_left_by_a_killed_process_is_removed(small_kb, tmp_path):
    import os
    import time

    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    page = start_page.page_file(kb.store_path)
    stray = page.with_name(f".{page.name}.99999-1.tmp")
    recent = page.with_name(f".{page.name}.99998-1.tmp")  # perhaps another process writing now
    stray.write_text("half a page")
    recent.write_text("being written")
    old = time.time() - start_page.STALE_S - 60
    os.utime(stray, (old, old))
    start_page.save(kb.store_path, "alpha", kb.page_state, "<p>page</p>")
    assert not stray.exists() and recent.exists() and start_page.load(kb.store_path, "alpha", kb.page_state)


def test_kept_mentions_come_back_for_the_same_note_in_the_same_state(small_kb, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store)
    found = [Mention(NoteId("paper"), "Alpha", 3, "Alpha was founded “long ago”.", 2)]
    start_page.keep_mentions(store, "alpha", kb.page_state, found)
    again = KnowledgeBase.open(small_kb, store)
    assert start_page.kept_mentions(store, "alpha", again.page_state) == found
    assert start_page.kept_mentions(store, "paper", again.page_state) is None  # kept for another note
    (small_kb / "new.md").write_text("# New\n\nAlpha again.\n", encoding="utf-8")
    changed = KnowledgeBase.open(small_kb, store)
    assert start_page.kept_mentions(store, "alpha", changed.page_state) is None  # a note was added since


def test_damaged_kept_mentions_are_ignored(small_kb, tmp_path):
    store = tmp_path / "store.json"
    state = KnowledgeBase.open(small_kb, store).page_state
    for text in ('{"note": "alpha", "state": ', '{"note": "alpha", "state": %s, "mentions": [["paper", "Alpha", "3", "", 1]]}',
                 '{"note": "alpha", "state": %s, "mentions": [["paper", "Alpha", 3, "", true]]}', "[]"):
        start_page.mentions_file(store).write_text(text.replace("%s", json.dumps(state)), encoding="utf-8")
        assert start_page.kept_mentions(store, "alpha", state) is None
    start_page.keep_mentions(store, "alpha", None, [])  # a store with no revision keeps nothing
    assert start_page.kept_mentions(store, "alpha", None) is None
