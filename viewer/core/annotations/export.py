"""Annotations out as Markdown or W3C Web Annotation JSON-LD, and back in from the latter.

The JSON-LD follows the Web Annotation Data Model: an `AnnotationCollection`
whose first page (embedded, an `AnnotationPage`) holds the items. Each item:

    {"id": "urn:uuid:...", "type": "Annotation", "motivation": "commenting",
     "created": "...", "modified": "...",
     "body": [{"type": "TextualBody", "value": "the comment", "purpose": "commenting",
               "format": "text/plain"},
              {"type": "TextualBody", "value": "a tag", "purpose": "tagging"}],
     "target": {"source": "note-id", "styleClass": "yellow",
                "selector": [{"type": "TextQuoteSelector", "exact": "...", "prefix": "...",
                              "suffix": "..."},
                             {"type": "TextPositionSelector", "start": 10, "end": 42}]}}

`read_w3c` also takes a page, a bare list of annotations or one annotation,
and items straight under the collection. It checks the whole file before
anything is imported and names the first problem it finds.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

from viewer.core.annotations.model import (
    ANCHORED,
    COLOURS,
    DEFAULT_COLOUR,
    Annotation,
    AnnotationId,
    clean_tags,
    now_iso,
)
from viewer.core.model import NoteId

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MAX_IMPORT_BYTES = 100 * 1024 * 1024
ID_NAMESPACE = uuid.UUID("5f0c6d0e-8a53-4b0e-9d8a-6b3f2a1c9e47")  # ids for items that have none

Titles = Callable[[str], "str | None"]  # note id -> title, None when unknown


class AnnotationFormatError(ValueError):
    """An import file that is not Web Annotation JSON this program can read."""


# -- Markdown -----------------------------------------------------------------

def to_markdown(annotations: Iterable[Annotation], titles: Titles | None = None) -> str:
    """A Markdown document: one section per note, each passage a block quote
    followed by its comment, its tags and a [[wikilink]] back to the note."""
    annotations = list(annotations)
    by_note: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        by_note.setdefault(annotation.note, []).append(annotation)

    def title(note: str) -> str:
        return (titles(note) if titles else None) or note

    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    lines = ["# Annotations", "",
             f"{_count(len(annotations), 'annotation')} in {_count(len(by_note), 'note')}, "
             f"exported {when} UTC.", ""]
    for note in sorted(by_note, key=lambda n: (title(n).casefold(), n)):
        name = title(note)
        shown = _one_line(name).replace("]]", "] ]").replace("|", "/")
        link = f"[[{note}|{shown}]]" if name != note else f"[[{note}]]"
        lines += [f"## {markdown_text(_one_line(name))}", ""]
        for annotation in sorted(by_note[note], key=lambda a: (a.start, a.end, a.created)):
            lines += [f"> {markdown_text(line)}".rstrip() for line in annotation.exact.splitlines() or [""]]
            lines.append("")
            if annotation.comment.strip():
                lines += [markdown_text(line) for line in annotation.comment.strip().splitlines()] + [""]
            details = []
            if annotation.tags:
                details.append("Tags: " + ", ".join(f"#{markdown_text(tag.replace(' ', '-'))}"
                                                    for tag in annotation.tags))
            details.append(f"Note: {link}")
            if annotation.orphaned:
                details.append("*orphaned: this passage is no longer in the note*")
            lines += [" · ".join(details), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


_INLINE_MARKS = re.compile(r"([\\`*_{}\[\]()!|~])")
_BLOCK_START = re.compile(r"^(\s*)([#=+-]|\d+(?=[.)]))")


def markdown_text(line: str) -> str:
    """One line of the reader's text as Markdown that reads as that text: no markup, link, HTML or heading."""
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    line = _INLINE_MARKS.sub(r"\\\1", line)
    return _BLOCK_START.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit()
                                                    else m.group(2) + "\\"), line)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- W3C Web Annotation -------------------------------------------------------

def to_w3c(annotations: Iterable[Annotation], label: str = "kbviewer annotations") -> dict[str, Any]:
    """An AnnotationCollection holding every annotation, as a JSON-LD object."""
    items = [_item(a) for a in annotations]
    return {
        "@context": CONTEXT,
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "generated": now_iso(),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def to_w3c_bytes(annotations: Iterable[Annotation]) -> bytes:
    return orjson.dumps(to_w3c(annotations), option=orjson.OPT_INDENT_2) + b"\n"


def _item(a: Annotation) -> dict[str, Any]:
    body: list[dict[str, Any]] = []
    if a.comment:
        body.append({"type": "TextualBody", "value": a.comment, "purpose": "commenting",
                     "format": "text/plain"})
    body += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in a.tags]
    item: dict[str, Any] = {
        "id": f"urn:uuid:{a.id}",
        "type": "Annotation",
        "motivation": "commenting" if a.comment else "highlighting",
        "created": a.created,
        "modified": a.modified,
    }
    if body:
        item["body"] = body
    item["target"] = {
        "source": a.note,
        "styleClass": a.colour,
        "selector": [
            {"type": "TextQuoteSelector", "exact": a.exact, "prefix": a.prefix, "suffix": a.suffix},
            {"type": "TextPositionSelector", "start": a.start, "end": a.end},
        ],
    }
    return item


