package dev.weir.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code add(name, ...)} as its builder sees it: the flat nodes and inner edges it brings, and
 * the ports it offers for wiring at this level. A node offers its own ports; a subgraph offers its
 * exposed ports, already resolved to the flat endpoints they stand for. Because a built {@link
 * Subgraph} is flat, an exposed port resolves through any depth of nesting in one lookup.
 *
 * <p>Thread-safety: immutable once made.
 */
final class Element {

  private final String name;
  private final boolean composite;
  private final List<GraphNode> nodes;
  private final List<GraphEdge> edges;
  private final Map<String, Endpoint> inputs;
  private final Map<String, Endpoint> outputs;

  private Element(
      String name,
      boolean composite,
      List<GraphNode> nodes,
      List<GraphEdge> edges,
      Map<String, Endpoint> inputs,
      Map<String, Endpoint> outputs) {
    this.name = name;
    this.composite = composite;
    this.nodes = nodes;
    this.edges = edges;
    this.inputs = Collections.unmodifiableMap(inputs);
    this.outputs = Collections.unmodifiableMap(outputs);
  }

  /**
   * Reads the node's ports once; reports ports that share a name, and two options of one type, to
   * {@code problems}.
   */
  static Element ofNode(String name, Node node, List<NodeOption> options, List<String> problems) {
    List<PortSpec<?>> ins = List.copyOf(node.inputs());
    List<PortSpec<?>> outs = List.copyOf(node.outputs());
    checkOptions(name, options, problems);
    return new Element(
        name,
        false,
        List.of(new GraphNode(name, node, ins, outs, options)),
        List.of(),
        byName(name, ins, PortDirection.INPUT, problems),
        byName(name, outs, PortDirection.OUTPUT, problems));
  }

  /**
   * Places a built subgraph under {@code name}: every inner name gains the prefix {@code name/}.
   */
  static Element ofSubgraph(String name, Subgraph subgraph) {
    String prefix = name + "/";
    List<GraphNode> nodes = new ArrayList<>();
    subgraph.nodes().forEach(n -> nodes.add(n.prefixed(prefix)));
    List<GraphEdge> edges = new ArrayList<>();
    subgraph.edges().forEach(e -> edges.add(e.prefixed(prefix)));
    Map<String, Endpoint> inputs = new LinkedHashMap<>();
    subgraph.inputEndpoints().forEach((port, at) -> inputs.put(port, at.prefixed(prefix)));
    Map<String, Endpoint> outputs = new LinkedHashMap<>();
    subgraph.outputEndpoints().forEach((port, at) -> outputs.put(port, at.prefixed(prefix)));
    return new Element(name, true, nodes, edges, inputs, outputs);
  }

  /** A second option of one type would leave the runtime to guess which one was meant. */
  private static void checkOptions(String node, List<NodeOption> options, List<String> problems) {
    Map<Class<?>, NodeOption> byType = new LinkedHashMap<>();
    for (NodeOption option : options) {
      Class<?> type =
          option instanceof Enum<?> constant ? constant.getDeclaringClass() : option.getClass();
      NodeOption first = byType.putIfAbsent(type, option);
      if (first != null) {
        problems.add(
            "node '"
                + node
                + "' is given two "
                + type.getSimpleName()
                + " options ("
                + first
                + " and "
                + option
                + "): a node takes at most one option of each type; keep one in add(\""
                + node
                + "\", ...)");
      }
    }
  }

  private static Map<String, Endpoint> byName(
      String node, List<PortSpec<?>> ports, PortDirection direction, List<String> problems) {
    Map<String, Endpoint> byName = new LinkedHashMap<>();
    for (PortSpec<?> port : ports) {
      if (byName.putIfAbsent(port.name(), new Endpoint(node, port)) != null) {
        problems.add(
            "node '"
                + node
                + "' declares two "
                + direction.plural
                + " named '"
                + port.name()
                + "': port names must be unique among a node's "
                + direction.plural
                + "; rename one in its "
                + direction.plural
                + "()");
      }
    }
    return byName;
  }

  String name() {
    return name;
  }

  /** Returns "node" or "subgraph", for messages. */
  String kind() {
    return composite ? "subgraph" : "node";
  }

  boolean isComposite() {
    return composite;
  }

  List<GraphNode> nodes() {
    return nodes;
  }

  List<GraphEdge> edges() {
    return edges;
  }

  /** Returns the ports offered for wiring in one direction, by the name used at this level. */
  Map<String, Endpoint> ports(PortDirection direction) {
    return direction == PortDirection.INPUT ? inputs : outputs;
  }

  /** Lists the ports offered in one direction, for a message about a wrong reference. */
  String describePorts(PortDirection direction) {
    var names = ports(direction).keySet();
    if (names.isEmpty()) {
      return "it " + (composite ? "exposes" : "declares") + " no " + direction.plural;
    }
    return "its " + (composite ? "exposed " : "") + direction.plural + " are " + names;
  }
}
