package dev.weir.core.internal;

import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: Lamport's single-producer single-consumer ring with cached indices (see
 * RingIndices#spscOffer and #spscPoll). Only the consumer removes elements, so a full ring is
 * answered by the policy without touching queued messages: BLOCK refuses, DROP discards the
 * incoming message, FAIL reports an overflow.
 *
 * Invariants: 0 <= tail - head <= capacity; slots [head, tail) hold the queued messages in order;
 * every other slot is null.
 *
 * Progress: wait-free on both sides.
 *
 * Happens-before: the producer's slot store precedes its release store of tail; the consumer's
 * acquire load of tail precedes its slot load. Symmetrically, the consumer's null store precedes
 * its release store of head, which the producer acquires before reusing the slot.
 *
 * References: L. Lamport, "Specifying Concurrent Program Modules" (1983); JCTools SpscArrayQueue.
 */

/**
 * The DATA ring for {@link OverflowPolicy#BLOCK}, {@link OverflowPolicy#DROP} and {@link
 * OverflowPolicy#FAIL} edges.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time, wait-free.
 */
final class SpscRingEdge<T> extends RingEdge<T> {

  private final OverflowPolicy.Kind kind;

  SpscRingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(id, port, spec);
    this.kind = spec.policy().kind();
  }

  @Override
  OfferResult offerData(Message<?> message) {
    if (spscOffer(message)) {
      onAccepted(tail - headCache);
      return OfferResult.accepted();
    }
    return switch (kind) {
      case DROP -> {
        counters.incrementProducer(EdgeCounters.DROPPED);
        yield OfferResult.dropped();
      }
      case FAIL -> {
        counters.incrementProducer(EdgeCounters.FAILED);
        yield OfferResult.failed(
            new EdgeOverflowException(
                id,
                "edge "
                    + id
                    + " is full ("
                    + capacity
                    + " messages) and its policy is FAIL: the consumer is too slow; raise the"
                    + " capacity, speed up the consumer, or choose BLOCK for backpressure",
                null));
      }
      default -> {
        counters.incrementProducer(EdgeCounters.BLOCKED);
        yield OfferResult.blocked();
      }
    };
  }

  @Override
  @Nullable Object pollData() {
    return spscPollCached();
  }

  @Override
  long consumerHead() {
    return head;
  }
}
