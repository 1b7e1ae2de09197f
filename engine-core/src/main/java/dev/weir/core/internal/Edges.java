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
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(spec, "spec");
    String problem = spec.problem();
    if (problem != null) {
      throw new IllegalArgumentException("edge " + id + ": " + problem);
    }
    return switch (spec.policy().kind()) {
      case LATEST -> new EvictingRingEdge<>(id, input, spec);
      case COALESCE -> new CoalescingRingEdge<>(id, input, spec);
      case BLOCK, DROP, FAIL -> new SpscRingEdge<>(id, input, spec);
    };
  }
}
