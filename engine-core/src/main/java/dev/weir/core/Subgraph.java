package dev.weir.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reusable composite: nodes and edges wired together, with some inner ports exposed under outer
 * names. Add it to a {@link GraphBuilder} or another {@link SubgraphBuilder} like a node; its nodes
 * are then named {@code name/inner}, and nesting composes ({@code a/b/c}).
 *
 * <p>A built subgraph is already flat and validated on its own. Its exposed ports are stored as the
 * inner ports they stand for, which is why they resolve through any depth of nesting and why a
 * built {@link Graph} never mentions subgraphs.
 *
 * <p>A subgraph holds node instances, and a node instance may run in one place only: to use the
 * same composite twice, build it twice (e.g. from a factory method).
 *
 * <p>Thread-safety: immutable.
 */
public final class Subgraph {

  private final List<GraphNode> nodes;
  private final List<GraphEdge> edges;
  private final Map<String, Endpoint> inputs;
  private final Map<String, Endpoint> outputs;

  Subgraph(
      List<GraphNode> nodes,
      List<GraphEdge> edges,
      Map<String, Endpoint> inputs,
      Map<String, Endpoint> outputs) {
    this.nodes = List.copyOf(nodes);
    this.edges = List.copyOf(edges);
    this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /**
   * Starts a subgraph declaration.
   *
   * @return a new, empty builder
   */
  public static SubgraphBuilder builder() {
    return new SubgraphBuilder();
  }

  /**
   * Returns the names of the exposed inputs.
   *
   * @return the names given to {@code exposeInput}, in declaration order
   */
  public List<String> exposedInputs() {
    return List.copyOf(inputs.keySet());
  }

  /**
   * Returns the names of the exposed outputs.
   *
   * @return the names given to {@code exposeOutput}, in declaration order
   */
  public List<String> exposedOutputs() {
    return List.copyOf(outputs.keySet());
  }

  /** Flat nodes, named relative to this subgraph. */
  List<GraphNode> nodes() {
    return nodes;
  }

  /** Flat edges, named relative to this subgraph. */
  List<GraphEdge> edges() {
    return edges;
  }

  /** Exposed inputs by outer name, as the inner flat ports they stand for. */
  Map<String, Endpoint> inputEndpoints() {
    return inputs;
  }

  /** Exposed outputs by outer name, as the inner flat ports they stand for. */
  Map<String, Endpoint> outputEndpoints() {
    return outputs;
  }

  @Override
  public String toString() {
    return "Subgraph[nodes="
        + nodes.size()
        + ", inputs="
        + inputs.keySet()
        + ", outputs="
        + outputs.keySet()
        + ']';
  }
}
