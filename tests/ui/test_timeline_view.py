"""The timeline widget: entries open notes by click or Enter; filters; accessible controls."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QListView

from viewer.core.kb import KnowledgeBase
from viewer.ui.views.timeline import TimelineView
from viewer.ui.views.timeline_rows import EntryRole, GroupRole, NoteIdRole


def _note(folder: Path, name: str, title: str, note_type: str, date: str, tags: str = "") -> None:
    extra = f"tags: [{tags}]\n" if tags else ""
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {title}\ntype: {note_type}\ndate: '{date}'\n{extra}---\n# {title}\n\n"
        f"{title} is described here. More text follows.\n", encoding="utf-8")


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    _note(folder, "trial", "Trial begins", "event", "2019-12", "police")
    _note(folder, "year-only", "Sometime that year", "event", "2020", "police")
    _note(folder, "article", "Article published", "source", "2020-01-18", "press")
    _note(folder, "probe", "Probe announced", "event", "2020-02-21", "watchdog")
    (folder / "undated.md").write_text("---\ntitle: Undated\ntype: topic\n---\nNo date.\n", encoding="utf-8")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


@pytest.fixture
def view(qtbot, kb) -> TimelineView:
    widget = TimelineView(kb)
    qtbot.addWidget(widget)
    widget.resize(700, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _rows(view: TimelineView) -> list[str]:
    model = view.model
    out = []
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        group = index.data(GroupRole)
        out.append(f"# {group.label}" if group else index.data(NoteIdRole))
    return out


def _row_of(view: TimelineView, note_id: str):
    return view.model.index(view.model.row_of(note_id), 0)


def test_rows_are_month_headers_then_entries(view):
    assert _rows(view) == ["# December 2019", "trial", "# 2020 (month unknown)", "year-only",
                           "# January 2020", "article", "# February 2020", "probe"]
    assert view.count.text() == "4 dated notes"


def test_clicking_an_entry_opens_its_note(qtbot, view):
    index = _row_of(view, "probe")
    view.list.scrollTo(index)
    point = view.list.visualRect(index).center()
    with qtbot.waitSignal(view.note_activated, timeout=1000) as blocker:
        qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["probe"]


def test_clicking_a_header_opens_nothing(qtbot, view):
    header = view.model.index(0, 0)
    point = view.list.visualRect(header).center()
    with qtbot.assertNotEmitted(view.note_activated):
        qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_enter_on_the_current_entry_opens_it(qtbot, view):
    view.list.setFocus()
    view.list.setCurrentIndex(_row_of(view, "article"))
    with qtbot.waitSignal(view.note_activated, timeout=1000) as blocker:
        qtbot.keyClick(view.list, Qt.Key.Key_Return)
    assert blocker.args == ["article"]


def test_arrow_keys_skip_headers(qtbot, view):
    view.list.setFocus()
    view.list.setCurrentIndex(_row_of(view, "trial"))
    qtbot.keyClick(view.list, Qt.Key.Key_Down)
    assert view.list.currentIndex().data(NoteIdRole) == "year-only"


def test_filter_by_type(qtbot, view):
    view.type_filter.setCurrentIndex(view.type_filter.findData("source"))
    assert _rows(view) == ["# January 2020", "article"]
    assert view.count.text() == "1 of 4 dated notes"


def test_filter_by_tag_from_the_keyboard(qtbot, view):
    view.tag_filter.setFocus()
    assert [view.tag_filter.itemText(i) for i in range(view.tag_filter.count())] == \
        ["All tags", "police", "press", "watchdog"]
    qtbot.keyClick(view.tag_filter, Qt.Key.Key_Down)  # "police"
    assert _rows(view) == ["# December 2019", "trial", "# 2020 (month unknown)", "year-only"]


def test_no_match_shows_a_message(view):
    view.set_filters("source", "police")
    assert view.model.rowCount() == 0
    assert view.empty.isVisible() and not view.list.isVisible()
    view.set_filters(None, None)
    assert view.list.isVisible() and not view.empty.isVisible()


def test_refresh_after_a_sync_keeps_the_filter(kb, view):
    view.set_filters("event", None)
    _note(kb.folder, "later", "Later event", "event", "2021-06-10")
    kb.sync()
    view.refresh()
    assert view.type_filter.currentData() == "event"
    assert _rows(view)[-2:] == ["# June 2021", "later"]


def test_entries_carry_their_data_and_accessible_text(view):
    index = _row_of(view, "probe")
    entry = index.data(EntryRole)
    assert (entry.title, entry.type, entry.summary) == ("Probe announced", "event",
                                                         "Probe announced is described here.")
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == \
        "21 February 2020. Probe announced. event. Probe announced is described here."
    assert not view.model.index(0, 0).flags() & Qt.ItemFlag.ItemIsSelectable  # a header


def test_every_control_has_an_accessible_name(view):
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    controls = [*view.findChildren(QComboBox, options=direct), *view.findChildren(QAbstractButton, options=direct),
                *view.findChildren(QListView, options=direct), *view.findChildren(QLabel, options=direct)]
    assert len(controls) >= 6
    for control in controls:
        assert control.accessibleName(), control
    assert view.accessibleName() == "Timeline"


@pytest.mark.parametrize("width", [380, 800])
def test_rows_fit_the_width(qtbot, view, width):
    view.resize(width, 600)
    qtbot.wait(10)
    viewport = view.list.viewport().width()
    for row in range(view.model.rowCount()):
        rect = view.list.visualRect(view.model.index(row, 0))
        assert rect.height() > 0
        assert rect.width() <= viewport + 1
    assert not view.list.horizontalScrollBar().isVisible()


def test_renders(view, tmp_path):
    path = tmp_path / "timeline.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 1000


@pytest.mark.parametrize("width", [300, 380, 560, 800])
def test_row_heights_counted_without_cutting_lines_match_the_drawn_layout(qtbot, view, width):
    from PySide6.QtWidgets import QStyleOptionViewItem

    from viewer.core.timeline import TimelineEntry

    view.resize(width, 600)
    qtbot.wait(10)
    delegate = view.list.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view.list)
    base, bold, _ = delegate._fonts(option)
    words = ["Ontario", "police", "services", "tested", "the", "tool", "quietly", "before", "anyone",
             "outside", "knew", "of", "it"]
    for size in range(0, len(words) + 1, 2):
        for title in ("Probe", " ".join(words[:size]) or "Untitled", "Averyveryverylongwordwithoutanyspaces" * 3):
            entry = TimelineEntry("x", title, "event", "2020-02-21", "day", " ".join(words[size:] * 3))
            drawn = delegate._layout(entry, base, bold)
            assert delegate._layout(entry, base, bold, height_only=True).height == drawn.height, (width, title)


def test_row_of_a_dated_entry_looks_only_in_its_month(view):
    assert view.model.row_of("probe", "2020-02-21") == view.model.row_of("probe") > 0
    assert view.model.row_of("probe", "2019-12") == -1
    assert view.model.row_of("probe", "1999-01-01") == -1


def test_remembered_row_heights_follow_the_width(qtbot, view):
    from PySide6.QtWidgets import QStyleOptionViewItem

    delegate = view.list.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(view.list)
    base, bold, _ = delegate._fonts(option)
    for width in (800, 300, 800, 300):
        view.resize(width, 600)
        qtbot.wait(10)
        for row in range(view.model.rowCount()):
            index = view.model.index(row, 0)
            entry = index.data(EntryRole)
            if entry is not None:
                assert delegate.sizeHint(option, index).height() == delegate._layout(entry, base, bold).height
