"""A note's tags in its header are `tag:` links; the allow-list keeps that scheme and no other new one."""

from __future__ import annotations

from viewer.core import KnowledgeBase
from viewer.core.page import note_page
from viewer.core.safe_html import sanitise, tag_url


def test_header_tags_are_tag_links(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "x.md").write_text('---\ntitle: X\ntags: [police, "two words", "<i>"]\n---\nBody\n',
                                 encoding="utf-8")
    page = note_page(KnowledgeBase.open(folder, store=tmp_path / "s.json"), "x")
    assert '<a class="tag" href="tag:police" title="Notes tagged #police">#police</a>' in page
    assert 'href="tag:two%20words"' in page
    assert 'href="tag:%3Ci%3E"' in page and "#&lt;i&gt;</a>" in page


def test_tag_url_quotes_the_name():
    assert tag_url("police") == "tag:police"
    assert tag_url("a/b c") == "tag:a%2Fb%20c"


def test_sanitiser_keeps_tag_links_and_still_drops_script_urls():
    assert sanitise('<a href="tag:police">#police</a>') == '<a href="tag:police">#police</a>'
    assert "href" not in sanitise('<a href="javascript:alert(1)">x</a>')
    assert "href" not in sanitise('<a href="file:///etc/passwd">x</a>')
    assert "href" not in sanitise('<a href="data:text/html,x">x</a>')
