"""The neighbourhood of a note as a small graph, laid out for drawing.

The layout is deterministic (no randomness, no iteration to convergence):

- the centre note sits at (0, 0);
- its neighbours go clockwise from the top, ordered by type and then title,
  with a small gap between types; up to RING_CAPACITY share one ring (an
  ellipse, wider than high since labels are wide), spaced so that neighbouring
  boxes just clear each other and made as small as that allows; more than that
  follow a spiral outwards, so a crowd becomes several turns instead of one
  huge ring;
- notes two links away go the same way on outer rings, ordered by the mean
  angle of the depth-1 notes that link them in, so that edges cross little.

Each node owns a box: its circle with its label (at most two lines, elided)
under it. No two boxes overlap: a node whose box would still hit one already
placed moves outwards along its ray until it is free. Graphs of more than
COMPACT_FROM notes get one-line, narrower labels.

Coordinates are in scene units (pixels at zoom 1), y pointing down.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from viewer.core.errors import Stale
from viewer.core.graph_rings import Placer, ellipse_reach, mean_angle, place_round
from viewer.core.kb import KnowledgeBase
from viewer.core.model import NOTE_TYPES

Measure = Callable[[str], float]  # the width of a text in scene units
ELLIPSIS = "…"

NODE_RADIUS = 11.0
SECOND_RADIUS = 8.0  # notes two links away are drawn smaller: they are secondary
CENTRE_RADIUS = 17.0
LABEL_GAP = 3.0  # between a circle and its label
LABEL_HEIGHT = 17.0  # per line
LABEL_LINES = 2  # longer titles are elided on the last line
LABEL_MAX_WIDTH = 160.0  # of one label line
CENTRE_LABEL_WIDTH = 240.0  # the centre's label may take three lines this wide
LABEL_PADDING = 3.0  # each side of the text, for its background
RING_GAP = 36.0  # between the outermost depth-1 box and the first depth-2 ring
COMPACT_FROM = 60  # nodes; bigger graphs get one-line, narrower labels
COMPACT_WIDTH = 110.0

TYPE_ORDER = {name: index for index, name in enumerate(NOTE_TYPES)}


@dataclass(frozen=True)
class GraphNode:
    """A note in the graph, with its place and the size of its label box."""

    id: str
    title: str
    type: str | None
    depth: int  # links from the centre: 0, 1 or 2
    x: float = 0.0
    y: float = 0.0
    radius: float = NODE_RADIUS
    label: tuple[str, ...] = ()  # the title cut into at most two lines, to draw as is
    label_width: float = 0.0  # the width of the widest label line

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of the circle and its label, without margin."""
        half = max(self.radius, self.label_width / 2 + LABEL_PADDING)
        bottom = self.y + self.radius + LABEL_GAP + LABEL_HEIGHT * max(1, len(self.label))
        return (self.x - half, self.y - self.radius, self.x + half, bottom)


@dataclass(frozen=True)
class GraphEdge:
    """One line between two notes, however many links join them.

    `source` is the end nearer the centre (then the smaller id); `forward` is
    true when `source` links to `target`, `backward` when `target` links back.
    """

    source: str
    target: str
    forward: bool
    backward: bool

    @property
    def mutual(self) -> bool:
        return self.forward and self.backward


