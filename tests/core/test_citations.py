"""Citations of source notes (CSL styles through pandoc's citeproc), what a passage cites, the source checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.core import KnowledgeBase
from viewer.core.annotations import note_text
from viewer.core.citations import CitationError, bibliography, cite, csl_item
from viewer.core.cited import note_blocks, passage_sources, section_of
from viewer.core.source_checks import source_diagnostics

NOTES = {
    "hill.md": "---\ntitle: The secretive company that might end privacy\ntype: source\noutlet: The Daily Paper\n"
               "authors: [Kashmir Hill]\npublished: 2020-01-18\nurl: https://example.org/hill\n"
               "archived: https://archive.example.org/hill\n---\n# The secretive company\n\nAn article.\n",
    "case.md": "---\ntitle: Case page\ntype: source\noutlet: Civil Liberties Union\nauthors: []\n"
               "published: 2022-05/..\nurl: https://example.org/case\n---\n# Case page\n\nA page.\n",
    "lost.md": "---\ntitle: Lost report\ntype: source\noutlet: A Watchdog\npublished: 2021-06-10\n---\n"
               "# Lost report\n\nNever found.\n",
    "event.md": "---\ntitle: An event\ntype: event\n---\n# An event\n\nIt happened.\n",
    "claims.md": "---\ntitle: Claims\ntype: topic\nsources: [hill, case]\n---\n# Claims\n\n"
                 "## First part\n\nThe company scraped photos ([[hill|Hill]]). Police tested it "
                 "([[case|Case]]; [[hill|Hill]]). Nobody checked.\n\n## Second part\n\n"
                 "A bad citation ([[event|Event]]). A reference on ([[event]]).\n",
}


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def test_csl_item_has_the_fields_a_reference_manager_reads(kb):
    item = csl_item(kb.get("hill"))
    assert item["type"] == "webpage" and item["container-title"] == "The Daily Paper"
    assert item["author"] == [{"family": "Hill", "given": "Kashmir"}]
    assert item["issued"] == {"date-parts": [[2020, 1, 18]]}
    assert item["URL"] == "https://example.org/hill"
    assert item["archive_location"] == "https://archive.example.org/hill"


def test_an_open_date_range_is_cited_as_undated(kb):
    assert "issued" not in csl_item(kb.get("case"))


@pytest.mark.parametrize("style, expected", [
    ("apa", "Hill, K. (2020, January 18). The secretive company that might end privacy. "
            "The Daily Paper. https://example.org/hill"),
    ("chicago", "Hill, Kashmir. “The Secretive Company That Might End Privacy.” The Daily Paper, "
                "January 18, 2020. https://example.org/hill."),
    ("mla", "Hill, Kashmir. “The Secretive Company That Might End Privacy.” The Daily Paper, "
            "18 Jan. 2020, https://example.org/hill."),
])
def test_a_source_is_cited_in_each_style(kb, style, expected):
    [citation] = cite(kb, kb.get("hill"), style)
    assert citation.text == expected


def test_the_html_citation_keeps_italics_and_a_link(kb):
    [citation] = cite(kb, kb.get("hill"), "apa")
    assert "<em>The secretive company that might end privacy</em>" in citation.html
    assert '<a href="https://example.org/hill"' in citation.html


def test_an_undated_source_without_an_author(kb):
    [citation] = cite(kb, kb.get("case"), "apa")
    assert citation.text.startswith("Case page. (n.d.). Civil Liberties Union.")


def test_a_note_is_cited_by_its_sources(kb):
    citations = cite(kb, kb.get("claims"), "mla")
    assert [c.note_id for c in citations] == ["hill", "case"]
    assert cite(kb, kb.get("event"), "mla") == []


def test_an_unknown_style_is_refused(kb):
    with pytest.raises(CitationError, match="unknown citation style"):
        cite(kb, kb.get("hill"), "harvard")


def test_the_bibliography_lists_each_source_once_in_order(kb):
    notes = [kb.get("hill"), kb.get("case"), kb.get("hill")]
    assert [c.note_id for c in bibliography(notes, "apa")] == ["case", "hill"]


def passage(kb, note_id: str, text: str) -> tuple[int, int]:
    start = note_text(kb, note_id).index(text)
    return start, start + len(text)


def test_a_passage_cites_the_sources_right_after_it(kb):
    note = kb.get("claims")
    found = passage_sources(kb, note, *passage(kb, "claims", "Police tested it"))
    assert [n.id for n in found] == ["case", "hill"]


def test_a_passage_holding_a_citation_cites_that_source(kb):
    note = kb.get("claims")
    found = passage_sources(kb, note, *passage(kb, "claims", "scraped photos (Hill). Police"))
    assert [n.id for n in found] == ["hill"]


def test_a_passage_citing_nothing_rests_on_the_note_sources(kb):
    note = kb.get("claims")
    found = passage_sources(kb, note, *passage(kb, "claims", "Nobody checked."))
    assert [n.id for n in found] == ["hill", "case"]


def test_a_passage_knows_its_section(kb):
    blocks = note_blocks(kb, "claims")
    assert "\n".join(b.text for b in blocks) == note_text(kb, "claims")
    assert section_of(blocks, passage(kb, "claims", "Nobody checked.")[0]) == "First part"
    assert section_of(blocks, passage(kb, "claims", "A bad citation")[0]) == "Second part"


def test_check_warns_about_a_source_without_address_and_a_citation_of_no_source(kb):
    found = {(d.file, d.code) for d in source_diagnostics(kb)}
    assert found == {("lost.md", "source-no-address"), ("claims.md", "citation-not-source")}


def test_every_bundled_source_has_an_address(tmp_path):
    kb = KnowledgeBase.open(Path(__file__).resolve().parents[2] / "kb", tmp_path / "store.json")
    missing = sorted(d.file for d in source_diagnostics(kb) if d.code == "source-no-address")
    assert missing == []


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_an_orphaned_passage_says_so_in_every_essay_format(kb, tmp_path, fmt):
    from dataclasses import replace

    from viewer.core.annotations import AnnotationStore
    from viewer.core.annotations.essay import export_essay
    from viewer.core.annotations.model import ORPHANED

    store = AnnotationStore.open(tmp_path / "data")
    placed = store.add_quote("claims", note_text(kb, "claims"), "Police tested it", comment="check").added[0]
    annotation = store.get(placed)
    assert annotation is not None
    text = export_essay(kb, [annotation], fmt).decode("utf-8")
    assert "no longer in the note" not in text and "Note: Claims" in text
    orphan = export_essay(kb, [replace(annotation, status=ORPHANED)], fmt).decode("utf-8")
    assert "no longer in the note" in orphan
