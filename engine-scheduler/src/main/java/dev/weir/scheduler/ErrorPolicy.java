package dev.weir.scheduler;

import dev.weir.core.NodeOption;
import java.time.Duration;
import java.util.Objects;

/**
 * What the scheduler does when a node's hook throws. Under every policy the failure is logged (with
 * node, port, edge and trace id), counted, and the message being processed goes to the dead-letter
 * handler with its cause; the policies differ in what happens to the node.
 *
 * <ul>
 *   <li>{@link #CONTINUE} (the default): the node keeps running.
 *   <li>{@link #STOP_NODE}: the node stops; its input edges close and what they hold is
 *       dead-lettered, so upstream producers are not stalled: what they still emit to it is
 *       dead-lettered too ({@code CONSUMER_STOPPED}). A source whose every consumer has stopped is
 *       done (it finishes as if exhausted, so the graph can still complete); an output whose every
 *       edge is closed no longer holds back a source's other outputs. Messages the node emitted
 *       before it failed and that still waited in its outbox for room on a full {@code BLOCK} edge
 *       are dead-lettered as {@code PRODUCER_FAILED}, naming the node and its failure; what its
 *       edges had already accepted is delivered.
 *   <li>{@link #STOP_GRAPH}: the whole graph shuts down gracefully.
 *   <li>{@link #restart(int, Duration)}: the node is restarted ({@code onStop} then {@code
 *       onStart}), at most {@code maxRestarts} times within {@code window}; beyond that it stops as
 *       under STOP_NODE, and the log says the budget ran out.
 * </ul>
 *
 * <p>Set a node's policy where it is added, {@code builder.add("validate", node,
 * ErrorPolicy.STOP_NODE)}; by name with {@link Scheduler.Builder#errorPolicy}, which wins; or for
 * every node without one with {@link Scheduler.Builder#defaultErrorPolicy}.
 *
 * <p>Thread-safety: immutable.
 */
public final class ErrorPolicy implements NodeOption {

  /** The policy kinds. */
  public enum Kind {
    /** Log, count, dead-letter, keep running. */
    CONTINUE,
    /** Stop the node. */
    STOP_NODE,
    /** Stop the graph. */
    STOP_GRAPH,
    /** Restart the node within a budget. */
    RESTART
  }

  /** Log, count, dead-letter and keep running. */
  public static final ErrorPolicy CONTINUE = new ErrorPolicy(Kind.CONTINUE, 0, Duration.ZERO);

  /** Stop the failing node; the rest of the graph keeps running. */
  public static final ErrorPolicy STOP_NODE = new ErrorPolicy(Kind.STOP_NODE, 0, Duration.ZERO);

  /** Shut the whole graph down gracefully. */
  public static final ErrorPolicy STOP_GRAPH = new ErrorPolicy(Kind.STOP_GRAPH, 0, Duration.ZERO);

  private final Kind kind;
  private final int maxRestarts;
  private final Duration window;

  private ErrorPolicy(Kind kind, int maxRestarts, Duration window) {
    this.kind = kind;
    this.maxRestarts = maxRestarts;
    this.window = window;
  }

  /**
   * Returns a restart policy with a budget.
   *
   * @param maxRestarts how many restarts are allowed within the window; at least 1
   * @param window the sliding window on the graph clock; positive
   * @return a new policy
   * @throws IllegalArgumentException if the budget is not positive
   */
  public static ErrorPolicy restart(int maxRestarts, Duration window) {
    Objects.requireNonNull(window, "window");
    if (maxRestarts < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "restart budget must allow at least 1 restart in a positive window, was "
              + maxRestarts
              + " in "
              + window);
    }
    return new ErrorPolicy(Kind.RESTART, maxRestarts, window);
  }

  /**
   * Returns the kind.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the restart budget.
   *
   * @return restarts allowed per window; 0 unless RESTART
   */
  public int maxRestarts() {
    return maxRestarts;
  }

  /**
   * Returns the restart window.
   *
   * @return the window; zero unless RESTART
   */
  public Duration window() {
    return window;
  }

  @Override
  public String toString() {
    return kind == Kind.RESTART ? "RESTART(" + maxRestarts + " in " + window + ")" : kind.name();
  }
}
