package dev.weir.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an edge is built: its data capacity, its {@link OverflowPolicy}, the capacity of its CONTROL
 * lane, and whether it closes a feedback loop.
 *
 * <p>Capacities are checked when the graph is built (so the error can name the edge) or when an
 * edge is created directly with {@link Edge#create}: each must be between 1 and {@link
 * #MAX_CAPACITY} ({@link #problem()} says what is wrong).
 *
 * <p>Thread-safety: immutable.
 */
public final class EdgeSpec {

  /** Data capacity used by {@link #defaults()}. */
  public static final int DEFAULT_CAPACITY = 1024;

  /** The largest capacity an edge accepts (2<sup>30</sup>); its slot array is allocated eagerly. */
  public static final int MAX_CAPACITY = 1 << 30;

  /** CONTROL lane capacity used unless {@link #withControlCapacity(int)} says otherwise. */
  public static final int DEFAULT_CONTROL_CAPACITY = 16;

  private static final EdgeSpec DEFAULTS =
      new EdgeSpec(DEFAULT_CAPACITY, OverflowPolicy.BLOCK, DEFAULT_CONTROL_CAPACITY, false);

  private final int capacity;
  private final OverflowPolicy policy;
  private final int controlCapacity;
  private final boolean feedback;

  private EdgeSpec(int capacity, OverflowPolicy policy, int controlCapacity, boolean feedback) {
    this.capacity = capacity;
    this.policy = policy;
    this.controlCapacity = controlCapacity;
    this.feedback = feedback;
  }

  /**
   * Returns the default spec: capacity {@value #DEFAULT_CAPACITY}, {@link OverflowPolicy#BLOCK}.
   *
   * @return the shared default spec
   */
  public static EdgeSpec defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a spec with a capacity and a policy.
   *
   * @param capacity the hard bound on queued DATA messages; must be at least 1 to build
   * @param policy what to do when full
   * @return a new spec
   */
  public static EdgeSpec of(int capacity, OverflowPolicy policy) {
    return new EdgeSpec(
        capacity, Objects.requireNonNull(policy, "policy"), DEFAULT_CONTROL_CAPACITY, false);
  }

  /**
   * Returns a lossless {@link OverflowPolicy#BLOCK} spec.
   *
   * @param capacity the hard bound on queued DATA messages
   * @return a new spec
   */
  public static EdgeSpec blocking(int capacity) {
    return of(capacity, OverflowPolicy.BLOCK);
  }

  /**
   * Returns a copy with another CONTROL lane capacity.
   *
   * @param lane the number of CONTROL messages the edge can hold; at least 1 to build
   * @return a new spec
   */
  public EdgeSpec withControlCapacity(int lane) {
    return new EdgeSpec(capacity, policy, lane, feedback);
  }

  /**
   * Returns a copy marked as a feedback edge: it may close a cycle, and it is ignored when the
   * graph's topological order is computed.
   *
   * @return a new spec
   */
  public EdgeSpec asFeedback() {
    return new EdgeSpec(capacity, policy, controlCapacity, true);
  }

  /**
   * Returns the data capacity.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * Returns the overflow policy.
   *
   * @return the policy
   */
  public OverflowPolicy policy() {
    return policy;
  }

  /**
   * Returns the CONTROL lane capacity.
   *
   * @return the lane capacity
   */
  public int controlCapacity() {
    return controlCapacity;
  }

  /**
   * Returns whether this edge is a feedback edge.
   *
   * @return whether it may close a cycle
   */
  public boolean isFeedback() {
    return feedback;
  }

  /**
   * Returns the problems with this spec, if any.
   *
   * @return {@code null} if the spec can be built, else what is wrong and how to fix it (both
   *     capacities' problems, separated by "; ", when both are wrong)
   */
  public @Nullable String problem() {
    String data = capacityProblem();
    String control = controlCapacityProblem();
    if (data == null) {
      return control;
    }
    return control == null ? data : data + "; " + control;
  }

  private @Nullable String capacityProblem() {
    if (capacity < 1) {
      return "capacity "
          + capacity
          + " is invalid: an edge must hold at least 1 message (use EdgeSpec.of(n >= 1, policy))";
    }
    if (capacity > MAX_CAPACITY) {
      return "capacity "
          + capacity
          + " is too large: an edge holds at most "
          + MAX_CAPACITY
          + " (2^30) messages and allocates its slots up front; choose a bound you can afford";
    }
    return null;
  }

  private @Nullable String controlCapacityProblem() {
    if (controlCapacity < 1) {
      return "control capacity "
          + controlCapacity
          + " is invalid: the CONTROL lane must hold at least 1 message";
    }
    if (controlCapacity > MAX_CAPACITY) {
      return "control capacity "
          + controlCapacity
          + " is too large: the CONTROL lane holds at most "
          + MAX_CAPACITY
          + " (2^30) messages";
    }
    return null;
  }

  @Override
  public String toString() {
    return "EdgeSpec[capacity="
        + capacity
        + ", policy="
        + policy
        + ", control="
        + controlCapacity
        + (feedback ? ", feedback" : "")
        + ']';
  }
}
