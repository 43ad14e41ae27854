"""A note as one self-contained HTML file: its page, the style sheet, its images inlined.

Links between notes become plain text (the file stands alone); web links stay.
An image is inlined as a `data:` URI only when `viewer.core.files` lets it be
read (a regular file inside the notes folder), it is of a known image type
whose first bytes agree, and it is under `MAX_IMAGE_BYTES` (all of a note's
together under `MAX_TOTAL_BYTES`); any other becomes a short placeholder.
Nothing is fetched.
PDF is made from the same page with Qt, outside the core (viewer/ui/note/pdf.py).
"""

from __future__ import annotations

import base64
import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from viewer.core.files import read_local_image
from viewer.core.page import NotePage, page_of
from viewer.core.style import note_stylesheet

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 40 * 1024 * 1024
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".bmp": "image/bmp", ".svg": "image/svg+xml"}
PAGE_CSS = """
body { max-width: 46em; margin: 2em auto; padding: 0 1em; font-family: system-ui, sans-serif; }
span.wikilink { font-weight: 600; }
span.missing-image { font-style: italic; }
"""
_NOTE_LINK = re.compile(r'<a\b[^>]*\bhref="(?:note|broken|tag):[^"]*"[^>]*>(.*?)</a>', re.S)
_IMG = re.compile(r"<img\b[^>]*>", re.S)
_SRC = re.compile(r'\bsrc="([^"]*)"')
_ALT = re.compile(r'\balt="([^"]*)"')


def _looks_like(mime: str, head: bytes) -> bool:
    """Whether a file's first bytes agree with its image type."""
    if mime == "image/png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if mime == "image/gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if mime == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    if mime == "image/bmp":
        return head.startswith(b"BM")
    return b"<svg" in head.lower() or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml")


def read_image(folder: Path, src: str, limit: int = MAX_IMAGE_BYTES) -> tuple[str, bytes] | None:
    """(type, bytes) of the image `src` names inside `folder`, or None.

    Which files may be read is `viewer.core.files`' decision; here the type
    must be a known image type whose first bytes agree, under `limit`.
    """
    mime = IMAGE_TYPES.get(os.path.splitext(urlsplit_path(src))[1].lower())
    if mime is None:
        return None
    data = read_local_image(folder, src)
    if data is None or len(data) > limit or not _looks_like(mime, data[:64]):
        return None
    return mime, data


def urlsplit_path(src: str) -> str:
    """The path part of an image address ('' when it is malformed)."""
    try:
        return unquote(urlsplit(src).path)
    except ValueError:
        return ""


def plain_links(fragment: str) -> str:
    """Links to notes and tags as plain (bold) text: they lead nowhere outside the viewer."""
    return _NOTE_LINK.sub(lambda m: f'<span class="wikilink">{m.group(1)}</span>', fragment)


def inline_images(fragment: str, folder: Path, budget: int = MAX_TOTAL_BYTES) -> str:
    """Each `<img>` with its picture as a data: URI, or a placeholder with its alt text."""
    left = budget

    def image(match: re.Match[str]) -> str:
        nonlocal left
        tag = match.group(0)
        src = _SRC.search(tag)
        found = read_image(folder, html.unescape(src.group(1)), min(MAX_IMAGE_BYTES, left)) if src else None
        if found is None:
            alt = _ALT.search(tag)
            label = f"image: {alt.group(1)}" if alt and alt.group(1) else "image not included"
            return f'<span class="missing-image">[{label}]</span>'
        mime, data = found
        left -= len(data)
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        assert src is not None  # found an image, so the tag had a source
        return tag[:src.start(1)] + uri + tag[src.end(1):]

    return _IMG.sub(image, fragment)


def html_document(page: NotePage, folder: Path, css: str | None = None) -> str:
    """A whole HTML document for `page`: no reference to anything outside it."""
    css = (css if css is not None else note_stylesheet()) + PAGE_CSS
    body = inline_images(plain_links(page.html), folder)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(page.title)}</title>\n"
            "<meta name=\"generator\" content=\"kbviewer\">\n"
            f"<style>\n{css}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def export_page(kb: KnowledgeBase, note_id: str, annotations: Any = None) -> NotePage:
    """The page to export: with the reader's highlights when `annotations` are given (KeyError for an unknown id)."""
    from viewer.core.export_highlights import highlighted_page

    page = page_of(kb, note_id) if annotations is None else highlighted_page(kb, note_id, annotations)
    if page is None:
        raise KeyError(note_id)
    return page


def note_html(kb: KnowledgeBase, note_id: str, css: str | None = None, annotations: Any = None) -> str:
    """The self-contained HTML of a note of `kb`, with `annotations` highlighted if given (KeyError for an unknown id)."""
    from viewer.core.export_highlights import HIGHLIGHT_CSS

    page = export_page(kb, note_id, annotations)
    css = (css if css is not None else note_stylesheet()) + (HIGHLIGHT_CSS if annotations is not None else "")
    return html_document(page, kb.folder, css)
