package dev.weir.core;

import java.util.Objects;

/**
 * Carried in a {@link OfferStatus#FAILED} result when a {@link OverflowPolicy#coalesce COALESCE}
 * edge's merge or key function throws, returns null, or returns a payload its port refuses. The
 * incoming message was not enqueued and the queue is unchanged; the function's own exception is the
 * cause. Inside a graph the message is dead-lettered as {@code MERGE_FAILED} and the producer goes
 * on: a broken merge is the edge's problem, not the producer's.
 *
 * <p>Thread-safety: immutable once thrown.
 */
public final class MergeFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String edgeId;

  /**
   * Creates the exception.
   *
   * @param edgeId the edge whose merge failed
   * @param message what happened and what to do
   * @param cause what the merge or key function threw
   */
  public MergeFailedException(String edgeId, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), Objects.requireNonNull(cause, "cause"));
    this.edgeId = Objects.requireNonNull(edgeId, "edgeId");
  }

  /**
   * Returns the id of the edge whose merge failed.
   *
   * @return the edge id, {@code producer.port->consumer.port}
   */
  public String edgeId() {
    return edgeId;
  }
}
