package dev.weir.core;

/**
 * A snapshot of one edge's counters. Counters are read one by one while the edge may be running, so
 * the ledger balances exactly only when the edge is quiescent (no offer or poll in progress), e.g.
 * after a graph stopped or in a single-threaded test:
 *
 * <pre>
 * offered()  == accepted + dropped + coalesced + blocked + failed + rejected + closed
 * accepted   == delivered + evicted + discarded + depth + controlDepth
 * </pre>
 *
 * <p>CONTROL messages are counted with DATA messages in every counter except {@code depth}, which
 * is the DATA depth; {@code controlDepth} holds the CONTROL lane's.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param accepted offers enqueued (including those that evicted another message)
 * @param evicted queued messages evicted by LATEST to make room
 * @param coalesced offers merged into a queued message by COALESCE
 * @param blocked offers refused because the edge (or its CONTROL lane) was full; every attempt
 *     counts, so a message that is retried (parked in a node's outbox, or in a waiting {@code put})
 *     counts once per refusal, and {@link #offered()} counts attempts, not messages
 * @param dropped offers discarded by DROP
 * @param failed offers that failed: FAIL overflow or a throwing merge
 * @param rejected offers refused for their payload's type or by the port's validator
 * @param closed offers refused because the edge was closed
 * @param delivered messages handed to the consumer by {@link Edge#poll()}
 * @param discarded queued messages removed undelivered by {@link Edge#discardAll}
 * @param depth DATA messages queued now
 * @param controlDepth CONTROL messages queued now
 * @param highWaterMark the largest DATA depth seen
 */
public record EdgeStats(
    long accepted,
    long evicted,
    long coalesced,
    long blocked,
    long dropped,
    long failed,
    long rejected,
    long closed,
    long delivered,
    long discarded,
    int depth,
    int controlDepth,
    long highWaterMark) {

  /**
   * Returns every offer made, whatever its outcome.
   *
   * @return the sum of the outcome counters
   */
  public long offered() {
    return accepted + dropped + coalesced + blocked + failed + rejected + closed;
  }

  /**
   * Returns accepted messages not accounted for as delivered, evicted, discarded or queued: zero
   * whenever the ledger balances.
   *
   * @return {@code accepted - (delivered + evicted + discarded + depth + controlDepth)}
   */
  public long unaccounted() {
    return accepted - (delivered + evicted + discarded + depth + controlDepth);
  }
}
