package dev.weir.scheduler;

import dev.weir.core.Message;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A message the graph could not deliver, with where and why. Every message that leaves the graph
 * undelivered and was not dropped, evicted or coalesced by an edge policy ends up here, with two
 * exceptions that are only counted: messages emitted to an output with no edge ({@code
 * ShutdownReport.NodeOutcome.unrouted}) and items a Flow publisher sink consumed after its
 * subscriber cancelled ({@code discardedAfterCancel}). A hook that fails without a message in hand
 * ({@code onTick}, a source's pull, {@code onFinish}) is logged and counted, not dead-lettered.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param message the message
 * @param node the node involved: the one that failed on it, the one that emitted it and then failed
 *     ({@link Reason#PRODUCER_FAILED}), or its intended consumer
 * @param edgeId the edge the message was on or meant for; {@code null} only for letters made
 *     outside the engine (the engine always names one)
 * @param reason the category
 * @param cause the exception, or {@code null} when the reason says it all
 */
public record DeadLetter(
    Message<?> message,
    String node,
    @Nullable String edgeId,
    Reason reason,
    @Nullable Throwable cause) {

  /**
   * Checks the components.
   *
   * @param message the message that could not be delivered
   * @param node the node it is charged to
   * @param edgeId the edge it was on, or {@code null}
   * @param reason the category
   * @param cause the exception, or {@code null}
   * @throws NullPointerException if {@code message}, {@code node} or {@code reason} is null
   */
  public DeadLetter {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(reason, "reason");
  }

  /** Why a message was dead-lettered. */
  public enum Reason {
    /** A node hook threw while processing it. */
    NODE_FAILED,
    /** Emitted to a full FAIL edge. */
    OVERFLOW,
    /**
     * A COALESCE edge's merge or key function failed on it: threw, or the merge returned null or a
     * payload the port refuses. The cause is a {@link dev.weir.core.MergeFailedException}.
     */
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
