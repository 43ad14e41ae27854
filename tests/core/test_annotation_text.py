"""The plain text annotation offsets count in."""

from __future__ import annotations

import pytest

from viewer.core import KnowledgeBase
from viewer.core.annotations import NoteTexts, html_to_text, note_text


@pytest.mark.parametrize(("html", "text"), [
    ("<p>Hello   <em>big</em>\nworld</p>", "Hello big world"),
    ("<h1>Title</h1>\n<p>One.</p>\n<p>Two.</p>", "Title\nOne.\nTwo."),
    ("<ul>\n<li>one</li>\n<li>two <strong>bold</strong></li>\n</ul>", "one\ntwo bold"),
    ("<p>a<br>b</p>", "a\nb"),
    ("<p>x&nbsp;&amp;&lt;y</p>", "x &<y"),
    ("<pre><code>line 1\n  line 2\n</code></pre>", "line 1\n  line 2"),
    ("<blockquote>\n<p>quoted</p>\n</blockquote><p>after</p>", "quoted\nafter"),
    ("<table><tr><th>H</th><td>c1</td></tr></table>", "H\nc1"),
    ("<p>kept</p><script>dropped()</script><style>p{}</style>", "kept"),
    ("<p>  </p><p></p><div> <p>only</p> </div>", "only"),
])
def test_blocks_are_lines_and_space_is_collapsed(html, text):
    assert html_to_text(html) == text


def test_plain_text_of_a_note_is_its_rendered_body(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    text = note_text(kb, "alpha")
    assert text == "Alpha Agency\nAlpha took part in the event. It was reported by The Paper."
    with pytest.raises(KeyError):
        note_text(kb, "no-such-note")


def test_note_texts_caches_and_forgets(small_kb, tmp_path):
    kb = KnowledgeBase.open(small_kb, store=tmp_path / "s.json")
    texts = NoteTexts(kb)
    assert texts("missing") is None
    first = texts("alpha")
    assert texts("alpha") is first
    assert texts.title("alpha") == "Alpha Agency"
    texts.forget(["alpha"])
    assert texts("alpha") == first and texts("alpha") is not None
