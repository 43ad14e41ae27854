"""`kbviewer cite`, `sources export`, `annotations export --format markdown|html|docx` and
`export --highlights`: each output read back by a real parser."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from viewer.cli import main
from viewer.core.citations import CSL_TYPES

NOTES = {
    "hill.md": "---\ntitle: The secretive company & the police\ntype: source\noutlet: The Daily Paper\n"
               "authors: [Kashmir Hill]\npublished: 2020-01-18\nurl: https://example.org/hill_1\n---\n"
               "# The secretive company\n\nAn article.\n",
    "watchdog.md": "---\ntitle: Watchdog finding\ntype: source\noutlet: The Watchdog\npublished: 2021-02\n"
                   "url: https://example.org/finding\n---\n# Watchdog finding\n\nA finding.\n",
    "unused.md": "---\ntitle: Unused page\ntype: source\noutlet: Nobody\nurl: https://example.org/unused\n---\n"
                 "# Unused page\n\nNot cited by any passage.\n",
    "agency.md": "---\ntitle: The Agency\ntype: organisation\nsources: [hill, watchdog]\n---\n# The Agency\n\n"
                 "## Trials\n\nOfficers tried the tool in secret ([[hill|Hill]]). "
                 "The watchdog found it unlawful ([[watchdog|Watchdog]]).\n",
}
NAME = {"type": "object", "additionalProperties": False,
        "properties": {k: {"type": "string"} for k in ("family", "given", "literal")}}
DATE = {"type": "object", "additionalProperties": False, "required": ["date-parts"],
        "properties": {"date-parts": {"type": "array", "minItems": 1, "maxItems": 2,
                                      "items": {"type": "array", "minItems": 1, "maxItems": 3,
                                                "items": {"type": "integer"}}}}}
# CSL-JSON as the CSL 1.0 specification names its variables (the ones Zotero maps), no others
CSL_SCHEMA = {"type": "array", "items": {
    "type": "object", "required": ["id", "type"], "additionalProperties": False,
    "properties": {"id": {"type": "string"}, "type": {"enum": sorted(CSL_TYPES)},
                   "title": {"type": "string"}, "container-title": {"type": "string"},
                   "author": {"type": "array", "items": NAME}, "issued": DATE, "URL": {"type": "string"},
                   "archive_location": {"type": "string"}, "note": {"type": "string"}}}}


@pytest.fixture
def kb_dir(tmp_path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def run(kb_dir, tmp_path, capsys):
    def run_(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--kb", str(kb_dir), "--store", str(tmp_path / "store.json"),
                     "--data", str(tmp_path / "data")])
        out, err = capsys.readouterr()
        return code, out, err
    return run_


@pytest.fixture
def annotated(run):
    code, _, _ = run("annotations", "add", "agency", "--quote", "Officers tried the tool in secret",
                     "--colour", "pink", "--tag", "trials",
                     "--comment", "# not a heading [a link](http://x) <script>alert(1)</script>")
    assert code == 0
    return run


def test_cite_prints_a_source_in_the_chosen_style(run):
    code, out, _ = run("cite", "hill", "--style", "mla")
    assert code == 0
    assert out == ("Hill, Kashmir. “The Secretive Company & the Police.” The Daily Paper, 18 Jan. 2020, "
                   "https://example.org/hill_1.\n")


def test_cite_of_a_note_prints_its_sources(run):
    code, out, _ = run("cite", "The Agency")
    assert code == 0 and len(out.splitlines()) == 2
    assert out.splitlines()[0].startswith("Hill, K. (2020, January 18).")


def test_sources_as_csl_json_follow_the_csl_schema(run):
    code, out, _ = run("sources", "export", "--format", "csl-json")
    assert code == 0
    items = json.loads(out)
    jsonschema.validate(items, CSL_SCHEMA)
    assert {i["id"] for i in items} == {"hill", "watchdog", "unused"}


def test_sources_as_bibtex_parse_with_bibtexparser(run):
    code, out, _ = run("sources", "export", "--format", "bibtex")
    assert code == 0
    library = bibtexparser.parse_string(out)
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {"hill", "watchdog", "unused"}
    hill = entries["hill"].fields_dict
    assert hill["author"].value == "Hill, Kashmir"
    assert hill["url"].value == "https://example.org/hill_1"
    assert "\\&" in hill["title"].value  # escaped for LaTeX
    assert hill["publisher"].value == "The Daily Paper"


def test_cited_sources_as_ris_parse_with_rispy(annotated, tmp_path):
    target = tmp_path / "cited.ris"
    code, _, err = annotated("sources", "export", "--format", "ris", "--cited", "-o", str(target))
    assert code == 0 and "1 sources written" in err
    [entry] = rispy.loads(target.read_text(encoding="utf-8"))
    assert entry["title"] == "The secretive company & the police"
    assert entry["authors"] == ["Hill, Kashmir"] and entry["urls"] == ["https://example.org/hill_1"]
    assert entry["year"] == "2020"


def test_annotations_as_word_have_citations_and_a_bibliography(annotated, tmp_path):
    target = tmp_path / "essay.docx"
    code, _, _ = annotated("annotations", "export", "--format", "docx", "--style", "apa", "-o", str(target))
    assert code == 0
    doc = Document(str(target))
    texts = [p.text for p in doc.paragraphs]
    quote = next(p for p in doc.paragraphs if p.text == "Officers tried the tool in secret")
    assert quote.runs[0].font.highlight_color == WD_COLOR_INDEX.PINK
    assert "Section: Trials" in next(t for t in texts if t.startswith("Note: The Agency"))
    assert any(t.startswith("# not a heading") for t in texts)
    source = next(p for p in doc.paragraphs if p.text.startswith("Source: Hill, K. (2020, January 18)."))
    assert any(r.italic and r.text == "The secretive company & the police" for r in source.runs)
    heading = texts.index("Bibliography")
    assert texts[heading + 1].startswith("Hill, K. (2020, January 18). The secretive company & the police.")
    assert len(texts) == heading + 2  # only the source the passage cites


def test_annotations_as_markdown_escape_the_comment(annotated):
    code, out, _ = annotated("annotations", "export", "--format", "markdown", "--by", "tag")
    assert code == 0
    assert "## trials" in out and "\n> Officers tried the tool in secret\n" in out
    assert "\\# not a heading \\[a link\\]\\(http://x\\) &lt;script&gt;" in out
    assert "Source: Hill, K. \\(2020, January 18\\)." in out and "## Bibliography" in out


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_annotations_as_html_are_sanitised(annotated, tmp_path):
    target = tmp_path / "essay.html"
    code, _, _ = annotated("annotations", "export", "--format", "html", "-o", str(target))
    assert code == 0
    parser = _Tags()
    parser.feed(target.read_text(encoding="utf-8"))
    assert "script" not in parser.tags and "blockquote" in parser.tags
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown as typed, never run
    assert "Bibliography" in text and "Hill, K. (2020, January 18)." in text


def test_note_export_shows_highlights_unless_turned_off(annotated, tmp_path):
    target = tmp_path / "agency.html"
    assert annotated("export", "agency", "-o", str(target))[0] == 0
    page = target.read_text(encoding="utf-8")
    assert '<span class="hl hl-pink">Officers tried the tool in secret</span><sup class="hl-ref">[1]</sup>' in page
    assert "<h2>Comments</h2>" in page and "&lt;script&gt;" in page and "<script>" not in page
    assert annotated("export", "agency", "--no-highlights", "-o", str(target))[0] == 0
    page = target.read_text(encoding="utf-8")
    assert "hl-pink" not in page and "Comments" not in page


def test_pdf_export_lays_out_the_highlights(annotated, tmp_path, kb_dir, qapp):
    from viewer.core import KnowledgeBase
    from viewer.core.annotations import AnnotationStore
    from viewer.ui.note.pdf import note_document

    kb = KnowledgeBase.open(kb_dir, store=tmp_path / "store.json")
    annotations = AnnotationStore.open(tmp_path / "data").all()
    doc = note_document(kb, "agency", annotations)
    assert "background-color:#f48fb1" in doc.toHtml() and "Comments" in doc.toPlainText()
    target = tmp_path / "agency.pdf"
    done = subprocess.run([sys.executable, "-m", "viewer", "export", "agency", "-o", str(target), "--kb", str(kb_dir),
                           "--store", str(tmp_path / "store.json"), "--data", str(tmp_path / "data")],
                          capture_output=True, text=True)  # Qt's offscreen app in a process of its own
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF")
