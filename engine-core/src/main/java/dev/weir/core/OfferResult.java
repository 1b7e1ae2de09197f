package dev.weir.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one offer: an {@link OfferStatus} plus what the caller needs to account for
 * every message: the evicted message for {@link OfferStatus#EVICTED}, the cause for {@link
 * OfferStatus#FAILED}, the reason for {@link OfferStatus#REJECTED} and {@link OfferStatus#CLOSED}.
 * Nothing vanishes: whatever the edge did not keep is either in this result or still with the
 * caller.
 *
 * <p>Results without details are shared constants, so the common outcomes allocate nothing.
 *
 * <p>Thread-safety: immutable.
 */
public final class OfferResult {

  private static final OfferResult ACCEPTED =
      new OfferResult(OfferStatus.ACCEPTED, null, null, null);
  private static final OfferResult BLOCKED = new OfferResult(OfferStatus.BLOCKED, null, null, null);
  private static final OfferResult DROPPED = new OfferResult(OfferStatus.DROPPED, null, null, null);
  private static final OfferResult COALESCED =
      new OfferResult(OfferStatus.COALESCED, null, null, null);

  private final OfferStatus status;
  private final @Nullable Message<?> evicted;
  private final @Nullable Throwable cause;
  private final @Nullable String reason;

  private OfferResult(
      OfferStatus status,
      @Nullable Message<?> evicted,
      @Nullable Throwable cause,
      @Nullable String reason) {
    this.status = status;
    this.evicted = evicted;
    this.cause = cause;
    this.reason = reason;
  }

  /**
   * The message was enqueued.
   *
   * @return the shared ACCEPTED result
   */
  public static OfferResult accepted() {
    return ACCEPTED;
  }

  /**
   * The edge was full and the message stays with the caller.
   *
   * @return the shared BLOCKED result
   */
  public static OfferResult blocked() {
    return BLOCKED;
  }

  /**
   * The message was discarded by a DROP edge.
   *
   * @return the shared DROPPED result
   */
  public static OfferResult dropped() {
    return DROPPED;
  }

  /**
   * The message was merged into a queued one.
   *
   * @return the shared COALESCED result
   */
  public static OfferResult coalesced() {
    return COALESCED;
  }

  /**
   * The message was enqueued after evicting another.
   *
   * @param evictedMessage the message that left the queue undelivered
   * @return a new EVICTED result
   */
  public static OfferResult evicted(Message<?> evictedMessage) {
    return new OfferResult(
        OfferStatus.EVICTED, Objects.requireNonNull(evictedMessage, "evictedMessage"), null, null);
  }

  /**
   * The offer failed.
   *
   * @param failure why: an {@link EdgeOverflowException} (a full FAIL edge) or a {@link
   *     MergeFailedException} (a COALESCE merge failed)
   * @return a new FAILED result
   */
  public static OfferResult failed(Throwable failure) {
    return new OfferResult(
        OfferStatus.FAILED, null, Objects.requireNonNull(failure, "failure"), failure.getMessage());
  }

  /**
   * The payload was refused by the port's type or validator.
   *
   * @param why a message naming the edge, the port and the problem
   * @return a new REJECTED result
   */
  public static OfferResult rejected(String why) {
    return new OfferResult(OfferStatus.REJECTED, null, null, Objects.requireNonNull(why, "why"));
  }

  /**
   * The edge no longer accepts messages.
   *
   * @param why a message naming the edge
   * @return a new CLOSED result
   */
  public static OfferResult closed(String why) {
    return new OfferResult(OfferStatus.CLOSED, null, null, Objects.requireNonNull(why, "why"));
  }

  /**
   * Returns the outcome.
   *
   * @return the status
   */
  public OfferStatus status() {
    return status;
  }

  /**
   * Returns whether the offered message is now in the edge.
   *
   * @return {@code status().isEnqueued()}
   */
  public boolean isEnqueued() {
    return status.isEnqueued();
  }

  /**
   * Returns the message evicted to make room.
   *
   * @return the evicted message for EVICTED, else {@code null}
   */
  public @Nullable Message<?> evicted() {
    return evicted;
  }

  /**
   * Returns why the offer failed.
   *
   * @return the cause for FAILED, else {@code null}
   */
  public @Nullable Throwable cause() {
    return cause;
  }

  /**
   * Returns a human-readable explanation.
   *
   * @return the reason for FAILED, REJECTED and CLOSED, else {@code null}
   */
  public @Nullable String reason() {
    return reason;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(status.name());
    if (evicted != null) {
      sb.append("(evicted ").append(evicted).append(')');
    }
    if (reason != null) {
      sb.append("(").append(reason).append(')');
    }
    return sb.toString();
  }
}
