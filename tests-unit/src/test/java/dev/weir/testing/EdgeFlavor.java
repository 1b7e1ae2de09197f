package dev.weir.testing;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.core.internal.Edges;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Every overflow policy an edge can be built with, keyed and unkeyed COALESCE counted separately:
 * what edge contract tests, properties and concurrency tests iterate over. BLOCK, DROP and FAIL run
 * on the SPSC ring, LATEST on the evicting ring, both COALESCE flavors on the merging ring, and
 * MPSC_BLOCK, MPSC_DROP and MPSC_FAIL on the multi-producer ring of ingress edges ({@link
 * Edges#createMultiProducer}), so the flavors also cover every implementation. Make edges with
 * {@link #create}, which picks the factory.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum EdgeFlavor {
  /** {@link OverflowPolicy#BLOCK}. */
  BLOCK,
  /** {@link OverflowPolicy#DROP}. */
  DROP,
  /** {@link OverflowPolicy#LATEST}. */
  LATEST,
  /** {@link OverflowPolicy#coalesce(BinaryOperator)}: merge into the newest. */
  COALESCE,
  /**
   * {@link OverflowPolicy#coalesce(BinaryOperator, Function)}: merge into the same key, else BLOCK.
   */
  COALESCE_KEYED,
  /** {@link OverflowPolicy#coalesce(BinaryOperator, Function, OverflowPolicy)}, fallback DROP. */
  COALESCE_KEYED_DROP,
  /** {@link OverflowPolicy#coalesce(BinaryOperator, Function, OverflowPolicy)}, fallback LATEST. */
  COALESCE_KEYED_LATEST,
  /** {@link OverflowPolicy#FAIL}. */
  FAIL,
  /** {@link OverflowPolicy#BLOCK} on the multi-producer ring. */
  MPSC_BLOCK,
  /** {@link OverflowPolicy#DROP} on the multi-producer ring. */
  MPSC_DROP,
  /** {@link OverflowPolicy#FAIL} on the multi-producer ring. */
  MPSC_FAIL;

  /**
   * Returns the policy kind, the same for a multi-producer flavor as for its single-producer twin.
   *
   * @return the kind
   */
  public OverflowPolicy.Kind kind() {
    return switch (this) {
      case BLOCK, MPSC_BLOCK -> OverflowPolicy.Kind.BLOCK;
      case DROP, MPSC_DROP -> OverflowPolicy.Kind.DROP;
      case LATEST -> OverflowPolicy.Kind.LATEST;
      case COALESCE, COALESCE_KEYED, COALESCE_KEYED_DROP, COALESCE_KEYED_LATEST ->
          OverflowPolicy.Kind.COALESCE;
      case FAIL, MPSC_FAIL -> OverflowPolicy.Kind.FAIL;
    };
  }

  /**
   * Returns whether this flavor's edge takes several producer threads at once.
   *
   * @return true for the MPSC flavors
   */
  public boolean multiProducer() {
    return this == MPSC_BLOCK || this == MPSC_DROP || this == MPSC_FAIL;
  }

  /**
   * Creates an edge of this flavor's implementation.
   *
   * @param id the edge id
   * @param port the consumer's port
   * @param spec a spec of this flavor's policy, e.g. from {@link #spec}
   * @param <T> the payload type
   * @return a new edge
   */
  public <T> Edge<T> create(String id, PortSpec<T> port, EdgeSpec spec) {
    return multiProducer()
        ? Edges.createMultiProducer(id, port, spec)
        : Edge.create(id, port, spec);
  }

  /**
   * Returns this flavor's policy; COALESCE flavors use the given functions, the others ignore them.
   *
   * @param merge the COALESCE merge
   * @param key the key of COALESCE_KEYED
   * @param <T> the payload type
   * @return the policy
   */
  public <T> OverflowPolicy policy(BinaryOperator<T> merge, Function<? super T, ?> key) {
    return switch (this) {
      case BLOCK, MPSC_BLOCK -> OverflowPolicy.BLOCK;
      case DROP, MPSC_DROP -> OverflowPolicy.DROP;
      case LATEST -> OverflowPolicy.LATEST;
      case COALESCE -> OverflowPolicy.coalesce(merge);
      case COALESCE_KEYED -> OverflowPolicy.coalesce(merge, key);
      case COALESCE_KEYED_DROP -> OverflowPolicy.coalesce(merge, key, OverflowPolicy.DROP);
      case COALESCE_KEYED_LATEST -> OverflowPolicy.coalesce(merge, key, OverflowPolicy.LATEST);
      case FAIL, MPSC_FAIL -> OverflowPolicy.FAIL;
    };
  }

  /**
   * Returns a spec of this flavor.
   *
   * @param capacity the data capacity
   * @param merge the COALESCE merge
   * @param key the key of COALESCE_KEYED
   * @param <T> the payload type
   * @return the spec, with the default CONTROL lane
   */
  public <T> EdgeSpec spec(int capacity, BinaryOperator<T> merge, Function<? super T, ?> key) {
    return EdgeSpec.of(capacity, policy(merge, key));
  }

  /**
   * Returns whether an offer to a full edge of this flavor merges.
   *
   * @return true for every COALESCE flavor
   */
  public boolean coalesces() {
    return kind() == OverflowPolicy.Kind.COALESCE;
  }

  /**
   * Returns whether this is a keyed COALESCE flavor, which merges only into a message of the same
   * key and applies its fallback otherwise.
   *
   * @return true for the keyed COALESCE flavors
   */
  public boolean keyed() {
    return this == COALESCE_KEYED || this == COALESCE_KEYED_DROP || this == COALESCE_KEYED_LATEST;
  }
}
