"""Source notes out to a reference manager: CSL-JSON, BibTeX and RIS, which Zotero imports.

CSL-JSON is the items `viewer.core.citations.csl_item` makes; BibTeX is
converted from it by pandoc (which escapes for LaTeX); RIS is written by `rispy`.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import rispy

from viewer.core.citations import PANDOC_TIMEOUT, CitationError, _pandoc, csl_item
from viewer.core.model import Note

FORMATS = {"csl-json": ("CSL-JSON", "json"), "bibtex": ("BibTeX", "bib"), "ris": ("RIS", "ris")}
RIS_TYPES = {"webpage": "ELEC", "article-newspaper": "NEWS", "article-magazine": "MGZN",
             "article-journal": "JOUR", "report": "RPRT", "legal_case": "CASE", "legislation": "STAT",
             "speech": "GEN", "interview": "GEN", "post-weblog": "BLOG", "document": "GEN", "book": "BOOK"}


def citation_key(note_id: str) -> str:
    """A BibTeX key from a note id: letters, digits, '-', '_' and ':' only."""
    return re.sub(r"[^A-Za-z0-9_:-]+", "-", note_id).strip("-") or "source"


def csl_json(notes: list[Note]) -> str:
    items = [csl_item(n, citation_key(n.id)) for n in notes]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def bibtex(notes: list[Note]) -> str:
    if not notes:
        return ""
    with tempfile.TemporaryDirectory(prefix="kbviewer-bib-") as folder:
        source = Path(folder) / "sources.json"
        items = [csl_item(n, citation_key(n.id)) for n in notes]
        for item in items:  # pandoc keeps a web page's site only as its publisher
            if "container-title" in item:
                item.setdefault("publisher", item["container-title"])
        source.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        try:
            done = subprocess.run([_pandoc(), "--from", "csljson", "--to", "biblatex", str(source)],
                                  capture_output=True, timeout=PANDOC_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise CitationError(f"pandoc could not write BibTeX: {err}") from None
    if done.returncode != 0:
        raise CitationError("pandoc could not write BibTeX: "
                            + (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["?"])[-1])
    return done.stdout.decode("utf-8")


def _ris_entry(note: Note) -> dict[str, Any]:
    item = csl_item(note, citation_key(note.id))
    entry: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "title": item["title"],
                             "id": item["id"]}
    if "container-title" in item:
        entry["secondary_title"] = item["container-title"]
        entry["publisher"] = item["container-title"]
    if "author" in item:
        entry["authors"] = [a.get("literal") or f"{a['family']}, {a['given']}" for a in item["author"]]
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        entry["year"] = str(parts[0])
        entry["date"] = "/".join([str(parts[0]), *(f"{p:02d}" for p in parts[1:])])
    if "URL" in item:
        entry["urls"] = [item["URL"]]
    if "archive_location" in item:
        entry["archive_location"] = item["archive_location"]
    if "note" in item:
        entry["notes"] = [item["note"]]
    return entry


class _RisWriter(rispy.RisWriter):
    def set_header(self, count: int) -> str:  # no "1." line before each record
        return ""


def ris(notes: list[Note]) -> str:
    return rispy.dumps([_ris_entry(n) for n in notes], implementation=_RisWriter) if notes else ""


WRITERS = {"csl-json": csl_json, "bibtex": bibtex, "ris": ris}


def export_sources(notes: list[Note], fmt: str) -> str:
    """Every note of `notes` (source notes) in `fmt`: 'csl-json', 'bibtex' or 'ris'."""
    if fmt not in WRITERS:
        raise CitationError(f"unknown format '{fmt}' (one of: {', '.join(WRITERS)})")
    return WRITERS[fmt](sorted(notes, key=lambda n: n.id))
