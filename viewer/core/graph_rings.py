"""Placing the graph's boxes round the centre without overlap: rings, a spiral for a crowd.

The rules are described in viewer/core/graph.py; `layout` there calls these.
A ring is an ellipse ASPECT times wider than high; angles go clockwise from
the top (y points down).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from viewer.core.graph import GraphNode

ASPECT = 1.6  # rings are ellipses this much wider than high: labels are wide
BOX_MARGIN = 6.0  # free space kept round each box
STEP = 12.0  # how far a blocked node moves outwards per try
RING_CAPACITY = 40  # notes on one ring; more go on a spiral
SPIRAL_STEP = 5.0  # how far along the spiral a blocked node moves per try


def boxes_overlap(a: GraphNode, b: GraphNode, margin: float = 0.0) -> bool:
    """True when the boxes of `a` and `b`, each grown by `margin`, meet."""
    al, at, ar, ab = a.box()
    bl, bt, br, bb = b.box()
    return al - margin < br + margin and bl - margin < ar + margin and \
        at - margin < bb + margin and bt - margin < ab + margin


def place_round(nodes: list[GraphNode], breaks: list[bool], start: float, least: float,
                 placer: Placer) -> list[tuple[GraphNode, float]]:
    """Put `nodes`, in order, clockwise round the centre from angle `start`.

    Up to RING_CAPACITY notes share one ring; more follow a spiral outwards.
    Returns each placed node with its angle.
    """
    if not nodes:
        return []
    if len(nodes) > RING_CAPACITY:
        return place_spiral(nodes, start, least, placer)
    size = least
    steps = ring_steps(nodes, breaks, start, size)
    while sum(steps) > 2 * math.pi:  # grow the ring until everyone fits
        size *= 1.15
        steps = ring_steps(nodes, breaks, start, size)
    if size > least:  # then shrink it back as far as it goes
        low, high = size / 1.15, size
        for _ in range(6):
            mid = (low + high) / 2
            if sum(ring_steps(nodes, breaks, start, mid)) <= 2 * math.pi:
                high = mid
            else:
                low = mid
        size = high
        steps = ring_steps(nodes, breaks, start, size)
    spare = (2 * math.pi - sum(steps)) / len(steps)  # shared out evenly
    placed = []
    angle = start
    for node, step in zip(nodes, steps):
        placed.append((placer.place_on_ray(node, angle, size), angle))
        angle += step + spare
    return placed


def ring_steps(nodes: list[GraphNode], breaks: list[bool], start: float,
                size: float) -> list[float]:
    """The angle from each node to the next on a ring of `size` so their boxes clear."""
    count = len(nodes)
    if count == 1:
        return [2 * math.pi]
    steps = []
    angle = start
    for index, node in enumerate(nodes):
        after = nodes[(index + 1) % count]
        step = clearing_step(node, after, angle, size)
        step = clearing_step(node, after, angle + step / 2, size)  # better at the midpoint
        if breaks[(index + 1) % count]:
            step *= 1.5  # a gap between types
        steps.append(step)
        angle += step
    return steps


def clearing_step(a: GraphNode, b: GraphNode, angle: float, size: float) -> float:
    """The smallest angle apart at which the boxes of `a` and `b` do not meet."""
    (al, at, ar, ab), (bl, bt, br, bb) = a.box(), b.box()
    width = (ar - al + br - bl) / 2 + BOX_MARGIN
    height = max(ab - at, bb - bt) + BOX_MARGIN
    across = ASPECT * size * abs(math.sin(angle)) + 1e-9  # sideways speed round the ring
    down = size * abs(math.cos(angle)) + 1e-9  # up-and-down speed
    return min(width / across, height / down, math.pi)


def place_spiral(nodes: list[GraphNode], start: float, least: float,
                  placer: Placer) -> list[tuple[GraphNode, float]]:
    """Put `nodes` along a spiral from `least` outwards, each at its first free spot."""
    height = max(n.box()[3] - n.box()[1] for n in nodes) + BOX_MARGIN
    width = max(n.box()[2] - n.box()[0] for n in nodes) + BOX_MARGIN
    pitch = max(height, width / ASPECT)  # growth per turn: a box clears the turn inside
    placed = []
    turned = 0.0
    for index, node in enumerate(nodes):
        while True:
            size = least + pitch * turned / (2 * math.pi)
            candidate = at(node, start + turned, size)
            if placer.free(candidate):
                placer.add(candidate)
                placed.append((candidate, start + turned))
                break
            turned += SPIRAL_STEP / (size * ASPECT)
        if index + 1 < len(nodes):  # jump to about where the next box clears this one
            turned += 0.9 * clearing_step(node, nodes[index + 1], start + turned, size)
    return placed


def at(node: GraphNode, angle: float, size: float) -> GraphNode:
    return replace(node, x=round(ASPECT * math.cos(angle) * size, 2),
                   y=round(math.sin(angle) * size, 2))


def mean_angle(angles: list[float], default: float = -math.pi / 2) -> float:
    if not angles:
        return default
    x = sum(math.cos(a) for a in angles)
    y = sum(math.sin(a) for a in angles)
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return angles[0]
    return math.atan2(y, x)


def ellipse_reach(node: GraphNode) -> float:
    """The ring distance (in the ASPECT-stretched sense) of the box's farthest corner."""
    left, top, right, bottom = node.box()
    return math.hypot(max(abs(left), abs(right)) / ASPECT, max(abs(top), abs(bottom)))


class Placer:
    """Places boxes without overlap, with a grid of buckets to find neighbours fast."""

    CELL = 120.0

    def __init__(self) -> None:
        self._grid: dict[tuple[int, int], list[GraphNode]] = defaultdict(list)

    def add(self, node: GraphNode) -> None:
        for cell in self._cells(node):
            self._grid[cell].append(node)

    def free(self, node: GraphNode) -> bool:
        seen: set[str] = set()
        for cell in self._cells(node):
            for other in self._grid.get(cell, ()):
                if other.id not in seen:
                    seen.add(other.id)
                    if boxes_overlap(node, other, BOX_MARGIN / 2):
                        return False
        return True

    def place_on_ray(self, node: GraphNode, angle: float, start: float) -> GraphNode:
        """Put `node` at the first free spot along the ray at `angle` from `start`."""
        distance = start
        while True:
            moved = at(node, angle, distance)
            if self.free(moved):
                self.add(moved)
                return moved
            distance += STEP

    def _cells(self, node: GraphNode) -> list[tuple[int, int]]:
        left, top, right, bottom = node.box()
        m = BOX_MARGIN
        c = self.CELL
        return [(i, j)
                for i in range(math.floor((left - m) / c), math.floor((right + m) / c) + 1)
                for j in range(math.floor((top - m) / c), math.floor((bottom + m) / c) + 1)]
