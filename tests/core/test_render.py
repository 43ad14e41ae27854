import pytest

from viewer.core.render import Renderer
from viewer.core.safe_html import sanitise


def resolver(target):
    names = {"beta": ("beta", "Beta Note"), "beta note": ("beta", "Beta Note")}
    return names.get(target.lower())


@pytest.fixture
def render():
    return Renderer(resolver).render


def test_wikilink_becomes_internal_link_with_escaped_label(render):
    html = render("See [[Beta|<b>bold</b> & co]].")
    assert '<a class="wikilink" href="note:beta" title="Beta Note">&lt;b&gt;bold&lt;/b&gt; &amp; co</a>' in html


def test_heading_link_carries_the_anchor(render):
    assert 'href="note:beta#early-days"' in render("[[beta#Early Days]]")


def test_broken_link_is_marked(render):
    html = render("[[Nowhere]]")
    assert 'class="wikilink broken"' in html and 'href="broken:Nowhere"' in html


def test_embed_is_shown_as_a_link(render):
    assert 'class="wikilink embed" href="note:beta"' in render("![[beta]]")


def test_extra_toc_and_lists(render):
    html = render("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTerm\n:   def\n\n1. one\n2. two\n")
    assert '<h1 id="title">' in html and '<table cellspacing="0" class="grid">' in html and "<dl>" in html
    assert "<ol>" in html


def test_a_markdown_table_is_a_grid_each_row_marking_its_first_cell(render):
    html = render("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n")
    assert html.count('class="grid"') == 1 and html.count('cellspacing="0"') == 1
    assert html.count('class="row-start"') == 3  # the header's and each row's first cell
    assert '<th class="row-start">a</th>' in html and '<td class="row-start">3</td>' in html and "<td>4</td>" in html


@pytest.mark.parametrize("table", [
    '<table markdown="1"><tr><td class="x">a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>',
    '<table markdown="1"><tr><td rowspan="2">a</td><td>b</td></tr><tr><td>d</td></tr></table>',
])
def test_a_table_written_in_html_with_markdown_inside_keeps_its_own_style(render, table):
    html = render(table + "\n")
    assert "grid" not in html and "row-start" not in html and "cellspacing" not in html


def test_callouts_and_tables_written_in_html_keep_their_own_style(render):
    html = render("> [!note] Title\n> text\n\n<table><tr><td>written</td></tr></table>\n")
    assert 'class="callout callout-note"' in html and "<table><tbody><tr><td>written</td>" in html
    assert "grid" not in html and "row-start" not in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<div style="background:url(http://evil.example/x)">x</div>',
    "<style>body{background:url(http://evil.example/x)}</style>",
    '<iframe src="http://evil.example"></iframe>',
    '<object data="http://evil.example/x.swf"></object>',
    '<svg onload="alert(1)"></svg>',
    '<form action="http://evil.example"><input name="a"></form>',
    '<link rel="stylesheet" href="http://evil.example/x.css">',
])
def test_dangerous_html_does_not_survive(render, source):
    html = render(source).lower()
    for bad in ("<script", "onerror", "onload", "javascript:", "data:", "file:", "style", "<iframe",
                "<object", "<svg", "<form", "<input", "<link", "evil.example"):
        assert bad not in html, (bad, html)


def test_remote_markdown_image_is_a_placeholder_naming_its_host(render):
    html = render("![chart](https://images.example.org/chart.png)")
    assert "<img" not in html
    assert "remote image not loaded: images.example.org" in html


def test_remote_raw_html_image_is_a_placeholder(render):
    html = render('<p><img alt=">" src="http://tracker.example.net/p.gif"></p>')
    assert "<img" not in html and "tracker.example.net" in html


def test_local_image_is_kept(render):
    assert '<img alt="map" src="images/map.png">' in render("![map](images/map.png)")


def test_sanitise_never_keeps_remote_img_src():
    assert "src" not in sanitise('<img src="https://x.example/a.png" alt="a">')


@pytest.mark.parametrize("tag", ["IMG", "iMg", "img\n"])
def test_sanitise_drops_a_remote_src_whatever_the_tags_case(tag):
    cleaned = sanitise(f'<p>a</p><{tag} src="https://x.example/a.png" alt="a">')
    assert "https://" not in cleaned and "remote image not loaded: x.example" in cleaned


def test_sanitise_keeps_every_allowed_attribute_of_a_page_without_images():
    html = '<p id="p1" class="c"><a href="note:x" title="X" class="wikilink">x</a></p>'
    assert sanitise(html) == html


def test_outside_web_link_is_kept_for_the_window_to_confirm(render):
    assert 'href="https://example.com/page"' in render("[page](https://example.com/page)")


def test_bare_id_link_reads_as_the_title(render):
    assert '>Beta Note</a>' in render("[[beta]]")
    assert '>Beta Note › Part</a>' in render("[[beta#Part]]")


def test_link_by_another_name_keeps_that_name():
    aliased = Renderer(lambda t: ("beta", "Beta Note") if t.lower() in ("beta", "bn") else None)
    assert '>BN</a>' in aliased.render("[[BN]]")


@pytest.mark.parametrize("src", ["\\\\\\\\evil.example\\\\share\\\\a.png", "/\\\\evil.example/a.png",
                                 "//evil.example/a.png"])
def test_unc_and_protocol_relative_images_are_placeholders(render, src):
    html = render(f'![x]({src}) <img src="{src}">')
    assert "<img" not in html and html.count("remote-image") == 2


def test_a_rendered_body_is_kept_until_the_next_sync(tmp_path, monkeypatch):
    from viewer.core import KnowledgeBase

    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nFirst text.\n", encoding="utf-8")
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    bodies: list[str] = []
    real = Renderer.render
    monkeypatch.setattr(Renderer, "render", lambda self, body, *rest: bodies.append(body) or real(self, body, *rest))
    first = kb.render("a")
    assert kb.render("a") is first and len(bodies) == 1  # the window's second read costs nothing
    kb.render("a", frozenset({1}))
    assert len(bodies) == 2  # callouts folded otherwise: another page
    (folder / "a.md").write_text("# A\n\nSecond text.\n", encoding="utf-8")
    kb.sync()
    assert "Second text." in kb.render("a") and len(bodies) == 3
