"""Window tests: offscreen, each with its own settings file and a small knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from viewer.core import KnowledgeBase


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path_factory):
    """QSettings caches its folders once per process: point them at a fresh one per test."""
    folder = tmp_path_factory.mktemp("settings")
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(folder))
    yield folder


NOTES = {
    "overview.md": """---
title: Story Overview
type: overview
---
# Story Overview

The story starts with [[alpha|the agency]] and [[the-event]]. Read [[paper]] too.
A missing note: [[nowhere]]. The web: [a page](https://example.org/page).

## Details

Details here about Alpha and the Event, and [[#Details|this section]].
""",
    "alpha.md": """---
title: Alpha Agency
type: organisation
aliases: [AA]
tags: [police]
sources: [paper]
---
# Alpha Agency

Alpha Agency took part in [[the-event|the event]]. It was reported by [[paper]].

## History

Founded long ago.
""",
    "events/the-event.md": """---
title: The Event
type: event
date: 2020-02-21
sources: [paper]
---
# The Event

The [[AA]] was there. See [[alpha#History|its history]].
""",
    "paper.md": """---
title: The Paper
type: source
outlet: Daily
published: 2020-03
authors: [A. Writer]
---
# The Paper

About [[Alpha Agency]] and [[The Event]].
""",
    "bystander.md": """---
title: Bystander
type: person
---
# Bystander

The Bystander once wrote about Alpha Agency and the AA without linking them.
""",
}


def write_kb(folder: Path, notes: dict[str, str] = NOTES) -> Path:
    for name, text in notes.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def reader_kb(tmp_path) -> KnowledgeBase:
    """Five notes: an overview, links with anchors and aliases, a broken and a web link, a mention."""
    return KnowledgeBase.open(write_kb(tmp_path / "kb"), store=tmp_path / "store.json")


@pytest.fixture
def window(qtbot, reader_kb):
    win = shown_window(qtbot, reader_kb)
    yield win
    win.close()


def shown_window(qtbot, *args, size: tuple[int, int] | None = None, **kwargs):
    """A MainWindow made with these arguments, shown (at `size`), its first note's page in the view."""
    from viewer.ui.window.main_window import MainWindow

    win = MainWindow(*args, **kwargs)
    qtbot.addWidget(win)
    if size is not None:
        win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    rendered(qtbot, win)
    return win


def rendered(qtbot, window) -> None:
    """Wait until the page of the note opened last is in the view (pages are made in a worker)."""
    qtbot.waitUntil(lambda: not window.page_pending, timeout=10_000)


def mentions_found(qtbot, window) -> None:
    """Wait until the links panel lists the shown note's unlinked mentions (looked for in a worker)."""
    qtbot.waitUntil(lambda: not window.links.mentions_pending, timeout=10_000)
