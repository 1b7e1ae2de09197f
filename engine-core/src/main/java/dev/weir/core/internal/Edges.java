package dev.weir.core.internal;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.PortSpec;
import java.util.Objects;

/**
 * Not API: picks the edge implementation for a policy. Reach it through {@link Edge#create}.
 *
 * <p>Thread-safety: stateless.
 */
public final class Edges {

  private Edges() {}

  /**
   * Creates an edge for the spec's policy.
   *
   * @param id the edge id
   * @param input the consumer's port
   * @param spec the edge spec
   * @param <T> the payload type
   * @return a new edge
   * @throws IllegalArgumentException if the spec is invalid, naming the edge
   */
  public static <T> Edge<T> create(String id, PortSpec<T> input, EdgeSpec spec) {
    validate(id, input, spec);
    return switch (spec.policy().kind()) {
      case LATEST -> new EvictingRingEdge<>(id, input, spec);
      case COALESCE -> new CoalescingRingEdge<>(id, input, spec);
      case BLOCK, DROP, FAIL -> new SpscRingEdge<>(id, input, spec);
    };
  }

  /**
   * Creates an edge for several producer threads where the policy allows it: a lock-free
   * multi-producer ring for BLOCK, DROP and FAIL, on which any number of threads may call {@code
   * offer} and {@code remainingCapacity} at once (see {@link #acceptsConcurrentProducers}). LATEST
   * and COALESCE get the same single-producer rings as {@link #create}: their callers must still
   * serialize their producers.
   *
   * @param id the edge id
   * @param input the consumer's port
   * @param spec the edge spec
   * @param <T> the payload type
   * @return a new edge
   * @throws IllegalArgumentException if the spec is invalid, naming the edge
   */
  public static <T> Edge<T> createMultiProducer(String id, PortSpec<T> input, EdgeSpec spec) {
    validate(id, input, spec);
    return switch (spec.policy().kind()) {
      case BLOCK, DROP, FAIL -> new MpscRingEdge<>(id, input, spec);
      case LATEST, COALESCE -> create(id, input, spec);
    };
  }

  /**
   * Returns whether several threads may offer to the edge at once without a lock of their own.
   *
   * @param edge an edge
   * @return true for the multi-producer ring made by {@link #createMultiProducer}
   */
  public static boolean acceptsConcurrentProducers(Edge<?> edge) {
    return edge instanceof MpscRingEdge;
  }

  private static void validate(String id, PortSpec<?> input, EdgeSpec spec) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(spec, "spec");
    String problem = spec.problem();
    if (problem != null) {
      throw new IllegalArgumentException("edge " + id + ": " + problem);
    }
  }
}
