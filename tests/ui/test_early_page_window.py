"""A start shows the page kept from the last session before the notes are read, then checks it with them."""

from __future__ import annotations

import threading

import pytest

from tests.ui.conftest import rendered, shown_window
from tests.ui.linkclick import click_link
from viewer.core import KnowledgeBase, kept_names, page, start_page


@pytest.fixture
def made_pages(monkeypatch):
    """The note ids whose page the worker made."""
    made: list[str] = []
    real = page.note_page

    def counted(kb, note_id, toggled=frozenset()):
        made.append(note_id)
        return real(kb, note_id, toggled)

    monkeypatch.setattr(page, "note_page", counted)
    return made


GATES: list[threading.Event] = []


@pytest.fixture
def held_load(monkeypatch):
    """An event the window's loading worker waits for before it reads the notes."""
    go = threading.Event()
    GATES.append(go)
    real = KnowledgeBase.open.__func__

    def held(cls, *args, **kwargs):
        go.wait(30)  # a test that fails first lets it go at its end (a failed load would open a message box)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(KnowledgeBase, "open", classmethod(held))
    return go


def last_read(qtbot, kb: KnowledgeBase, note_id: str) -> str:
    """A first session that reads `note_id` last and closes: its page's HTML as shown."""
    first = shown_window(qtbot, kb)
    first.open_note(note_id)
    rendered(qtbot, first)
    shown = first.view.toHtml()
    first.close()
    return shown


@pytest.fixture
def started(qtbot):
    """Start a window on a knowledge base's folder and store as the program starts one; closed at the end
    (a failed test's loading worker is let go and waited for: a thread destroyed running aborts)."""
    from viewer.ui.window.main_window import MainWindow

    windows: list[MainWindow] = []

    def start(kb: KnowledgeBase, note: str | None = None, size=(900, 420), data_dir=None) -> MainWindow:
        window = MainWindow(data_dir=data_dir)
        qtbot.addWidget(window)
        windows.append(window)
        window.resize(*size)
        window.show()
        window.start(kb.folder, kb.store_path, note=note)
        return window

    yield start
    for gate in GATES:
        gate.set()
    GATES.clear()
    for window in windows:
        window.close()


def loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.kb is not None and not window.page_pending, timeout=10_000)


def test_the_kept_page_is_shown_before_the_notes_are_read_and_kept_with_its_scroll(qtbot, reader_kb, started,
                                                                                   made_pages, held_load, monkeypatch):
    from viewer.ui.window import navigation

    monkeypatch.setattr(navigation, "EARLY_LOAD_MS", 60_000)  # only the page's paint can start the load
    shown = last_read(qtbot, reader_kb, "alpha")
    window = started(reader_kb)
    assert window.kb is None and window.view.toHtml() == shown
    assert window.windowTitle() == "Alpha Agency — kbviewer"
    qtbot.waitUntil(lambda: window.loader is not None, timeout=3000)  # asked for once the page is painted
    bar = window.view.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    layouts: list[str] = []
    real = window.view.show_page
    window.view.show_page = lambda html, css: (layouts.append(html), real(html, css))
    held_load.set()
    loaded(qtbot, window)
    assert made_pages == ["overview", "alpha"]  # only by the first session: the kept page held
    assert layouts == [] and bar.value() == bar.maximum() // 2  # not laid out again, where the reader put it
    assert window.current_id == window.shown_id == "alpha" and window.links.note_id == "alpha"


def test_a_page_stale_only_in_its_links_is_shown_then_made_again(qtbot, reader_kb, started, made_pages):
    last_read(qtbot, reader_kb, "alpha")
    event = reader_kb.folder / "events" / "the-event.md"
    event.write_text(event.read_text(encoding="utf-8").replace("title: The Event", "title: The Incident"),
                     encoding="utf-8")
    window = started(reader_kb)
    assert window.kb is None and "The Incident" not in window.view.shown[0]
    loaded(qtbot, window)
    assert made_pages == ["overview", "alpha", "alpha"]
    assert window.shown_id == "alpha" and "The Incident" in window.view.shown[0]  # the link's title


def test_a_link_followed_before_the_notes_are_read_opens_once_they_are_at_its_heading(qtbot, reader_kb, started,
                                                                                     held_load):
    last_read(qtbot, reader_kb, "the-event")
    window = started(reader_kb, size=(900, 300))
    click_link(qtbot, window.view, "note:alpha#")  # [[alpha#History|its history]]
    assert "opens once they are read" in window.statusBar().currentMessage()
    held_load.set()
    qtbot.waitUntil(lambda: window.shown_id == "alpha", timeout=10_000)
    assert "Alpha Agency" in window.windowTitle() and window.view.verticalScrollBar().value() > 0  # at History
    assert window.actions_.back.isEnabled()
    window.go_back()  # to the page the link was followed on
    qtbot.waitUntil(lambda: window.shown_id == "the-event", timeout=10_000)


