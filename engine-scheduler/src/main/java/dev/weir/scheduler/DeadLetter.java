package dev.weir.scheduler;

import dev.weir.core.Message;
import org.jspecify.annotations.Nullable;

/**
 * A message the graph could not deliver, with where and why. Every message that leaves the graph
 * undelivered and was not dropped, evicted or coalesced by an edge policy ends up here.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param message the message
 * @param node the node involved: the one that failed on it, the one that emitted it and then failed
 *     ({@link Reason#PRODUCER_FAILED}), or its intended consumer
 * @param edgeId the edge involved, or {@code null} if none (e.g. a failure in {@code onTick})
 * @param reason the category
 * @param cause the exception, or {@code null} when the reason says it all
 */
public record DeadLetter(
    Message<?> message,
    String node,
    @Nullable String edgeId,
    Reason reason,
    @Nullable Throwable cause) {

  /** Why a message was dead-lettered. */
  public enum Reason {
    /** A node hook threw while processing it. */
    NODE_FAILED,
    /** Emitted to a full FAIL edge. */
    OVERFLOW,
    /** A COALESCE merge threw on it. */
    MERGE_FAILED,
    /** Its payload had the wrong type or failed the port's validator. */
    REJECTED,
    /** Its consumer had stopped, or the edge was closed. */
    CONSUMER_STOPPED,
    /** Still queued or parked when a shutdown timed out. */
    SHUTDOWN_UNDELIVERED,
    /**
     * Emitted by a node that then stopped by its error policy ({@code STOP_NODE}, or {@code
     * RESTART} with its budget spent) while the message still waited in the node's outbox for room
     * on a full {@code BLOCK} edge. The message itself was fine; {@link DeadLetter#node()} is the
     * node that emitted it and {@link DeadLetter#cause()} its failure.
     */
    PRODUCER_FAILED
  }
}
