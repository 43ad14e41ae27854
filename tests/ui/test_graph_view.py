"""The graph widget: nodes open notes by click or Enter; depth; zoom; 200 neighbours stay usable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel

from viewer.core.kb import KnowledgeBase
from viewer.ui.views.graph import GraphView
from viewer.ui.views.graph_scene import LABEL_ZOOM, NodeItem

TYPES = ("organisation", "person", "event", "topic", "source")


def _write(folder: Path, name: str, note_type: str, links: list[str], title: str | None = None) -> None:
    body = " ".join(f"[[{target}]]" for target in links)
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {title or name.title()}\ntype: {note_type}\n---\n# {name}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "kb"
    folder.mkdir()
    _write(folder, "centre", "topic", ["agency", "person"], title="The centre note")
    _write(folder, "agency", "organisation", ["far"], title="An agency")
    _write(folder, "person", "person", [], title="A person")
    _write(folder, "far", "source", [], title="A far source")
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


@pytest.fixture
def hub(tmp_path) -> KnowledgeBase:
    folder = tmp_path / "hub"
    folder.mkdir()
    _write(folder, "hub", "topic", [f"n{i}" for i in range(200)], title="The hub")
    for i in range(200):
        _write(folder, f"n{i}", TYPES[i % len(TYPES)], [f"n{(i + 1) % 200}"], title=f"Neighbour note {i}")
    return KnowledgeBase.open(folder, store=tmp_path / "hub.json")


def _view(qtbot, kb: KnowledgeBase) -> GraphView:
    view = GraphView(kb)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def _show(qtbot, view: GraphView, note_id: str) -> None:
    """Show a note's graph and wait for it (it is laid out in a worker)."""
    view.show_note(note_id)
    qtbot.waitUntil(lambda: not view.busy())


def _depth(qtbot, view: GraphView, depth: int) -> None:
    view.set_depth(depth)
    qtbot.waitUntil(lambda: not view.busy())


