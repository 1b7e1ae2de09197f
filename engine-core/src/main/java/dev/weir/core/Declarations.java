package dev.weir.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The calls made on a {@link GraphBuilder} or {@link SubgraphBuilder}, recorded as given. Nothing
 * is resolved when a call is made, so declarations may come in any order ({@code connect} before
 * {@code add}) and {@link Assembly} can report every problem at once.
 *
 * <p>Thread-safety: not thread-safe; owned by one builder.
 */
final class Declarations {

  /**
   * One {@code add(name, ...)}: the child is a {@link Node} (with its options) or a {@link
   * Subgraph} (without).
   */
  record Addition(String name, Object child, List<NodeOption> options) {}

  /** One {@code connect(output, input, spec)}. */
  record Connection(String output, String input, EdgeSpec spec) {}

  /** One {@code ingress(name, input, spec)}. */
  record Ingress(String name, String input, EdgeSpec spec) {}

  /** One {@code exposeInput(name, inner)} or {@code exposeOutput(name, inner)}. */
  record Exposure(String name, String inner) {}

  private final List<Addition> additions = new ArrayList<>();
  private final List<Connection> connections = new ArrayList<>();
  private final List<Ingress> ingresses = new ArrayList<>();
  private final List<Exposure> exposedInputs = new ArrayList<>();
  private final List<Exposure> exposedOutputs = new ArrayList<>();

  void add(String name, Object child, NodeOption[] options) {
    Objects.requireNonNull(options, "options");
    for (int i = 0; i < options.length; i++) {
      Objects.requireNonNull(options[i], "options[" + i + "] of node '" + name + "' is null");
    }
    additions.add(new Addition(name, child, List.of(options)));
  }

  void connect(String output, String input, EdgeSpec spec) {
    connections.add(
        new Connection(
            Objects.requireNonNull(output, "output"),
            Objects.requireNonNull(input, "input"),
            Objects.requireNonNull(spec, "spec")));
  }

  void ingress(String name, String input, EdgeSpec spec) {
    ingresses.add(
        new Ingress(
            Objects.requireNonNull(name, "name"),
            Objects.requireNonNull(input, "input"),
            Objects.requireNonNull(spec, "spec")));
  }

  void exposeInput(String name, String inner) {
    exposedInputs.add(exposure(name, inner));
  }

  void exposeOutput(String name, String inner) {
    exposedOutputs.add(exposure(name, inner));
  }

  List<Addition> additions() {
    return additions;
  }

  List<Connection> connections() {
    return connections;
  }

  List<Ingress> ingresses() {
    return ingresses;
  }

  List<Exposure> exposedInputs() {
    return exposedInputs;
  }

  List<Exposure> exposedOutputs() {
    return exposedOutputs;
  }

  private static Exposure exposure(String name, String inner) {
    return new Exposure(
        Objects.requireNonNull(name, "name"), Objects.requireNonNull(inner, "inner"));
  }
}
