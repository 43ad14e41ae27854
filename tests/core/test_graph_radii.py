"""Notes two links away get a smaller radius than those one link away."""

from __future__ import annotations

from viewer.core.graph import CENTRE_RADIUS, NODE_RADIUS, SECOND_RADIUS, Graph, GraphNode, layout


def test_depth_two_nodes_have_the_smaller_radius():
    graph = Graph("c", 2)
    graph.nodes = {"c": GraphNode("c", "Centre", "topic", 0), "a": GraphNode("a", "Near", "person", 1),
                   "b": GraphNode("b", "Far", "event", 2)}
    layout(graph)
    assert graph.node("c").radius == CENTRE_RADIUS
    assert graph.node("a").radius == NODE_RADIUS
    assert graph.node("b").radius == SECOND_RADIUS < NODE_RADIUS
