"""Citations in the window, driven as a reader would: select, Ctrl+Shift+C, the Edit menu, the export dialogs."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from viewer.core import KnowledgeBase
from viewer.ui.window.export_options import ExportOptions

from conftest import rendered, shown_window, write_kb
from test_annotations_window import select_text

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NOTES = {
    "hill.md": "---\ntitle: The secretive company\ntype: source\noutlet: The Daily Paper\n"
               "authors: [Kashmir Hill]\npublished: 2020-01-18\nurl: https://example.org/hill\n---\n"
               "# The secretive company\n\nAn article.\n",
    "watchdog.md": "---\ntitle: Watchdog finding\ntype: source\noutlet: The Watchdog\npublished: 2021-02\n"
                   "url: https://example.org/finding\n---\n# Watchdog finding\n\nA finding.\n",
    "agency.md": "---\ntitle: The Agency\ntype: organisation\nsources: [hill, watchdog]\n---\n# The Agency\n\n"
                 "Officers tried the tool in secret ([[hill|Hill]]). "
                 "The watchdog found it unlawful ([[watchdog|Watchdog]]).\n",
}


@pytest.fixture
def window(qtbot, tmp_path):

    kb = KnowledgeBase.open(write_kb(tmp_path / "kb", NOTES), store=tmp_path / "store.json")
    win = shown_window(qtbot, kb, data_dir=tmp_path / "data")
    win.open_note("agency")
    rendered(qtbot, win)
    yield win
    win.close()
    QApplication.clipboard().clear()  # Qt's offscreen clipboard crashes at exit while holding rich data



def test_ctrl_shift_c_copies_the_passage_with_the_citation_after_it(qtbot, window):
    select_text(window.view, "The watchdog found it unlawful")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_C, CTRL_SHIFT)
    data = QApplication.clipboard().mimeData()
    assert data.text() == ("“The watchdog found it unlawful”\n\n"
                           "Watchdog finding. (2021, February). The Watchdog. https://example.org/finding")
    assert "<blockquote>" in data.html() and "<em>Watchdog finding</em>" in data.html()


def test_copy_citation_follows_the_chosen_style(qtbot, window):
    edit = window.menus["Edit"]
    styles = next(a.menu() for a in edit.actions() if a.menu() and a.text().replace("&", "") == "Citation Style")
    next(a for a in styles.actions() if a.text().startswith("MLA")).trigger()
    window.open_note("hill")
    rendered(qtbot, window)
    window.actions_.copy_citation.trigger()
    assert QApplication.clipboard().text() == ("Hill, Kashmir. “The Secretive Company.” The Daily Paper, "
                                               "18 Jan. 2020, https://example.org/hill.")


def test_the_address_in_the_header_asks_before_opening(qtbot, window, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text, *rest: asked.append(text)
                        or QMessageBox.StandardButton.No)
    window.open_note("hill")
    rendered(qtbot, window)
    assert "Address" in window.view.toPlainText()
    window.view.anchorClicked.emit(QUrl("https://example.org/hill"))
    assert len(asked) == 1 and "https://example.org/hill" in asked[0]


def test_export_sources_from_the_file_menu(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setattr(ExportOptions, "ask", lambda self: {"sources_format": "csl-json", "sources_cited": False})
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "refs"), ""))
    window.actions_.export_sources.trigger()
    items = json.loads((tmp_path / "refs.json").read_text(encoding="utf-8"))
    assert sorted(i["id"] for i in items) == ["hill", "watchdog"]


def test_export_annotations_dialog_writes_word(qtbot, window, tmp_path, monkeypatch):
    from docx import Document

    store = window.annotations.store
    from viewer.core.annotations import note_text

    text = note_text(window.kb, "agency")
    start = text.index("Officers tried")
    store.add("agency", text, start, start + len("Officers tried the tool in secret"), comment="key", tags=["a"])
    window.annotations.refresh()
    monkeypatch.setattr(ExportOptions, "ask", lambda self: {"annotations_format": "docx", "citation_style": "mla",
                                                            "annotations_by": "tag"})
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "essay"), ""))
    window.actions_.export_annotations.trigger()
    texts = [p.text for p in Document(str(tmp_path / "essay.docx")).paragraphs]
    assert "Officers tried the tool in secret" in texts and "Bibliography" in texts
    assert texts[-1].startswith("Hill, Kashmir. “The Secretive Company.”")


def test_the_export_dialog_can_leave_highlights_out(qtbot, window, tmp_path, monkeypatch):
    from viewer.core.annotations import note_text

    text = note_text(window.kb, "agency")
    start = text.index("Officers tried")
    window.annotations.store.add("agency", text, start, start + 14, comment="note this")
    window.annotations.refresh()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "page"), ""))
    monkeypatch.setattr(ExportOptions, "ask", lambda self: {"highlights": True})
    window.actions_.export_html.trigger()
    assert "hl-yellow" in (tmp_path / "page.html").read_text(encoding="utf-8")
    monkeypatch.setattr(ExportOptions, "ask", lambda self: {"highlights": False})
    window.actions_.export_html.trigger()
    assert "hl-yellow" not in (tmp_path / "page.html").read_text(encoding="utf-8")
