package dev.weir.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Kahn's algorithm over the non-feedback edges, taking the ready node that was added first at each
 * step: the order is a function of the declared structure alone, so the same graph always starts,
 * finishes and stops its nodes in the same order.
 *
 * <p>Thread-safety: stateless.
 */
final class TopologicalOrder {

  private TopologicalOrder() {}

  /**
   * Orders the nodes so that every non-feedback edge goes from an earlier node to a later one.
   *
   * @param graph the flat graph
   * @return the qualified node names; a node on or after an unmarked cycle is left out, so callers
   *     rule cycles out first (see {@link CycleFinder})
   */
  static List<String> of(Adjacency graph) {
    int n = graph.size();
    int[] indegree = new int[n];
    for (int i = 0; i < n; i++) {
      for (GraphEdge edge : graph.outEdges(i)) {
        indegree[graph.consumerOf(edge)]++;
      }
    }
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      if (indegree[i] == 0) {
        ready.add(i);
      }
    }
    List<String> order = new ArrayList<>(n);
    while (!ready.isEmpty()) {
      int next = ready.remove();
      order.add(graph.name(next));
      for (GraphEdge edge : graph.outEdges(next)) {
        int consumer = graph.consumerOf(edge);
        if (--indegree[consumer] == 0) {
          ready.add(consumer);
        }
      }
    }
    return order;
  }
}
