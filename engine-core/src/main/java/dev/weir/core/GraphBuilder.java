package dev.weir.core;

import java.util.Objects;

/**
 * Declares a {@link Graph}: nodes and subgraphs under local names, connections between their ports,
 * and named ingresses. Made by {@link Graph#builder(String)}.
 *
 * <pre>{@code
 * Graph graph = Graph.builder("orders")
 *     .add("numbers", Nodes.range(0, 1000))
 *     .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
 *     .add("enrich", enrichment)                    // a Subgraph exposing "in" and "out"
 *     .add("print", Nodes.sink(Long.class, System.out::println))
 *     .connect("numbers.out", "double.in")
 *     .connect("double.out", "enrich.in", EdgeSpec.of(64, OverflowPolicy.DROP))
 *     .connect("enrich.out", "print.in")
 *     .build();
 * }</pre>
 *
 * <p>Ports are referred to as {@code "node.port"}; for a subgraph, {@code "name.port"} names one of
 * its exposed ports. In the built graph a node inside a subgraph is named {@code "name/inner"}
 * (docs/architecture.md, section "Names", sets the two forms side by side). Settings the runtime
 * reads for one node, such as the scheduler's error policy and band, are given where the node is
 * added: {@code add("validate", node, ErrorPolicy.STOP_NODE, Priority.HIGH)}. Nothing else is
 * checked until {@link #build()}, so calls may come in any order, and {@code build()} reports every
 * problem at once.
 *
 * <p>Thread-safety: not thread-safe; confine a builder to one thread. {@link #build()} may be
 * called again after more declarations; each call builds from everything declared so far.
 */
public final class GraphBuilder {

  private final String name;
  private final Declarations declarations = new Declarations();

  GraphBuilder(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /**
   * Adds a node. Each node instance may appear once in a graph, since the scheduler never runs one
   * node's hooks concurrently.
   *
   * @param nodeName unique among this builder's nodes and subgraphs; letters, digits, {@code _} or
   *     {@code -}
   * @param node the node
   * @param options settings the runtime reads for this node, at most one of each type, e.g. the
   *     scheduler's {@code ErrorPolicy.STOP_NODE} and {@code Priority.HIGH}; settings made by name
   *     on the runtime (such as {@code Scheduler.Builder.errorPolicy(name, policy)}) override them
   * @return this builder
   */
  public GraphBuilder add(String nodeName, Node node, NodeOption... options) {
    declarations.add(
        Objects.requireNonNull(nodeName, "nodeName"),
        Objects.requireNonNull(node, "node"),
        options);
    return this;
  }

  /**
   * Adds a subgraph: its nodes join the graph named {@code nodeName/inner}, and its exposed ports
   * are wired as {@code "nodeName.port"}. Its exposed inputs must be connected here like any
   * required input.
   *
   * @param nodeName unique among this builder's nodes and subgraphs; letters, digits, {@code _} or
   *     {@code -}
   * @param subgraph the subgraph; its node instances may not appear elsewhere in the graph
   * @return this builder
   */
  public GraphBuilder add(String nodeName, Subgraph subgraph) {
    declarations.add(
        Objects.requireNonNull(nodeName, "nodeName"),
        Objects.requireNonNull(subgraph, "subgraph"),
        new NodeOption[0]);
    return this;
  }

  /**
   * Connects an output to an input with {@link EdgeSpec#defaults()}: capacity {@value
   * EdgeSpec#DEFAULT_CAPACITY}, {@link OverflowPolicy#BLOCK}.
   *
   * @param output the producing port, {@code "node.port"}
   * @param input the consuming port, {@code "node.port"}
   * @return this builder
   */
  public GraphBuilder connect(String output, String input) {
    return connect(output, input, EdgeSpec.defaults());
  }

  /**
   * Connects an output to an input. An output may feed several inputs and an input may be fed by
   * several outputs, but the same pair may be connected only once. An edge that closes a cycle must
   * be marked {@link EdgeSpec#asFeedback()}.
   *
   * @param output the producing port, {@code "node.port"}
   * @param input the consuming port, {@code "node.port"}; its type must accept the output's
   * @param spec capacity, overflow policy and feedback flag of the edge
   * @return this builder
   */
  public GraphBuilder connect(String output, String input, EdgeSpec spec) {
    declarations.connect(output, input, spec);
    return this;
  }

  /**
   * Declares a named external input with {@link EdgeSpec#defaults()}.
   *
   * @param ingressName unique among the graph's ingresses; letters, digits, {@code _} or {@code -}
   * @param input the input port it feeds, {@code "node.port"}
   * @return this builder
   */
  public GraphBuilder ingress(String ingressName, String input) {
    return ingress(ingressName, input, EdgeSpec.defaults());
  }

  /**
   * Declares a named external input: application threads offer messages to it while the graph runs,
   * through an edge of its own built from {@code spec}. An ingress counts as a connection of its
   * input port.
   *
   * @param ingressName unique among the graph's ingresses; letters, digits, {@code _} or {@code -}
   * @param input the input port it feeds, {@code "node.port"}
   * @param spec capacity and overflow policy of the ingress edge
   * @return this builder
   */
  public GraphBuilder ingress(String ingressName, String input, EdgeSpec spec) {
    declarations.ingress(Objects.requireNonNull(ingressName, "ingressName"), input, spec);
    return this;
  }

  /**
   * Validates the declarations and builds the graph.
   *
   * @return a new, immutable graph
   * @throws GraphValidationException listing every problem found, each with the elements involved
   *     and how to fix it
   */
  public Graph build() {
    return Assembly.graph(name, declarations);
  }
}
