package dev.weir.core;

import java.util.List;

/**
 * A node of a built {@link Graph}: its qualified name, the {@link Node} instance and the ports it
 * declared when the graph was built.
 *
 * <p>A node added directly to a graph keeps its name; a node inside a {@link Subgraph} is named
 * after the path of subgraph names that lead to it, separated by {@code /} ({@code enrich/parse},
 * {@code a/b/c}).
 *
 * <p>The ports are read from {@link Node#inputs()} and {@link Node#outputs()} once, at build time;
 * the runtime should use these lists rather than ask the node again. They hold the node's own
 * {@link PortSpec} instances, so they compare with the port passed to {@link Node#onMessage}.
 *
 * <p>Thread-safety: immutable; the {@link Node} itself follows its own rules.
 */
public final class GraphNode {

  private final String name;
  private final Node node;
  private final List<PortSpec<?>> inputs;
  private final List<PortSpec<?>> outputs;
  private final List<NodeOption> options;

  GraphNode(
      String name,
      Node node,
      List<PortSpec<?>> inputs,
      List<PortSpec<?>> outputs,
      List<NodeOption> options) {
    this.name = name;
    this.node = node;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.options = List.copyOf(options);
  }

  /**
   * Returns the qualified name.
   *
   * @return the name, e.g. {@code double} or {@code enrich/parse}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the node instance.
   *
   * @return the node, which appears in no other position of the graph
   */
  public Node node() {
    return node;
  }

  /**
   * Returns the input ports.
   *
   * @return the ports declared by {@link Node#inputs()} at build time, in declaration order
   */
  public List<PortSpec<?>> inputs() {
    return inputs;
  }

  /**
   * Returns the output ports.
   *
   * @return the ports declared by {@link Node#outputs()} at build time, in declaration order
   */
  public List<PortSpec<?>> outputs() {
    return outputs;
  }

  /**
   * Returns the options given where the node was added, for the runtime to read.
   *
   * @return the options of {@link GraphBuilder#add(String, Node, NodeOption...)}, at most one of
   *     each type, in the order given; empty if none
   */
  public List<NodeOption> options() {
    return options;
  }

  /** Returns this node as seen from a level up, where it is inside {@code prefix}. */
  GraphNode prefixed(String prefix) {
    return new GraphNode(prefix + name, node, inputs, outputs, options);
  }

  @Override
  public String toString() {
    return "GraphNode["
        + name
        + ", inputs="
        + inputs
        + ", outputs="
        + outputs
        + (options.isEmpty() ? "" : ", options=" + options)
        + ']';
  }
}