def _click(qtbot, view: GraphView, item: NodeItem) -> None:
    view.canvas.ensureVisible(item)
    point: QPoint = view.canvas.mapFromScene(item.scenePos())
    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_shows_the_neighbourhood_with_the_centre_highlighted(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    assert set(view.scene.items_by_id) == {"centre", "agency", "person"}
    centre = view.node_item("centre")
    assert centre.is_centre and centre.zValue() > view.node_item("agency").zValue()
    assert "3 linked" not in view.status.text() and "2 linked notes" in view.status.text()
    assert "organisation" in view.legend.text() and "person" in view.legend.text()


def test_clicking_a_node_opens_its_note(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    with qtbot.waitSignal(view.note_activated, timeout=1000) as blocker:
        _click(qtbot, view, view.node_item("agency"))
    assert blocker.args == ["agency"]


def test_clicking_empty_space_opens_nothing(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    corner = view.canvas.viewport().rect().topLeft() + QPoint(3, 3)
    with qtbot.assertNotEmitted(view.note_activated):
        qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=corner)


def test_keyboard_moves_between_nodes_and_enter_opens(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    with qtbot.waitActive(view):
        view.activateWindow()
    view.depth_buttons.button(1).setFocus()
    view.canvas.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: view.scene.focusItem() is view.node_item("centre"), timeout=1000)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    focused = view.scene.focusItem()
    assert isinstance(focused, NodeItem) and not focused.is_centre
    with qtbot.waitSignal(view.note_activated, timeout=1000) as blocker:
        qtbot.keyClick(view.canvas, Qt.Key.Key_Return)
    assert blocker.args == [focused.node.id]


def test_depth_toggle_shows_notes_two_links_away(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    assert "far" not in view.scene.items_by_id
    qtbot.mouseClick(view.depth_buttons.button(2), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy())
    assert view.depth == 2
    assert view.scene.items_by_id["far"].node.depth == 2
    _depth(qtbot, view, 1)
    assert view.depth_buttons.button(1).isChecked()
    assert "far" not in view.scene.items_by_id


def test_zoom_keys_buttons_and_fit(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    start = view.canvas.scale_factor()
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_Plus)
    assert view.canvas.scale_factor() == pytest.approx(start * 1.25)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Minus)
    assert view.canvas.scale_factor() == pytest.approx(start)
    qtbot.mouseClick(view.zoom_in_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.zoom_in_button, Qt.MouseButton.LeftButton)
    assert view.canvas.scale_factor() > start
    qtbot.mouseClick(view.fit_button, Qt.MouseButton.LeftButton)
    assert view.canvas.scale_factor() == pytest.approx(start)
    visible = view.canvas.mapToScene(view.canvas.viewport().rect()).boundingRect()
    for item in view.scene.items_by_id.values():
        assert visible.contains(item.sceneBoundingRect())


def test_ctrl_wheel_zooms(qtbot, kb):
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent

    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    start = view.canvas.scale_factor()
    centre = QPointF(view.canvas.viewport().rect().center())
    event = QWheelEvent(centre, view.canvas.mapToGlobal(centre), P(0, 0), P(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    view.canvas.wheelEvent(event)
    assert view.canvas.scale_factor() == pytest.approx(start * 1.25)


def test_unknown_note_shows_a_message(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "nope")
    assert view.scene.items_by_id == {}
    assert "nope" in view.status.text()


def test_two_hundred_neighbours_are_drawn_and_stay_clickable(qtbot, hub):
    # how fast the graph is made: python -m benchmarks.browse
    view = _view(qtbot, hub)
    _show(qtbot, view, "hub")
    assert len(view.scene.items_by_id) == 201
    assert view.canvas.scale_factor() < LABEL_ZOOM  # fitted, names would be unreadable...
    assert not view.scene.labels_shown
    assert "Zoom in" in view.status.text()
    assert view.scene._centre_label.isVisible()  # ...but the centre keeps its name
    item = view.node_item("n137")
    with qtbot.waitSignal(view.note_activated, timeout=1000) as blocker:
        _click(qtbot, view, item)
    assert blocker.args == ["n137"]
    view.canvas.zoom_by(1 / view.canvas.scale_factor())  # 1:1
    assert view.scene.labels_shown
    assert "Zoom in" not in view.status.text()


def test_hover_shows_the_whole_title(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    item = view.node_item("agency")
    view.scene.set_hovered(item)
    assert view.scene.pointed is item
    assert not view.scene.labels_itself(item)  # the floating label takes over
    view.scene.set_hovered(None)
    assert view.scene.pointed is None


def test_follows_the_palette(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    palette = QPalette(view.palette())
    palette.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    view.setPalette(palette)
    assert view.scene.backgroundBrush().color() == palette.color(QPalette.ColorRole.Base)


def test_every_control_has_an_accessible_name(qtbot, kb):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    controls = [*view.findChildren(QAbstractButton, options=direct), *view.findChildren(QLabel, options=direct),
                view.canvas]
    assert len(controls) >= 8
    for control in controls:
        assert control.accessibleName(), control


def test_renders(qtbot, kb, tmp_path):
    view = _view(qtbot, kb)
    _show(qtbot, view, "centre")
    path = tmp_path / "graph.png"
    assert view.grab().save(str(path))
    assert path.stat().st_size > 1000


def test_a_hub_with_more_neighbours_than_the_cap_shows_the_cap_and_says_so(qtbot, tmp_path):
    from viewer.ui.views.graph import NODE_LIMIT

    folder = tmp_path / "big-hub"
    folder.mkdir()
    count = NODE_LIMIT + 40
    _write(folder, "hub", "topic", [f"n{i}" for i in range(count)], title="The hub")
    for i in range(count):
        _write(folder, f"n{i}", TYPES[i % len(TYPES)], [], title=f"Neighbour {i:04d}")
    view = _view(qtbot, KnowledgeBase.open(folder, store=tmp_path / "big-hub.json"))
    _show(qtbot, view, "hub")
    assert len(view.scene.items_by_id) == NODE_LIMIT + 1  # the hub and the cap
    assert f"showing {NODE_LIMIT:,} of {count:,} linked notes" in view.status.text()
    organisations = sorted(f"Neighbour {i:04d}" for i in range(0, count, len(TYPES)))
    shown = {item.node.title for item in view.scene.items_by_id.values()}
    assert set(organisations) <= shown  # the first type in the legend's order comes first


def test_the_neighbourhood_is_laid_out_off_the_ui_thread_and_the_newest_note_wins(qtbot, kb, monkeypatch):
    import threading

    from viewer.ui.views import graph as graph_module

    asked: list[tuple[str, bool]] = []
    real = graph_module.neighbourhood

    def recording(kb, note_id, *args, **kwargs):
        asked.append((note_id, threading.current_thread() is threading.main_thread()))
        return real(kb, note_id, *args, **kwargs)
    monkeypatch.setattr(graph_module, "neighbourhood", recording)
    view = _view(qtbot, kb)
    view.show_note("agency")
    view.show_note("person")
    view.show_note("centre")
    view.show_note("centre")  # drawn already: not asked again
    qtbot.waitUntil(lambda: not view.busy())
    assert view.node_item("centre").is_centre and "far" not in view.scene.items_by_id
    assert asked and not any(on_ui for _, on_ui in asked)
    assert [note_id for note_id, _ in asked].count("centre") == 1
    assert asked[-1][0] == "centre"


def test_finding_is_said_only_for_a_slow_graph_and_the_canvas_keeps_its_size(qtbot, tmp_path, monkeypatch):
    import threading

    from viewer.ui.views import graph

    folder = tmp_path / "kb"
    folder.mkdir()
    _write(folder, "centre", "topic", ["agency"], title="Centre")
    _write(folder, "agency", "organisation", [], title="An agency whose name takes the whole width of the graph")
    view = _view(qtbot, KnowledgeBase.open(folder, store=tmp_path / "store.json"))
    view.resize(300, 600)
    _show(qtbot, view, "centre")
    qtbot.wait(50)
    size = view.canvas.size()
    release = threading.Event()
    real_run = graph.GraphTask.run

    def held(self):
        release.wait(5)
        real_run(self)

    monkeypatch.setattr(graph.GraphTask, "run", held)
    view.show_note("agency")
    qtbot.wait(50)
    assert "Finding" not in view.status.text()  # a quick graph replaces the summary without a flash
    qtbot.waitUntil(lambda: "Finding the notes linked to An agency" in view.status.text(), timeout=2000)
    qtbot.wait(50)
    assert view.canvas.size() == size  # two lines where the summary had one: the graph is not resized
    release.set()
    qtbot.waitUntil(lambda: not view.busy())
    assert "An agency" in view.status.text() and "Finding" not in view.status.text()