def test_a_window_closed_before_its_kept_page_is_painted_reads_no_notes(qtbot, reader_kb, started):
    last_read(qtbot, reader_kb, "alpha")
    window = started(reader_kb)
    window.close()
    qtbot.wait(400)  # past the time the load would have started without a paint
    assert window.loader is None and window.kb is None


def test_results_of_a_load_that_ends_after_the_window_closed_are_dropped(qtbot, reader_kb, started, monkeypatch):
    from viewer.core import switcher

    go = threading.Event()
    GATES.append(go)
    real = switcher.note_names
    # the worker's last step: no cancel is looked at after it
    monkeypatch.setattr(switcher, "note_names", lambda kb: (go.wait(30), real(kb))[1])
    window = started(reader_kb)  # no page kept: the notes are read at once
    qtbot.waitUntil(lambda: window.loader is not None and window.loader.thread.isRunning())
    qtbot.wait(200)
    threading.Timer(0.3, go.set).start()  # the close waits for the worker, which then sends what it made
    window.close()
    qtbot.wait(300)
    assert window.kb is None


def test_a_hidden_window_reads_its_notes_and_paints_the_page_when_shown(qtbot, reader_kb):
    from viewer.ui.window.main_window import MainWindow

    last_read(qtbot, reader_kb, "alpha")
    window = MainWindow()
    qtbot.addWidget(window)
    window.start(reader_kb.folder, reader_kb.store_path)  # not shown: no paint starts the load
    loaded(qtbot, window)
    window.show()  # its first paint comes after the load began without it
    qtbot.waitExposed(window)
    qtbot.wait(100)
    assert window.shown_id == "alpha"
    window.close()


def test_another_folder_opened_before_the_kept_page_is_painted_stays_open(qtbot, reader_kb, tmp_path):
    from tests.ui.conftest import write_kb
    from viewer.ui.window.main_window import MainWindow

    last_read(qtbot, reader_kb, "alpha")
    window = MainWindow()
    qtbot.addWidget(window)
    window.start(reader_kb.folder, reader_kb.store_path)  # hidden: its load waits for the fallback timer
    other = write_kb(tmp_path / "other", {"solo.md": "# Solo\n\nThe only note.\n"})
    window.load(other, tmp_path / "other.json")
    qtbot.waitUntil(lambda: window.kb is not None, timeout=10_000)
    qtbot.wait(500)  # past that timer
    assert window.loader is None and window.kb.folder == other.resolve() and window.shown_id == "solo"
    window.close()


@pytest.fixture
def held_panels(monkeypatch):
    """An event the loading worker waits for once the notes are read, before the timeline's entries."""
    from viewer.core import timeline

    go = threading.Event()
    GATES.append(go)
    real = timeline.entries

    def held(kb):
        go.wait(30)
        return real(kb)

    monkeypatch.setattr(timeline, "entries", held)
    return go


def test_a_large_folder_makes_its_first_page_while_the_panels_are_worked_out(qtbot, reader_kb, started,
                                                                             made_pages, held_panels, monkeypatch):
    from viewer.ui import workers

    monkeypatch.setattr(workers, "OPENED_FROM", 5)  # the five notes count as a large folder
    kept_names.names_file(reader_kb.store_path).unlink()  # nothing kept: as at the first start
    window = started(reader_kb)
    assert window.view.shown is None
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    assert window.kb is None and made_pages == ["overview"]
    assert window.windowTitle() == "Story Overview — kbviewer" and "The story starts" in window.view.toPlainText()
    layouts: list[str] = []
    real = window.view.show_page
    window.view.show_page = lambda html, css: (layouts.append(html), real(html, css))
    held_panels.set()
    loaded(qtbot, window)
    assert window.shown_id == "overview" and window.links.note_id == "overview"
    assert layouts == []  # the page made early is the one shown


def test_a_large_folder_opening_in_another_view_makes_no_page_before_its_panels(qtbot, reader_kb, made_pages,
                                                                                 held_panels, monkeypatch):
    from viewer.ui import workers
    from viewer.ui.window.main_window import MainWindow

    monkeypatch.setattr(workers, "OPENED_FROM", 5)
    window = MainWindow()
    qtbot.addWidget(window)
    window.initial_view = "timeline"  # where the reader left the window
    window.show()
    window.start(reader_kb.folder, reader_kb.store_path)
    qtbot.wait(300)
    assert window.view.shown is None and made_pages == []
    held_panels.set()
    loaded(qtbot, window)
    assert window.centre.current_view == "timeline"
    window.close()


