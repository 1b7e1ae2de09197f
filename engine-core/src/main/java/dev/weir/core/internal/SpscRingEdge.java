package dev.weir.core.internal;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: a single-producer single-consumer ring that signals through its slots, as JCTools'
 * SpscArrayQueue does, so that in the steady state neither side reads the other's index. The
 * consumer knows a message is there when its slot is non-null; the producer knows it has room when
 * the slot that proves it (lookAhead ahead, see RingIndices#raiseRoomLimit) is null, and then
 * writes up to roomLimit without looking again. The high-water mark shares the producer's one
 * compare: producerLimit = min(roomLimit, headCache + highWaterMark), and below it an offer has
 * room and cannot raise the mark (its depth is at most t + 1 - headCache <= highWaterMark). Both
 * indices are still published (release) for depth(), remainingCapacity(), stats() and the
 * high-water mark, which read them rarely. Only the consumer removes elements, so a full ring is
 * answered by the policy without touching queued messages: BLOCK refuses, DROP discards the
 * incoming message, FAIL reports an overflow.
 *
 * Invariants: 0 <= tail - head <= capacity; slots [head, tail) hold the queued messages in order;
 * every other slot is null, except that the consumer clears the slot of index head before it
 * publishes head + 1 (so a null slot h < tail with head == h means "h is taken"). The producer
 * writes index i only after seeing the slot of some index >= i - capacity null; headCache <= head;
 * producerLimit <= roomLimit and producerLimit <= headCache + highWaterMark.
 *
 * CONTROL first: the consumer reads the DATA slot at head (acquire) before it polls the CONTROL
 * lane, and takes only that DATA message. If it saw DATA message d, the producer's release store
 * of d followed its publication of every CONTROL message offered before d, so the CONTROL poll sees
 * them: linearizably, no DATA message overtakes a CONTROL message offered before it.
 *
 * Progress: wait-free on both sides.
 *
 * Happens-before: the producer's release store of the slot pairs with the consumer's acquire load
 * of it (writes before offer are visible after poll). The consumer's release store of null pairs
 * with the producer's acquire load of that slot in raiseRoomLimit, so the consumer's read of a
 * slot happens-before the producer reuses it. The release store of head after the null store
 * makes remainingCapacity() (tail - head) an underestimate: room it reports has its slot cleared.
 *
 * References: L. Lamport, "Specifying Concurrent Program Modules" (1983); JCTools SpscArrayQueue
 * (producer look-ahead, consumer slot-null check); M. Thompson, "Single Producer/Consumer lock
 * free Queue step by step".
 */

/**
 * The DATA ring for {@link OverflowPolicy#BLOCK}, {@link OverflowPolicy#DROP} and {@link
 * OverflowPolicy#FAIL} edges.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time, wait-free. Writes before {@code
 * offer} are visible after the {@code poll} that returns the message.
 */
final class SpscRingEdge<T> extends RingEdge<T> {

  private final OverflowPolicy.Kind kind;

  SpscRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
    this.kind = spec.policy().kind();
  }

  @Override
  OfferResult offerData(Message<?> message) {
    long t = tail;
    if (t >= producerLimit) {
      return offerPastLimit(message, t);
    }
    // Tail first, for depth() and stats() readers (the consumer never reads it): the slot's
    // release store below then carries it, so whoever saw the message, and whatever the consumer
    // published after taking it (head, delivered), comes with a tail that counts it.
    setTailOpaque(t + 1);
    // release: pairs with the consumer's slotAcquire in takeNext; the message (and everything
    // written before the offer) is visible to a consumer that sees the slot non-null.
    setSlotRelease(t, message);
    return OfferResult.accepted();
  }

  /** The slow path of offerData: proves room, raises the high-water mark, recomputes the limit. */
  private OfferResult offerPastLimit(Message<?> message, long t) {
    if (t >= roomLimit && !raiseRoomLimit(t)) {
      return refuseFull(kind);
    }
    setTailOpaque(t + 1); // as in offerData
    setSlotRelease(t, message);
    onAccepted(t + 1);
    producerLimit = Math.min(roomLimit, headCache + highWaterMark);
    return OfferResult.accepted();
  }

  @Override
  @Nullable Message<?> takeNext() {
    long h = head;
    // acquire: pairs with the release store in offerData. Read before the CONTROL lane: see the
    // design note on CONTROL first.
    Message<?> data = slotAcquire(h);
    Message<?> c = control.poll();
    if (c != null) {
      return c;
    }
    if (data == null) {
      return null;
    }
    // release: our read of the slot happens-before the producer's reuse of it (it acquires the
    // null in raiseRoomLimit); the null is stored before head moves past it.
    setSlotRelease(h, null);
    // release: depth() and remainingCapacity() see room only once the slot is clear.
    setHeadRelease(h + 1);
    return data;
  }
}
