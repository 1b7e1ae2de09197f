package dev.weir.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A node that declares whatever ports a test needs and ignores its input: enough to exercise wiring
 * and validation without a scheduler. Ports are added fluently:
 *
 * <pre>{@code
 * PortsNode.create().in("left", Long.class).in("right", Long.class).out("out", Long.class)
 * }</pre>
 */
final class PortsNode implements Node {

  private final List<PortSpec<?>> inputs = new ArrayList<>();
  private final List<PortSpec<?>> outputs = new ArrayList<>();

  static PortsNode create() {
    return new PortsNode();
  }

  /** A node with input {@code in} and output {@code out} of one type. */
  static PortsNode pass(Class<?> type) {
    return create().in("in", type).out("out", type);
  }

  PortsNode in(String name, Class<?> type) {
    return in(PortSpec.of(name, type));
  }

  PortsNode in(PortSpec<?> port) {
    inputs.add(port);
    return this;
  }

  PortsNode out(String name, Class<?> type) {
    outputs.add(PortSpec.of(name, type));
    return this;
  }

  @Override
  public List<PortSpec<?>> inputs() {
    return List.copyOf(inputs);
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return List.copyOf(outputs);
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
}
