"""The neighbourhood graph: reach, edges with directions, a deterministic layout without overlaps."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.core.graph import CENTRE_RADIUS, NODE_RADIUS, Graph, estimate_width, layout, neighbourhood, wrap_label
from viewer.core.graph_rings import boxes_overlap
from viewer.core.kb import KnowledgeBase

TYPES = ("organisation", "person", "event", "topic", "source")


def _write(folder: Path, name: str, note_type: str, links: list[str], title: str | None = None) -> None:
    body = " ".join(f"[[{target}]]" for target in links)
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {title or name.title()}\ntype: {note_type}\n---\n# {name}\n\n{body}\n", encoding="utf-8")


@pytest.fixture
def chain_kb(tmp_path) -> KnowledgeBase:
    """centre -> a, b;  c -> centre;  a <-> b;  a -> far;  far -> farther;  lone alone."""
    folder = tmp_path / "kb"
    folder.mkdir()
    _write(folder, "centre", "topic", ["a", "b", "centre", "missing"])
    _write(folder, "a", "organisation", ["b", "far"])
    _write(folder, "b", "person", ["a"])
    _write(folder, "c", "event", ["centre", "centre"])
    _write(folder, "far", "source", ["farther"])
    _write(folder, "farther", "source", [])
    _write(folder, "lone", "topic", [])
    return KnowledgeBase.open(folder, store=tmp_path / "store.json")


def hub_kb(tmp_path: Path, count: int) -> KnowledgeBase:
    """A hub linking to `count` notes of mixed types, each linking to the next."""
    folder = tmp_path / f"hub{count}"
    folder.mkdir()
    _write(folder, "hub", "topic", [f"n{i}" for i in range(count)], title="The hub")
    for i in range(count):
        _write(folder, f"n{i}", TYPES[i % len(TYPES)], [f"n{(i + 1) % count}"],
               title=f"Neighbour number {i} with a long title that wraps")
    return KnowledgeBase.open(folder, store=tmp_path / f"hub{count}.json")


def _assert_no_overlap(graph: Graph) -> None:
    nodes = list(graph.nodes.values())
    for a, b in itertools.combinations(nodes, 2):
        assert not boxes_overlap(a, b), f"{a.id} and {b.id} overlap"
        assert math.hypot(a.x - b.x, a.y - b.y) >= a.radius + b.radius


def test_depth_one_is_links_either_way(chain_kb):
    graph = neighbourhood(chain_kb, "centre", depth=1)
    assert list(graph.nodes)[0] == "centre"
    assert set(graph.nodes) == {"centre", "a", "b", "c"}
    assert {n.id: n.depth for n in graph.nodes.values()} == {"centre": 0, "a": 1, "b": 1, "c": 1}
    assert graph.depth == 1 and graph.omitted == 0


def test_depth_two_reaches_one_step_further(chain_kb):
    graph = neighbourhood(chain_kb, "centre", depth=2)
    assert set(graph.nodes) == {"centre", "a", "b", "c", "far"}
    assert graph.node("far").depth == 2
    assert "farther" not in graph.nodes and "lone" not in graph.nodes


def test_edges_are_undirected_once_each_with_directions(chain_kb):
    graph = neighbourhood(chain_kb, "centre", depth=2)
    edges = {(e.source, e.target): (e.forward, e.backward) for e in graph.edges}
    assert edges == {
        ("centre", "a"): (True, False),
        ("centre", "b"): (True, False),
        ("centre", "c"): (False, True),  # c links in: the edge starts at the centre end
        ("a", "b"): (True, True),
        ("a", "far"): (True, False),
    }
    assert [e.mutual for e in graph.edges if (e.source, e.target) == ("a", "b")] == [True]


def test_self_links_and_broken_links_make_no_edges(chain_kb):
    graph = neighbourhood(chain_kb, "centre")
    assert all(e.source != e.target for e in graph.edges)
    assert "missing" not in graph.nodes


def test_a_note_without_links_is_alone(chain_kb):
    graph = neighbourhood(chain_kb, "lone", depth=2)
    assert list(graph.nodes) == ["lone"]
    assert graph.edges == []
    assert (graph.node("lone").x, graph.node("lone").y) == (0.0, 0.0)


def test_unknown_note_raises(chain_kb):
    with pytest.raises(KeyError):
        neighbourhood(chain_kb, "nope")


def test_depth_is_clamped(chain_kb):
    assert neighbourhood(chain_kb, "centre", depth=0).depth == 1
    assert neighbourhood(chain_kb, "centre", depth=5).depth == 2


def test_limit_keeps_the_nearest_and_counts_the_rest(chain_kb):
    graph = neighbourhood(chain_kb, "centre", depth=2, limit=3)
    assert set(graph.nodes) == {"centre", "a", "b", "c"}
    assert graph.omitted == 1
    assert all(e.source in graph.nodes and e.target in graph.nodes for e in graph.edges)


def test_centre_in_the_middle_and_neighbours_round_it(chain_kb):
    graph = neighbourhood(chain_kb, "centre", depth=2)
    centre = graph.node("centre")
    assert (centre.x, centre.y, centre.radius) == (0.0, 0.0, CENTRE_RADIUS)
    ring1 = [math.hypot(n.x, n.y) for n in graph.nodes.values() if n.depth == 1]
    ring2 = [math.hypot(n.x, n.y) for n in graph.nodes.values() if n.depth == 2]
    assert min(ring1) > CENTRE_RADIUS
    assert min(ring2) > max(ring1)


def test_neighbours_go_round_by_type(chain_kb):
    graph = neighbourhood(chain_kb, "centre")
    # clockwise from the top: organisation, person, event (screen y points down)
    angles = {n.id: math.atan2(n.y, n.x) % (2 * math.pi) for n in graph.nodes.values() if n.depth}
    start = 3 * math.pi / 2
    order = sorted(angles, key=lambda i: (angles[i] - start) % (2 * math.pi))
    assert order == ["a", "b", "c"]


def test_layout_is_deterministic(tmp_path):
    kb = hub_kb(tmp_path, 60)
    first = neighbourhood(kb, "hub", depth=2)
    second = neighbourhood(kb, "hub", depth=2)
    assert [(n.id, n.x, n.y, n.label) for n in first.nodes.values()] == \
        [(n.id, n.x, n.y, n.label) for n in second.nodes.values()]
    again = layout(second)
    assert [(n.x, n.y) for n in again.nodes.values()] == [(n.x, n.y) for n in first.nodes.values()]


@pytest.mark.parametrize("count", [1, 2, 5, 12, 39, 41, 80, 200])
def test_no_two_nodes_overlap(tmp_path, count):
    kb = hub_kb(tmp_path, count)
    for depth in (1, 2):
        graph = neighbourhood(kb, "hub", depth=depth)
        assert len(graph.nodes) == count + 1
        _assert_no_overlap(graph)
    _assert_no_overlap(neighbourhood(kb, "n0", depth=2))


def test_two_hundred_neighbours_are_compact(tmp_path):
    # how fast: python -m benchmarks.browse
    kb = hub_kb(tmp_path, 200)
    graph = neighbourhood(kb, "hub")
    assert len(graph.nodes) == 201
    left, top, right, bottom = graph.bounds()
    # about 200 boxes of ~120 x 45: a few thousand units across, not tens of thousands
    assert right - left < 3000 and bottom - top < 2000
    assert all(len(n.label) == 1 for n in graph.nodes.values() if n.depth)  # compact labels


def test_labels_wrap_to_two_lines_and_elide():
    measure = estimate_width  # 7 units a character
    assert wrap_label("Short", measure, 100) == ("Short",)
    assert wrap_label("one two three four", measure, 70) == ("one two", "three four")
    lines = wrap_label("alpha beta gamma delta epsilon zeta", measure, 70)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(measure(line) <= 70 for line in lines)
    (word,) = wrap_label("Supercalifragilistic", measure, 70)
    assert word.endswith("…") and measure(word) <= 70


def test_label_width_follows_the_measure(chain_kb):
    wide = neighbourhood(chain_kb, "centre", measure=lambda text: 10.0 * len(text))
    narrow = neighbourhood(chain_kb, "centre", measure=lambda text: 5.0 * len(text))
    assert wide.node("a").label_width == 10.0 * len("A")
    assert narrow.node("a").label_width == 5.0 * len("A")
    assert wide.node("a").radius == NODE_RADIUS


def test_core_imports_no_qt():
    code = "import sys, viewer.core.graph; print(any(m.startswith('PySide6') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_link_targets_are_the_ids_outgoing_links_resolve_to(chain_kb):
    for note in chain_kb.notes():
        expected = {link.target_id for link in chain_kb.outgoing(note.id) if link.target_id}
        assert chain_kb.link_targets(note.id) == expected
    assert chain_kb.link_targets("centre") == {"a", "b", "centre"}  # its self-link too; 'missing' is broken


def test_a_stale_request_stops(chain_kb):
    from viewer.core.errors import Stale

    with pytest.raises(Stale):
        neighbourhood(chain_kb, "centre", depth=2, stale=lambda: True)


def test_a_capped_depth_two_looks_up_only_the_links_of_notes_shown(tmp_path):
    kb = hub_kb(tmp_path, 60)
    looked_up: list[str] = []
    real = kb.link_targets
    kb.link_targets = lambda note_id: (looked_up.append(note_id), real(note_id))[1]
    graph = neighbourhood(kb, "n0", depth=2, limit=5)
    assert len(graph.nodes) == 6 and graph.omitted == 61 - 6
    # the centre and its neighbours (to find notes two links away), then the few shown
    assert "n0" in looked_up and set(looked_up) <= {"n0", "hub", "n1", "n59", *graph.nodes}


@pytest.mark.parametrize("width", [20.0, 60.0, 100.0, 160.0, 400.0])
def test_wrapped_lines_counts_the_lines_wrap_label_makes(width):
    from viewer.core.graph import wrapped_lines

    def uneven(text: str) -> float:  # wide capitals, narrow spaces
        return sum(11.0 if c.isupper() else 3.0 if c == " " else 6.5 for c in text)
    texts = ["", "   ", "One", "Two words", "A Title With Several Capitalised Words In It",
             "x" * 40, "short " * 12, "Averyveryverylongwordwithoutanyspaces and more"]
    for measure in (estimate_width, uneven):
        for text in texts:
            for lines in (1, 2, 3):
                assert wrapped_lines(text, measure, width, lines) == len(wrap_label(text, measure, width, lines)), \
                    (text, width, lines)
