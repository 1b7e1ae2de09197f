package dev.weir.core;

/**
 * A named entry point of a built {@link Graph}: application threads offer messages into it while
 * the graph runs, and they reach one input port of one node. The runtime gives each ingress its own
 * bounded edge, built from {@link #spec()}, so an ingress has backpressure and an overflow policy
 * like any other edge.
 *
 * <p>Its id is {@code ingress:NAME->node.port}, e.g. {@code ingress:orders->double.in}.
 *
 * <p>Thread-safety: immutable.
 */
public final class GraphIngress {

  private final String name;
  private final String id;
  private final String target;
  private final PortSpec<?> input;
  private final EdgeSpec spec;

  GraphIngress(String name, Endpoint target, EdgeSpec spec) {
    this.name = name;
    this.target = target.node();
    this.input = target.port();
    this.spec = spec;
    this.id = "ingress:" + name + "->" + target;
  }

  /**
   * Returns the ingress name.
   *
   * @return the name given to {@code ingress(...)}, unique in the graph
   */
  public String name() {
    return name;
  }

  /**
   * Returns the id of the edge that carries this ingress.
   *
   * @return {@code ingress:NAME->node.port}
   */
  public String id() {
    return id;
  }

  /**
   * Returns the qualified name of the node it feeds.
   *
   * @return the target node's name, e.g. {@code enrich/parse} when it feeds a subgraph's input
   */
  public String target() {
    return target;
  }

  /**
   * Returns the input port it feeds.
   *
   * @return one of the target's {@link GraphNode#inputs()}
   */
  public PortSpec<?> input() {
    return input;
  }

  /**
   * Returns how the ingress edge is to be built.
   *
   * @return the spec given to {@code ingress(...)}, or {@link EdgeSpec#defaults()}
   */
  public EdgeSpec spec() {
    return spec;
  }

  @Override
  public String toString() {
    return "GraphIngress[" + id + ", " + spec + ']';
  }
}
