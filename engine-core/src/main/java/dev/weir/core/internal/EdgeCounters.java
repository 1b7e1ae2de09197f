package dev.weir.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-edge counters of the rarer outcomes, split by writer: producer-side outcomes in one
 * array, consumer-side in another, each padded so the two sides never share a cache line. The
 * counters of the common path are not here: see {@link RingEdge} (accepted is derived from the
 * tails, delivered and the high-water mark sit beside the indices).
 *
 * <p>Concurrency: every consumer counter has exactly one writer thread at a time (the edge's
 * consumer; a node's activations are ordered by the scheduler), and so does every producer counter
 * unless the edge was made for shared producers. A single writer reads its own counter plainly and
 * stores with opaque mode (a plain {@code mov} on x86, but never torn and never hoisted out of a
 * loop); readers on other threads use opaque loads and see a recent value. No read-modify-write
 * instruction is on the hot path. With shared producers ({@link MpscRingEdge}) the producer
 * counters are incremented with an atomic {@code getAndAdd}, so concurrent increments are never
 * lost; they are written only on the paths that refuse, drop, fail or reject an offer.
 */
final class EdgeCounters {

  /** Pad on either side of the counters; 16 longs = 128 bytes. */
  private static final int PAD = 16;

  static final int EVICTED = PAD;
  static final int COALESCED = PAD + 1;
  static final int BLOCKED = PAD + 2;
  static final int DROPPED = PAD + 3;
  static final int FAILED = PAD + 4;
  static final int REJECTED = PAD + 5;
  static final int CLOSED = PAD + 6;
  private static final int PRODUCER_COUNTERS = 7;

  static final int DISCARDED = PAD;
  private static final int CONSUMER_COUNTERS = 1;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] producer = new long[PAD + PRODUCER_COUNTERS + PAD];
  private final long[] consumer = new long[PAD + CONSUMER_COUNTERS + PAD];

  /** Whether several producer threads may count at once (atomic increments). */
  private final boolean sharedProducers;

  EdgeCounters() {
    this(false);
  }

  EdgeCounters(boolean sharedProducers) {
    this.sharedProducers = sharedProducers;
  }

  /** Producer thread only, or any producer thread if the counters are for shared producers. */
  void incrementProducer(int counter) {
    if (sharedProducers) {
      LONGS.getAndAdd(producer, counter, 1L);
    } else {
      LONGS.setOpaque(producer, counter, producer[counter] + 1);
    }
  }

  /** Consumer thread only. */
  void incrementConsumer(int counter) {
    // release (a plain mov on x86): a reader that acquires the count sees what the consumer saw
    // before counting, e.g. the producer's tail for a discarded message (RingEdge.stats).
    LONGS.setRelease(consumer, counter, consumer[counter] + 1);
  }

  /** Any thread. */
  long producerOpaque(int counter) {
    return (long) LONGS.getOpaque(producer, counter);
  }

  /** Any thread. */
  /** Any thread; pairs with the release in {@link #incrementConsumer}. */
  long consumerAcquire(int counter) {
    return (long) LONGS.getAcquire(consumer, counter);
  }
}
