"""Tooltips on the timeline and the Notes tree: the full title first, wrapped to a readable width."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QToolTip

from viewer.core import KnowledgeBase
from viewer.ui.panels.notes import NOTE_ID_ROLE, BrowserPanel
from viewer.ui.views.timeline import NoteIdRole, TimelineView

LONG_TITLE = ("Officers of a provincial police service begin a free trial of a facial recognition "
              "tool without telling anyone in charge")
SUMMARY = ("A long first sentence that goes on and on about who did what, when, where and why, "
           "with many clauses, so that one line of it would run right across a wide screen and "
           "beyond, which nobody could read comfortably in a tooltip.")


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "trial.md").write_text(
        f"---\ntitle: {LONG_TITLE}\ntype: event\ndate: '2019-10-01'\naliases: [Free trial]\n---\n"
        f"# Trial\n\n{SUMMARY}\n", encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def hover(qtbot, view, index) -> str:
    """Hover the row like a reader and return the tooltip Qt shows (it must be showing)."""
    rect = view.visualRect(index)
    point = rect.center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    return QToolTip.text()


def plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def tip_width() -> int:
    tips = [w for w in QApplication.topLevelWidgets() if w.inherits("QLabel") and w.isVisible()
            and w.objectName() == "qtooltip_label"]
    return max(w.width() for w in tips)


def test_timeline_tooltip_starts_with_the_full_title_and_wraps(qtbot, kb):
    view = TimelineView(kb)
    qtbot.addWidget(view)
    view.resize(700, 500)  # the title is cut short on its one line in the row
    view.show()
    qtbot.waitExposed(view)
    model = view.list.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(NoteIdRole) == "trial")
    text = hover(qtbot, view.list, model.index(row, 0))
    shown = plain(text)
    assert shown.startswith(LONG_TITLE)
    assert SUMMARY in shown.replace("\n", " ")
    assert tip_width() < 700
    QToolTip.hideText()


def test_notes_tree_tooltip_starts_with_the_full_title(qtbot, kb):
    panel = BrowserPanel()
    qtbot.addWidget(panel)
    panel.resize(220, 400)
    panel.set_notes(kb.notes())
    panel.show()
    qtbot.waitExposed(panel)
    group = panel.model.index(0, 0)
    index = panel.model.index(0, 0, group)
    assert index.data(NOTE_ID_ROLE) == "trial"
    text = hover(qtbot, panel.tree, index)
    shown = plain(text)
    assert shown.startswith(LONG_TITLE)
    assert "also: Free trial" in shown
    assert tip_width() < 700
    QToolTip.hideText()


def test_filter_field_says_it_matches_aliases_too(qtbot, kb):
    panel = BrowserPanel()
    qtbot.addWidget(panel)
    panel.set_notes(kb.notes())
    assert panel.filter.placeholderText() == "Filter by title or alias"
    qtbot.keyClicks(panel.filter, "free tri")
    assert panel.model.rowCount(panel.model.index(0, 0)) == 1
