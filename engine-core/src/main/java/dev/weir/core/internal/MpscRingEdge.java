package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: a multi-producer single-consumer ring in the manner of JCTools' MpscArrayQueue.
 * A producer claims index t by CAS on `tail` (the producer index), after proving room against
 * `producerLimit`, a shared cache of head + capacity; then it publishes its message with a release
 * store into slot t. The consumer, single-threaded, reads the slot at head with acquire: null means
 * empty or "claimed, not yet published", and poll returns null then (the claiming producer signals
 * the consumer after it publishes). It takes the message by nulling the slot and publishing
 * head + 1 (release). So producers contend on one CAS per offer and never take a lock; the consumer
 * never writes a producer line.
 *
 * Room: producerLimit is some head value h' read by a producer, plus capacity; head only grows, so
 * producerLimit <= head + capacity always, and a claim t < producerLimit keeps tail - head <=
 * capacity. When t reaches the cached limit the producer reads head (volatile) and recomputes it;
 * a stale, lower limit written by a slower producer is only pessimistic. A producer that still finds
 * no room returns the policy's answer without touching the ring: BLOCK refuses, DROP discards the
 * incoming message, FAIL reports an overflow (counted atomically, see EdgeCounters).
 *
 * Close: close() sets SEALED in tail with an atomic OR. A producer's CAS from an unsealed tail then
 * fails, and its retry finds t >= producerLimit and SEALED, and answers CLOSED. So no index is
 * claimed after close() returns; an offer that claimed before is counted in tail (accepted and
 * depth) until it is delivered, so a consumer checking isEmpty() cannot finish ahead of it.
 *
 * Counters: accepted is derived (tail plus the CONTROL lane's tail: each accepted message is one
 * successful CAS or one CONTROL offer). The CAS precedes the slot's release store, so a consumer
 * that took the message, and a reader that acquires delivered after it, see the tail past it:
 * a snapshot never shows more delivered than accepted (RingEdge.stats); delivered is the consumer's single-writer field; the
 * high-water mark is raised by CAS to a maximum, and only when t + 1 - (producerLimit - capacity),
 * an upper bound of the depth, exceeds it, so never once it reached the capacity; blocked, dropped,
 * failed, rejected and closed are atomic increments in EdgeCounters. The mark is the largest depth
 * sampled right after an accept (tail index t + 1 minus head read after the CAS): exact when
 * single-threaded, otherwise never above a depth the edge had.
 *
 * CONTROL first: the CONTROL lane stays an SPSC ring whose producers are serialized by
 * `controlLock` (CONTROL offers are rare); the monitor orders successive CONTROL producers. The
 * consumer reads the DATA slot at head (acquire) before it polls the CONTROL lane, and takes only
 * that DATA message. If the DATA message d it saw was offered after a CONTROL message c (c's offer
 * happens-before d's), then c's publication (release of the lane's tail, under the monitor)
 * happens-before d's slot release, which the consumer's acquire saw, so its CONTROL poll sees c.
 *
 * Invariants: 0 <= tail - head <= capacity (tail without SEALED); every index in [head, tail) was
 * claimed by exactly one producer, and its slot holds that message or, before publication, null;
 * every slot outside [head, tail) is null; producerLimit - capacity <= head.
 *
 * Progress: offers are lock-free (a CAS fails only because another producer claimed an index or
 * the ring was sealed); polls are wait-free. A producer stalled between its CAS and its slot store
 * delays the consumer at that index (poll answers null) but blocks no other producer until the ring
 * fills. CONTROL offers take a monitor.
 *
 * Happens-before: a producer's release store of the slot pairs with the consumer's acquire load of
 * it (writes before offer are visible after the poll that returns the message). The consumer's
 * null store to a slot precedes its release store of head; a producer reads head (volatile, or
 * through producerLimit: release by the producer that computed it, acquire by the one that uses
 * it) before it claims an index that reuses the slot, so the consumer's read of the slot happens-
 * before the reuse. remainingCapacity() reads head before tail, so it underestimates the room.
 * The producer's volatile read of head in the slow path comes after a waiting producer's volatile
 * store of EdgeLink's producerWaiting flag, which is the producer half of that Dekker protocol.
 *
 * References: JCTools MpscArrayQueue (CAS-claimed producer index, cached producer limit, consumer
 * null-check on the slot); D. Vyukov, "Bounded MPMC queue"; SpscRingEdge for the CONTROL-first read.
 */

/**
 * The DATA ring for {@link OverflowPolicy#BLOCK}, {@link OverflowPolicy#DROP} and {@link
 * OverflowPolicy#FAIL} edges with several producer threads (an ingress fed by application threads).
 *
 * <p>Thread-safety: any number of producer threads ({@code offer}, {@code remainingCapacity}) and
 * one consumer thread at a time ({@code poll}, {@code discardAll}); offers are lock-free except
 * CONTROL offers, which take a short monitor. Writes before {@code offer} are visible after the
 * {@code poll} that returns the message.
 */
final class MpscRingEdge<T> extends RingEdge<T> {

  private final OverflowPolicy.Kind kind;

  /** Serializes the producers of the single-producer CONTROL lane. */
  private final Object controlLock = new Object();

  MpscRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec, true);
    this.kind = spec.policy().kind();
    // Published with the edge (final-field semantics do not cover it; the edge reaches producers
    // through the graph's start, a happens-before edge). head is 0, so capacity is a true limit.
    setProducerLimitRelease(capacity);
  }

  @Override
  OfferResult offerData(Message<?> message) {
    // acquire: pairs with the release in the slow path below; the head it was computed from, and
    // the consumer's null stores before it, are visible.
    long limit = producerLimitAcquire();
    long t;
    do {
      t = tailVolatile();
      if (t >= limit) {
        if ((t & SEALED) != 0) {
          return refuseClosed();
        }
        // volatile: pairs with the consumer's release store of head (the slots below it are
        // null); and, after a waiting producer's volatile store of producerWaiting, this is the
        // re-check of the Dekker protocol.
        limit = headVolatile() + capacity;
        if (t >= limit) {
          return refuseFull(kind);
        }
        // release: pairs with the acquire above in other producers. A slower producer may store
        // a lower limit later; it is still a valid limit, only pessimistic.
        setProducerLimitRelease(limit);
      }
    } while (!casTail(t, t + 1));
    // release: pairs with the consumer's slotAcquire in takeNext.
    setSlotRelease(t, message);
    if (t + 1 - (limit - capacity) > highWaterMarkOpaque()) {
      raiseHighWaterMark(t + 1);
    }
    return OfferResult.accepted();
  }

  /** After claiming index {@code t1 - 1}: raises the mark to the depth seen now, by CAS. */
  private void raiseHighWaterMark(long t1) {
    // acquire: a recent head; the depth it gives is one the edge had at this moment or a smaller
    // one (tail may have moved on).
    long depth = Math.min(capacity, t1 - headAcquire());
    long mark;
    while (depth > (mark = highWaterMarkOpaque())) {
      if (casHighWaterMark(mark, depth)) {
        return;
      }
    }
  }

  @Override
  boolean offerControl(Message<?> message) {
    synchronized (controlLock) {
      return control.offer(message);
    }
  }

  @Override
  void onClose() {
    sealTail();
  }

  @Override
  @Nullable Message<?> takeNext() {
    long h = head;
    // acquire: pairs with the producer's release store in offerData. Read before the CONTROL
    // lane: see the design note on CONTROL first.
    Message<?> data = slotAcquire(h);
    Message<?> c = control.poll();
    if (c != null) {
      return c;
    }
    if (data == null) {
      return null; // empty, or index h is claimed and not yet published
    }
    buffer[(int) h & mask] = null;
    // release: the null store above, and our read of the slot, happen-before a producer that
    // reads this head (or a limit computed from it) reuses the slot.
    setHeadRelease(h + 1);
    return data;
  }

  /**
   * Any thread. Reads head before tail: an older head and a newer tail overstate the depth, so the
   * room is exact or an underestimate, never more than an offer would find.
   */
  @Override
  public int remainingCapacity() {
    long h = headAcquire();
    long used = tailAcquire() - h;
    return (int) Math.max(0, Math.min(capacity, capacity - used));
  }
}
