"""Whatever the input, the parser and the renderer never raise, and no script survives."""

import re
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.parser import parse_file
from viewer.core.render import Renderer

HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "<a href='jav&#x09;ascript:alert(1)'>x</a>", "<svg/onload=alert(1)>", "[[", "]]", "[[a|b]]",
    "![[x]]", "---\n", "`", "```", "<", ">", "&", '"', "'", "\n", "# ", "* ", "1. ", "|", ":",
    "<a href=\"java\nscript:x\">", "<scr<script>ipt>", "<<script>script>", "<iframe>", "\x00", "\u202e",
    "<div onmouseover='x'>", "<a href=JAVASCRIPT:x>y</a>", "[[x#y|<b onclick=z>]]", "javascript:",
])
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=20)), max_size=30).map("".join)
renderer = Renderer(lambda t: ("n", "N") if t.lower() == "a" else None)


class Attributes(HTMLParser):
    """Every (tag, attribute, value) of the real tags in a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.found.extend((tag, name, value or "") for name, value in attrs)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_parser_never_raises_on_bytes(data):
    parse_file("x.md", data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parser_never_raises_on_text(text):
    result = parse_file("x.md", text.encode("utf-8", "surrogatepass"))
    assert result.note is not None or result.diagnostics


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_renderer_never_emits_script_event_or_javascript(text):
    html = renderer.render(text)
    assert "<script" not in html.lower()
    for tag, name, value in Attributes(html).found:
        assert not name.startswith("on"), (tag, name)
        if name in ("href", "src"):
            url = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not url.startswith(("javascript:", "data:", "file:")), (tag, value)
