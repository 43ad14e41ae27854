"""The page of the note read last, edited since, made again before the notes are read from what its kept
page looked up and the kept names; anything neither holds makes it wait for the notes."""

from __future__ import annotations

import json

import pytest

from tests.core.test_early_page import keep
from viewer.core import KnowledgeBase, kept_names, start_page
from viewer.core.page import note_page
from viewer.core.remade_page import remake


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def vault(small_kb):
    """The small notes with what another app's folder holds: an embed, an image by name, a broken link."""
    (small_kb / "quote.md").write_text("# Quote\n\nA line worth quoting, from [[paper]].\n", encoding="utf-8")
    (small_kb / "media").mkdir()
    (small_kb / "media" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    edit(small_kb / "alpha.md", "It was reported by [[paper]].",
         "It was reported by [[paper]].\n\n![[quote]]\n\n![[map.png]]\n\nSee [[nowhere]].\n")
    return small_kb


def page_now(folder, store, note_id: str) -> str:
    return note_page(KnowledgeBase.open(folder, store), note_id)


def forget_names(store) -> None:
    """Remove the kept names: only what the kept page looked up is left."""
    kept_names.names_file(store).unlink()


def test_an_edited_note_is_made_again_as_the_notes_would_make_it(vault, tmp_path):
    store = tmp_path / "store.json"
    before = keep(KnowledgeBase.open(vault, store), "alpha")
    edit(vault / "alpha.md", "took part in", "was named in")
    edit(vault / "alpha.md", "title: Alpha Agency", "title: Alpha Police Agency")
    made = remake(store, vault, "alpha")
    assert made is not None
    note_id, page, title, path = made
    assert (note_id, title, path) == ("alpha", "Alpha Police Agency", "alpha.md")
    assert page != before and "was named in" in page and "A line worth quoting" in page
    assert 'class="wikilink broken"' in page  # [[nowhere]] still finds nothing
    assert page == page_now(vault, tmp_path / "other.json", "alpha")


def test_an_edited_embed_or_source_shows_as_it_is_now(vault, tmp_path):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    edit(vault / "quote.md", "worth quoting", "worth reading")
    edit(vault / "paper.md", "outlet: Daily", "outlet: Weekly")
    page = remake(store, vault, "alpha")[1]
    assert "worth reading" in page and "Weekly" in page
    assert page == page_now(vault, tmp_path / "other.json", "alpha")


ADDED = ["See [[The Event]] again.",  # a name the kept page never looked up
         "![[the-event]]",  # a note it only linked to, now embedded
         "![[other.png]]",  # a file it never looked for
         "![[media/map.png|200]] and [[events/paper]]"]  # by a path


@pytest.mark.parametrize("added", ADDED)
def test_a_lookup_the_kept_page_did_not_make_is_made_from_the_kept_names(vault, tmp_path, added):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    (vault / "other.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    KnowledgeBase.open(vault, store)  # the kept names with the new file (as the window closed)
    edit(vault / "alpha.md", "See [[nowhere]].", f"See [[nowhere]].\n\n{added}\n")
    made = remake(store, vault, "alpha")
    assert made is not None and made[1] == page_now(vault, tmp_path / "other.json", "alpha")


@pytest.mark.parametrize("added", [*ADDED, "[[paper]] again"])
def test_without_the_kept_names_a_lookup_not_kept_waits_for_the_notes(vault, tmp_path, added):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    forget_names(store)
    edit(vault / "alpha.md", "See [[nowhere]].", f"See [[nowhere]].\n\n{added}\n")
    made = remake(store, vault, "alpha")
    if added.startswith("[[paper]]"):  # looked up before: the new text is fine
        assert made is not None and made[1] == page_now(vault, tmp_path / "other.json", "alpha")
    else:
        assert made is None


def test_a_page_kept_by_another_version_is_made_again_all_the_same(vault, tmp_path, monkeypatch):
    """The code that makes the page is this one: a page kept before an upgrade still gives its lookups."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    edit(vault / "alpha.md", "took part in", "was named in")
    monkeypatch.setattr(start_page, "_code_stamp", "another version")
    assert start_page.early(store, vault, "alpha") is None
    made = remake(store, vault, "alpha")
    assert made is not None and made[1] == page_now(vault, tmp_path / "other.json", "alpha")


def test_a_new_source_is_read_from_its_file(vault, tmp_path):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    edit(vault / "alpha.md", "sources: [paper]", "sources: [paper, quote, missing]")
    made = remake(store, vault, "alpha")
    assert made is not None and made[1] == page_now(vault, tmp_path / "other.json", "alpha")
    assert "A line worth quoting" in made[1] and "missing</span> (no such note)" in made[1]
    forget_names(store)
    assert remake(store, vault, "alpha") is None


def test_with_no_page_kept_the_kept_names_make_it(vault, tmp_path):
    """No page kept (removed, too big, or another note's): the note's file and the kept names make it."""
    store = tmp_path / "store.json"
    assert remake(store, vault, "alpha") is None  # nothing kept
    keep(KnowledgeBase.open(vault, store), "alpha")
    start_page.page_file(store).unlink()
    made = remake(store, vault, "alpha")
    assert made is not None and made[2:] == ("Alpha Agency", "alpha.md")
    assert made[1] == page_now(vault, tmp_path / "other.json", "alpha")
    keep(KnowledgeBase.open(vault, store), "paper")
    assert remake(store, vault, "alpha")[1] == made[1]  # the page kept is of another note
    forget_names(store)
    assert remake(store, vault, "alpha") is None


def test_only_with_the_files_in_place(vault, tmp_path):
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    (vault / "quote.md").unlink()
    assert remake(store, vault, "alpha") is None  # a note it embeds is gone
    (vault / "alpha.md").write_bytes(b"\xff\xfe not text")
    assert remake(store, vault, "alpha") is None


def rewrite_deps(store, change) -> None:
    path = start_page.page_file(store)
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["deps"])
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("damage", [
    lambda d: d.update(links="not a list"),
    lambda d: d["links"].append([1, 2, 3, 4]),
    lambda d: d["links"].append(["x"]),
    lambda d: d.update(names=None),
    lambda d: d["files"].append(["map.png", None, 7]),
    lambda d: d["notes"].update(alpha=["alpha.md"]),
    lambda d: d.pop("notes"),
])
def test_a_damaged_kept_page_is_no_page_and_no_error(vault, tmp_path, damage):
    """Made from the kept names alone, or with none, not made."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    rewrite_deps(store, damage)
    assert remake(store, vault, "alpha")[1] == page_now(vault, tmp_path / "other.json", "alpha")
    forget_names(store)
    assert remake(store, vault, "alpha") is None


def test_no_file_outside_the_folder_is_read(vault, tmp_path):
    """A kept page naming a note file out of the folder is refused, whatever that file holds."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    outside = tmp_path / "secret.md"
    outside.write_text("# Quote\n\nA secret.\n", encoding="utf-8")  # what the page would show, were it read
    rewrite_deps(store, lambda d: d["notes"].update(quote=["../secret.md", "0"]))
    assert "secret" not in (remake(store, vault, "alpha") or ["", ""])[1]
    (vault / "inside.md").symlink_to(outside)
    rewrite_deps(store, lambda d: d["notes"].update(quote=["inside.md", "0"]))
    assert "secret" not in (remake(store, vault, "alpha") or ["", ""])[1]
    forget_names(store)
    assert remake(store, vault, "alpha") is None


def test_a_title_kept_with_a_link_comes_out_as_text(vault, tmp_path):
    """Kept lookups are data from a file like any other: markup in a kept title is escaped, never made."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")

    def hostile(deps) -> None:
        for row in deps["links"]:
            if row[0] == "the-event":
                row[3] = '<img src="http://example.com/x.png" onerror="alert(1)">'
    rewrite_deps(store, hostile)
    page = remake(store, vault, "alpha")[1]
    assert "<img src=\"http" not in page  # no element made of it: text in an attribute, escaped
    assert 'title="&lt;img src=&quot;http://example.com/x.png&quot; onerror=&quot;alert(1)&quot;&gt;"' in page


def test_a_page_given_up_in_the_middle_leaves_the_next_page_made_whole(vault, tmp_path):
    """Stopped inside a list (an embed the kept page did not show), the thread's Markdown parser is
    left mid-parse: the next page made in the same thread must still have its paragraphs."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "alpha")
    forget_names(store)
    with (vault / "alpha.md").open("a", encoding="utf-8") as file:
        file.write("\n- ![[the-event]]\n")
    assert remake(store, vault, "alpha") is None
    assert "<p>About " in page_now(vault, tmp_path / "other.json", "paper")


def test_a_folder_swapped_for_a_link_after_the_check_reads_nothing_outside(tmp_path, monkeypatch):
    """The path is checked to be inside the folder, then opened: a folder on the way swapped for a link
    to another place in between must not let the file there be read (and shown)."""
    import os

    folder, store = tmp_path / "kb", tmp_path / "store.json"
    (folder / "sub").mkdir(parents=True)
    (folder / "alpha.md").write_text("# Alpha\n\n![[quote]]\n", encoding="utf-8")
    (folder / "sub" / "quote.md").write_text("# Quote\n\nHarmless.\n", encoding="utf-8")
    keep(KnowledgeBase.open(folder, store), "alpha")
    (folder / "alpha.md").write_text("# Alpha\n\nEdited.\n\n![[quote]]\n", encoding="utf-8")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "quote.md").write_text("# Quote\n\nA secret from outside.\n", encoding="utf-8")
    real = start_page.read_regular

    def swapped_first(path, limit, **options):
        if str(path).endswith("sub/quote.md") and not (folder / "sub").is_symlink():
            os.rename(folder / "sub", tmp_path / "sub-moved")
            os.symlink(outside, folder / "sub")
        return real(path, limit, **options)

    monkeypatch.setattr(start_page, "read_regular", swapped_first)
    made = remake(store, folder, "alpha")
    assert made is None or "secret" not in made[1]
    assert (folder / "sub").is_symlink()  # the swap happened


@pytest.mark.parametrize("asked", [None, "no-such-note"])
def test_with_no_note_read_last_or_that_note_gone_the_folders_first_note_is_made(vault, tmp_path, asked):
    """No note read last, or one no note had at the last sync (removed while the window was open)."""
    store = tmp_path / "store.json"
    kb = KnowledgeBase.open(vault, store)
    assert kb.overview().id == "alpha"  # the first by title: no overview, no Home
    (vault / "Home.md").write_text("# Home\n\nStart with [[paper]].\n", encoding="utf-8")
    kb.sync()
    made = remake(store, vault, asked)
    assert made is not None and made[0] == "Home" and made[2:] == ("Home", "Home.md")
    assert made[1] == page_now(vault, tmp_path / "other.json", "Home")


def test_a_note_in_place_is_never_swapped_for_the_first(vault, tmp_path):
    """Its page waits for the notes when it cannot be made early: the window opens on it, not another."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "paper")
    (vault / "paper.md").write_bytes(b"\xff\xfe not text")
    assert remake(store, vault, "paper") is None


def test_a_note_whose_file_moved_since_waits_for_the_notes(vault, tmp_path):
    """Moved, it keeps its id: the window opens on it once the notes are read, not on the first note."""
    store = tmp_path / "store.json"
    keep(KnowledgeBase.open(vault, store), "paper")
    (vault / "events" / "paper.md").write_bytes((vault / "paper.md").read_bytes())
    (vault / "paper.md").unlink()
    assert remake(store, vault, "paper") is None
    assert KnowledgeBase.open(vault, tmp_path / "other.json").get("paper").path == "events/paper.md"
