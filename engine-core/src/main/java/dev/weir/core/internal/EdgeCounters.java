package dev.weir.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-edge counters, split by writer: producer-side outcomes in one array, consumer-side in
 * another, each padded so the two sides never share a cache line.
 *
 * <p>Concurrency: every counter has exactly one writer thread at a time (the edge's producer or its
 * consumer; a node's activations are ordered by the scheduler). The writer reads its own counter
 * plainly and stores with opaque mode (a plain {@code mov} on x86, but never torn and never hoisted
 * out of a loop); readers on other threads use opaque loads and see a recent value. No
 * read-modify-write instruction is on the hot path.
 */
final class EdgeCounters {

  /** Pad on either side of the counters; 16 longs = 128 bytes. */
  private static final int PAD = 16;

  static final int ACCEPTED = PAD;
  static final int EVICTED = PAD + 1;
  static final int COALESCED = PAD + 2;
  static final int BLOCKED = PAD + 3;
  static final int DROPPED = PAD + 4;
  static final int FAILED = PAD + 5;
  static final int REJECTED = PAD + 6;
  static final int CLOSED = PAD + 7;
  static final int HIGH_WATER_MARK = PAD + 8;
  private static final int PRODUCER_COUNTERS = 9;

  static final int DELIVERED = PAD;
  static final int DISCARDED = PAD + 1;
  private static final int CONSUMER_COUNTERS = 2;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] producer = new long[PAD + PRODUCER_COUNTERS + PAD];
  private final long[] consumer = new long[PAD + CONSUMER_COUNTERS + PAD];

  /** Producer thread only. */
  void incrementProducer(int counter) {
    LONGS.setOpaque(producer, counter, producer[counter] + 1);
  }

  /** Producer thread only: raises the high-water mark if {@code depth} exceeds it. */
  void raiseHighWaterMark(long depth) {
    if (depth > producer[HIGH_WATER_MARK]) {
      LONGS.setOpaque(producer, HIGH_WATER_MARK, depth);
    }
  }

  /** Producer thread only: the current high-water mark. */
  long highWaterMarkPlain() {
    return producer[HIGH_WATER_MARK];
  }

  /** Consumer thread only. */
  void incrementConsumer(int counter) {
    LONGS.setOpaque(consumer, counter, consumer[counter] + 1);
  }

  /** Consumer thread only. */
  void addConsumer(int counter, long delta) {
    LONGS.setOpaque(consumer, counter, consumer[counter] + delta);
  }

  /** Any thread. */
  long producerOpaque(int counter) {
    return (long) LONGS.getOpaque(producer, counter);
  }

  /** Any thread. */
  long consumerOpaque(int counter) {
    return (long) LONGS.getOpaque(consumer, counter);
  }
}
