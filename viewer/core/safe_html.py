"""The allow-list every page passes through, and the addresses the viewer makes.

Kept apart from the Markdown renderer so that a page made earlier (the start
page, an export) can be checked and shown without loading Python-Markdown.
"""

from __future__ import annotations

import copy
from urllib.parse import quote, urlsplit

import nh3

NOTE_SCHEME = "note"
BROKEN_SCHEME = "broken"
TAG_SCHEME = "tag"
ATTACHMENT_SCHEME = "attachment"  # attachment:PATH, a file of the folder the window offers to open
FOLD_SCHEME = "fold"  # fold:N, a callout the reader folds or opens

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
_ALLOWED_ATTRIBUTES["table"] |= {"width"}
_ALLOWED_ATTRIBUTES["td"] = _ALLOWED_ATTRIBUTES.get("td", set()) | {"class"}
_URL_SCHEMES = {"http", "https", "mailto", NOTE_SCHEME, BROKEN_SCHEME, TAG_SCHEME, ATTACHMENT_SCHEME, FOLD_SCHEME}


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


def placeholder_text(src: str) -> str:
    try:
        parts = urlsplit(src.strip())
        host = parts.hostname
    except ValueError:
        return "image not shown (malformed address)"
    if parts.scheme.lower() in ("http", "https") or src.strip().startswith("//"):
        return f"remote image not loaded: {host or 'unknown host'}"
    return "image not shown"


def _drop_remote_src(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and is_remote(value):
        return None
    return value


def sanitise(raw_html: str) -> str:
    """The allow-list every rendered page passes through before display."""
    images = "<img" in raw_html.lower()  # an img element needs these letters, in any case
    if images:
        from viewer.core.raw_images import RawImageRewriter  # html.parser, only for pages with images

        rewriter = RawImageRewriter()
        rewriter.feed(raw_html)
        rewriter.close()
        raw_html = "".join(rewriter.out)
    return nh3.clean(
        raw_html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        # called for every attribute of every element: only a page with images needs it
        attribute_filter=_drop_remote_src if images else None,
        strip_comments=True,
        link_rel=None,
    )
