package dev.weir.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the cycles that no feedback edge breaks. A cycle is legal when at least one of its edges is
 * marked {@link EdgeSpec#asFeedback()}, so the search runs over the non-feedback edges only: any
 * cycle left there is one without a feedback edge.
 *
 * <p>Tarjan's algorithm finds the strongly connected components; each component with a cycle is
 * reported once, with the shortest cycle through its earliest-added node spelled out in order, and
 * the rest of the component named when it is larger (fixing one cycle may leave another there).
 *
 * <p>Thread-safety: stateless.
 *
 * <p>References: R. Tarjan, "Depth-first search and linear graph algorithms" (1972).
 */
final class CycleFinder {

  private CycleFinder() {}

  /**
   * Reports every strongly connected component that contains a cycle without a feedback edge.
   *
   * @param graph the flat graph
   * @return one problem message per such component, in the order of their earliest-added nodes
   */
  static List<String> unmarkedCycles(Adjacency graph) {
    List<String> problems = new ArrayList<>();
    for (List<Integer> component : components(graph)) {
      if (component.size() > 1 || hasSelfLoop(graph, component.get(0))) {
        problems.add(describe(graph, component));
      }
    }
    return problems;
  }

  /**
   * Tarjan's algorithm with an explicit call stack, so that a long pipeline cannot overflow the
   * thread's stack. Returns the components sorted by their smallest node index, each sorted too.
   */
  private static List<List<Integer>> components(Adjacency graph) {
    int n = graph.size();
    int[] index = new int[n];
    Arrays.fill(index, -1);
    int[] low = new int[n];
    boolean[] onStack = new boolean[n];
    Deque<Integer> stack = new ArrayDeque<>();
    int[] frameNode = new int[n];
    int[] frameNextEdge = new int[n];
    int counter = 0;
    List<List<Integer>> components = new ArrayList<>();
    for (int root = 0; root < n; root++) {
      if (index[root] >= 0) {
        continue;
      }
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = true;
      frameNode[0] = root;
      frameNextEdge[0] = 0;
      int depth = 1;
      while (depth > 0) {
        int v = frameNode[depth - 1];
        List<GraphEdge> out = graph.outEdges(v);
        if (frameNextEdge[depth - 1] < out.size()) {
          int w = graph.consumerOf(out.get(frameNextEdge[depth - 1]++));
          if (index[w] < 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = true;
            frameNode[depth] = w;
            frameNextEdge[depth] = 0;
            depth++;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        depth--;
        if (depth > 0) {
          int parent = frameNode[depth - 1];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] == index[v]) {
          List<Integer> component = new ArrayList<>();
          int w;
          do {
            w = stack.pop();
            onStack[w] = false;
            component.add(w);
          } while (w != v);
          Collections.sort(component);
          components.add(component);
        }
      }
    }
    components.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
    return components;
  }

  private static boolean hasSelfLoop(Adjacency graph, int node) {
    for (GraphEdge edge : graph.outEdges(node)) {
      if (graph.consumerOf(edge) == node) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Adjacency graph, List<Integer> component) {
    int start = component.get(0);
    List<GraphEdge> cycle = shortestCycle(graph, start, component);
    StringBuilder text = new StringBuilder("cycle ").append(graph.name(start));
    // Long cycles are shortened, keeping the edge that closes the cycle, which the fix names.
    int shown = Math.min(cycle.size() - 1, NameList.SHOWN);
    for (int i = 0; i < shown; i++) {
      text.append(" -> ").append(cycle.get(i).consumer());
    }
    if (shown < cycle.size() - 1) {
      text.append(" -> ... ").append(cycle.size() - 1 - shown).append(" more ...");
    }
    text.append(" -> ").append(graph.name(start));
    text.append(" has no feedback edge: mark one of its edges as feedback, e.g. ")
        .append(suggestion(cycle))
        .append(" with EdgeSpec.defaults().asFeedback() or yourSpec.asFeedback()");
    if (component.size() > cycle.size()) {
      List<String> names = new ArrayList<>();
      component.forEach(i -> names.add(graph.name(i)));
      text.append(" (it is part of a larger loop through ")
          .append(NameList.of(names))
          .append(": every cycle there needs a feedback edge)");
    }
    return text.toString();
  }

  /**
   * Which edge to suggest marking, named as the graph's builder declared it. Flattened ids name
   * nodes inside subgraphs by qualified names, which no builder accepts. An edge between two of the
   * graph's own nodes is preferred; else a connection that enters or leaves a subgraph, declared
   * with the subgraph's exposed port (which the flattened id no longer shows). A cycle found here
   * always has one or the other: a cycle inside a subgraph fails that subgraph's own build.
   */
  private static String suggestion(List<GraphEdge> cycle) {
    GraphEdge crossing = null;
    for (int i = cycle.size() - 1; i >= 0; i--) {
      GraphEdge edge = cycle.get(i);
      if (edge.producer().indexOf('/') < 0 && edge.consumer().indexOf('/') < 0) {
        return "declare " + edge.id();
      }
      if (crossing == null && !topOf(edge.producer()).equals(topOf(edge.consumer()))) {
        crossing = edge;
      }
    }
    if (crossing != null) {
      return "declare the connection "
          + endpoint(crossing.producer(), crossing.output().name(), "exposed output")
          + "->"
          + endpoint(crossing.consumer(), crossing.input().name(), "exposed input");
    }
    return "declare " + cycle.get(cycle.size() - 1).id();
  }

  /** How the graph's own builder names one end of a connection: a node's port, or a subgraph's. */
  private static String endpoint(String node, String port, String exposed) {
    return node.indexOf('/') < 0 ? node + "." + port : topOf(node) + ".<its " + exposed + ">";
  }

  /** The element of the graph's own level a qualified node name belongs to. */
  private static String topOf(String node) {
    int slash = node.indexOf('/');
    return slash < 0 ? node : node.substring(0, slash);
  }

  /** Breadth-first from {@code start} within the component: the fewest edges back to it. */
  private static List<GraphEdge> shortestCycle(
      Adjacency graph, int start, List<Integer> component) {
    boolean[] inComponent = new boolean[graph.size()];
    component.forEach(i -> inComponent[i] = true);
    Map<Integer, GraphEdge> reachedBy = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    while (!queue.isEmpty()) {
      int v = queue.remove();
      for (GraphEdge edge : graph.outEdges(v)) {
        int w = graph.consumerOf(edge);
        if (w == start) {
          return pathBack(graph, start, edge, reachedBy);
        }
        if (inComponent[w] && !reachedBy.containsKey(w)) {
          reachedBy.put(w, edge);
          queue.add(w);
        }
      }
    }
    throw new IllegalStateException("component without a cycle: " + component);
  }

  private static List<GraphEdge> pathBack(
      Adjacency graph, int start, GraphEdge closing, Map<Integer, GraphEdge> reachedBy) {
    List<GraphEdge> path = new ArrayList<>();
    path.add(closing);
    int v = graph.indexOf(closing.producer());
    while (v != start) {
      GraphEdge edge = Objects.requireNonNull(reachedBy.get(v));
      path.add(edge);
      v = graph.indexOf(edge.producer());
    }
    Collections.reverse(path);
    return path;
  }
}
