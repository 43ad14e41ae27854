"""Where the reader lands: Back and Forward keep the scroll, a backlink opens at its passage, tags search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from viewer.core import KnowledgeBase

from conftest import mentions_found, rendered, shown_window, write_kb
from linkclick import click_link
from test_window import click_index

FILLER = "\n\n".join(f"Paragraph {i} of filler that says nothing of note, only to make the page long."
                     for i in range(60))

NOTES = {
    "target.md": f"""---
title: Target Note
type: topic
tags: [police, inquiry]
---
# Target Note

The target begins here.

{FILLER}

The target ends here.
""",
    "long.md": f"""---
title: Long Read
type: topic
---
# Long Read

{FILLER}

At the very end the story turns to [[target|the target]] and stops.
""",
    "mentioner.md": f"""---
title: Mentioner
type: person
---
# Mentioner

{FILLER}

Late in this page the Target Note is named without any link at all.
""",
    "other.md": """---
title: Other
type: topic
tags: [police]
---
# Other

Nothing here.
""",
}


@pytest.fixture
def long_window(qtbot, tmp_path):

    kb = KnowledgeBase.open(write_kb(tmp_path / "kb", NOTES), store=tmp_path / "store.json")
    win = shown_window(qtbot, kb, restore=False, data_dir=tmp_path / "data", size=(1280, 820))
    yield win
    win.close()


def scroll_value(window) -> int:
    return window.view.verticalScrollBar().value()


def passage_marks(window) -> list[str]:
    return [s.cursor.selectedText() for s in window.view.extraSelections()]


def test_back_and_forward_return_to_where_the_reader_was(qtbot, long_window):
    window = long_window
    window.open_note("long")
    rendered(qtbot, window)
    bar = window.view.verticalScrollBar()
    bar.triggerAction(bar.SliderAction.SliderToMaximum)  # the reader drags to the end
    at_end = scroll_value(window)
    assert at_end > 500
    click_link(qtbot, window.view, "note:target")
    rendered(qtbot, window)
    assert window.current_id == "target"
    window.view.verticalScrollBar().setValue(700)  # reading the middle of the target
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    rendered(qtbot, window)
    assert window.current_id == "long"
    assert scroll_value(window) == at_end
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    rendered(qtbot, window)
    assert window.current_id == "target"
    assert scroll_value(window) == 700


def test_a_new_visit_still_opens_at_the_top(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    window.view.verticalScrollBar().setValue(700)
    window.open_note("long")
    rendered(qtbot, window)
    window.open_note("target")  # a new entry, not Back: the top
    rendered(qtbot, window)
    assert scroll_value(window) == 0


def test_a_backlink_opens_at_the_sentence_that_links(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    click_index(qtbot, window.links.tree, window.links.index_of("Backlinks", "long"))
    rendered(qtbot, window)
    assert window.current_id == "long"
    assert passage_marks(window) == ["At the very end the story turns to the target and stops."]
    caret = window.view.cursorRect(window.view.textCursor())
    assert window.view.viewport().rect().contains(caret.center()), "the passage is on screen"
    assert scroll_value(window) > 500


def test_a_mention_opens_at_the_sentence_that_names_the_note(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    mentions_found(qtbot, window)
    window.links.tree.setFocus()
    window.links.tree.setCurrentIndex(window.links.index_of("Unlinked mentions", "mentioner"))
    qtbot.keyClick(window.links.tree, Qt.Key.Key_Return)
    rendered(qtbot, window)
    assert window.current_id == "mentioner"
    assert passage_marks(window) == ["Late in this page the Target Note is named without any link at all."]
    assert scroll_value(window) > 500
    window.open_note("target")
    rendered(qtbot, window)
    assert passage_marks(window) == [], "the mark goes with the page"


def test_the_passage_mark_fades(qtbot, long_window, monkeypatch):
    window = long_window
    window.open_note("long")
    rendered(qtbot, window)
    window.view._passage_timer.setInterval(50)
    assert window.view.show_passage("the story turns to the target")
    assert passage_marks(window)
    qtbot.waitUntil(lambda: not passage_marks(window), timeout=2000)
    assert not window.view.show_passage("words that are nowhere")


def test_a_tag_in_the_header_searches_its_notes(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    with qtbot.waitSignal(window.search_panel.results_shown, timeout=5000):
        click_link(qtbot, window.view, "tag:police")
    assert window.search_panel.field.text() == "tag:police"
    assert window.search_dock.isVisible()
    assert sorted(window.search_panel.hit_ids()) == ["other", "target"]


def test_tags_are_links_tab_reaches(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.textCursor().charFormat().anchorHref() == "tag:police"
    with qtbot.waitSignal(window.view.tag_clicked) as clicked:
        qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert clicked.args == ["police"]


def test_the_note_keeps_a_readable_width_in_a_small_window(qtbot, long_window):
    window = long_window
    window.open_note("target")
    rendered(qtbot, window)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    qtbot.wait(50)
    assert window.view.width() >= 360
    assert window.notes_dock.isVisible() and window.links_dock.isVisible()


def test_a_passage_is_found_when_the_rendered_words_differ_a_little():
    from viewer.ui.note.view import _find_passage

    text = ("Title\nDate\tEvent\n2020-02-26\tA breach of the list\n"
            "In the end the Target Note reads much longer here than the context says.")
    assert text[slice(*_find_passage(text, "2020-02-26 · A breach of the list"))] == "A breach of the list"
    found = _find_passage(text, "In the end the target reads much longer here than the context says.")
    assert text[slice(*found)] == "In the end the Target Note reads much longer here than the context says."
    assert _find_passage(text, "nothing like it at all in there") is None