@dataclass
class Graph:
    """The notes round one centre note and the links between them."""

    centre: str
    depth: int
    nodes: dict[str, GraphNode] = field(default_factory=dict)  # centre first
    edges: list[GraphEdge] = field(default_factory=list)
    omitted: int = 0  # notes in reach but left out by the limit

    def node(self, note_id: str) -> GraphNode:
        return self.nodes[note_id]

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of all node boxes."""
        boxes = [n.box() for n in self.nodes.values()]
        if not boxes:
            return (0.0, 0.0, 0.0, 0.0)
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


def neighbourhood(kb: KnowledgeBase, note_id: str, depth: int = 1, limit: int | None = None,
                  measure: Measure | None = None, measure_centre: Measure | None = None,
                  stale: Callable[[], bool] | None = None) -> Graph:
    """The notes within `depth` links of `note_id` (either direction), laid out.

    Args:
        depth: 1 or 2 (larger values are clamped to 2, smaller to 1).
        limit: the most notes to show besides the centre; nearer notes win,
            then by type and title. None shows all. Only the notes shown are
            laid out and have their links looked up.
        measure, measure_centre: text widths for labels, as for `layout`.
        stale: asked between pieces of work (in a worker thread); when it says
            yes, `Stale` is raised.

    Raises:
        KeyError: when no note has this id.
    """
    centre = kb.get(note_id)
    if centre is None:
        raise KeyError(note_id)
    depth = min(max(depth, 1), 2)
    targets: dict[str, set[str]] = {}  # the notes each one links to, without itself

    def targets_of(node_id: str) -> set[str]:
        if node_id not in targets:
            targets[node_id] = kb.link_targets(node_id) - {node_id}
        return targets[node_id]

    depth_of: dict[str, int] = {centre.id: 0}
    frontier: list[str] = [centre.id]
    for level in range(1, depth + 1):
        found: list[str] = []
        for count, node_id in enumerate(frontier):
            if stale is not None and count % 100 == 0 and stale():
                raise Stale
            for other in targets_of(node_id) | kb.backlink_sources(node_id):
                if other not in depth_of and other != node_id:
                    depth_of[other] = level
                    found.append(other)
        frontier = found

    def rank(node_id: str) -> tuple:
        note = kb.get(node_id)
        title = note.title if note else node_id
        return (_type_rank(note.type if note else None), title.casefold(), node_id)

    nearest = sorted((i for i in depth_of if depth_of[i] == 1), key=rank)
    farther = [i for i in depth_of if depth_of[i] == 2]
    room = len(nearest) + len(farther) if limit is None else max(limit - len(nearest), 0)
    others = nearest[:limit] + (heapq.nsmallest(room, farther, key=rank) if room else [])
    graph = Graph(centre.id, depth, omitted=len(depth_of) - 1 - len(others))
    for node_id in [centre.id, *others]:
        note = kb.get(node_id)
        if note is not None:
            graph.nodes[node_id] = GraphNode(note.id, note.title, note.type, depth_of[node_id])

    # one undirected edge per pair, with the directions that exist
    pairs: dict[tuple[str, str], list[bool]] = {}
    for a in graph.nodes:
        for b in targets_of(a):
            if b not in graph.nodes:
                continue
            source, target = sorted((a, b), key=lambda i: (depth_of[i], i))
            flags = pairs.setdefault((source, target), [False, False])
            flags[0 if a == source else 1] = True
    graph.edges = [GraphEdge(s, t, f, b) for (s, t), (f, b) in sorted(pairs.items())]
    if stale is not None and stale():
        raise Stale
    return layout(graph, measure, measure_centre)


def layout(graph: Graph, measure: Measure | None = None,
           measure_centre: Measure | None = None) -> Graph:
    """Place every node of `graph` (in place) and cut its label into lines; return it.

    Args:
        measure: the width of a label text; an estimate when None.
        measure_centre: the same for the centre's label (drawn bold, say);
            `measure` when None.

    The same graph and measures always give the same positions.
    """
    measure = measure or estimate_width
    compact = len(graph.nodes) > COMPACT_FROM
    sized: dict[str, GraphNode] = {}
    for node in graph.nodes.values():
        is_centre = node.depth == 0
        fits = (measure_centre or measure) if is_centre else measure
        if is_centre:
            lines = wrap_label(node.title, fits, CENTRE_LABEL_WIDTH, 3)
        elif compact:
            lines = wrap_label(node.title, fits, COMPACT_WIDTH, 1)
        else:
            lines = wrap_label(node.title, fits)
        width = max(fits(line) for line in lines)
        radius = CENTRE_RADIUS if is_centre else (SECOND_RADIUS if node.depth >= 2 else NODE_RADIUS)
        sized[node.id] = replace(node, radius=radius,
                                 label=lines, label_width=float(math.ceil(width)), x=0.0, y=0.0)
    placer = Placer()
    centre = sized.get(graph.centre)
    if centre is not None:
        placer.add(centre)

    # depth 1: by type, then title, clockwise from the top
    ring1 = sorted((n for n in sized.values() if n.depth == 1), key=_order)
    breaks = [i > 0 and ring1[i].type != ring1[i - 1].type for i in range(len(ring1))]
    inner = ellipse_reach(centre) + RING_GAP / 2 if centre is not None else 0.0
    angles: dict[str, float] = {}
    for node, angle in place_round(ring1, breaks, -math.pi / 2, inner, placer):
        sized[node.id] = node
        angles[node.id] = angle

    # depth 2: by the mean angle of the depth-1 notes that link them in
    ring2 = [n for n in sized.values() if n.depth == 2]
    if ring2:
        neighbours = _neighbours(graph)
        wanted = {n.id: mean_angle([angles[m] for m in neighbours[n.id] if m in angles]) for n in ring2}
        ring2.sort(key=lambda n: (wanted[n.id], *_order(n)))
        reach = max(ellipse_reach(n) for n in sized.values() if n.depth <= 1)
        start = wanted[ring2[0].id]
        for node, _ in place_round(ring2, [False] * len(ring2), start, reach + RING_GAP, placer):
            sized[node.id] = node

    graph.nodes = {node_id: sized[node_id] for node_id in graph.nodes}
    return graph


def wrap_label(text: str, measure: Measure, width: float = LABEL_MAX_WIDTH,
               lines: int = LABEL_LINES) -> tuple[str, ...]:
    """`text` cut at spaces into at most `lines` lines of at most `width`.

    A word too long for a line is cut; text left over is elided with '…'.
    """
    words = text.split() or [""]
    out: list[str] = []
    current = ""
    index = 0
    while index < len(words) and len(out) < lines:
        word = words[index]
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            index += 1
        elif current:
            out.append(current)
            current = ""
        else:  # one word wider than a line
            current = _elide(word, measure, width)
            index += 1
    if current and len(out) < lines:
        out.append(current)
    if index < len(words):  # more left over: elide the last line
        rest = " ".join([out[-1], *words[index:]])
        out[-1] = _elide(rest, measure, width)
    return tuple(out)


def wrapped_lines(text: str, measure: Measure, width: float = LABEL_MAX_WIDTH, lines: int = LABEL_LINES) -> int:
    """How many lines `wrap_label` cuts `text` into; up to two lines, measuring it once (for row heights)."""
    if lines > 2:
        return len(wrap_label(text, measure, width, lines))
    words = text.split()
    if not words or lines < 1:
        return 0
    if len(words) == 1 or measure(" ".join(words)) <= width:
        return 1
    return lines  # the first words on one line, the rest (elided) on the second


def _elide(text: str, measure: Measure, width: float) -> str:
    if measure(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with the ellipsis
        mid = (low + high + 1) // 2
        if measure(text[:mid].rstrip() + ELLIPSIS) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def estimate_width(text: str) -> float:
    """A rough text width for a 9-10 pt sans-serif font, when Qt is not at hand."""
    return 7.0 * len(text)


# -- helpers -------------------------------------------------------------------

def _type_rank(note_type: str | None) -> int:
    return TYPE_ORDER.get(note_type or "", len(TYPE_ORDER))


def _order(node: GraphNode) -> tuple:
    return (_type_rank(node.type), node.type or "", node.title.casefold(), node.id)


def _neighbours(graph: Graph) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for edge in graph.edges:
        out[edge.source].append(edge.target)
        out[edge.target].append(edge.source)
    return out
