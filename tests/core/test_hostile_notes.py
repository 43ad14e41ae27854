"""Hostile notes: each reproduction finishes with the right result, and random notes never raise."""

from __future__ import annotations

import codecs
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.cli import main
from viewer.core import KnowledgeBase
from viewer.core.annotations import AnnotationStore
from viewer.core.annotations.export import to_markdown
from viewer.core.mentions import _mask, _pattern
from viewer.core.page import header_html, note_page
from viewer.core.parser import parse_file
from viewer.core.plain import body_words as snippet_text
from viewer.core.plain import preview_text as excerpt
from viewer.core.render import (
    ENTITIES_NOTICE,
    LAYOUT_NOTICE,
    LENGTH_NOTICE,
    MAX_MARKDOWN,
    PLAIN_LINE,
    PLAIN_MAX,
    PLAIN_NOTICE,
    Renderer,
    cut_lines,
    is_remote,
)
from viewer.core.wikilinks import find_links, mask_code_spans


def render(body: str) -> str:
    return Renderer(lambda target: None).render(body)


def test_a_heading_of_spaces_is_no_title_the_file_name_is():
    parsed = parse_file("n.md", ("# a" + " " * 5000 + "\x0c#" * 3 + "\n#" + " " * 5000 + "\n# Real  ##\n").encode())
    assert parsed.note.title == "n"
    assert parse_file("m.md", ("#" + " " * 5000 + "\n# Real  ##\n").encode()).note.title == "m"


def test_twenty_thousand_links_on_one_line_each_get_a_short_context():
    links = find_links("[[a]]" * 20_000)
    assert len(links) == 20_000 and all(link.target == "a" for link in links)
    assert max(len(link.context) for link in links) <= 2000


def test_code_spans_are_masked_by_backtick_runs_of_equal_length():
    assert mask_code_spans("a `[[x]]` b ``[[y]]`` [[z]]") == "a " + " " * 7 + " b " + " " * 9 + " [[z]]"
    assert mask_code_spans("``` [[x]] `") == "``` [[x]] `"  # no closing run of three: literal
    assert [link.target for link in find_links("x " + "`" * 3000 + " [[a]] " + "``a" * 1000)] == ["a"]


def test_a_bracket_flood_renders_or_falls_back_to_plain_text():
    html = render("[" * 30_000)
    assert html.count("[") >= 30_000


def test_past_its_budget_a_note_is_shown_as_plain_text_with_a_notice():
    renderer = Renderer(lambda target: None)
    renderer.BUDGET_S = 0.001
    html = renderer.render("<b>kept as text</b> " + "[a](" * 50_000)
    assert PLAIN_NOTICE in html and "&lt;b&gt;kept as text&lt;/b&gt;" in html and "<b>" not in html
    renderer.BUDGET_S = Renderer.BUDGET_S  # a budget a loaded machine can meet for a short note
    assert "<em>x</em>" in renderer.render("*x*")  # the next note renders as usual, from fresh instances


def test_a_flood_of_character_references_is_shown_as_plain_text():
    renderer = Renderer(lambda target: None)
    renderer.BUDGET_S = 600  # the Markdown may finish: then the sanitiser must not be asked
    assert ENTITIES_NOTICE in renderer.render(("&amp; " * 100 + "\n\n") * 210)


def test_a_page_too_long_to_lay_out_is_shown_as_plain_text_in_short_lines():
    renderer = Renderer(lambda target: None)
    renderer.BUDGET_S = 600  # the Markdown finishes: the page is refused for its layout alone
    word = renderer.render("x" * 30_000)
    assert LAYOUT_NOTICE in word
    shown = word.split("<pre", 1)[1].split(">", 1)[1].split("</pre>")[0]
    assert shown.replace("\n", "") == "x" * 30_000 and max(map(len, shown.split("\n"))) == PLAIN_LINE
    assert LAYOUT_NOTICE in renderer.render("word " * 5_000)  # one paragraph of 25,000 characters
    paragraphs = renderer.render("\n\n".join(["word " * 100] * 200))
    assert LAYOUT_NOTICE not in paragraphs and paragraphs.count("<p>") == 200
    code = "```\n" + "a line of code\n" * 3_000 + "```\n"  # 45,000 characters: but a paragraph a line
    assert LAYOUT_NOTICE not in renderer.render(code)
    assert LAYOUT_NOTICE in renderer.render("- item\n" * 5_000)  # too many paragraphs


def test_long_lines_are_cut_at_a_space_when_there_is_one_and_nothing_is_lost():
    text = ("word " * 700).strip() + "\n" + "y" * 2_500 + "\nshort"
    lines = cut_lines(text).split("\n")
    assert max(map(len, lines)) <= PLAIN_LINE and lines[-1] == "short"
    assert all(line.endswith(" ") for line in lines[:3])  # the words' lines end at a space
    assert cut_lines(text).replace("\n", "") == text.replace("\n", "")