def test_a_small_folder_shows_its_first_page_with_its_panels(qtbot, reader_kb, started, made_pages, held_panels):
    kept_names.names_file(reader_kb.store_path).unlink()  # nothing kept: as at the first start
    window = started(reader_kb)
    qtbot.wait(300)
    assert window.view.shown is None and made_pages == []  # under OPENED_FROM notes: no page before the panels
    held_panels.set()
    loaded(qtbot, window)
    assert made_pages == ["overview"] and window.shown_id == "overview"


@pytest.mark.parametrize("last", [None, "gone"])
def test_with_no_note_read_last_or_that_note_gone_the_first_note_is_made_early(qtbot, reader_kb, started, held_load,
                                                                              last):
    """What the window opens on once the notes are read, the folder's first note, is made before: with no
    note read last, or one removed and synced before the window closed."""
    if last:
        last_read(qtbot, reader_kb, "alpha")
        (reader_kb.folder / "alpha.md").unlink()
        KnowledgeBase.open(reader_kb.folder, reader_kb.store_path)  # as a reload did
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    assert window.kb is None and window.windowTitle() == "Story Overview — kbviewer"
    assert "The story starts" in window.view.toPlainText()
    layouts: list[str] = []
    real = window.view.show_page
    window.view.show_page = lambda html, css: (layouts.append(html), real(html, css))
    held_load.set()
    loaded(qtbot, window)
    assert window.shown_id == "overview" and layouts == []  # the page made early is the one shown


def test_highlights_are_drawn_on_the_kept_page_once_the_notes_are_read(qtbot, reader_kb, started, tmp_path,
                                                                        held_load):
    from viewer.core.annotations import AnnotationStore, note_text

    data = tmp_path / "data"
    AnnotationStore.open(data).add_quote("alpha", note_text(reader_kb, "alpha"), "Founded long ago")
    last_read(qtbot, reader_kb, "alpha")
    window = started(reader_kb, data_dir=data)
    assert window.kb is None and window.view.extraSelections() == []
    held_load.set()
    loaded(qtbot, window)
    assert [mark.cursor.selectedText() for mark in window.view.extraSelections()] == ["Founded long ago"]


def test_a_note_whose_id_changed_since_opens_from_the_file_it_was_read_from(qtbot, tmp_path, started):
    """`sub/alpha.md` had the id `sub/alpha` beside `alpha.md`; with that one gone it is `alpha`."""
    from tests.ui.conftest import write_kb

    folder = write_kb(tmp_path / "kb", {"overview.md": "---\ntype: overview\n---\n# Overview\n\nStart here.\n",
                                        "alpha.md": "# Alpha\n\nThe first.\n",
                                        "sub/alpha.md": "# Alpha Again\n\nThe second, read last.\n"})
    kb = KnowledgeBase.open(folder, tmp_path / "store.json")
    read = next(note.id for note in kb.notes() if note.path == "sub/alpha.md")
    last_read(qtbot, kb, read)
    (folder / "alpha.md").unlink()
    window = started(kb)
    assert window.kb is None and "The second, read last." in window.view.toPlainText()
    loaded(qtbot, window)
    assert window.kb.get(read) is None  # its id changed
    assert window.kb.get(window.shown_id).path == "sub/alpha.md"


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_note_read_last_edited_since_is_made_again_before_the_notes_are_read(qtbot, reader_kb, started,
                                                                                   made_pages, held_load,
                                                                                   monkeypatch):
    from viewer.ui.window import navigation

    monkeypatch.setattr(navigation, "EARLY_LOAD_MS", 60_000)  # only the page's paint can start the load
    last_read(qtbot, reader_kb, "alpha")
    edit(reader_kb.folder / "alpha.md", "Founded long ago", "Founded in a year nobody wrote down")
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    assert window.kb is None and "nobody wrote down" in window.view.toPlainText()
    assert window.windowTitle() == "Alpha Agency — kbviewer"
    qtbot.waitUntil(lambda: window.loader is not None, timeout=3000)  # once that page is painted
    layouts: list[str] = []
    real = window.view.show_page
    window.view.show_page = lambda html, css: (layouts.append(html), real(html, css))
    held_load.set()
    loaded(qtbot, window)
    assert made_pages == ["overview", "alpha", "alpha"]  # made with the notes too: the same page, not laid out again
    assert layouts == [] and window.shown_id == "alpha" and window.links.note_id == "alpha"


