package dev.weir.testkit;

import java.util.Objects;

/**
 * Thrown by a {@link Watchdog}'s waits when the graph stalled: a test fails with the verdict and
 * the graph's snapshot in its message instead of hanging until a deadline.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class StallError extends AssertionError {

  private static final long serialVersionUID = 1L;

  /** The stall; not serialized (a snapshot is not serializable). */
  private final transient Stall stall;

  /**
   * Makes the error.
   *
   * @param stall what the watchdog found
   * @throws NullPointerException if {@code stall} is null
   */
  public StallError(Stall stall) {
    super(Objects.requireNonNull(stall, "stall").render());
    this.stall = stall;
  }

  /**
   * Returns what the watchdog found.
   *
   * @return the stall
   */
  public Stall stall() {
    return stall;
  }
}