def test_a_note_too_long_for_markdown_is_shown_in_part_as_plain_text_with_notices():
    renderer = Renderer(lambda target: None)
    page = renderer.render("*a* " * (MAX_MARKDOWN // 4 + 1))
    assert LENGTH_NOTICE in page and "<em>" not in page
    assert page.count("*a*") == PLAIN_MAX // 4 and "more characters, not shown here" in page


def test_previews_snippets_and_mentions_take_floods():
    note = parse_file("n.md", ("Alpha Beta " + "[a](" * 30_000 + " ![" * 10_000).encode()).note
    assert excerpt(note).startswith("Alpha Beta")
    text = snippet_text("[" * 30_001 + "[a](b) " * 10_000)
    assert "](" not in text and text.split().count("a") >= 9_999
    _lines, masked = _mask("[a](" * 30_000 + " Alpha Beta")
    assert _pattern(["Alpha Beta"]).search(masked[0])


def test_a_malformed_url_is_refused_not_raised():
    assert is_remote("http://[oops/x.png")
    html = render("![a](http://[oops/x.png) <img src=\"http://[oops/y.png\"> [l](http://[oops/)")
    assert "<img" not in html and "malformed address" in html


def test_a_lone_surrogate_in_front_matter_is_replaced_and_the_folder_opens(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "bad.md").write_text('---\ntitle: "\\ud800 title"\naliases: ["\\udfff"]\n---\nText.\n')
    (folder / "good.md").write_text("# Good\n\nSee [[bad]].\n")
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    assert kb.get("bad").title == "\ufffd title" and kb.get("good") is not None
    assert any(d.code == "bad-character" for d in kb.diagnostics)
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")  # read again from the store
    assert kb.get("bad").title == "\ufffd title"


def test_the_header_escapes_a_published_date_title_and_type(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "s.md").write_text('---\ntitle: "<b>T</b>"\ntype: "<img src=x.png>"\n'
                                 'published: "<img src=../secret.png>"\n---\nText.\n')
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    html = header_html(kb, kb.get("s"))
    assert "<img" not in html and "<b>T" not in html and "&lt;img src=../secret.png&gt;" in html
    assert "<img" not in note_page(kb, "s")


def _data(tmp_path):
    store = AnnotationStore.open(tmp_path / "data")
    store.add_quote("n", "Some passage here.", "passage", comment="kept")
    return tmp_path / "data" / "annotations.json"


def test_an_annotations_file_with_a_byte_order_mark_or_in_utf16_is_read(tmp_path):
    path = _data(tmp_path)
    text = path.read_text(encoding="utf-8")
    for raw in (codecs.BOM_UTF8 + text.encode("utf-8"), text.encode("utf-16")):
        path.write_bytes(raw)
        store = AnnotationStore.open(path.parent)
        assert [a.comment for a in store.all()] == ["kept"] and not store.warnings
        assert not list(path.parent.glob("*.corrupt-*"))


def test_when_file_and_backup_are_damaged_the_readable_entries_are_recovered(tmp_path):
    path = _data(tmp_path)
    store = AnnotationStore.open(path.parent)
    store.add_quote("n", "Some passage here.", "Some", comment="second")
    good = json.loads(path.read_text(encoding="utf-8"))
    docs = good["annotations"]
    path.write_text(json.dumps(good)[:-40], encoding="utf-8")  # the second entry cut short
    path.with_name("annotations.json.bak").write_text('{"annotations": {"1": ' + json.dumps(docs["1"])
                                                      + ', "2": {"id": ', encoding="utf-8")
    store = AnnotationStore.open(path.parent)
    assert [a.comment for a in store.all()] == ["kept"]
    assert any("1 entries that could still be read" in w for w in store.warnings)
    assert len(list(path.parent.glob("*.corrupt-*"))) == 2  # both kept aside, nothing lost


def test_terminal_output_escapes_control_characters(tmp_path, capsys):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "n.md").write_text("---\ntitle: \"Bell\\a \\e[31mred \\x9b\"\n---\nText \x1b]0;x\x07 here.\n")
    assert main(["show", "n", "--kb", str(folder), "--store", str(tmp_path / "s.json")]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\x1b[31mred" in out and "\\x07" in out and "\\x9b" in out
    assert main(["show", "n", "--json", "--kb", str(folder), "--store", str(tmp_path / "s.json")]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "Bell\x07 \x1b[31mred \x9b"


def test_markdown_export_of_annotations_is_text_not_markup(tmp_path):
    store = AnnotationStore.open(tmp_path / "data")
    store.add_quote("n", "A <b>quote</b> here.", "<b>quote</b>", comment="# Heading\n<script>x</script> [l](http://e.x)",
                    tags=["[t](http://e.x)"])
    md = to_markdown(store.all())
    rendered = render(md.split("\n## ", 1)[1])
    assert "<script" not in rendered and "<h1" not in rendered and "<a " not in rendered.replace(
        '<a class="wikilink', "") and "<b>" not in rendered
    assert "# Heading" in rendered and "&lt;script&gt;" in rendered


NOTE_TEXT = st.lists(st.sampled_from(list("[]()!#`*_>|&<-:\\ \n\tab1.\"'") + ["[[", "]]", "```", "\n---\n"]),
                     max_size=300).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NOTE_TEXT | st.text(max_size=300))
def test_random_notes_never_raise_through_any_stage(text):
    parsed = parse_file("n.md", text.encode("utf-8", "surrogatepass"))
    body = parsed.note.body if parsed.note else text
    render(body)
    if parsed.note:
        excerpt(parsed.note)
    snippet_text(body, title="x")
    _lines, masked = _mask(body)
    pattern = _pattern(["Alpha Beta", "AB"])
    for line in masked:
        list(pattern.finditer(line))
