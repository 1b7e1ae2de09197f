package dev.weir.core;

import java.util.Objects;

/**
 * Declares a {@link Subgraph}: nodes and nested subgraphs, connections between them, and the ports
 * it exposes to the builder it is added to. Made by {@link Subgraph#builder()}.
 *
 * <pre>{@code
 * Subgraph enrich = Subgraph.builder()
 *     .add("parse", Nodes.map(String.class, Order.class, Order::parse))
 *     .add("tag", Nodes.map(Order.class, Order.class, Order::tagged))
 *     .connect("parse.out", "tag.in")
 *     .exposeInput("in", "parse.in")
 *     .exposeOutput("out", "tag.out")
 *     .build();
 * }</pre>
 *
 * <p>References and rules are those of {@link GraphBuilder}. An exposed input counts as connected
 * here; the builder that adds the subgraph must connect it.
 *
 * <p>Thread-safety: not thread-safe; confine a builder to one thread.
 */
public final class SubgraphBuilder {

  private final Declarations declarations = new Declarations();

  SubgraphBuilder() {}

  /**
   * Adds a node.
   *
   * @param nodeName unique among this builder's nodes and subgraphs; letters, digits, {@code _} or
   *     {@code -}
   * @param node the node
   * @param options settings the runtime reads for this node, at most one of each type, e.g. the
   *     scheduler's {@code ErrorPolicy.STOP_NODE} and {@code Priority.HIGH}; settings made by name
   *     on the runtime (such as {@code Scheduler.Builder.errorPolicy(name, policy)}) override them
   * @return this builder
   */
  public SubgraphBuilder add(String nodeName, Node node, NodeOption... options) {
    declarations.add(
        Objects.requireNonNull(nodeName, "nodeName"),
        Objects.requireNonNull(node, "node"),
        options);
    return this;
  }

  /**
   * Adds a nested subgraph: its nodes are named {@code nodeName/inner} here.
   *
   * @param nodeName unique among this builder's nodes and subgraphs; letters, digits, {@code _} or
   *     {@code -}
   * @param subgraph the nested subgraph
   * @return this builder
   */
  public SubgraphBuilder add(String nodeName, Subgraph subgraph) {
    declarations.add(
        Objects.requireNonNull(nodeName, "nodeName"),
        Objects.requireNonNull(subgraph, "subgraph"),
        new NodeOption[0]);
    return this;
  }

  /**
   * Connects an output to an input with {@link EdgeSpec#defaults()}.
   *
   * @param output the producing port, {@code "node.port"}
   * @param input the consuming port, {@code "node.port"}
   * @return this builder
   */
  public SubgraphBuilder connect(String output, String input) {
    return connect(output, input, EdgeSpec.defaults());
  }

  /**
   * Connects an output to an input, as {@link GraphBuilder#connect(String, String, EdgeSpec)} does.
   *
   * @param output the producing port, {@code "node.port"}
   * @param input the consuming port, {@code "node.port"}
   * @param spec capacity, overflow policy and feedback flag of the edge
   * @return this builder
   */
  public SubgraphBuilder connect(String output, String input, EdgeSpec spec) {
    declarations.connect(output, input, spec);
    return this;
  }

  /**
   * Exposes an inner input port under an outer name, so that the enclosing builder can connect
   * {@code "subgraphName.name"}.
   *
   * @param name the outer port name; unique among exposed inputs
   * @param inner the inner input, {@code "node.port"}; may itself be a nested subgraph's exposed
   *     input
   * @return this builder
   */
  public SubgraphBuilder exposeInput(String name, String inner) {
    declarations.exposeInput(name, inner);
    return this;
  }

  /**
   * Exposes an inner output port under an outer name.
   *
   * @param name the outer port name; unique among exposed outputs
   * @param inner the inner output, {@code "node.port"}; may itself be a nested subgraph's exposed
   *     output
   * @return this builder
   */
  public SubgraphBuilder exposeOutput(String name, String inner) {
    declarations.exposeOutput(name, inner);
    return this;
  }

  /**
   * Validates what can be checked without the enclosing graph and builds the subgraph. Connections
   * to its exposed inputs, and cycles that pass through it, are checked when it is added to a
   * graph.
   *
   * @return a new, immutable subgraph
   * @throws GraphValidationException listing every problem found
   */
  public Subgraph build() {
    return Assembly.subgraph(declarations);
  }
}
