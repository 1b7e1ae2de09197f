package dev.weir.core.internal;

import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: an SPSC ring in which the producer may also replace a queued message with a merged
 * one when the ring is full. Ownership of a queued message is decided on its slot: the consumer
 * takes a slot with getAndSet(null) before it publishes head; the producer replaces a message with
 * CAS(slot, queued, merged). Exactly one of the two wins. If the consumer wins, the producer's CAS
 * fails, the merge result is discarded (merges are pure) and the offer retries, now with room.
 *
 * No ABA on slots: only the producer stores non-null values, and it cannot store a new message in
 * a slot while it is merging into that slot's message (it is one thread).
 *
 * Invariants: 0 <= tail - head <= capacity; slots [head, tail) hold the queued messages in order
 * (a merge keeps its target's position); every other slot is null.
 *
 * Progress: lock-free. An offer retries only after the consumer took a message, which makes room.
 *
 * Happens-before: slot store, then release store of tail (producer); acquire load of tail, then
 * getAndSet of the slot (consumer). The consumer's getAndSet precedes its release store of head,
 * which the producer acquires before it reuses that slot.
 */

/**
 * The DATA ring for COALESCE edges ({@link OverflowPolicy#coalesce}): when full, the incoming
 * payload is merged into the queued message with the same key, else into the newest.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time, lock-free.
 */
final class CoalescingRingEdge<T> extends RingEdge<T> {

  private final BinaryOperator<Object> merge;
  private final @Nullable Function<Object, ?> key;
  private final Class<T> type;

  CoalescingRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
    BinaryOperator<Object> m = spec.policy().merge();
    if (m == null) {
      throw new IllegalArgumentException("edge " + id + ": a COALESCE policy needs a merge");
    }
    this.merge = m;
    this.key = spec.policy().key();
    this.type = port.type();
  }

  @Override
  OfferResult offerData(Message<?> message) {
    for (; ; ) {
      long t = tail;
      if (t - headCache >= capacity) {
        // acquire: pairs with setHeadRelease in pollData; the consumer cleared the slot first.
        headCache = headAcquire();
        if (t - headCache >= capacity) {
          OfferResult merged = tryMerge(message, t, headCache);
          if (merged != null) {
            return merged;
          }
          continue;
        }
      }
      buffer[(int) t & mask] = message;
      // release: the slot store above is visible to a consumer that acquires the new tail.
      setTailRelease(t + 1);
      onAccepted(t + 1 - headCache);
      return OfferResult.accepted();
    }
  }

  /**
   * Merges into the queued message chosen by the policy, or returns null if the consumer took the
   * target (or everything older than it) meanwhile, which means there is room now.
   */
  private @Nullable OfferResult tryMerge(Message<?> incoming, long t, long h) {
    try {
      Function<Object, ?> keyOf = key;
      long target = keyOf == null ? t - 1 : indexOfSameKey(keyOf, incoming, t, h);
      Object queued = target < 0 ? null : slotAcquire(target);
      if (queued == null) {
        return null;
      }
      Message<?> q = (Message<?>) queued;
      Object merged = merge.apply(q.payload(), incoming.payload());
      if (!type.isInstance(merged)) {
        throw new ClassCastException(
            "merge returned "
                + (merged == null ? "null" : merged.getClass().getName())
                + ", not a "
                + type.getName());
      }
      String problem = port.check(merged);
      if (problem != null) {
        throw new IllegalArgumentException("the merged " + problem);
      }
      if (casSlot(target, q, q.withPayload(merged))) {
        counters.incrementProducer(EdgeCounters.COALESCED);
        return OfferResult.coalesced();
      }
      return null;
    } catch (RuntimeException e) {
      counters.incrementProducer(EdgeCounters.FAILED);
      return OfferResult.failed(
          new EdgeOverflowException(
              id,
              "edge "
                  + id
                  + ": the COALESCE merge threw "
                  + e
                  + "; the incoming message was not enqueued and the queue is unchanged."
                  + " Merge and key functions must be pure and total over the edge's payloads",
              e));
    }
  }

  /**
   * Scans from newest to oldest for the queued message whose key equals the incoming one's and
   * returns its index, else the newest index; returns -1 if a slot turned out empty (the consumer
   * is past it, so there is room).
   */
  private long indexOfSameKey(Function<Object, ?> keyOf, Message<?> incoming, long t, long h) {
    Object wanted = keyOf.apply(incoming.payload());
    for (long i = t - 1; i >= h; i--) {
      Object q = slotAcquire(i);
      if (q == null) {
        return -1;
      }
      if (Objects.equals(wanted, keyOf.apply(((Message<?>) q).payload()))) {
        return i;
      }
    }
    return t - 1;
  }

  @Override
  @Nullable Object pollData() {
    long h = head;
    if (h >= tailCache) {
      // acquire: pairs with setTailRelease in offerData; the slot store is visible after this.
      tailCache = tailAcquire();
      if (h >= tailCache) {
        return null;
      }
    }
    // getAndSet: takes the slot; a concurrent merge CAS on it fails from here on.
    Object e = getAndClearSlot(h);
    // release: the slot is null before the producer can see room for reusing it.
    setHeadRelease(h + 1);
    return e;
  }
}
