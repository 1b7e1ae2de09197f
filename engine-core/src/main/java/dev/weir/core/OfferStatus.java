package dev.weir.core;

/**
 * The outcome of offering a message to an {@link Edge}. Every offer has exactly one, and each is
 * counted in the edge's {@link EdgeStats}, so the ledger always balances:
 *
 * <pre>
 * offered  = accepted + dropped + coalesced + blocked + failed + rejected + closed
 * accepted = delivered + evicted + discarded + depth + controlDepth
 * </pre>
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum OfferStatus {
  /** Enqueued. */
  ACCEPTED(true),
  /**
   * Enqueued after evicting the oldest queued message (LATEST); the result carries the evicted
   * message.
   */
  EVICTED(true),
  /** Merged into a queued message (COALESCE); not enqueued by itself. */
  COALESCED(false),
  /** Not enqueued because the edge is full (BLOCK, or a full CONTROL lane); the caller keeps it. */
  BLOCKED(false),
  /** Discarded because the edge is full (DROP). */
  DROPPED(false),
  /**
   * Not enqueued: an overflow under FAIL, or a COALESCE merge that threw; the result has a cause.
   */
  FAILED(false),
  /** Not enqueued: the payload has the wrong type or failed the port's validator. */
  REJECTED(false),
  /** Not enqueued: the edge was closed (the graph is shutting down). */
  CLOSED(false);

  private final boolean enqueued;

  OfferStatus(boolean enqueued) {
    this.enqueued = enqueued;
  }

  /**
   * Returns whether the offered message itself is now in the edge.
   *
   * @return true for ACCEPTED and EVICTED
   */
  public boolean isEnqueued() {
    return enqueued;
  }
}
