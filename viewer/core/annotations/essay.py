"""Annotations out for an essay: Markdown, HTML and Word, with citations and a bibliography.

Each quote comes with its note, its section heading, its colour, the reader's
comment and tags, and the full citation of the source(s) the passage cites
(`viewer.core.cited`) in the chosen style; a bibliography of every source
cited ends the document. Grouped by note or by tag. The reader's text is
escaped for each format: in Markdown nothing becomes a heading, link or HTML
(`markdown_text`); the HTML body passes the same allow-list as the notes.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from viewer.core.annotations.export import markdown_text
from viewer.core.annotations.model import COLOURS, Annotation
from viewer.core.citations import DEFAULT_STYLE, STYLES, Citation, bibliography, cite_notes, sources_of
from viewer.core.cited import note_blocks, passage_sources, section_of
from viewer.core.model import Note
from viewer.core.safe_html import sanitise

if TYPE_CHECKING:
    from viewer.core.kb import KnowledgeBase

GROUPINGS = ("note", "tag")
UNTAGGED = "Untagged"
ESSAY_CSS = """
body { max-width: 46em; margin: 2em auto; padding: 0 1em; font-family: Georgia, serif; line-height: 1.5; }
blockquote { margin: 0.6em 0; padding: 0.2em 0.8em; border-left: 0.4em solid #ccc; }
p.meta, p.citation { margin: 0.2em 0 0.2em 1.2em; font-size: 0.95em; }
p.comment { margin: 0.4em 0 0.2em 1.2em; }
ol.bibliography li { margin-bottom: 0.4em; padding-left: 1.5em; text-indent: -1.5em; list-style: none; }
""" + "".join(f"blockquote.colour-{name} {{ border-left-color: {value}; background: {value}33; }}\n"
              for name, value in COLOURS.items())


@dataclass(frozen=True)
class Entry:
    """One annotation with what an essay needs around it."""

    annotation: Annotation
    note_title: str
    section: str | None
    citations: tuple[Citation, ...]


def _sources(kb: KnowledgeBase, annotation: Annotation, blocks_of: Any) -> list[Note]:
    note = kb.get(annotation.note)
    if note is None:
        return []
    if annotation.orphaned:
        return sources_of(kb, note)
    return passage_sources(kb, note, annotation.start, annotation.end, blocks_of(note.id))


def _blocks_cache(kb: KnowledgeBase) -> Any:
    cache: dict = {}

    def blocks_of(note_id: str) -> Any:
        if note_id not in cache:
            cache[note_id] = note_blocks(kb, note_id)
        return cache[note_id]
    return blocks_of


def cited_sources(kb: KnowledgeBase, annotations: Iterable[Annotation]) -> list[Note]:
    """Every source note the annotations' passages cite, once."""
    blocks_of = _blocks_cache(kb)
    found: dict[str, Note] = {}
    for annotation in annotations:
        for source in _sources(kb, annotation, blocks_of):
            found.setdefault(source.id, source)
    return list(found.values())


def essay_entries(kb: KnowledgeBase, annotations: Iterable[Annotation],
                  style: str = DEFAULT_STYLE) -> tuple[list[Entry], list[Citation]]:
    """The entries in reading order within each note, and the bibliography."""
    blocks_of = _blocks_cache(kb)
    annotations = sorted(annotations, key=lambda a: (a.note, a.start, a.end, a.created))
    sources = {a.id: _sources(kb, a, blocks_of) for a in annotations}
    unique = list({n.id: n for found in sources.values() for n in found}.values())
    by_id = {c.note_id: c for c in cite_notes(unique, style)}
    entries = []
    for a in annotations:
        note = kb.get(a.note)
        title = note.title if note else a.note
        section = None
        if note is not None and not a.orphaned:
            section = section_of(blocks_of(note.id), a.start)
            if section is not None and section.strip().casefold() == title.strip().casefold():
                section = None
        entries.append(Entry(a, title, section, tuple(by_id[n.id] for n in sources[a.id])))
    return entries, bibliography(unique, style)


def grouped(entries: list[Entry], by: str = "note") -> list[tuple[str, list[Entry]]]:
    """(heading, entries) by note title, or by tag (an entry under each of its tags; untagged last)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        keys = [entry.note_title] if by == "note" else list(entry.annotation.tags) or [UNTAGGED]
        for key in keys:
            groups.setdefault(key, []).append(entry)
    order = sorted(groups, key=lambda k: (by == "tag" and k == UNTAGGED, k.casefold()))
    return [(key, groups[key]) for key in order]


class _Runs(HTMLParser):
    """A citation's HTML as (text, italic) runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[str, bool]] = []
        self._italic = 0

    def handle_starttag(self, tag, attrs):
        self._italic += tag in ("em", "i")

    def handle_endtag(self, tag):
        self._italic -= tag in ("em", "i") and self._italic > 0

    def handle_data(self, data):
        if data:
            self.runs.append((data, self._italic > 0))


def runs(citation_html: str) -> list[tuple[str, bool]]:
    parser = _Runs()
    parser.feed(citation_html)
    parser.close()
    return parser.runs


def _when() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def _one_line(text: str) -> str:
    return " ".join(text.split())


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text Word can hold: characters XML forbids are dropped."""
    return _NOT_XML.sub("", text)


# -- Markdown -----------------------------------------------------------------

def _md_citation(citation: Citation) -> str:
    out = []
    for text, italic in runs(citation.html):
        escaped = markdown_text(re.sub(r"\s+", " ", text))
        out.append(f"*{escaped.strip()}*" + (" " if text.endswith(" ") else "") if italic and text.strip()
                   else escaped)
    return "".join(out).strip()


def to_essay_markdown(entries: list[Entry], bib: list[Citation], by: str = "note",
                      style: str = DEFAULT_STYLE) -> str:
    lines = ["# Annotations", "",
             f"{len(entries)} passages, citations in {STYLES[style][0]}, exported {_when()}.", ""]
    for heading, group in grouped(entries, by):
        lines += [f"## {markdown_text(_one_line(heading))}", ""]
        for entry in group:
            a = entry.annotation
            lines += [f"> {markdown_text(line)}".rstrip() for line in a.exact.splitlines() or [""]]
            lines.append("")
            where = _where(entry, lambda text: markdown_text(_one_line(text)))
            lines += [" · ".join(where), ""]
            if a.comment.strip():
                lines += [markdown_text(line) for line in a.comment.strip().splitlines()] + [""]
            for citation in entry.citations:
                lines += [f"Source: {_md_citation(citation)}", ""]
    if bib:
        lines += ["## Bibliography", ""]
        lines += [f"- {_md_citation(c)}" for c in bib] + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _where(entry: Entry, escape: Callable[[str], str]) -> list[str]:
    """Where a passage is and how it is marked: note, section, colour, tags, each escaped."""
    a = entry.annotation
    where = [f"Note: {escape(entry.note_title)}"]
    if entry.section:
        where.append(f"Section: {escape(entry.section)}")
    where.append(f"Colour: {escape(a.colour)}")
    if a.tags:
        where.append("Tags: " + ", ".join(escape(t) for t in a.tags))
    if a.orphaned:
        where.append("no longer in the note")
    return where


# -- HTML ---------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def to_essay_html(entries: list[Entry], bib: list[Citation], by: str = "note", style: str = DEFAULT_STYLE) -> str:
    parts = ["<h1>Annotations</h1>",
             f"<p>{len(entries)} passages, citations in {_e(STYLES[style][0])}, exported {_when()}.</p>"]
    for heading, group in grouped(entries, by):
        parts.append(f"<h2>{_e(heading)}</h2>")
        for entry in group:
            a = entry.annotation
            quote = "<br>".join(_e(line) for line in a.exact.splitlines())
            parts.append(f'<blockquote class="colour-{_e(a.colour)}"><p>{quote}</p></blockquote>')
            where = _where(entry, _e)
            parts.append(f'<p class="meta">{" · ".join(where)}</p>')
            for para in (p for p in a.comment.strip().split("\n\n") if p.strip()):
                parts.append(f'<p class="comment">{"<br>".join(_e(x) for x in para.splitlines())}</p>')
            parts += [f'<p class="citation">Source: {c.html}</p>' for c in entry.citations]
    if bib:
        parts.append("<h2>Bibliography</h2>")
        parts.append('<ol class="bibliography">' + "".join(f"<li>{c.html}</li>" for c in bib) + "</ol>")
    body = sanitise("\n".join(parts))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Annotations</title>\n"
            f"<meta name=\"generator\" content=\"kbviewer\">\n<style>{ESSAY_CSS}</style>\n</head>\n"
            f"<body>\n{body}\n</body>\n</html>\n")


# -- Word ---------------------------------------------------------------------

def _docx_highlight(colour: str) -> Any:
    from docx.enum.text import WD_COLOR_INDEX

    return {"yellow": WD_COLOR_INDEX.YELLOW, "green": WD_COLOR_INDEX.BRIGHT_GREEN,
            "blue": WD_COLOR_INDEX.TURQUOISE, "pink": WD_COLOR_INDEX.PINK,
            "purple": WD_COLOR_INDEX.VIOLET}.get(colour)


def _add_citation(paragraph: Any, citation: Citation) -> None:
    for text, italic in runs(citation.html):
        paragraph.add_run(_xml(text)).italic = italic or None


def to_essay_docx(entries: list[Entry], bib: list[Citation], by: str = "note", style: str = DEFAULT_STYLE) -> bytes:
    """A Word document (python-docx): quotes highlighted in their colours, citations with italics."""
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = "Annotations"
    doc.add_heading("Annotations", level=0)
    doc.add_paragraph(f"{len(entries)} passages, citations in {STYLES[style][0]}, exported {_when()}.")
    for heading, group in grouped(entries, by):
        doc.add_heading(_xml(heading), level=1)
        for entry in group:
            a = entry.annotation
            quote = doc.add_paragraph(style="Quote")
            run = quote.add_run(_xml(a.exact))
            run.font.highlight_color = _docx_highlight(a.colour)
            where = [f"Note: {entry.note_title}"]
            if entry.section:
                where.append(f"Section: {entry.section}")
            where.append(f"Colour: {a.colour}")
            if a.tags:
                where.append("Tags: " + ", ".join(a.tags))
            doc.add_paragraph(_xml(" · ".join(where)))
            if a.comment.strip():
                doc.add_paragraph(_xml(a.comment.strip()))
            for citation in entry.citations:
                para = doc.add_paragraph()
                para.add_run("Source: ").bold = True
                _add_citation(para, citation)
    if bib:
        doc.add_heading("Bibliography", level=1)
        for citation in bib:
            para = doc.add_paragraph()
            para.paragraph_format.left_indent = Cm(1.27)
            para.paragraph_format.first_line_indent = Cm(-1.27)
            _add_citation(para, citation)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


WRITERS = {"markdown": to_essay_markdown, "html": to_essay_html, "docx": to_essay_docx}


def export_essay(kb: KnowledgeBase, annotations: Iterable[Annotation], fmt: str, style: str = DEFAULT_STYLE,
                 by: str = "note") -> bytes:
    """The annotations as 'markdown', 'html' or 'docx', with citations in `style`, grouped `by` note or tag."""
    entries, bib = essay_entries(kb, annotations, style)
    data: Any = WRITERS[fmt](entries, bib, by, style)
    return data if isinstance(data, bytes) else data.encode("utf-8")
