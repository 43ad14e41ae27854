"""The note page (header, body, sources) and link-preview excerpts, escaped and Qt-free."""

from __future__ import annotations

from html.parser import HTMLParser

from viewer.core import KnowledgeBase
from viewer.core.model import Note, NoteId
from viewer.core.page import excerpt, note_page, plain_markdown


def test_page_has_a_header_the_body_without_the_repeated_title_and_sources(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    page = note_page(kb, "the-event")
    assert page.startswith('<div class="note-header"><p class="note-type">Event · 21 February 2020</p>')
    assert page.count("The Event</h1>") == 1
    assert '<div class="note-sources"><h2>Sources</h2><ol><li><a class="wikilink" href="note:paper"' in page
    assert "Daily; March 2020" in page
    assert note_page(kb, "nope") == ""


def test_header_values_are_escaped(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "x.md").write_text('---\ntitle: "<script>x</script>"\naliases: ["<b>a</b>"]\n'
                                 'tags: ["<i>"]\nextra: "<img src=x>"\n---\nBody\n', encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    page = note_page(kb, "x")
    assert "<script>" not in page and "<b>a</b>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page and "Extra" in page


def test_excerpt_is_plain_text_of_the_first_lines():
    note = Note(NoteId("n"), "n.md", "Title", None, body="# Title\n\n**Bold** start with [[a|a link]] and "
                "[web](http://x).\n\n- item *one*\n\n" + "word " * 200)
    text = excerpt(note, limit=120)
    assert text.startswith("Bold start with a link and web.\n• item one\nword")
    assert len(text) <= 120 and text.endswith("…")
    assert plain_markdown("`code` and __strong__") == "code and strong"


def test_page_built_from_hostile_front_matter_is_sanitised(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "bad.md").write_text(
        "---\ntitle: '<script>alert(1)</script>'\ntags: ['<b onclick=x>t</b>']\n"
        "sources: [src]\nnote: '<img src=http://evil.example/x.png onerror=alert(1)>'\n---\nBody.\n",
        encoding="utf-8")
    (folder / "src.md").write_text(
        "---\ntitle: Src\ntype: source\nurl: 'javascript:alert(1)'\noutlet: '<iframe src=http://evil.example>'\n"
        "---\nText.\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    page = note_page(kb, "bad")
    tags = Tags(page)
    assert not {"script", "img", "iframe"} & {tag for tag, _ in tags.found}
    assert not [name for _, attrs in tags.found for name, _ in attrs if name.startswith("on")]
    assert not [v for _, attrs in tags.found for n, v in attrs if n == "href" and "javascript" in (v or "")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text


class Tags(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))
