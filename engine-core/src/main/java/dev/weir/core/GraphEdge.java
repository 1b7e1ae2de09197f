package dev.weir.core;

/**
 * An edge of a built {@link Graph}: one output port of a producer joined to one input port of a
 * consumer, with the {@link EdgeSpec} to build its {@link Edge} from.
 *
 * <p>Its id is {@code producer.port->consumer.port} in qualified node names, e.g. {@code
 * double.out->enrich/parse.in}: the same structure always yields the same ids, so they are fit for
 * logs, metrics and assertions.
 *
 * <p>Thread-safety: immutable.
 */
public final class GraphEdge {

  private final String id;
  private final String producer;
  private final PortSpec<?> output;
  private final String consumer;
  private final PortSpec<?> input;
  private final EdgeSpec spec;

  GraphEdge(Endpoint from, Endpoint to, EdgeSpec spec) {
    this.producer = from.node();
    this.output = from.port();
    this.consumer = to.node();
    this.input = to.port();
    this.spec = spec;
    this.id = from + "->" + to;
  }

  /**
   * Returns the edge id.
   *
   * @return {@code producer.port->consumer.port}
   */
  public String id() {
    return id;
  }

  /**
   * Returns the producing node's qualified name.
   *
   * @return the name of the node that emits into this edge
   */
  public String producer() {
    return producer;
  }

  /**
   * Returns the producer's output port.
   *
   * @return one of the producer's {@link GraphNode#outputs()}
   */
  public PortSpec<?> output() {
    return output;
  }

  /**
   * Returns the consuming node's qualified name.
   *
   * @return the name of the node that reads this edge
   */
  public String consumer() {
    return consumer;
  }

  /**
   * Returns the consumer's input port.
   *
   * @return one of the consumer's {@link GraphNode#inputs()}
   */
  public PortSpec<?> input() {
    return input;
  }

  /**
   * Returns how the edge is to be built.
   *
   * @return the spec given to {@code connect}, or {@link EdgeSpec#defaults()}
   */
  public EdgeSpec spec() {
    return spec;
  }

  /**
   * Returns whether this edge closes a feedback loop.
   *
   * @return {@code spec().isFeedback()}
   */
  public boolean isFeedback() {
    return spec.isFeedback();
  }

  /** Returns this edge as seen from a level up, where both its nodes are inside {@code prefix}. */
  GraphEdge prefixed(String prefix) {
    return new GraphEdge(
        new Endpoint(prefix + producer, output), new Endpoint(prefix + consumer, input), spec);
  }

  @Override
  public String toString() {
    return "GraphEdge[" + id + ", " + spec + ']';
  }
}
