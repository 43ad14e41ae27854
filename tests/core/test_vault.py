"""A vault written for Obsidian (tests/fixtures/vault) opens as it is: every note, link, image and embed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from viewer.core import KnowledgeBase
from viewer.core.export import note_html
from viewer.core.names import NameIndex, note_ids
from viewer.core.obsidian import inline_tags, section, strip_comments

VAULT = Path(__file__).resolve().parents[1] / "fixtures" / "vault"

ALL = {"Home", "Orchard plan", "people/Smith", "places/Smith", "Jones", "Syntax tour", "Pictures", "Embeds",
       "Chain one", "Chain two", "Chain three", "Chain four", "Cycle A", "Cycle B", "Plan"}


@pytest.fixture
def kb(tmp_path):
    return KnowledgeBase.open(VAULT, store=tmp_path / "s.json")


def test_every_note_loads_and_same_named_notes_get_their_folder_path(kb):
    assert {n.id for n in kb} == ALL
    assert kb.get("people/Smith").title == "Smith" and kb.get("places/Smith").title == "Smith"
    assert [d for d in kb.diagnostics if d.severity == "error"] == []


def test_settings_and_hidden_folders_stay_skipped(kb):
    assert not any(n.path.startswith((".obsidian", ".hidden")) for n in kb)


def test_ids_only_change_for_clashing_names():
    ids = note_ids(["a.md", "x/b.md", "y/b.md", "y/c.md", "B.md"])
    assert ids == {"a.md": "a", "x/b.md": "x/b", "y/b.md": "y/b", "y/c.md": "c", "B.md": "B"}


def test_links_resolve_by_path_then_folder_then_shortest_path(kb):
    home = {k.target: k.target_id for k in kb.outgoing("Home")}
    assert home["people/Smith"] == "people/Smith" and home["places/Smith"] == "places/Smith"
    assert [k.target_id for k in kb.outgoing("Jones")] == ["people/Smith"]  # its own folder's Smith
    assert [k.target_id for k in kb.outgoing("Plan")] == ["Home", "people/Smith"]  # the tie rule


def test_a_truly_ambiguous_link_is_a_warning_naming_the_candidates(kb):
    (warning,) = [d for d in kb.diagnostics if d.code == "ambiguous-link"]
    assert warning.file == "Projects/Deep/Plan.md" and warning.severity == "warning"
    assert "people/Smith.md" in warning.message and "places/Smith.md" in warning.message


def test_the_tie_rule_is_deterministic_whatever_the_order():
    from viewer.core.model import Note

    notes = [Note("z/deep/N", "z/deep/N.md", "N", None), Note("b/N", "b/N.md", "N", None),
             Note("a/N", "a/N.md", "N", None)]
    for order in (notes, notes[::-1]):
        names = NameIndex(order)
        assert names.resolve("N") == "a/N"  # shortest path, then the first path
        assert names.resolve("N", "b/other.md") == "b/N"  # the linking note's folder first
        assert names.resolve("deep/N") == "z/deep/N"  # the end of a path
        assert names.ambiguous("N", "b/other.md") == []


def test_ids_stay_the_same_across_syncs_and_follow_a_new_clash(tmp_path):
    folder = tmp_path / "v"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "Note.md").write_text("First.\n", encoding="utf-8")
    (folder / "Other.md").write_text("See [[Note]].\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert kb.get("Note") is not None
    (folder / "b").mkdir()
    (folder / "b" / "Note.md").write_text("Second, with the word zebra.\n", encoding="utf-8")
    kb.sync()
    assert {n.id for n in kb} == {"a/Note", "b/Note", "Other"}
    assert [h.note_id for h in kb.search("zebra")] == ["b/Note"]
    assert [h.note_id for h in kb.search("first")] == ["a/Note"]
    again = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert {n.id for n in again} == {"a/Note", "b/Note", "Other"}


def test_title_is_front_matter_or_file_name_never_a_heading_in_code(kb):
    assert kb.get("Syntax tour").title == "Syntax tour"  # its first `# ` lines are in code
    assert kb.get("Home").title == "Home"


def test_names_find_notes_by_file_name_title_and_alias(kb):
    assert kb.resolve("Start page").id == "Home"
    assert kb.resolve("Ada").id == "people/Smith"
    assert kb.resolve("orchard plan.md").id == "Orchard plan"


def test_inline_tags_are_indexed_like_front_matter_tags(kb):
    assert kb.get("Syntax tour").tags == ("reference", "orchard", "tools/ladder")
    assert [h.note_id for h in kb.search("tag:tools/ladder")] == ["Syntax tour"]
    assert inline_tags("#a `#b` #12 x#c (#d)\n```\n#e\n```\n%% #f %%") == ["a", "d"]


def test_comments_are_hidden_and_sections_are_cut_by_heading_or_block():
    assert strip_comments("a %%b%% c\n%%\nhidden\n%%\nd") == "a  c\n\nd"
    body = "# One\ntext\n## Two\nmore ^blk\n\n# Three\n"
    assert section(body, "Two") == "## Two\nmore ^blk"
    assert section(body, "^blk") == "more ^blk"
    assert section(body, "Four") is None


def test_markdown_links_to_notes_and_escaped_table_pipes_resolve(kb):
    html = kb.render("Syntax tour")
    assert 'href="note:Orchard%20plan" title="Orchard plan">the plan</a>' in html
    assert 'href="note:Jones" title="Jones">Jones\'s page</a>' in html
    assert 'href="note:Orchard%20plan#rows"' in html
    assert 'href="note:Orchard%20plan#block-rows-summary"' in html
    assert {"Orchard plan", "Jones", "Syntax tour"} <= {k.target_id for k in kb.outgoing("Syntax tour")}


def test_every_callout_type_with_its_class_icon_and_fold(kb):
    html = kb.render("Syntax tour")
    for kind in ("note", "abstract", "info", "todo", "tip", "success", "question", "warning", "failure",
                 "danger", "bug", "example", "quote"):
        assert f'class="callout callout-{kind}"' in html, kind
    assert "Notes hold <strong>bold</strong> text" in html  # Markdown inside
    assert "Hidden until opened" not in html and 'href="fold:14"' in html  # folded with "-"
    assert "Hidden until opened" in kb.render("Syntax tour", frozenset({14}))
    assert "Shown, and can be folded" in html
    assert "Shown, and can be folded" not in kb.render("Syntax tour", frozenset({15}))


def test_highlights_comments_block_ids_tasks_footnotes_and_code(kb):
    html = kb.render("Syntax tour")
    assert '<span class="highlight">worth remembering</span>' in html
    assert "hidden remark" not in html and "several lines" not in html
    assert '<a id="block-key-point"></a>' in html and "^key-point" not in html
    assert '<li class="task">☐ order new stakes</li>' in html and "☑ mulch row two" in html
    assert 'class="footnote"' in html
    assert "&lt;b&gt;not bold&lt;/b&gt;" in html and "<b>not bold" not in html  # math as code
    assert 'class="language-mermaid"' in html
    assert '<a class="tag" href="tag:tools%2Fladder"' in html and "#123" in html


def test_images_are_found_by_path_or_name_with_sizes_and_others_are_links(kb):
    html = kb.render("Pictures")
    srcs = re.findall(r'<img [^>]*src="([^"]*)"', html)
    assert srcs == ["attachments/red.png", "attachments/photo%20with%20spaces.png", "attachments/green.jpg",
                    "attachments/blue.gif", "attachments/yellow.webp", "attachments/shape.svg", "../outside.png"]
    assert 'src="attachments/blue.gif" width="300"' in html
    assert 'height="200" src="attachments/yellow.webp" width="300"' in html
    assert 'href="attachment:attachments/report.pdf"' in html
    assert "remote image not loaded: example.com" in html


def test_html_export_inlines_every_image_of_the_folder_only(kb):
    page = note_html(kb, "Pictures")
    for mime in ("png", "jpeg", "gif", "webp", "svg+xml"):
        assert f"data:image/{mime};base64," in page, mime
    assert page.count("data:image/png") == 2 and "../outside.png" not in page


def test_embeds_show_sections_blocks_nest_to_a_depth_and_stop_a_cycle(kb):
    html = kb.render("Embeds")
    assert html.count('<table class="embed"') == 9
    assert "Tools live in the shed" in html and "Row one holds apples" in html
    assert "Row two" not in html.split("Row one holds apples")[0]  # only the block, not the whole note
    assert "Chain three embeds chain four." in html and "too deep to show" not in html
    assert "Embeds nest at most 3 deep" in html
    assert "Cycle B embeds cycle A again." in html and "it stops here" in html
    assert 'href="note:Orchard%20plan#shed"' in html  # a link to its source


def test_an_embed_of_no_note_is_a_broken_link(tmp_path):
    folder = tmp_path / "v"
    folder.mkdir()
    (folder / "a.md").write_text("![[nowhere]]\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    assert 'class="wikilink embed broken"' in kb.render("a")


def test_the_first_note_is_overview_then_home_index_readme_then_first_by_name(tmp_path, kb):
    assert kb.overview().id == "Home"
    folder = tmp_path / "f"
    shutil.copytree(VAULT, folder)
    (folder / "Home.md").unlink()
    (folder / "index.md").write_text("Index.\n", encoding="utf-8")
    assert KnowledgeBase.open(folder, store=tmp_path / "f.json").overview().id == "index"
    (folder / "index.md").unlink()
    assert KnowledgeBase.open(folder, store=tmp_path / "g.json").overview().id == "Chain four"
    (folder / "Start.md").write_text("---\ntype: overview\n---\nHere.\n", encoding="utf-8")
    assert KnowledgeBase.open(folder, store=tmp_path / "h.json").overview().id == "Start"


def test_the_first_note_is_found_once_a_sync_not_at_each_ask(small_kb, tmp_path, monkeypatch):
    from viewer.core import KnowledgeBase
    from viewer.core import kb as kb_module

    calls: list[int] = []
    real = kb_module.first_note
    monkeypatch.setattr(kb_module, "first_note", lambda notes: calls.append(1) or real(notes))
    kb = KnowledgeBase.open(small_kb, tmp_path / "store.json")
    first = kb.overview()
    assert [kb.overview() for _ in range(3)] == [first] * 3 and len(calls) == 1  # no scan of the notes per ask
    (small_kb / "start.md").write_text("---\ntitle: Start here\ntype: overview\n---\nHello.\n", encoding="utf-8")
    kb.sync()
    assert kb.overview().title == "Start here" and len(calls) == 2
