"""Markdown to safe HTML: wikilinks by an extension, then an nh3 allow-list.

Internal links use the `note:` scheme (`note:ID#anchor`), broken ones the
`broken:` scheme, a note's tags the `tag:` scheme (`tag:police`); the window
handles all three itself. Nothing here fetches.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.toc import TocExtension, slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from viewer.core.budget import RenderTimeout, run_with_budget
from viewer.core.mdext import ObsidianExtension, file_embed
from viewer.core.obsidian import block_anchor, section
from viewer.core.safe_html import BROKEN_SCHEME, is_remote, note_url, placeholder_text, sanitise
from viewer.core.wikilinks import WIKILINK_RE, is_attachment, split_target

if TYPE_CHECKING:
    from viewer.core.vault import VaultContext

Resolver = Callable[[str], "tuple[str, str] | None"]  # target -> (id, title) or None

def note_anchor(heading: str | None) -> str | None:
    """The anchor a link's `#Heading` (or `#^block-id`) scrolls to."""
    if not heading:
        return None
    return block_anchor(heading) if heading.startswith("^") else slugify(heading, "-")


class _WikiLinkProcessor(InlineProcessor):
    def __init__(self, pattern: str, md: markdown.Markdown, host: _Host) -> None:
        super().__init__(pattern, md)
        self.host = host

    # Python-Markdown's name; the stubs' Pattern.handleMatch takes one argument
    def handleMatch(  # type: ignore[override]  # noqa: N802
            self, m: re.Match[str], data: str) -> tuple[etree.Element | None, int | None, int | None]:
        target, heading, label = split_target(m.group(2))
        if not target and not heading:
            return None, None, None
        if target and is_attachment(target) and (m.group(1) or self.host.find_file(target)):
            if m.group(1):
                return file_embed(self.host, target, label), m.start(0), m.end(0)
            el = file_embed(self.host, target, None)
            if el.tag == "a" and label:
                el.text = AtomicString(label)
            return el, m.start(0), m.end(0)
        found = self.host.resolve(target) if target else ("", "")
        shown = target
        if found and found[1] and target.casefold() == found[0].casefold():
            shown = found[1]  # a bare [[id]] reads as the note's title
        text = label or (f"{shown} › {heading}" if shown and heading else shown or heading)
        el = etree.Element("a")
        el.text = AtomicString(text)
        anchor = note_anchor(heading)
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
                    span.text = f"[{placeholder_text(child.get('src', ''))}]"
                    span.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, span)


class WikiLinkExtension(Extension):
    def __init__(self, host: _Host, **kwargs: Any) -> None:
        self.host = host
        super().__init__(**kwargs)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802
        # before backslash escapes (180): `[[Note\|label]]` in a table keeps its pipe
        md.inlinePatterns.register(_WikiLinkProcessor(WIKILINK_RE.pattern, md, self.host), "wikilink", 185)
        md.treeprocessors.register(_ImageProcessor(md), "remote_images", 5)


MAX_ENTITIES = 20_000
ENTITIES_NOTICE = "This note is shown as plain text: it holds too many character references to lay out."
PLAIN_NOTICE = ("This note is shown as plain text: its Markdown could not be laid out "
                "in reasonable time.")
# Some of Python-Markdown's regular expressions are super-linear, and one match is one call into C that
# no budget can cut (nor let another thread run meanwhile): longer notes are not given to it at all.
MAX_MARKDOWN = 250_000  # characters
LENGTH_NOTICE = "This note is shown as plain text: it is too long to lay out as Markdown."
# Qt lays out a paragraph at once, in time growing with its length (a word with no place to break:
# with its square), and spends some time on each paragraph: past these, a page would hold the window.
MAX_BLOCK = 20_000  # characters of HTML in one paragraph (list item, heading, line of code...)
MAX_WORD = 2_000  # characters of text with no space
MAX_BLOCKS = 4_000  # paragraphs, table cells and lines of code in a page
PLAIN_LINE = 1_000  # the plain-text page cuts longer lines, at a space where it can
PLAIN_MAX = 50_000  # characters of the note the plain-text page shows at most
PLAIN_MAX_LINES = 20_000
LAYOUT_NOTICE = "This note is shown as plain text: it holds too many paragraphs, or one too long, to lay out."
_BLOCK_START = re.compile(r"<(p|pre|li|h[1-6]|div|tr|td|th|blockquote|dt|dd|table|br)\b")  # a <br> costs as much
_TAG_OR_ENTITY = re.compile(r"<[^>]*>|&[#\w]+;")


