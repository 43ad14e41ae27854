"""The fixture vault in the window: images drawn, callouts folded by click, panel by folder, attachments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QMessageBox

from viewer.core import KnowledgeBase
from viewer.ui.note.export import print_document
from viewer.ui.panels.notes import NOTE_ID_ROLE

from conftest import rendered, shown_window
from linkclick import click_link

VAULT = Path(__file__).resolve().parents[1] / "fixtures" / "vault"
# each picture's colour (JPEG and WebP are lossy: near enough)
COLOURS = {"png": (255, 0, 0), "spaces": (255, 0, 255), "jpeg": (0, 255, 0), "gif": (0, 0, 255),
           "webp": (255, 255, 0), "svg": (0, 255, 255)}


def _near(colour: QColor, rgb: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip((colour.red(), colour.green(), colour.blue()), rgb, strict=False))


def _colours_in(image: QImage) -> set[str]:
    found = set()
    for x in range(0, image.width(), 3):
        for y in range(0, image.height(), 3):
            colour = image.pixelColor(x, y)
            for name, rgb in COLOURS.items():
                if _near(colour, rgb):
                    found.add(name)
    return found


@pytest.fixture
def vault_window(qtbot, tmp_path):

    folder = tmp_path / "vault"
    shutil.copytree(VAULT, folder)
    kb = KnowledgeBase.open(folder, store=tmp_path / "store.json")
    window = shown_window(qtbot, kb, size=(1300, 1000))
    qtbot.waitUntil(lambda: window.current_id is not None)
    yield window
    window.close()


def test_the_folder_opens_on_its_home_note_and_alt_home_goes_there(qtbot, vault_window):
    assert vault_window.current_id == "Home"
    vault_window.open_note("Pictures")
    rendered(qtbot, vault_window)
    qtbot.keyClick(vault_window.view, Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    assert vault_window.current_id == "Home"


def test_every_image_type_is_drawn_in_the_window(qtbot, vault_window):
    vault_window.open_note("Pictures")
    rendered(qtbot, vault_window)
    bar = vault_window.view.verticalScrollBar()
    seen: set[str] = set()
    for value in range(0, bar.maximum() + bar.pageStep(), bar.pageStep() // 2):  # the page, screen by screen
        bar.setValue(value)
        qtbot.wait(20)
        seen |= _colours_in(vault_window.view.viewport().grab().toImage())
    assert seen == set(COLOURS)


def test_every_image_type_is_drawn_on_paper(qapp, tmp_path):
    kb = KnowledgeBase.open(VAULT, store=tmp_path / "s.json")
    doc = print_document(kb, "Pictures")
    doc.setTextWidth(700)
    image = QImage(720, int(doc.size().height()) + 20, QImage.Format.Format_RGB32)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    doc.drawContents(painter)
    painter.end()
    assert _colours_in(image) == set(COLOURS)


def test_a_folded_callout_opens_and_folds_again_on_click(qtbot, vault_window):
    vault_window.open_note("Syntax tour")
    rendered(qtbot, vault_window)
    assert "Hidden until opened" not in vault_window.view.toPlainText()
    click_link(qtbot, vault_window.view, "fold:14")
    rendered(qtbot, vault_window)
    assert "Hidden until opened" in vault_window.view.toPlainText()
    assert vault_window.current_id == "Syntax tour"
    click_link(qtbot, vault_window.view, "fold:14")
    rendered(qtbot, vault_window)
    assert "Hidden until opened" not in vault_window.view.toPlainText()


def test_notes_panel_groups_by_folder_then_by_type_and_keeps_the_choice(qtbot, vault_window):
    browser = vault_window.browser
    model = browser.model
    rows = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert rows[:3] == ["people (2)", "places (1)", "Projects (1)"]  # folders first, as a file manager
    assert rows[3:6] == ["Chain four", "Chain one", "Chain three"]
    people = model.index(0, 0)
    assert {model.index(r, 0, people).data(NOTE_ID_ROLE) for r in range(2)} == {"Jones", "people/Smith"}
    browser.tree.collapse(people)
    assert not browser.tree.isExpanded(people)
    browser.group_by.setFocus()
    qtbot.keyClick(browser.group_by, Qt.Key.Key_Up)  # By type, above By folder
    qtbot.waitUntil(lambda: model.index(0, 0).data() == "People (2)")
    key = [k for k in vault_window.settings.allKeys() if k.startswith("notes_grouping/")]
    assert key and vault_window.settings.value(key[0]) == "type"
    vault_window.set_kb(vault_window.kb)
    assert browser.grouping == "type" and browser.group_by.currentText() == "By type"


def test_filter_and_switcher_find_a_note_by_file_name(qtbot, vault_window):
    qtbot.keyClicks(vault_window.browser.filter, "smith")
    model = vault_window.browser.model
    found = set()
    for index in model.group_indexes():
        for row in range(model.rowCount(index)):
            found.add(model.index(row, 0, index).data(NOTE_ID_ROLE))
    assert found == {"people/Smith", "places/Smith"}
    from viewer.ui.panels.switcher import rank

    assert {c.note_id for c in rank(vault_window.kb.notes(), "Smith")[:2]} == {"people/Smith", "places/Smith"}


def test_an_attachment_opens_only_after_the_reader_confirms(qtbot, vault_window, monkeypatch):
    from viewer.ui.window import dialogs

    opened: list[QUrl] = []
    monkeypatch.setattr(dialogs.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(dialogs.QMessageBox, "question", lambda *a, **k: next(answers))
    vault_window.open_note("Pictures")
    rendered(qtbot, vault_window)
    click_link(qtbot, vault_window.view, "attachment:")
    assert opened == []
    click_link(qtbot, vault_window.view, "attachment:")
    assert [u.toLocalFile() for u in opened] == [str(vault_window.kb.folder / "attachments" / "report.pdf")]


def test_a_block_link_and_a_heading_link_scroll_to_their_place(qtbot, vault_window):
    vault_window.resize(900, 400)
    vault_window.open_note("Syntax tour")
    rendered(qtbot, vault_window)
    bar = vault_window.view.verticalScrollBar()
    click_link(qtbot, vault_window.view, "note:Syntax%20tour#callouts")
    assert vault_window.current_id == "Syntax tour"
    vault_window.open_note("Syntax tour", "block-key-point")
    rendered(qtbot, vault_window)
    assert bar.value() > 0
    place = bar.value()
    vault_window.open_note("Syntax tour", "maths-and-diagrams")
    rendered(qtbot, vault_window)
    assert bar.value() > place


def test_an_embed_is_drawn_framed_with_a_link_to_its_source(qtbot, vault_window):
    vault_window.open_note("Embeds")
    rendered(qtbot, vault_window)
    text = vault_window.view.toPlainText()
    assert "Tools live in the shed" in text and "it stops here" in text
    click_link(qtbot, vault_window.view, "note:Orchard%20plan#shed")
    assert vault_window.current_id == "Orchard plan"