def test_an_edit_naming_a_note_the_kept_page_did_not_is_made_from_the_kept_names(qtbot, reader_kb, started,
                                                                                 held_load):
    last_read(qtbot, reader_kb, "alpha")
    edit(reader_kb.folder / "alpha.md", "Founded long ago", "Founded long ago; see [[The Paper]]")
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    assert window.kb is None and "see The Paper" in window.view.toPlainText()  # before the notes are read
    held_load.set()
    loaded(qtbot, window)
    assert window.shown_id == "alpha" and "see The Paper" in window.view.toPlainText()


def test_with_no_page_kept_the_kept_names_make_it_before_the_notes_are_read(qtbot, reader_kb, started,
                                                                           held_load):
    last_read(qtbot, reader_kb, "alpha")
    start_page.page_file(reader_kb.store_path).unlink()
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    assert window.kb is None and "Founded long ago" in window.view.toPlainText()
    assert window.windowTitle().startswith("Alpha Agency")
    held_load.set()
    loaded(qtbot, window)
    assert window.shown_id == "alpha"


def test_an_edit_naming_a_note_with_no_names_kept_waits_for_the_notes(qtbot, reader_kb, started, held_load,
                                                                      monkeypatch):
    from viewer.ui.window import navigation

    monkeypatch.setattr(navigation, "EARLY_LOAD_MS", 60_000)  # the load must start without the fallback
    last_read(qtbot, reader_kb, "alpha")
    kept_names.names_file(reader_kb.store_path).unlink()
    edit(reader_kb.folder / "alpha.md", "Founded long ago", "Founded long ago; see [[The Paper]]")
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.loader is not None, timeout=3000)  # read at once, not after a fallback
    assert window.view.shown is None
    held_load.set()
    loaded(qtbot, window)
    assert window.shown_id == "alpha" and "see The Paper" in window.view.toPlainText()


def test_a_page_made_again_early_is_replaced_by_the_one_the_notes_make(qtbot, reader_kb, started):
    """What the kept lookups found may have changed: a linked note's title, here."""
    last_read(qtbot, reader_kb, "alpha")
    edit(reader_kb.folder / "alpha.md", "Founded long ago", "Founded long before")
    edit(reader_kb.folder / "events" / "the-event.md", "title: The Event", "title: The Incident")
    window = started(reader_kb)
    qtbot.waitUntil(lambda: window.view.shown is not None, timeout=10_000)
    early = window.view.shown[0]
    assert "long before" in early and "The Incident" not in early
    loaded(qtbot, window)
    assert window.shown_id == "alpha" and "The Incident" in window.view.shown[0]


def test_zoom_set_while_the_notes_are_read_applies_to_the_page_shown_at_once(qtbot, reader_kb, started,
                                                                            held_load):
    from viewer.ui.theme import note_css

    last_read(qtbot, reader_kb, "alpha")
    window = started(reader_kb)
    assert window.kb is None and window.view.shown is not None
    page = window.view.shown[0]
    window.actions_.zoom_in.trigger()
    assert window.zoom > 1 and window.view.shown == (page, note_css(window.palette(), zoom=window.zoom))
    layouts: list[str] = []
    real = window.view.show_page
    window.view.show_page = lambda html, css: (layouts.append(html), real(html, css))
    held_load.set()
    loaded(qtbot, window)
    assert layouts == [] and window.view.shown[1] == note_css(window.palette(), zoom=window.zoom)


def test_colours_changed_while_the_notes_are_read_apply_to_the_page_shown_at_once(qtbot, reader_kb, started,
                                                                                 held_load):
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from viewer.ui.theme import note_css

    last_read(qtbot, reader_kb, "alpha")
    window = started(reader_kb)
    before = window.view.shown
    assert window.kb is None and before is not None
    app = QApplication.instance()
    light = app.palette()
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Window, "#202020"), (QPalette.ColorRole.Base, "#101010"),
                         (QPalette.ColorRole.Text, "#f0f0f0"), (QPalette.ColorRole.WindowText, "#f0f0f0")):
        dark.setColor(role, QColor(colour))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: window.view.shown != before, timeout=3000)
        assert window.view.shown == (before[0], note_css(window.palette(), zoom=window.zoom))
    finally:
        app.setPalette(light)
    held_load.set()
    loaded(qtbot, window)
    assert window.view.shown[1] == note_css(window.palette(), zoom=window.zoom)
