package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: the producer appends at tail; both sides remove at head. The consumer takes the
 * oldest message to deliver it, the producer takes it to evict it when the ring is full. Which of
 * them owns index h is decided by a single CAS of head from h to h + 1, so every accepted message
 * is delivered or evicted, never both.
 *
 * A remover reads slot h *before* its CAS and keeps what it read only if the CAS succeeds. That
 * read is valid: slot h can only be overwritten (by index h + buffer.length) or cleared after head
 * has passed h, and then the CAS fails. Indices are unbounded longs, so there is no ABA on head.
 *
 * Because the consumer reads before it claims, it cannot clear the slot it took (the producer may
 * already be reusing it). The producer clears instead: before each write it nulls the slots of
 * indices below the head it last saw, all of which are claimed. Delivered messages therefore stay
 * reachable until the producer's next offer, at most `capacity` of them.
 *
 * Invariants: 0 <= tail - head <= capacity; slots [head, tail) hold the queued messages in order.
 *
 * Progress: the producer is wait-free in practice (its eviction loop runs at most twice: a failed
 * CAS means the consumer claimed the head, which made room). The consumer is lock-free: its CAS
 * fails only when the producer evicted, so under sustained overload a consumer can lose every
 * race and see evictions instead of deliveries; the edge as a whole always makes progress.
 *
 * Happens-before: slot store, then release store of tail (producer); acquire load of tail, then
 * acquire load of the slot (consumer). A successful CAS on head orders every later reuse of the
 * slot after the read that preceded it.
 */

/**
 * The DATA ring for {@link OverflowPolicy#LATEST} edges: when full, the oldest queued message is
 * evicted and returned in the {@link OfferResult}, and the incoming one is enqueued.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time, lock-free.
 */
final class EvictingRingEdge<T> extends RingEdge<T> {

  EvictingRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
  }

  @Override
  OfferResult offerData(Message<?> message) {
    long t = tail;
    long h = headVolatile();
    Message<?> evicted = null;
    while (t - h >= capacity) {
      Message<?> oldest = slotAcquire(h);
      if (oldest != null && casHead(h, h + 1)) {
        evicted = oldest;
        h++;
        break;
      }
      h = headVolatile();
    }
    clearClaimedSlots(h, t);
    buffer[(int) t & mask] = message;
    // release: the slot store above is visible to a consumer that acquires the new tail.
    setTailRelease(t + 1);
    headCache = h;
    onAccepted(t + 1);
    if (evicted == null) {
      return OfferResult.accepted();
    }
    counters.incrementProducer(EdgeCounters.EVICTED);
    return OfferResult.evicted(evicted);
  }

  /**
   * Producer only: nulls the slots of claimed indices below {@code head}. Never below {@code t -
   * buffer.length}: older indices share slots with live ones.
   */
  private void clearClaimedSlots(long head, long t) {
    long from = Math.max(cleaned, t - buffer.length);
    for (long i = from; i < head; i++) {
      buffer[(int) i & mask] = null;
    }
    cleaned = head;
  }

  @Override
  @Nullable Message<?> takeNext() {
    Message<?> c = pollControlAfterTailSnapshot(headVolatile());
    if (c != null) {
      return c;
    }
    for (; ; ) {
      long h = headVolatile();
      if (h >= tailCache) {
        return null;
      }
      Message<?> e = slotAcquire(h);
      if (e != null && casHead(h, h + 1)) {
        return e;
      }
    }
  }

  @Override
  public int remainingCapacity() {
    return (int) Math.max(0, capacity - (tail - headVolatile()));
  }
}
