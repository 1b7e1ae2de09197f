package dev.weir.scheduler.internal;

import dev.weir.core.OfferResult;
import dev.weir.scheduler.BatchOfferResult;
import org.jspecify.annotations.Nullable;

/**
 * Not API: the running count of one {@code offerAll} or {@code putAll} call, payload by payload,
 * and where it stopped.
 *
 * <p>Thread-safety: confined to the calling thread.
 */
final class BatchTally {

  final int size;

  /** The index of the next payload to offer: everything before it was taken. */
  int next;

  private int accepted;
  private int evicted;
  private int coalesced;
  private int dropped;
  private @Nullable OfferResult refusal;

  /** Whether the current run put something in the edge the consumer must be woken for. */
  boolean queued;

  BatchTally(int size) {
    this.size = size;
  }

  /**
   * Records one offer's outcome. Returns true if the payload was taken and the batch goes on, false
   * if it was refused (then it is the refusal, and {@link #next} stays at it).
   */
  boolean record(OfferResult result) {
    switch (result.status()) {
      case ACCEPTED -> {
        accepted++;
        queued = true;
      }
      case EVICTED -> {
        evicted++;
        queued = true;
      }
      case COALESCED -> {
        coalesced++;
        queued = true; // the consumer has a merged message to take, as after a single offer
      }
      case DROPPED -> dropped++;
      default -> {
        refusal = result;
        return false;
      }
    }
    next++;
    refusal = null;
    return true;
  }

  /** Whether the last offer was refused. */
  boolean stopped() {
    return refusal != null;
  }

  /** The last refusal, or null. */
  @Nullable OfferResult refusal() {
    return refusal;
  }

  BatchOfferResult result() {
    return BatchOfferResult.of(size, accepted, evicted, coalesced, dropped, refusal);
  }
}
