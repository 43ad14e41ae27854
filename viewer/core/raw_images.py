"""Remote <img> tags in a page's raw HTML replaced by a placeholder, before the allow-list."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from viewer.core.safe_html import is_remote, placeholder_text


class RawImageRewriter(HTMLParser):
    """Replaces remote <img> tags in raw HTML by a placeholder, keeps the rest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "img" and is_remote(src):
            self.out.append(f'<span class="remote-image">[{html.escape(placeholder_text(src))}]</span>')
        else:
            self.out.append(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        pass

    def handle_decl(self, decl):
        pass

    def handle_pi(self, data):
        pass

    def unknown_decl(self, data):
        pass
