package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.MergeFailedException;
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
 * Progress: lock-free. An offer retries only after the consumer took a message. Seeing that
 * message's slot empty is enough to count it as consumed, even before the consumer publishes
 * head, so a consumer paused between its two stores cannot make the producer spin. (Published
 * tail - head may then briefly be capacity + 1; depth(), the high-water mark and
 * remainingCapacity() clamp to capacity.)
 *
 * Caveat: a merge changes a message already queued, so a DATA payload offered after a CONTROL
 * message can reach the consumer inside an older, merged DATA message before that CONTROL one.
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

  /** Producer-local: set when a scan found a slot the consumer already took (see offerData). */
  private long takenBelow;

  CoalescingRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
    BinaryOperator<Object> m = spec.policy().merge();
    if (m == null) {
      throw new IllegalArgumentException("edge " + id + ": a COALESCE policy needs a merge");
    }
    this.merge = m;
    this.key = spec.policy().key();
  }

  @Override
  OfferResult offerData(Message<?> message) {
    for (; ; ) {
      long t = tail;
      if (t - headCache >= capacity) {
        // acquire: pairs with setHeadRelease in pollData; the consumer cleared the slot first.
        headCache = Math.max(headCache, headAcquire());
        if (t - headCache >= capacity) {
          OfferResult merged = tryMerge(message, t, headCache);
          if (merged != null) {
            return merged;
          }
          // The scan met a slot the consumer already emptied: every index below takenBelow is
          // consumed even if head is not published yet (the acquire load of the null pairs with
          // the consumer's getAndSet), so count them as gone instead of spinning on head.
          headCache = Math.max(headCache, takenBelow);
          continue;
        }
      }
      buffer[(int) t & mask] = message;
      // release: the slot store above is visible to a consumer that acquires the new tail.
      setTailRelease(t + 1);
      onAccepted(t + 1);
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
        if (target >= 0) {
          takenBelow = target + 1;
        }
        return null;
      }
      Message<?> q = (Message<?>) queued;
      Object merged = merge.apply(q.payload(), incoming.payload());
      if (merged == null) {
        throw new NullPointerException("the merge returned null");
      }
      String problem = port.check(merged);
      if (problem != null) {
        throw new IllegalArgumentException("the merge returned an invalid payload: " + problem);
      }
      if (casSlot(target, q, q.withPayload(merged))) {
        counters.incrementProducer(EdgeCounters.COALESCED);
        return OfferResult.coalesced();
      }
      return null;
    } catch (RuntimeException e) {
      counters.incrementProducer(EdgeCounters.FAILED);
      return OfferResult.failed(
          new MergeFailedException(
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
        takenBelow = i + 1;
        return -1;
      }
      if (Objects.equals(wanted, keyOf.apply(((Message<?>) q).payload()))) {
        return i;
      }
    }
    return t - 1;
  }

  @Override
  @Nullable Message<?> takeNext() {
    long h = head;
    Message<?> c = pollControlAfterTailSnapshot(h);
    if (c != null) {
      return c;
    }
    if (h >= tailCache) {
      return null;
    }
    // getAndSet: takes the slot; a concurrent merge CAS on it fails from here on.
    Message<?> e = getAndClearSlot(h);
    // release: the slot is null before the producer can see room for reusing it.
    setHeadRelease(h + 1);
    return e;
  }
}