def cut_lines(text: str, width: int = PLAIN_LINE) -> str:
    """`text` with every line longer than `width` cut, after a space where there is one in its second half."""
    out: list[str] = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = line.rfind(" ", width // 2, width)
            cut = cut + 1 if cut > 0 else width
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


def too_long_to_lay_out(page: str) -> bool:
    """Whether `page` (sanitised HTML) holds over MAX_BLOCKS paragraphs (or line breaks), or one over
    MAX_BLOCK characters, or a word over MAX_WORD."""
    parts = _BLOCK_START.split(page)
    blocks = 0
    for index in range(0, len(parts), 2):
        part = parts[index]
        lines = part.split("\n") if index and parts[index - 1] == "pre" else [part]  # in code, a line each
        blocks += len(lines)
        if blocks > MAX_BLOCKS or max(map(len, lines)) > MAX_BLOCK:
            return True
    return max(map(len, _TAG_OR_ENTITY.sub(" ", page).split()), default=0) > MAX_WORD


def plain_page(body: str, notice: str = PLAIN_NOTICE) -> str:
    """A note's text shown as written after a notice saying why.

    At most PLAIN_MAX characters and PLAIN_MAX_LINES lines are shown, and a notice says how much is left
    out. Long lines are cut (`cut_lines`), and lines go by the paragraph (a line separator, U+2028, between
    two: Qt makes a `<br>` costly) up to PLAIN_LINE characters each, so that the page is quick to lay
    out however many lines the note has.
    """
    paragraphs: list[str] = []
    lines: list[str] = []
    size = 0
    shown = cut_lines(body[:PLAIN_MAX]).split("\n")[:PLAIN_MAX_LINES]
    left = len(body) - sum(map(len, shown))
    for line in shown:
        if lines and size + len(line) > PLAIN_LINE:
            paragraphs.append("\u2028".join(lines))
            lines, size = [], 0
        lines.append(html.escape(line))
        size += len(line) + 1
    paragraphs.append("\u2028".join(lines))
    rest = (f'<p class="render-notice"><i>The note goes on for about {left:,} more characters, not shown here: '
            f'open its file to read them.</i></p>') if left > len(shown) else ""
    return (f'<p class="render-notice"><i>{html.escape(notice)}</i></p>'
            f'<pre style="white-space: pre-wrap">{chr(10).join(paragraphs)}</pre>{rest}')


def extra_extensions() -> list[Extension]:
    """Python-Markdown's Extra, made from its parts: Extra names them, and Markdown then looks
    each name up among every installed package's entry points (about 0.1 s at start-up)."""
    from markdown.extensions.abbr import AbbrExtension
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.tables import TableExtension

    return [FencedCodeExtension(), FootnoteExtension(), AttrListExtension(), DefListExtension(), TableExtension(),
            AbbrExtension(), MarkdownInHtmlExtension()]


class Renderer:
    """Renders note bodies; one per knowledge base (the resolver is its names).

    Python-Markdown stays super-linear on some inputs (floods of brackets,
    quote marks, emphasis...), so each conversion has a time budget: past it,
    the note is shown as plain text with a notice. So is a note whose HTML Qt
    could not lay out quickly (`too_long_to_lay_out`). Safe to use from several
    threads (each has its own Markdown instances, one per embed depth).

    With a `vault` (`viewer.core.vault.VaultContext`), links resolve from the
    note's folder, images are found in the folder and `![[Note]]` embeds show
    the note; without one, links go through `resolve` alone.
    """

    BUDGET_S = 0.4
    MAX_EMBED_DEPTH = 3  # an embed in an embed in an embed; deeper ones are a link
    MAX_EMBEDS = 40  # per note, all depths together

    def __init__(self, resolve: Resolver, vault: VaultContext | None = None) -> None:
        self._resolve = resolve
        self.vault = vault

    def _markdown(self, host: _Host) -> markdown.Markdown:
        mds = getattr(_THREAD, "mds", None)
        if mds is None:
            mds = _THREAD.mds = {}
        md: Any = mds.get(host.depth)
        if md is None:
            proxy = _HostProxy()
            md = mds[host.depth] = markdown.Markdown(
                extensions=[*extra_extensions(), TocExtension(), SaneListExtension(), WikiLinkExtension(cast(_Host, proxy)),
                            ObsidianExtension(cast(Any, proxy))],
                output_format="html",
            )
            md.kb_proxy = proxy
        md.kb_proxy.host = host
        md.kb_callouts = 0
        return md

    def convert(self, body: str, host: _Host) -> str:
        """Markdown to HTML (not yet sanitised) for one note or embedded part."""
        md: Any = self._markdown(host)
        md.reset()
        md.kb_callouts = 0
        return md.convert(body)

    def render(self, body: str, source: str | None = None, toggled: frozenset[int] = frozenset(),
               reads: Reads | None = None) -> str:
        """The note's HTML; `source` is its path, `toggled` the callouts the reader folded or opened (1, 2...).

        `reads` receives what the render looked up: the notes its links name, the notes it embeds, the files.
        """
        if len(body) > MAX_MARKDOWN:
            return plain_page(body, LENGTH_NOTICE)
        host = _Host(self, source, 0, (), [0], frozenset(toggled), Reads() if reads is None else reads)
        self._markdown(host)  # made outside the budget: making one is not the note's cost
        try:
            raw = run_with_budget(lambda: self.convert(body, host), self.BUDGET_S)
        except RecursionError:
            _forget_instances()
            raw = f"<pre>{html.escape(body)}</pre>"
        except RenderTimeout:
            _forget_instances()
            return plain_page(body)
        except BaseException:
            _forget_instances()
            raise
        finally:
            _let_go()
        if raw.count("&") > MAX_ENTITIES:  # the sanitiser is quadratic in them
            return plain_page(body, ENTITIES_NOTICE)
        page = sanitise(raw)
        return plain_page(body, LAYOUT_NOTICE) if too_long_to_lay_out(page) else page


_THREAD = threading.local()  # each thread's Markdown instances, by embed depth, shared by every Renderer


def _forget_instances() -> None:
    """A conversion cut short (out of time, too deep, or a lookup raised) leaves its instances in the
    middle of a parse (a list's state, say) that `reset` does not undo: the next ones are made afresh."""
    _let_go()
    _THREAD.mds = None


def _let_go() -> None:
    """The instances keep no note, renderer or knowledge base once a render is done.

    A Markdown instance is full of reference cycles; were it to reach a
    knowledge base, one let go would wait for the garbage collector, which
    leaves alone what a load froze (`viewer.core.collector`).
    """
    for md in (getattr(_THREAD, "mds", None) or {}).values():
        md.kb_proxy.host = None
        md.reset()


class Reads:
    """What a render looked up, so a page kept can be checked against the notes as they are now.

    `links`: (target, linking note's path) -> (id, title) or None; `files`: (name, path) -> the file
    found or None; `notes`: the ids of the notes it embeds (their text shows in the page).
    """

    def __init__(self) -> None:
        self.links: dict[tuple[str, str | None], tuple[str, str] | None] = {}
        self.files: dict[tuple[str, str | None], str | None] = {}
        self.notes: set[str] = set()


class _HostProxy:
    """Stands for the note being rendered, inside a Markdown instance made once per thread and depth."""

    host: _Host

    def __getattr__(self, name: str) -> Any:
        return getattr(self.host, name)


class _Host:
    """The note being rendered (or embedded): how its links, files and embeds resolve."""

    def __init__(self, renderer: Renderer, source: str | None, depth: int, chain: tuple[str, ...],
                 count: list[int], toggled: frozenset[int], reads: Reads) -> None:
        self.renderer, self.source, self.depth, self.chain = renderer, source, depth, chain
        self.count, self.toggled, self.reads = count, toggled, reads
        vault = renderer.vault
        if not chain and vault is not None and source is not None:
            own = vault.by_path().get(source)
            self.chain = (own.id,) if own else ()

    def resolve(self, target: str) -> tuple[str, str] | None:
        if self.renderer.vault is None:
            found = self.renderer._resolve(target)
            if found is None and target.casefold().endswith(".md"):
                found = self.renderer._resolve(target[:-3])
            return found
        note = self.renderer.vault.resolve(target, self.source)
        found = (note.id, note.title) if note else None
        self.reads.links[(target, self.source)] = found
        return found

    def find_file(self, src: str) -> str | None:
        vault = self.renderer.vault
        found = vault.attachments.find(src, self.source) if vault is not None else None
        self.reads.files[(src, self.source)] = found
        return found

    def source_folder(self) -> str:
        return self.source.rsplit("/", 1)[0] if self.source and "/" in self.source else ""

    def embed_html(self, target: str, heading: str | None) -> str | None:
        """The framed HTML of `![[target#heading]]`, or None when no note has that name."""
        vault = self.renderer.vault
        note = vault.resolve(target, self.source) if vault is not None and target else None
        if target:
            self.reads.links[(target, self.source)] = (note.id, note.title) if note else None
        if note is None:
            return None
        shown = f"{note.title} › {heading.lstrip('^') if heading.startswith('^') else heading}" if heading \
            else note.title
        link = (f'<p class="embed-source"><a class="wikilink" href="{html.escape(note_url(note.id, note_anchor(heading)))}"'
                f' title="{html.escape(note.title)}">\u21aa {html.escape(shown)}</a></p>')
        self.count[0] += 1
        self.reads.notes.add(note.id)
        if note.id in self.chain:
            inner = _embed_notice(f"{note.title} is already shown around this embed; it stops here.")
        elif self.depth >= Renderer.MAX_EMBED_DEPTH:
            inner = _embed_notice(f"Embeds nest at most {Renderer.MAX_EMBED_DEPTH} deep: open the note to read it.")
        elif self.count[0] > Renderer.MAX_EMBEDS:
            inner = _embed_notice(f"A note shows at most {Renderer.MAX_EMBEDS} embeds: open the note to read it.")
        else:
            text = section(note.body, heading) if heading else note.body
            if text is None:
                inner = _embed_notice(f"No part of {note.title} is named '{heading}'.")
            else:
                child = _Host(self.renderer, note.path, self.depth + 1, (*self.chain, note.id), self.count,
                              frozenset(), self.reads)
                inner = _NO_HEADING_ID.sub(r"<\1", self.renderer.convert(text, child))
        return (f'<table class="embed" width="100%" cellspacing="0" cellpadding="8"><tr><td class="embed">'
                f"{link}{inner}</td></tr></table>")


_NO_HEADING_ID = re.compile(r'<(h[1-6]) id="[^"]*"')


def _embed_notice(text: str) -> str:
    return f'<p class="embed-notice"><i>[{html.escape(text)}]</i></p>'
