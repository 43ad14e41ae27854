"""Obsidian-flavoured Markdown as Python-Markdown extensions.

Callouts (`> [!type] Title`, folding with `+`/`-`), `==highlight==`,
`%%comments%%`, `$$ math $$` as code, block ids (`^id`), inline `#tags`,
task lists, Markdown links to notes (`[text](Other.md#Heading)`), local images
found by path or by file name, `![[image.png|300]]`, other attachments as
links and `![[Note]]` embeds on their own line. What a note links to or embeds
is asked of a `host` (see `viewer.core.render`); nothing here reads a file.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from typing import Any, Protocol
from urllib.parse import quote, unquote, urlsplit

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from viewer.core.obsidian import BLOCK_ID_RE, TAG_RE, block_anchor, lines_outside_code, math_blocks, strip_comments, tag_name
from viewer.core.safe_html import ATTACHMENT_SCHEME, FOLD_SCHEME
from viewer.core.wikilinks import is_attachment, split_target

IMAGE_SUFFIXES = frozenset([".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"])
# type: (label, icon); aliases map to a standard type, unknown types look like `note`
CALLOUTS = {
    "note": ("Note", "\u270e"), "abstract": ("Abstract", "\u2630"), "info": ("Info", "\u2139"),
    "todo": ("Todo", "\u2611"), "tip": ("Tip", "\u2605"), "success": ("Success", "\u2714"),
    "question": ("Question", "?"), "warning": ("Warning", "\u26a0"), "failure": ("Failure", "\u2718"),
    "danger": ("Danger", "\u26a1"), "bug": ("Bug", "\u2691"), "example": ("Example", "\u2261"),
    "quote": ("Quote", "\u201c"),
}
CALLOUT_ALIASES = {
    "summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip", "check": "success",
    "done": "success", "help": "question", "faq": "question", "caution": "warning", "attention": "warning",
    "fail": "failure", "missing": "failure", "error": "danger", "cite": "quote",
}
_CALLOUT_RE = re.compile(r"^[ ]{0,3}>[ ]?\[!([A-Za-z][\w-]{0,30})\]([+-]?)[ \t]*(.*)$")
_EMBED_LINE_RE = re.compile(r"^[ \t]*!\[\[([^\[\]\n]+?)\]\][ \t]*$")
_SIZE_RE = re.compile(r"^(\d{1,5})(?:x(\d{1,5}))?$")
_TASK_RE = re.compile(r"^\[([ xX])\][ \t]+")


class Host(Protocol):
    """What the extension asks of the note being rendered."""

    toggled: frozenset[int]

    def resolve(self, target: str) -> tuple[str, str] | None: ...
    def find_file(self, src: str) -> str | None: ...
    def embed_html(self, target: str, heading: str | None) -> str | None: ...
    def source_folder(self) -> str: ...


def callout_kind(name: str) -> str:
    """The standard type a callout's written type stands for (`note` for an unknown one)."""
    key = name.casefold()
    key = CALLOUT_ALIASES.get(key, key)
    return key if key in CALLOUTS else "note"


def file_url(path: str) -> str:
    """A path from the folder's top as a relative URL (percent-encoded)."""
    return quote(path, safe="/")


def _size(label: str | None) -> tuple[str | None, str | None]:
    match = _SIZE_RE.match(label.strip()) if label else None
    return (match.group(1), match.group(2)) if match else (None, None)


def file_embed(host: Host, target: str, label: str | None) -> etree.Element:
    """`![[file]]`: an image (`|300` or `|300x200` sets its size), or a link that opens any other file."""
    found = host.find_file(target)
    name = target.rsplit("/", 1)[-1]
    suffix = posixpath.splitext(target)[1].casefold()
    if found is None:
        span = etree.Element("span", {"class": "missing-file"})
        span.text = AtomicString(f"[file not found: {target}]")
        return span
    if suffix in IMAGE_SUFFIXES:
        width, height = _size(label)
        img = etree.Element("img", {"src": file_url(found), "alt": name if width or not label else label})
        if width:
            img.set("width", width)
        if height:
            img.set("height", height)
        return img
    link = etree.Element("a", {"class": "attachment", "href": f"{ATTACHMENT_SCHEME}:{file_url(found)}",
                               "title": f"Open {name} with the system's application"})
    link.text = AtomicString(f"\U0001f4ce {label or name}")
    return link


