"""Citations of source notes in a chosen style, made by a CSL processor.

A source note becomes a CSL-JSON item (`csl_item`); the citation itself is laid
out by pandoc's citeproc (through `pypandoc`'s bundled pandoc) from the standard
CSL style files in `resources/csl/` (APA 7, Chicago notes-bibliography, MLA 9).
Nothing here formats a citation by hand. Results are kept per style and set of
items, so copying the same citation twice runs pandoc once.
"""

from __future__ import annotations

import html
import json
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.core.citation_styles import DEFAULT_STYLE, STYLES
from viewer.core.errors import ViewerError
from viewer.core.model import Note
from viewer.core.paths import resources_dir
from viewer.core.safe_html import sanitise

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

CSL_TYPES = {"webpage", "article-newspaper", "article-magazine", "article-journal", "report",
             "legal_case", "legislation", "speech", "interview", "post-weblog", "document", "book"}
PANDOC_TIMEOUT = 60
_ENTRY = re.compile(r'<div id="ref-(k\d+)" class="csl-entry"[^>]*>(.*?)</div>', re.S)
_TAG = re.compile(r"<[^>]+>")


class CitationError(ViewerError):
    """A citation that cannot be made (no CSL processor, an unknown style)."""


@dataclass(frozen=True)
class Citation:
    """One source's citation: as plain text and as an HTML fragment (italics, a link)."""

    note_id: str
    text: str
    html: str


def is_source(note: Note | None) -> bool:
    return note is not None and note.type == "source"


def source_url(note: Note, key: str = "url") -> str | None:
    """The note's web address (`url`, or `archived`) when it is an http(s) one."""
    value = note.meta.get(key)
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _authors(value: Any) -> list[dict[str, str]]:
    names = value if isinstance(value, (list, tuple)) else [value] if value else []
    out: list[dict[str, str]] = []
    for name in names:
        name = " ".join(str(name).split())
        if not name:
            continue
        if "," in name:  # "Family, Given"
            family, _, given = name.partition(",")
            out.append({"family": family.strip(), "given": given.strip()})
        elif " " in name:
            given, _, family = name.rpartition(" ")
            out.append({"family": family, "given": given})
        else:
            out.append({"literal": name})
    return out


def _issued(value: Any) -> dict[str, Any] | None:
    from viewer.core.dates import parse as parse_date  # with the first citation

    span = parse_date(value)
    if span is None or span.start is None or span.end is None:
        return None  # no date, or a range open at one end ('2022-05/..'): n.d.

    def parts(d: Any) -> list[int]:
        return [p for p in (d.year, d.month, d.day) if p]

    if span.is_range:
        return {"date-parts": [parts(span.start), parts(span.end)]}
    return {"date-parts": [parts(span.start)]}


def csl_item(note: Note, key: str | None = None, archive: bool = True) -> dict[str, Any]:
    """A source note as a CSL-JSON item (the fields Zotero reads); `archive`: with its archived copy."""
    meta = note.meta
    kind = str(meta.get("csl_type", "")).strip()
    item: dict[str, Any] = {"id": key or note.id, "type": kind if kind in CSL_TYPES else "webpage",
                            "title": note.title}
    if meta.get("outlet"):
        item["container-title"] = " ".join(str(meta["outlet"]).split())
    authors = _authors(meta.get("authors"))
    if authors:
        item["author"] = authors
    issued = _issued(meta.get("published", note.date))
    if issued:
        item["issued"] = issued
    url = source_url(note)
    if url:
        item["URL"] = url
    archived = source_url(note, "archived") if archive else None
    if archived:
        item["archive_location"] = archived
    if meta.get("credit"):
        item["note"] = " ".join(str(meta["credit"]).split())
    return item


def sources_of(kb: KnowledgeBase, note: Note) -> list[Note]:
    """The source notes a note rests on: itself if it is one, else those in its `sources`."""
    if is_source(note):
        return [note]
    found: list[Note] = []
    for name in note.sources:
        source = kb.resolve(name)
        if source is not None and is_source(source) and source not in found:
            found.append(source)
    return found


def style_path(style: str) -> Path:
    if style not in STYLES:
        raise CitationError(f"unknown citation style '{style}' (one of: {', '.join(STYLES)})")
    return resources_dir() / "csl" / STYLES[style][1]


def _pandoc() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as err:
        raise CitationError(f"citations need pandoc (pypandoc-binary), which cannot be found: {err}") from None


def _to_text(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


_cache: dict[tuple[str, str], list[tuple[str, str]]] = {}
_lock = threading.Lock()


def _render(items: list[dict[str, Any]], style: str) -> list[tuple[str, str]]:
    """(text, html) of each item's bibliography entry, in the order of `items`."""
    import subprocess  # with the first citation: not at start-up

    keyed = [{**item, "id": f"k{i}"} for i, item in enumerate(items)]
    data = json.dumps(keyed, ensure_ascii=False, sort_keys=True)
    with _lock:
        if (style, data) in _cache:
            return _cache[(style, data)]
    path = style_path(style)
    with tempfile.TemporaryDirectory(prefix="kbviewer-cite-") as folder:
        refs = Path(folder) / "sources.json"
        refs.write_text(data, encoding="utf-8")
        command = [_pandoc(), "--from", "markdown", "--to", "html", "--citeproc", "--wrap=none",
                   "--bibliography", str(refs), "--csl", str(path), "--metadata", "lang=en-US"]
        try:
            done = subprocess.run(command, input=b'---\nnocite: "@*"\n---\n', capture_output=True,
                                  timeout=PANDOC_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise CitationError(f"pandoc could not make the citations: {err}") from None
    if done.returncode != 0:
        last = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise CitationError(f"pandoc could not make the citations: {last}")
    entries = {key: body.strip() for key, body in _ENTRY.findall(done.stdout.decode("utf-8", "replace"))}
    out = []
    for i in range(len(keyed)):
        body = entries.get(f"k{i}", "")
        out.append((_to_text(body), sanitise(body)))
    with _lock:
        if len(_cache) > 256:
            _cache.clear()
        _cache[(style, data)] = out
    return out


def cite_notes(notes: list[Note], style: str = DEFAULT_STYLE) -> list[Citation]:
    """The citation of each source note, in the order given."""
    if not notes:
        return []
    rendered = _render([csl_item(n, archive=False) for n in notes], style)
    return [Citation(n.id, text, body) for n, (text, body) in zip(notes, rendered, strict=False)]


def cite(kb: KnowledgeBase, note: Note, style: str = DEFAULT_STYLE) -> list[Citation]:
    """A source note's citation, or the citations of a note's sources."""
    return cite_notes(sources_of(kb, note), style)


def bibliography(notes: list[Note], style: str = DEFAULT_STYLE) -> list[Citation]:
    """Every source once, sorted as a reference list is (by its text)."""
    unique = list({n.id: n for n in notes}.values())
    return sorted(cite_notes(unique, style), key=lambda c: c.text.casefold().lstrip("“\"'‘"))
