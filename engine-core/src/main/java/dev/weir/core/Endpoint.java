package dev.weir.core;

/**
 * A port in flattened coordinates: the qualified name of the node that declares it and the spec it
 * declares. What every reference resolves to, however deep the subgraph that exposes it.
 *
 * <p>Thread-safety: immutable.
 */
record Endpoint(String node, PortSpec<?> port) {

  /** Returns this endpoint as seen from a level up, where its node is inside {@code prefix}. */
  Endpoint prefixed(String prefix) {
    return new Endpoint(prefix + node, port);
  }

  @Override
  public String toString() {
    return node + "." + port.name();
  }
}