def read_w3c(data: bytes | str) -> list[Annotation]:
    """Annotations from Web Annotation JSON; AnnotationFormatError names the first problem."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_IMPORT_BYTES:
        raise AnnotationFormatError(f"the file is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise AnnotationFormatError(f"not valid JSON: {err}") from None
    items = _items_of(doc)
    found: dict[str, Annotation] = {}
    for index, item in enumerate(items, 1):
        try:
            annotation = _from_item(item)
        except AnnotationFormatError as err:
            raise AnnotationFormatError(f"item {index}: {err}") from None
        except (TypeError, AttributeError) as err:  # a field of a kind not checked above
            raise AnnotationFormatError(f"item {index}: not a valid annotation ({err})") from None
        known = found.get(annotation.id)
        if known is None or annotation.modified > known.modified:
            found[annotation.id] = annotation
    return list(found.values())


def _items_of(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if not isinstance(doc, dict):
        raise AnnotationFormatError("expected a JSON object (an AnnotationCollection)")
    kind = _types(doc)
    if "Annotation" in kind:
        return [doc]
    if "AnnotationCollection" in kind:
        if isinstance(doc.get("items"), list):
            return doc["items"]
        page = doc.get("first", {})
        if not isinstance(page, dict) or not isinstance(page.get("items", []), list):
            raise AnnotationFormatError("the collection's first page is not embedded with its items")
        items = page.get("items", [])
        if page.get("next") is not None:
            raise AnnotationFormatError("collections of several pages are not supported")
        if not items and doc.get("total", 0):
            raise AnnotationFormatError("the collection's first page is not embedded with its items")
        return items
    if "AnnotationPage" in kind and isinstance(doc.get("items"), list):
        return doc["items"]
    raise AnnotationFormatError("not an AnnotationCollection, AnnotationPage or Annotation")


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("type", obj.get("@type"))
    values = value if isinstance(value, list) else [value]
    return {v for v in values if isinstance(v, str)}


def _from_item(item: Any) -> Annotation:
    if not isinstance(item, dict) or "Annotation" not in _types(item):
        raise AnnotationFormatError("not an object of type Annotation")
    target = item.get("target")
    if isinstance(target, list):
        target = next((t for t in target if isinstance(t, dict) and t.get("selector")), None)
    if not isinstance(target, dict):
        raise AnnotationFormatError("no target object")
    source = target.get("source")
    if not isinstance(source, str) or not source.strip():
        raise AnnotationFormatError("the target has no source (the note id)")
    note = source.strip().removeprefix("note:")
    if not note.strip():
        raise AnnotationFormatError("the target has no source (the note id)")
    selectors = target.get("selector")
    selectors = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in selectors if isinstance(s, dict) and "TextQuoteSelector" in _types(s)), None)
    if quote is None or not isinstance(quote.get("exact"), str) or not quote["exact"]:
        raise AnnotationFormatError("the target has no TextQuoteSelector with an 'exact' quote")
    prefix, suffix = quote.get("prefix", ""), quote.get("suffix", "")
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        raise AnnotationFormatError("the TextQuoteSelector's prefix or suffix is not a string")
    start: Any = 0
    end: Any = 0
    position = next((s for s in selectors if isinstance(s, dict) and "TextPositionSelector" in _types(s)), None)
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (type(start) is int and type(end) is int and 0 <= start <= end):
            raise AnnotationFormatError("the TextPositionSelector needs integers 0 <= start <= end")
    comments, tags = _bodies(item.get("body", []))
    created, modified = item.get("created", ""), item.get("modified", "")
    if not isinstance(created, str) or not isinstance(modified, str):
        raise AnnotationFormatError("'created' and 'modified' must be strings")
    colour = target.get("styleClass", DEFAULT_COLOUR)
    if not isinstance(colour, str):
        raise AnnotationFormatError("the target's 'styleClass' (the colour) is not a string")
    return Annotation(
        id=_annotation_id(item.get("id"), note, quote["exact"], start, comments),
        note=NoteId(note), exact=quote["exact"], prefix=prefix, suffix=suffix,
        start=start, end=end, comment="\n\n".join(comments), tags=clean_tags(tags),
        colour=colour if colour in COLOURS else DEFAULT_COLOUR,
        created=created or modified, modified=modified or created, status=ANCHORED,
    )


def _bodies(body: Any) -> tuple[list[str], list[str]]:
    bodies = body if isinstance(body, list) else [body]
    comments: list[str] = []
    tags: list[str] = []
    for part in bodies:
        if isinstance(part, str):  # a plain string body is an IRI, not text: skip it
            continue
        if not isinstance(part, dict):
            raise AnnotationFormatError("a body is neither an object nor a string")
        value = part.get("value")
        if "TextualBody" not in _types(part) and value is None:
            continue  # a body of another kind (a link, an image): not ours to keep
        if not isinstance(value, str):
            raise AnnotationFormatError("a TextualBody has no text 'value'")
        purpose = part.get("purpose")
        purposes = purpose if isinstance(purpose, list) else [purpose]
        (tags if "tagging" in purposes else comments).append(value)
    return comments, tags


def _annotation_id(raw: Any, note: str, exact: str, start: int, comments: list[str]) -> AnnotationId:
    """Our id for an item: its urn:uuid, else one derived from its id or content,
    so that importing the same file twice adds nothing twice."""
    if raw is not None and not isinstance(raw, str):
        raise AnnotationFormatError("'id' is not a string")
    if raw:
        text = raw.removeprefix("urn:uuid:")
        try:
            return AnnotationId(str(uuid.UUID(text)))
        except ValueError:
            return AnnotationId(str(uuid.uuid5(ID_NAMESPACE, raw)))
    return AnnotationId(str(uuid.uuid5(ID_NAMESPACE, "\x1f".join((note, exact, str(start), *comments)))))
