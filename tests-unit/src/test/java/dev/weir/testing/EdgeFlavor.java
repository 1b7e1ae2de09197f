package dev.weir.testing;

import dev.weir.core.EdgeSpec;
import dev.weir.core.OverflowPolicy;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Every overflow policy an edge can be built with, keyed and unkeyed COALESCE counted separately:
 * what edge contract tests, properties and concurrency tests iterate over. BLOCK, DROP and FAIL run
 * on the SPSC ring, LATEST on the evicting ring, both COALESCE flavors on the merging ring, so the
 * flavors also cover every implementation.
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
  /** {@link OverflowPolicy#coalesce(BinaryOperator, Function)}: merge into the same key. */
  COALESCE_KEYED,
  /** {@link OverflowPolicy#FAIL}. */
  FAIL;

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
      case BLOCK -> OverflowPolicy.BLOCK;
      case DROP -> OverflowPolicy.DROP;
      case LATEST -> OverflowPolicy.LATEST;
      case COALESCE -> OverflowPolicy.coalesce(merge);
      case COALESCE_KEYED -> OverflowPolicy.coalesce(merge, key);
      case FAIL -> OverflowPolicy.FAIL;
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
   * @return true for both COALESCE flavors
   */
  public boolean coalesces() {
    return this == COALESCE || this == COALESCE_KEYED;
  }
}
