package dev.weir.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated dataflow graph: nodes, the edges between their ports and the named ingresses that
 * external code feeds. Made by {@link #builder(String)}; a scheduler turns it into a running graph.
 *
 * <p>The graph is flat: the nodes of every {@link Subgraph} are listed with qualified names such as
 * {@code enrich/parse}, and exposed ports have been resolved to the inner ports they stand for, so
 * a runtime never needs to know that subgraphs exist. Every list has a deterministic order: the
 * same declarations always give the same nodes, edge ids and orders.
 *
 * <p>A graph holds the {@link Node} instances it was built from. A node instance runs in one graph
 * at a time, so that its hooks never overlap: starting a graph (this one again, or another built
 * from the same instances) while one of its nodes still runs elsewhere is refused by the scheduler.
 *
 * <p>Thread-safety: immutable and safe to share between threads.
 */
public final class Graph {

  private final String name;
  private final List<GraphNode> nodes;
  private final List<GraphEdge> edges;
  private final List<GraphIngress> ingresses;
  private final List<String> topologicalOrder;
  private final Map<String, GraphNode> nodesByName = new LinkedHashMap<>();
  private final Map<String, List<GraphEdge>> edgesFrom = new HashMap<>();
  private final Map<String, List<GraphEdge>> edgesInto = new HashMap<>();

  Graph(
      String name,
      List<GraphNode> nodes,
      List<GraphEdge> edges,
      List<GraphIngress> ingresses,
      List<String> topologicalOrder) {
    this.name = name;
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
    this.ingresses = List.copyOf(ingresses);
    this.topologicalOrder = List.copyOf(topologicalOrder);
    for (GraphNode node : this.nodes) {
      nodesByName.put(node.name(), node);
      edgesFrom.put(node.name(), new ArrayList<>());
      edgesInto.put(node.name(), new ArrayList<>());
    }
    for (GraphEdge edge : this.edges) {
      listOf(edgesFrom, edge.producer()).add(edge);
      listOf(edgesInto, edge.consumer()).add(edge);
    }
    edgesFrom.replaceAll((node, list) -> Collections.unmodifiableList(list));
    edgesInto.replaceAll((node, list) -> Collections.unmodifiableList(list));
  }

  /**
   * Starts a graph declaration.
   *
   * @param name the graph's name, used in logs, metrics and error messages; must not be blank
   * @return a new, empty builder
   */
  public static GraphBuilder builder(String name) {
    return new GraphBuilder(name);
  }

  /**
   * Returns the graph's name.
   *
   * @return the name given to {@link #builder(String)}
   */
  public String name() {
    return name;
  }

  /**
   * Returns every node, subgraphs flattened.
   *
   * @return the nodes in insertion order; a subgraph's nodes take its place, in their own order
   */
  public List<GraphNode> nodes() {
    return nodes;
  }

  /**
   * Returns every edge.
   *
   * @return the edges in a deterministic order: at each level, the inner edges of the added
   *     subgraphs (in the order they were added), then that level's {@code connect} calls in order
   */
  public List<GraphEdge> edges() {
    return edges;
  }

  /**
   * Returns the named external inputs.
   *
   * @return the ingresses in declaration order
   */
  public List<GraphIngress> ingresses() {
    return ingresses;
  }

  /**
   * Returns the node names in topological order, ignoring feedback edges: every other edge goes
   * from an earlier node to a later one. Among nodes that could come next, the one added first
   * does, so the order is deterministic.
   *
   * @return every node's qualified name, once
   */
  public List<String> topologicalOrder() {
    return topologicalOrder;
  }

  /**
   * Looks a node up by qualified name.
   *
   * @param nodeName e.g. {@code double} or {@code enrich/parse}
   * @return the node, or empty if the graph has none of that name
   */
  public Optional<GraphNode> node(String nodeName) {
    return Optional.ofNullable(nodesByName.get(Objects.requireNonNull(nodeName, "nodeName")));
  }

  /**
   * Looks an ingress up by name.
   *
   * @param ingressName the name given to {@code ingress(...)}
   * @return the ingress, or empty if the graph has none of that name
   */
  public Optional<GraphIngress> ingress(String ingressName) {
    Objects.requireNonNull(ingressName, "ingressName");
    return ingresses.stream().filter(i -> i.name().equals(ingressName)).findFirst();
  }

  /**
   * Returns the edges a node emits into.
   *
   * @param nodeName a qualified node name
   * @return the edges whose producer it is, in {@link #edges()} order; empty for a sink
   * @throws IllegalArgumentException if the graph has no such node
   */
  public List<GraphEdge> edgesFrom(String nodeName) {
    return listOf(edgesFrom, Objects.requireNonNull(nodeName, "nodeName"));
  }

  /**
   * Returns the edges a node reads from (ingresses not included).
   *
   * @param nodeName a qualified node name
   * @return the edges whose consumer it is, in {@link #edges()} order; empty for a source
   * @throws IllegalArgumentException if the graph has no such node
   */
  public List<GraphEdge> edgesInto(String nodeName) {
    return listOf(edgesInto, Objects.requireNonNull(nodeName, "nodeName"));
  }

  /**
   * Describes the graph in a few stable, readable lines: name and counts, topological order, one
   * line per edge (id, capacity, policy, feedback) and one per ingress. For example:
   *
   * <pre>
   * graph 'orders': 3 nodes, 2 edges, 1 ingress
   * topological order: numbers, double, print
   * edges:
   *   numbers.out-&gt;double.in capacity=1024 policy=BLOCK
   *   double.out-&gt;print.in capacity=64 policy=DROP
   * ingresses:
   *   ingress:orders-&gt;double.in capacity=1024 policy=BLOCK
   * </pre>
   *
   * <p>Feedback edges end with {@code feedback}; an empty section reads {@code edges: none}. Lines
   * are separated by {@code \n} whatever the platform, with no trailing newline.
   *
   * @return the description
   */
  public String describe() {
    StringBuilder text =
        new StringBuilder("graph '")
            .append(name)
            .append("': ")
            .append(count(nodes.size(), "node"))
            .append(", ")
            .append(count(edges.size(), "edge"))
            .append(", ")
            .append(count(ingresses.size(), "ingress"))
            .append("\ntopological order: ")
            .append(String.join(", ", topologicalOrder))
            .append("\nedges:");
    if (edges.isEmpty()) {
      text.append(" none");
    }
    for (GraphEdge edge : edges) {
      text.append("\n  ").append(edge.id());
      appendSpec(text, edge.spec());
    }
    text.append("\ningresses:");
    if (ingresses.isEmpty()) {
      text.append(" none");
    }
    for (GraphIngress ingress : ingresses) {
      text.append("\n  ").append(ingress.id());
      appendSpec(text, ingress.spec());
    }
    return text.toString();
  }

  private static void appendSpec(StringBuilder text, EdgeSpec spec) {
    text.append(" capacity=").append(spec.capacity()).append(" policy=").append(spec.policy());
    if (spec.isFeedback()) {
      text.append(" feedback");
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
  }

  private List<GraphEdge> listOf(Map<String, List<GraphEdge>> byNode, String nodeName) {
    List<GraphEdge> list = byNode.get(nodeName);
    if (list == null) {
      throw new IllegalArgumentException(
          "graph '"
              + name
              + "' has no node '"
              + nodeName
              + "'; its nodes are "
              + NameList.of(nodesByName.keySet()));
    }
    return list;
  }

  @Override
  public String toString() {
    return "Graph["
        + name
        + ": "
        + count(nodes.size(), "node")
        + ", "
        + count(edges.size(), "edge")
        + ']';
  }
}
