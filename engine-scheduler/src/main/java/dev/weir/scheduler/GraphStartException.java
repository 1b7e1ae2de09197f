package dev.weir.scheduler;

import java.util.Objects;

/**
 * Thrown by {@link Scheduler#start} when a node's {@code onStart} throws. That node and the nodes
 * started before it have had their {@code onStop} called (in reverse order), later nodes were never
 * started, and no worker thread is left running.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class GraphStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String node;

  /**
   * Creates the exception.
   *
   * @param node the node whose {@code onStart} failed
   * @param message what happened
   * @param cause what the node threw
   */
  public GraphStartException(String node, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), Objects.requireNonNull(cause, "cause"));
    this.node = Objects.requireNonNull(node, "node");
  }

  /**
   * Returns the node that failed to start.
   *
   * @return the node name
   */
  public String node() {
    return node;
  }
}
