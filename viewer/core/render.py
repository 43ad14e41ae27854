"""Markdown to safe HTML: wikilinks by an extension, then an nh3 allow-list.

Internal links use the `note:` scheme (`note:ID#anchor`), broken ones the
`broken:` scheme, a note's tags the `tag:` scheme (`tag:police`); the window
handles all three itself. Nothing here fetches.
"""

from __future__ import annotations

import copy
import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from viewer.core.budget import RenderTimeout, run_with_budget
from viewer.core.wikilinks import WIKILINK_RE, split_target

NOTE_SCHEME = "note"
BROKEN_SCHEME = "broken"
TAG_SCHEME = "tag"
Resolver = Callable[[str], "tuple[str, str] | None"]  # target -> (id, title) or None

_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"area", "map"}
_ALLOWED_ATTRIBUTES = copy.deepcopy(nh3.ALLOWED_ATTRIBUTES)
_ALLOWED_ATTRIBUTES.pop("area", None)
for _tag in ("h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "span", "a", "dt", "p", "table"):
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).add("id")
for _tag in ("a", "span", "div", "code", "pre", "p", "li", "ol", "ul", "img", "sup", "table", "blockquote",
             "th", "td", "tr", "h1", "h2", "h3", "dl", "dt", "dd"):
    _ALLOWED_ATTRIBUTES.setdefault(_tag, set()).add("class")
_ALLOWED_ATTRIBUTES["a"] |= {"title"}
_ALLOWED_ATTRIBUTES["abbr"] = {"title"}
_ALLOWED_ATTRIBUTES["table"] |= {"cellspacing", "cellpadding"}
_URL_SCHEMES = {"http", "https", "mailto", NOTE_SCHEME, BROKEN_SCHEME, TAG_SCHEME}


def note_url(note_id: str, anchor: str | None = None) -> str:
    url = f"{NOTE_SCHEME}:{quote(note_id, safe='')}"
    return f"{url}#{quote(anchor, safe='')}" if anchor else url


def tag_url(tag: str) -> str:
    """`tag:NAME`: a link that searches the notes with this tag."""
    return f"{TAG_SCHEME}:{quote(tag, safe='')}"


def is_remote(url: str) -> bool:
    """A URL that is not a plain relative path: a scheme, `//host`, a `\\\\host` (UNC) path, or malformed."""
    url = url.strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # an unbalanced "[" host, say: refused, never raised
        return True
    return bool(scheme) or url.startswith(("//", "\\", "/\\"))


def _placeholder_text(src: str) -> str:
    try:
        parts = urlsplit(src.strip())
        host = parts.hostname
    except ValueError:
        return "image not shown (malformed address)"
    if parts.scheme.lower() in ("http", "https") or src.strip().startswith("//"):
        return f"remote image not loaded: {host or 'unknown host'}"
    return "image not shown"


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown, resolve: Resolver) -> None:
        super().__init__(pattern, md)
        self.resolve = resolve

    # Python-Markdown's name; the stubs' Pattern.handleMatch takes one argument
    def handleMatch(  # type: ignore[override]  # noqa: N802
            self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        target, heading, label = split_target(m.group(2))
        if not target and not heading:
            return None, None, None
        found = self.resolve(target) if target else ("", "")
        shown = target
        if found and found[1] and target.casefold() == found[0].casefold():
            shown = found[1]  # a bare [[id]] reads as the note's title
        text = label or (f"{shown} › {heading}" if shown and heading else shown or heading)
        el = etree.Element("a")
        el.text = AtomicString(text)
        anchor = slugify(heading, "-") if heading else None
        classes = ["wikilink"] + (["embed"] if m.group(1) else [])
        if found is None:
            el.set("href", f"{BROKEN_SCHEME}:{quote(target, safe='')}")
            el.set("title", f"No note named '{target}'")
            classes.append("broken")
        else:
            note_id, title = found
            el.set("href", note_url(note_id, anchor) if note_id else f"#{anchor}")
            if title:
                el.set("title", title)
        el.set("class", " ".join(classes))
        return el, m.start(0), m.end(0)


class _ImageProcessor(Treeprocessor):
    """Markdown images with a remote or scheme URL become a placeholder."""

    def run(self, root):
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                if child.tag == "img" and is_remote(child.get("src", "")):
                    span = etree.Element("span", {"class": "remote-image"})
                    span.text = f"[{_placeholder_text(child.get('src', ''))}]"
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)


class WikiLinkExtension(Extension):
    def __init__(self, resolve: Resolver, **kwargs: Any) -> None:
        self.resolve = resolve
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        md.inlinePatterns.register(_WikiLinkProcessor(WIKILINK_RE.pattern, md, self.resolve), "wikilink", 175)
        md.treeprocessors.register(_ImageProcessor(md), "remote_images", 5)


class _RawImageRewriter(HTMLParser):
    """Replaces remote <img> tags in raw HTML by a placeholder, keeps the rest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "img" and is_remote(src):
            self.out.append(f'<span class="remote-image">[{html.escape(_placeholder_text(src))}]</span>')
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


def _drop_remote_src(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and is_remote(value):
        return None
    return value


def sanitise(raw_html: str) -> str:
    """The allow-list every rendered page passes through before display."""
    if "<img" in raw_html.lower():
        rewriter = _RawImageRewriter()
        rewriter.feed(raw_html)
        rewriter.close()
        raw_html = "".join(rewriter.out)
    return nh3.clean(
        raw_html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        attribute_filter=_drop_remote_src,
        strip_comments=True,
        link_rel=None,
    )


MAX_ENTITIES = 20_000
ENTITIES_NOTICE = "This note is shown as plain text: it holds too many character references to lay out."
PLAIN_NOTICE = ("This note is shown as plain text: its Markdown could not be laid out "
                "in reasonable time.")


def plain_page(body: str, notice: str = PLAIN_NOTICE) -> str:
    """A note's text shown as written, after a notice saying why."""
    return (f'<p class="render-notice"><i>{html.escape(notice)}</i></p>'
            f'<pre style="white-space: pre-wrap">{html.escape(body)}</pre>')


class Renderer:
    """Renders note bodies; one per knowledge base (the resolver is its names).

    Python-Markdown stays super-linear on some inputs (floods of brackets,
    quote marks, emphasis...), so each conversion has a time budget: past it,
    the note is shown as plain text with a notice. Safe to use from several
    threads (each has its own Markdown instance).
    """

    BUDGET_S = 0.4

    def __init__(self, resolve: Resolver) -> None:
        self._resolve = resolve
        self._local = threading.local()

    def _markdown(self) -> markdown.Markdown:
        md = getattr(self._local, "md", None)
        if md is None:
            md = self._local.md = markdown.Markdown(
                extensions=["extra", "toc", "sane_lists", WikiLinkExtension(self._resolve)],
                output_format="html",
            )
        return md

    def render(self, body: str) -> str:
        md = self._markdown()
        md.reset()
        try:
            raw = run_with_budget(lambda: md.convert(body), self.BUDGET_S)
        except RecursionError:
            raw = f"<pre>{html.escape(body)}</pre>"
        except RenderTimeout:
            self._local.md = None  # cut short in the middle: start again from a fresh instance
            return plain_page(body)
        if raw.count("&") > MAX_ENTITIES:  # the sanitiser is quadratic in them
            return plain_page(body, ENTITIES_NOTICE)
        return sanitise(raw)
