package dev.weir.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flat graph as index-based adjacency over its non-feedback edges: what the topological sort
 * and the cycle search walk. Node indices follow insertion order, and each node's out-edges keep
 * declaration order, so every walk over it is deterministic.
 *
 * <p>Thread-safety: not thread-safe; built and used by one thread.
 */
final class Adjacency {

  private final List<GraphNode> nodes;
  private final Map<String, Integer> indices = new HashMap<>();
  private final List<List<GraphEdge>> outEdges;

  Adjacency(List<GraphNode> nodes, List<GraphEdge> edges) {
    this.nodes = nodes;
    this.outEdges = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      // First wins: names only collide in a graph already reported invalid.
      indices.putIfAbsent(nodes.get(i).name(), i);
      outEdges.add(new ArrayList<>());
    }
    for (GraphEdge edge : edges) {
      if (!edge.isFeedback()) {
        outEdges.get(indexOf(edge.producer())).add(edge);
      }
    }
  }

  int size() {
    return nodes.size();
  }

  String name(int node) {
    return nodes.get(node).name();
  }

  int indexOf(String name) {
    Integer index = indices.get(name);
    if (index == null) {
      throw new IllegalStateException("edge names a node that is not in the graph: " + name);
    }
    return index;
  }

  /** Returns the non-feedback edges leaving a node, in declaration order. */
  List<GraphEdge> outEdges(int node) {
    return outEdges.get(node);
  }

  int consumerOf(GraphEdge edge) {
    return indexOf(edge.consumer());
  }
}
