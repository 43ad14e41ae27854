"""The page kept beside the store for the next start, and what makes it stale."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from viewer.core import KnowledgeBase, start_page
from viewer.core.mentions import Mention
from viewer.core.model import NoteId
from viewer.core.page import note_page

CORE = Path(start_page.__file__).parent


def keep(kb: KnowledgeBase, note_id: str) -> str:
    """Make the page of `note_id` and keep it, as the window does."""
    page = note_page(kb, note_id)
    start_page.save(kb.store_path, note_id, kb.page_state, page, start_page.page_deps(kb, note_id))
    return page


def kept(folder: Path, store: Path, note_id: str) -> str | None:
    """The page the next start shows for `note_id` without making it."""
    kb = KnowledgeBase.open(folder, store)
    return start_page.load(kb, note_id)


def test_a_kept_page_comes_back_in_the_same_state(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    page = keep(kb, "alpha")
    again = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    assert again.page_state == kb.page_state
    assert start_page.load(again, "alpha") == page
    assert start_page.load(again, "paper") is None  # another note's


def test_a_change_to_a_note_the_page_does_not_show_keeps_it(small_kb, tmp_path):
    store = tmp_path / "store.json"
    page = keep(KnowledgeBase.open(small_kb, store), "paper")
    (small_kb / "alpha.md").write_text((small_kb / "alpha.md").read_text(encoding="utf-8") + "\nMore.\n",
                                       encoding="utf-8")  # paper links to alpha: only its title shows
    (small_kb / "other.md").write_text("# Other\n\nUnlinked.\n", encoding="utf-8")  # no link names it
    (small_kb / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # nor this image
    assert kept(small_kb, store, "paper") == page


def test_a_change_to_the_note_or_what_its_page_shows_makes_it_stale(small_kb, tmp_path):
    store = tmp_path / "store.json"
    (small_kb / "quote.md").write_text("# Quote\n\nA line worth quoting.\n", encoding="utf-8")
    alpha = small_kb / "alpha.md"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("sources: [paper]", "sources: [paper, Daily Report]")
                     + "\n![[quote]]\n\nSee [[Missing]] and ![[map.png]].\n", encoding="utf-8")
    changes = [
        lambda: alpha.write_text(alpha.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8"),  # itself
        lambda: (small_kb / "quote.md").write_text("# Quote\n\nAnother line.\n", encoding="utf-8"),  # embedded
        lambda: (small_kb / "paper.md").write_text(
            "---\ntitle: The Paper\ntype: source\noutlet: Weekly\n---\nText.\n", encoding="utf-8"),  # a source
        lambda: (small_kb / "missing.md").write_text("# Missing\n", encoding="utf-8"),  # a broken link now resolves
        lambda: (small_kb / "daily.md").write_text("---\ntitle: Daily Report\n---\n", encoding="utf-8"),  # a source
        lambda: (small_kb / "events" / "the-event.md").write_text(
            "---\ntitle: The Incident\n---\nText.\n", encoding="utf-8"),  # a linked note's title
        lambda: (small_kb / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n"),  # the image it shows is there now
    ]
    for number, change in enumerate(changes):
        keep(KnowledgeBase.open(small_kb, store), "alpha")
        assert kept(small_kb, store, "alpha") is not None, number
        change()
        assert kept(small_kb, store, "alpha") is None, number


def test_a_page_is_kept_only_once_its_embeds_are_known(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    assert start_page.page_deps(kb, "alpha") is None  # not rendered yet
    note_page(kb, "alpha")
    deps = start_page.page_deps(kb, "alpha") or {}
    assert set(deps["notes"]) == {"alpha", "paper"}  # itself and its source
    assert ["the-event", "alpha.md", "the-event", "The Event"] in deps["links"]
    assert start_page.page_deps(kb, "nowhere") is None


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_a_kept_page_is_always_the_page_made_now(small_kb, tmp_path, seed):
    """Random edits between sessions: the page a start shows is the one it would make, or none is shown."""
    import random

    rng = random.Random(seed)
    store = tmp_path / "store.json"
    others = ["paper.md", "quote.md", "events/quote.md", "other.md", "events/the-event.md"]
    bodies = ["See [[quote]].", "![[quote]]", "![[events/quote]]", "![[other#Other]]", "[[Missing]], [[paper]].",
              "Plain text.", "![[map.png]]", "Also [[Quote Two]].", "[a file](other.md) ![a map](map.png)",
              "![[alpha]]", "> [!note] A callout\n> with [[quote|a quote]]"]
    (small_kb / "alpha.md").write_text("---\nsources: [paper, Quote Two]\n---\n![[quote]]\n\n[[Missing]] ![[map.png]]\n",
                                       encoding="utf-8")
    hits = 0
    for _ in range(80):
        path = small_kb / ("alpha.md" if rng.random() < 0.1 else rng.choice(others))
        what = rng.randrange(5)
        if what == 0:
            path.write_text(f"# {path.stem.title()}\n\n{rng.choice(bodies)}\n{rng.choice(bodies)}\n", encoding="utf-8")
        elif what == 1:
            title, alias = rng.choice(["Quote Two", "Missing", path.stem]), rng.choice(["quote", "Other", "x"])
            path.write_text(f"---\ntitle: {title}\naliases: [{alias}]\nsources: [paper, Quote Two]\n---\n"
                            f"{rng.choice(bodies)}\n", encoding="utf-8")
        elif what == 2:
            image = small_kb / rng.choice(["map.png", "events/map.png"])
            image.unlink() if image.exists() else image.write_bytes(b"\x89PNG\r\n\x1a\n")
        elif what == 3 and path.name != "alpha.md":
            path.unlink() if path.exists() else path.write_text("# Back\n\n[[alpha]]\n", encoding="utf-8")
        kb = KnowledgeBase.open(small_kb, store)
        shown = start_page.load(kb, "alpha")
        made = note_page(kb, "alpha")
        assert shown is None or shown == made
        hits += shown is not None
        start_page.save(store, "alpha", kb.page_state, made, start_page.page_deps(kb, "alpha"))
    assert hits > 8  # pages were kept across edits elsewhere, not only missed


def test_any_changed_added_or_removed_note_makes_kept_mentions_stale(small_kb, tmp_path):
    store = tmp_path / "store.json"
    states = [KnowledgeBase.open(small_kb, store).mentions_state]
    (small_kb / "paper.md").write_text("---\ntitle: The Paper, renamed\ntype: source\n---\nText.\n", encoding="utf-8")
    states.append(KnowledgeBase.open(small_kb, store).mentions_state)
    (small_kb / "new.md").write_text("# New\n", encoding="utf-8")
    states.append(KnowledgeBase.open(small_kb, store).mentions_state)
    (small_kb / "new.md").unlink()
    states.append(KnowledgeBase.open(small_kb, store).mentions_state)
    assert None not in states and len(set(states)) == 4


def test_a_store_made_again_keeps_a_page_only_for_the_same_files(small_kb, tmp_path):
    store = tmp_path / "store.json"
    page = keep(KnowledgeBase.open(small_kb, store), "alpha")
    store.unlink()  # the cache was cleared: the store is made again from the folder
    assert kept(small_kb, store, "alpha") == page
    store.unlink()
    (small_kb / "alpha.md").write_text("# Alpha\n\nNew text.\n", encoding="utf-8")
    assert kept(small_kb, store, "alpha") is None


def test_a_damaged_or_oversized_file_is_ignored(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    start_page.page_file(kb.store_path).write_bytes(b'{"note": "alpha", "state": ')
    assert start_page.load(kb, "alpha") is None
    deps = {"notes": {"alpha": list(kb.note_file("alpha"))}, "links": [], "names": [], "files": []}
    data = {"note": "alpha", "state": kb.page_state, "deps": deps, "page": "<p>x</p>"}
    start_page.page_file(kb.store_path).write_text(json.dumps(data), encoding="utf-8")
    assert start_page.load(kb, "alpha") == "<p>x</p>"  # as written, it would be read
    for shape in ({"deps": None}, {"deps": []}, {"deps": {}}, {"page": 3}, {"deps": {**deps, "links": [[1]]}},
                  {"deps": {**deps, "notes": {"alpha": "x"}}}, {"deps": {**deps, "files": [["a", None]]}}):
        data = {"note": "alpha", "state": kb.page_state, "deps": deps, "page": "<p>x</p>", **shape}
        start_page.page_file(kb.store_path).write_text(json.dumps(data), encoding="utf-8")
        assert start_page.load(kb, "alpha") is None
    start_page.save(kb.store_path, "alpha", kb.page_state, "x" * (start_page.MAX_BYTES + 1), deps)
    assert start_page.load(kb, "alpha") is None


def test_nothing_is_kept_without_a_state_or_deps(tmp_path):
    start_page.save(tmp_path / "store.json", "alpha", None, "<p>page</p>", {"alpha": "0"})
    start_page.save(tmp_path / "store.json", "alpha", start_page.page_state(), "<p>page</p>", None)
    assert not start_page.page_file(tmp_path / "store.json").exists()


def test_a_kept_page_the_sanitiser_would_change_is_not_shown(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    deps = (note_page(kb, "alpha"), start_page.page_deps(kb, "alpha"))[1]
    for hostile in ('<p onclick="x()">Kept</p>', "<p>Kept</p><script>alert(1)</script>",
                    '<p>Kept</p><img src="https://example.org/t.png">', "<p>Kept \ud800</p>"):
        start_page.save(kb.store_path, "alpha", kb.page_state, hostile, deps)
        assert start_page.load(kb, "alpha") is None, hostile
    start_page.save(kb.store_path, "alpha", kb.page_state, "<p>Kept</p>", deps)
    assert start_page.load(kb, "alpha") == "<p>Kept</p>"


def test_a_page_the_sanitiser_reshapes_is_made_again_not_kept_as_it_came_back(small_kb, tmp_path):
    from viewer.core.safe_html import sanitise

    store = tmp_path / "store.json"
    (small_kb / "raw.md").write_text("<pre>\n\n  first line</pre>\n\n<ul><li>one<table><li>two</table></ul>\n",
                                     encoding="utf-8")
    page = keep(KnowledgeBase.open(small_kb, store), "raw")
    assert sanitise(page) != page  # a second pass would change it
    kb = KnowledgeBase.open(small_kb, store)
    assert start_page.load(kb, "raw") is None and note_page(kb, "raw") == page


def test_a_kept_page_slow_to_sanitise_is_given_up(small_kb, tmp_path, monkeypatch):
    import time

    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    keep(kb, "alpha")

    def slow(html: str) -> str:  # as Python's HTML parser is on some input (half a minute for 48 KB)
        time.sleep(0.5)
        return html

    monkeypatch.setattr(start_page, "sanitise", slow)
    monkeypatch.setattr(start_page, "SANITISE_S", 0.05, raising=False)
    assert start_page.load(kb, "alpha") is None


def test_damaged_kept_files_never_raise(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    note_page(kb, "alpha")
    deps = start_page.page_deps(kb, "alpha")
    page, mentions = start_page.page_file(kb.store_path), start_page.mentions_file(kb.store_path)
    for data in (b"[" * 100_000, b'{"note": "alpha"' + b', "x": [' * 50_000):
        page.write_bytes(data)
        mentions.write_bytes(data)
        assert start_page.load(kb, "alpha") is None
        assert start_page.kept_mentions(kb.store_path, "alpha", kb.mentions_state) is None
    for broken in ({**deps, "links": [["target", "alpha.md"]]}, {**deps, "notes": {"alpha": None}},
                   {**deps, "names": [[None]]}, {**deps, "files": [[1, 2, 3, 4]]}, {**deps, "notes": []}):
        start_page.save(kb.store_path, "alpha", kb.page_state, "<p>x</p>", broken)
        assert start_page.load(kb, "alpha") is None
    row = ["paper", "Alpha \ud800", 3, "", 1]
    mentions.write_text(json.dumps({"note": "alpha", "state": kb.mentions_state, "mentions": [row]}), encoding="utf-8")
    assert start_page.kept_mentions(kb.store_path, "alpha", kb.mentions_state) is None


def test_the_code_stamp_counts_every_file_of_the_page_libraries():
    """nh3's __init__ only loads its compiled module; Python-Markdown's extensions live in a folder."""
    nh3_files = {f.name for f in start_page._package_files("nh3")}
    assert any(name.endswith((".so", ".pyd")) for name in nh3_files)
    import markdown

    top = Path(markdown.__file__).parent
    markdown_files = {f.relative_to(top).as_posix() for f in start_page._package_files("markdown")}
    assert {"core.py", "extensions/fenced_code.py"} <= markdown_files
    assert not any("__pycache__" in name for name in markdown_files)


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
    keep(kb, "alpha")
    assert not stray.exists() and recent.exists() and start_page.load(kb, "alpha")


def test_kept_mentions_come_back_for_the_same_note_in_the_same_state(small_kb, tmp_path):
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(small_kb, store)
    found = [Mention(NoteId("paper"), "Alpha", 3, "Alpha was founded “long ago”.", 2)]
    start_page.keep_mentions(store, "alpha", kb.mentions_state, found)
    again = KnowledgeBase.open(small_kb, store)
    assert start_page.kept_mentions(store, "alpha", again.mentions_state) == found
    assert start_page.kept_mentions(store, "paper", again.mentions_state) is None  # kept for another note
    (small_kb / "new.md").write_text("# New\n\nAlpha again.\n", encoding="utf-8")
    changed = KnowledgeBase.open(small_kb, store)
    assert start_page.kept_mentions(store, "alpha", changed.mentions_state) is None  # a note was added since


def test_damaged_kept_mentions_are_ignored(small_kb, tmp_path):
    store = tmp_path / "store.json"
    state = KnowledgeBase.open(small_kb, store).mentions_state
    for text in ('{"note": "alpha", "state": ', '{"note": "alpha", "state": %s, "mentions": [["paper", "Alpha", "3", "", 1]]}',
                 '{"note": "alpha", "state": %s, "mentions": [["paper", "Alpha", 3, "", true]]}', "[]"):
        start_page.mentions_file(store).write_text(text.replace("%s", json.dumps(state)), encoding="utf-8")
        assert start_page.kept_mentions(store, "alpha", state) is None
    start_page.keep_mentions(store, "alpha", None, [])  # a store with no revision keeps nothing
    assert start_page.kept_mentions(store, "alpha", None) is None
