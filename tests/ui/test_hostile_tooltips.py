"""Tooltips are rich text: a note's title or type shows as text there, never as markup or an image."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from viewer.core import KnowledgeBase
from viewer.ui.views.graph import GraphView

from conftest import rendered

TITLE = "<img src='../secret.png'> <b>Bold</b>"


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "x.md").write_text(f'---\ntitle: "{TITLE}"\ntype: "<i>odd</i>"\n---\nSee [[y]].\n', encoding="utf-8")
    (folder / "y.md").write_text('---\ntitle: "Y <u>u</u>"\ntype: "<img src=y.png>"\n---\nBack to [[x]].\n',
                                 encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def test_graph_node_tooltips_escape_title_and_type(qtbot, kb):
    view = GraphView(kb)
    qtbot.addWidget(view)
    view.show()
    view.show_note("x")
    qtbot.waitUntil(lambda: not view.busy())
    for note_id in ("x", "y"):
        tip = view.node_item(note_id).toolTip()
        assert "<img" not in tip and "<b>Bold" not in tip and "<u>" not in tip and "<i>odd" not in tip
    assert "&lt;img src=&#x27;../secret.png&#x27;&gt;" in view.node_item("x").toolTip()


def test_links_panel_tooltips_escape_the_type(qtbot, kb):
    from viewer.ui.window.main_window import MainWindow

    window = MainWindow(kb)
    qtbot.addWidget(window)
    window.show()
    window.open_note("x")
    rendered(qtbot, window)
    tip = window.links.index_of("Links", "y").data(Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=y.png&gt;" in tip
    window.close()