class _TextPreprocessor(Preprocessor):
    """Comments out, `$$` math as code, block ids as anchors: before fenced code is read."""

    def run(self, lines: list[str]) -> list[str]:
        text = math_blocks(strip_comments("\n".join(lines)))
        if "^" not in text:
            return text.split("\n")
        out = []
        for _, line, code in lines_outside_code(text):
            match = None if code or "^" not in line else BLOCK_ID_RE.search(line)
            if match is not None:
                anchor = f'<a id="{block_anchor(match.group(1))}"></a>'
                line = line[:match.start()].rstrip() + (" " + anchor if line[:match.start()].strip() else anchor)
            out.append(line)
        return out


class _CalloutProcessor(BlockProcessor):
    """`> [!type]+ Title` and its quoted lines: a framed box with the type's colour and icon."""

    def __init__(self, parser: Any, host: Host) -> None:
        super().__init__(parser)
        self.host = host

    def test(self, parent: Any, block: str) -> bool:
        return bool(_CALLOUT_RE.match(block.split("\n", 1)[0]))

    def run(self, parent: Any, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        match = _CALLOUT_RE.match(lines[0])
        assert match is not None  # test() said so
        kind = callout_kind(match.group(1))
        fold = match.group(2)
        label, icon = CALLOUTS[kind]
        md: Any = self.parser.md
        number = md.kb_callouts = getattr(md, "kb_callouts", 0) + 1
        is_open = (number in self.host.toggled) == (fold == "-")  # the reader's click turns the written state
        table = etree.SubElement(parent, "table", {"class": f"callout callout-{kind}", "width": "100%",
                                                   "cellspacing": "0", "cellpadding": "6"})
        title_cell = etree.SubElement(etree.SubElement(table, "tr"), "td", {"class": f"callout-title callout-title-{kind}"})
        title_cell.text = f"{icon}  {match.group(3).strip() or label}"
        if fold:
            toggle = etree.SubElement(title_cell, "a", {"class": "callout-fold", "href": f"{FOLD_SCHEME}:{number}",
                                                        "title": "Fold" if is_open else "Unfold"})
            toggle.text = AtomicString(" \u25be" if is_open else " \u25b8")
        body = "\n".join(re.sub(r"^[ ]{0,3}>[ ]?", "", line) for line in lines[1:])
        if is_open and body.strip():
            cell = etree.SubElement(etree.SubElement(table, "tr"), "td", {"class": "callout-body"})
            self.parser.parseChunk(cell, body)


class _EmbedBlockProcessor(BlockProcessor):
    """A paragraph of `![[Note]]` lines: each note (or its section or block) shown framed."""

    def __init__(self, parser: Any, host: Host) -> None:
        super().__init__(parser)
        self.host = host

    def test(self, parent: Any, block: str) -> bool:
        lines = block.split("\n")
        return all(_EMBED_LINE_RE.match(line) for line in lines) and not any(
            is_attachment(split_target(_embed_inner(line))[0]) for line in lines)

    def run(self, parent: Any, blocks: list[str]) -> bool | None:
        block = blocks[0]
        pieces = []
        for line in block.split("\n"):
            target, heading, _label = split_target(_embed_inner(line))
            found = self.host.embed_html(target, heading)
            if found is None:
                return False  # a note that is not there: read as an ordinary paragraph (a broken link)
            pieces.append(found)
        blocks.pop(0)
        etree.SubElement(parent, "p").text = self.parser.md.htmlStash.store("".join(pieces))
        return None


def _embed_inner(line: str) -> str:
    """The inside of an `![[...]]` line (test() has matched it)."""
    match = _EMBED_LINE_RE.match(line)
    return match.group(1) if match else ""


class _HighlightProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> Any:  # type: ignore[override]  # noqa: N802
        el = etree.Element("span", {"class": "highlight"})
        el.text = m.group(1)
        return el, m.start(0), m.end(0)


class _TagProcessor(InlineProcessor):
    def handleMatch(self, m: re.Match[str], data: str) -> Any:  # type: ignore[override]  # noqa: N802
        name = tag_name(m.group(1))
        if name is None:
            return None, None, None
        el = etree.Element("a", {"class": "tag", "href": f"tag:{quote(name, safe='')}",
                                 "title": f"Notes tagged #{name}"})
        el.text = AtomicString(f"#{name}")
        return el, m.start(0), m.start(0) + 1 + len(m.group(1).rstrip("/-"))


class _TreeProcessor(Treeprocessor):
    """Task lists, local images found in the folder, Markdown links to notes and files."""

    def __init__(self, md: Any, host: Host) -> None:
        super().__init__(md)
        self.host = host

    def run(self, root: Any) -> None:
        for el in root.iter():
            if el.tag == "li":
                self._task(el)
            elif el.tag == "img":
                self._image(el)
            elif el.tag == "a" and el.get("href") and not el.get("class"):
                self._link(el)
            elif el.tag == "table" and _made_by_tables(el):
                _grid(el)

    def _task(self, li: Any) -> None:
        holder = li[0] if len(li) and li[0].tag == "p" and not (li.text or "").strip() else li
        match = _TASK_RE.match(holder.text or "")
        if match is None:
            return
        done = match.group(1) != " "
        holder.text = ("\u2611 " if done else "\u2610 ") + holder.text[match.end():]
        li.set("class", "task done" if done else "task")

    def _image(self, img: Any) -> None:
        src = img.get("src", "")
        if _has_scheme(src):
            return
        alt = img.get("alt", "")
        if "|" in alt:
            alt, _, size = alt.rpartition("|")
            width, height = _size(size)
            if width:
                img.set("alt", alt)
                img.set("width", width)
                if height:
                    img.set("height", height)
        try:
            path = unquote(urlsplit(src).path)
        except ValueError:
            return
        found = self.host.find_file(path)
        if found is not None:
            img.set("src", file_url(found))

    def _link(self, a: Any) -> None:
        href = a.get("href", "")
        if _has_scheme(href) or href.startswith("#"):
            return
        try:
            parts = urlsplit(href)
        except ValueError:
            return
        path = unquote(parts.path)
        if path.casefold().endswith(".md"):
            found = self.host.resolve(path)
            anchor = unquote(parts.fragment) or None
            if found is None:
                a.set("href", f"broken:{quote(path, safe='')}")
                a.set("class", "wikilink broken")
                a.set("title", f"No note named '{path}'")
                return
            from viewer.core.render import note_anchor
            from viewer.core.safe_html import note_url  # a cycle at import time

            a.set("href", note_url(found[0], note_anchor(anchor)))
            a.set("class", "wikilink")
            a.set("title", found[1])
        elif is_attachment(path):
            found_file = self.host.find_file(path)
            if found_file is not None:
                a.set("href", f"{ATTACHMENT_SCHEME}:{file_url(found_file)}")
                a.set("class", "attachment")


def _made_by_tables(table: Any) -> bool:
    """Whether `table` is as the tables extension makes them: a header row of `th`, rows of plain cells.

    A table written in HTML (parsed into the tree with `markdown="1"`) keeps the generic style: its
    cells may span rows or columns, carry their own classes, or have no header row.
    """
    if table.attrib or len(table) == 0 or table[0].tag != "thead":
        return False
    head = table[0].findall("tr")
    if len(head) != 1 or not all(cell.tag == "th" for cell in head[0]):
        return False
    return all(set(cell.attrib) <= {"style", "align"} for row in table.iter("tr") for cell in row)


def _grid(table: Any) -> None:
    """A Markdown table, drawn as a grid by its cells' own borders (`table.grid` in note.css)."""
    table.set("class", "grid")
    table.set("cellspacing", "0")
    for row in table.iter("tr"):
        if len(row):
            row[0].set("class", "row-start")


def _has_scheme(url: str) -> bool:
    try:
        return bool(urlsplit(url.strip()).scheme) or url.strip().startswith(("//", "\\"))
    except ValueError:
        return True


class ObsidianExtension(Extension):
    def __init__(self, host: Host, **kwargs: Any) -> None:
        self.host = host
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Any) -> None:  # noqa: N802
        md.preprocessors.register(_TextPreprocessor(md), "obsidian_text", 28)  # before fenced code (25)
        md.parser.blockprocessors.register(_CalloutProcessor(md.parser, self.host), "callout", 21)
        md.parser.blockprocessors.register(_EmbedBlockProcessor(md.parser, self.host), "embed_block", 65)
        md.inlinePatterns.register(_HighlightProcessor(r"==(?!=)([^=\n]{1,2000}?)==", md), "highlight", 68)
        md.inlinePatterns.register(_TagProcessor(TAG_RE.pattern, md), "inline_tag", 172)
        md.treeprocessors.register(_TreeProcessor(md, self.host), "obsidian_tree", 4)


def escape(text: str) -> str:
    return html.escape(text, quote=True)
