package dev.weir.scheduler;

import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Ingress#offerAll} or {@link Ingress#putAll} did with a list of payloads. The ingress
 * takes the payloads in list order and stops at the first one its edge refuses: the payloads before
 * {@link #taken()} went to the edge, whose policy decided what became of each ({@link #count}); the
 * payload at index {@link #taken()} was refused for the reason in {@link #refusal()}, and it and
 * every payload after it were not offered and still belong to the caller. Nothing else can happen
 * to a payload, so {@code count(ACCEPTED) + count(EVICTED) + count(COALESCED) + count(DROPPED) ==
 * taken()}.
 *
 * <p>A typical retry loop resumes at the refused payload: {@code payloads.subList(r.taken(),
 * payloads.size())}.
 *
 * <p>Thread-safety: immutable.
 */
public final class BatchOfferResult {

  private final int size;
  private final int accepted;
  private final int evicted;
  private final int coalesced;
  private final int dropped;
  private final @Nullable OfferResult refusal;

  private BatchOfferResult(
      int size,
      int accepted,
      int evicted,
      int coalesced,
      int dropped,
      @Nullable OfferResult refusal) {
    this.size = size;
    this.accepted = accepted;
    this.evicted = evicted;
    this.coalesced = coalesced;
    this.dropped = dropped;
    this.refusal = refusal;
  }

  /**
   * Creates a result; what the engine's ingress returns, and what a fake {@link Ingress} in a test
   * can return.
   *
   * @param size how many payloads the call was given
   * @param accepted how many were enqueued
   * @param evicted how many were enqueued after evicting an older message
   * @param coalesced how many were merged into a queued message
   * @param dropped how many were dropped by the edge's policy
   * @param refusal why the payload after the taken ones was refused, or null if all were taken
   * @return the result
   * @throws IllegalArgumentException if a count is negative, if the taken payloads do not leave
   *     exactly the refused one and those after it (none when {@code refusal} is null), or if
   *     {@code refusal}'s status is not one that refuses a payload
   */
  public static BatchOfferResult of(
      int size,
      int accepted,
      int evicted,
      int coalesced,
      int dropped,
      @Nullable OfferResult refusal) {
    if (accepted < 0 || evicted < 0 || coalesced < 0 || dropped < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    long taken = (long) accepted + evicted + coalesced + dropped;
    if (refusal == null ? taken != size : taken >= size) {
      throw new IllegalArgumentException(
          "taken "
              + taken
              + " of "
              + size
              + (refusal == null
                  ? ": without a refusal every payload is taken"
                  : ": a refusal needs a refused payload after the taken ones"));
    }
    if (refusal != null && !refuses(refusal.status())) {
      throw new IllegalArgumentException(
          "refusal " + refusal + ": only BLOCKED, CLOSED, FAILED and REJECTED stop a batch");
    }
    return new BatchOfferResult(size, accepted, evicted, coalesced, dropped, refusal);
  }

  private static boolean refuses(OfferStatus status) {
    return switch (status) {
      case BLOCKED, CLOSED, FAILED, REJECTED -> true;
      default -> false;
    };
  }

  /**
   * Returns how many payloads the call was given.
   *
   * @return the list's size
   */
  public int size() {
    return size;
  }

  /**
   * Returns how many payloads, from the first, the edge took: enqueued, or dropped or merged by its
   * policy. The payloads from this index on were not offered and still belong to the caller.
   *
   * @return the number taken, between 0 and {@link #size()}
   */
  public int taken() {
    return accepted + evicted + coalesced + dropped;
  }

  /**
   * Returns whether every payload was taken.
   *
   * @return {@code taken() == size()}
   */
  public boolean isComplete() {
    return refusal == null;
  }

  /**
   * Returns how many of the taken payloads ended with {@code status}: {@link OfferStatus#ACCEPTED}
   * (enqueued), {@link OfferStatus#EVICTED} (enqueued after the edge evicted an older message, a
   * {@code LATEST} edge; the evicted messages are counted in the edge's statistics), {@link
   * OfferStatus#COALESCED} (merged into a queued message) or {@link OfferStatus#DROPPED} (discarded
   * by a {@code DROP} edge that was full). The statuses that stop a batch are never counted here:
   * see {@link #refusal()}.
   *
   * @param status the outcome
   * @return the number of taken payloads with that outcome; 0 for the refusing statuses
   */
  public int count(OfferStatus status) {
    return switch (status) {
      case ACCEPTED -> accepted;
      case EVICTED -> evicted;
      case COALESCED -> coalesced;
      case DROPPED -> dropped;
      default -> 0;
    };
  }

  /**
   * Returns why the payload at index {@link #taken()} was not taken: {@link OfferStatus#BLOCKED}
   * (the edge was full; for {@code putAll}, it stayed full until the timeout), {@link
   * OfferStatus#CLOSED} (the graph is shutting down, or the ingress's node stopped), {@link
   * OfferStatus#FAILED} (a full {@code FAIL} edge, or a {@code COALESCE} merge that failed; the
   * cause is in the result) or {@link OfferStatus#REJECTED} (the payload failed the port's type
   * check or validator; the reason names it).
   *
   * @return the refusing outcome, or null if every payload was taken
   */
  public @Nullable OfferResult refusal() {
    return refusal;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BatchOfferResult[taken ").append(taken());
    sb.append(" of ").append(size);
    appendCount(sb, "accepted", accepted);
    appendCount(sb, "evicted", evicted);
    appendCount(sb, "coalesced", coalesced);
    appendCount(sb, "dropped", dropped);
    if (refusal != null) {
      sb.append(", refused at ").append(taken()).append(": ").append(refusal);
    }
    return sb.append(']').toString();
  }

  private static void appendCount(StringBuilder sb, String what, int n) {
    if (n > 0) {
      sb.append(", ").append(n).append(' ').append(what);
    }
  }
}
