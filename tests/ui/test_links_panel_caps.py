"""The links panel reads a bounded number of links: a flood of links or a hub note lists the first ones and says so."""

from __future__ import annotations

import pytest

from viewer.core import KnowledgeBase
from viewer.ui.panels import links as links_panel
from viewer.ui.panels.links import LinksPanel


@pytest.fixture
def kb(tmp_path):
    folder = tmp_path / "kb"
    folder.mkdir()
    for i in range(30):
        (folder / f"n{i:02d}.md").write_text(f"---\ntitle: Note {i:02d}\n---\nSee [[hub]].\n", encoding="utf-8")
    body = "".join(f"Then [[n{i:02d}]].\n" for i in range(30))
    (folder / "hub.md").write_text(f"---\ntitle: Hub\n---\n{body}", encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def section_texts(panel: LinksPanel) -> list[str]:
    return [panel.model.item(row).text() for row in range(panel.model.rowCount())]


def children(panel: LinksPanel, row: int) -> list[str]:
    item = panel.model.item(row)
    return [item.child(r).text() for r in range(item.rowCount())]


def test_all_links_are_listed_under_the_caps(qtbot, kb):
    panel = LinksPanel()
    qtbot.addWidget(panel)
    panel.show_note(kb, "hub")
    assert section_texts(panel)[:2] == ["Links (30)", "Backlinks (30)"]
    assert len(panel.entries("Links")) == 30 and len(panel.entries("Backlinks")) == 30


def test_a_note_with_more_links_than_are_read_lists_the_first_and_says_so(qtbot, kb, monkeypatch):
    monkeypatch.setattr(links_panel, "LINKS_READ", 10)
    monkeypatch.setattr(links_panel, "BACKLINKS_READ", 5)
    panel = LinksPanel()
    qtbot.addWidget(panel)
    panel.show_note(kb, "hub")
    assert section_texts(panel)[:2] == ["Links (10)", "Backlinks (5)"]
    assert panel.entries("Links") == [f"n{i:02d}" for i in range(10)]
    assert len(panel.entries("Backlinks")) == 5
    assert children(panel, 0)[-1] == "The note's first 10 links of 30 are listed"
    assert children(panel, 1)[-1] == "The first 5 links into this note of 30 are listed"


def test_the_knowledge_base_counts_and_reads_only_the_links_asked_for(kb):
    assert kb.link_count("hub") == 30 and kb.backlink_count("hub") == 30
    assert [t[1] for t in kb.outgoing_targets("hub", 3)] == ["n00", "n01", "n02"]
    assert len(kb.backlinks("hub", 4)) == 4 and len(kb.backlinks("hub")) == 30


def test_the_window_shows_the_notice_for_a_note_opened_from_the_switcher(qtbot, kb, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from conftest import rendered, shown_window

    monkeypatch.setattr(links_panel, "LINKS_READ", 10)
    window = shown_window(qtbot, kb)
    window.open_switcher()
    QTest.keyClicks(window.switcher.field, "Hub")
    QTest.keyClick(window.switcher.field, Qt.Key.Key_Return)  # the first choice, once ranked
    qtbot.waitUntil(lambda: window.current_id == "hub")
    rendered(qtbot, window)
    assert section_texts(window.links)[0] == "Links (10)"
    assert children(window.links, 0)[-1] == "The note's first 10 links of 30 are listed"
    window.close()


def test_a_long_folded_list_of_links_is_made_when_the_reader_opens_it(qtbot, kb):
    from PySide6.QtCore import Qt

    panel = LinksPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.show_note(kb, "hub")  # 30 links: more than are shown open
    links = panel.model.index(0, 0)
    assert links.data() == "Links (30)" and not panel.tree.isExpanded(links)
    assert panel.model.rowCount(links) == 1  # one row stands for them, nothing made yet
    panel.tree.setFocus()
    panel.tree.setCurrentIndex(links)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Right)  # opens the section
    assert panel.tree.isExpanded(links)
    assert [panel.model.index(r, 0, links).data() for r in range(panel.model.rowCount(links))] == [
        f"Note {i:02d}" for i in range(30)]


def test_a_folded_list_says_when_more_links_were_left_out(qtbot, kb, monkeypatch):
    monkeypatch.setattr(links_panel, "LINKS_READ", 20)
    panel = LinksPanel()
    qtbot.addWidget(panel)
    panel.show_note(kb, "hub")
    assert section_texts(panel)[0] == "Links (20)"
    panel.tree.expand(panel.model.index(0, 0))
    assert len(children(panel, 0)) == 21 and children(panel, 0)[-1] == "The note's first 20 links of 30 are listed"
