"""Export to a self-contained HTML file and to PDF; the note style follows the palette."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from viewer.core import KnowledgeBase
from viewer.ui.note.export import export_html, export_pdf, html_document, print_document
from viewer.ui.theme import colours, note_css

from conftest import NOTES, rendered, write_kb

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db00000000049454e44ae426082")


def test_html_export_is_self_contained_with_its_sources(qtbot, window, tmp_path):
    window.open_note("alpha")
    rendered(qtbot, window)
    path = window.export_html(tmp_path / "alpha.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<style>" in text and "a.wikilink" in text
    assert "<title>Alpha Agency</title>" in text
    assert not re.search(r'<link\b|<script\b|\bsrc="(?!data:)|@import|url\(', text)
    assert 'href="note:' not in text and 'href="tag:' not in text  # links in the viewer become text
    assert "Sources</h2>" in text and "The Paper" in text and "Daily" in text and "A. Writer" in text
    assert "March 2020" in text


def test_html_export_inlines_images_from_the_knowledge_base(tmp_path):
    notes = dict(NOTES)
    notes["pictured.md"] = "# Pictured\n\n![dot](dot.png)\n"
    folder = write_kb(tmp_path / "kb", notes)
    (folder / "dot.png").write_bytes(PNG)
    kb = KnowledgeBase.open(folder, store=tmp_path / "s.json")
    text = html_document(kb, "pictured")
    assert 'src="data:image/png;base64,' in text


def test_pdf_export_lists_sources(qtbot, window, tmp_path):
    window.open_note("the-event")
    rendered(qtbot, window)
    path = window.export_pdf(tmp_path / "event.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert not list(tmp_path.glob(".*partial"))
    text = print_document(window.kb, "the-event").toPlainText()
    assert "Sources" in text and "The Paper — Daily; March 2020; by A. Writer" in text


def test_export_writes_atomically_over_an_old_file(reader_kb, tmp_path):
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    export_html(reader_kb, "paper", target)
    assert "The Paper" in target.read_text(encoding="utf-8")
    export_pdf(reader_kb, "paper", tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#1b1b1d"),
                         (QPalette.ColorRole.Text, "#e8e8e8"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
                         (QPalette.ColorRole.Link, "#8ab4f8"), (QPalette.ColorRole.Highlight, "#3d6fb4")):
        palette.setColor(role, QColor(colour))
    return palette


def test_note_style_sheet_takes_its_colours_from_the_palette():
    light = note_css(QApplication.palette())
    dark = note_css(dark_palette())
    assert "$" not in light and "$" not in dark
    assert colours(dark_palette())["base"] == "#1b1b1d" and "#1b1b1d" in dark and "#e8e8e8" in dark
    assert "#1b1b1d" not in light
    muted_dark = QColor(colours(dark_palette())["muted"])
    assert muted_dark.lightness() > 100  # muted text stays readable on a dark base


def test_the_window_follows_a_palette_change(qtbot, window):
    app = QApplication.instance()
    old = app.palette()
    try:
        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: "#1b1b1d" in window.view.document().defaultStyleSheet())
        assert window.current_id == "overview"
    finally:
        app.setPalette(old)
