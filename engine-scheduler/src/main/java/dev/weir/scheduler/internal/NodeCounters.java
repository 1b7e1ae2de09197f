package dev.weir.scheduler.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A node's counters. Each counter has one writer at a time: the running activation (ordered between
 * activations by the ready-queue hand-over), or the thread that took the cell at shutdown. Writers
 * store with opaque mode, readers (snapshots, metrics) load with opaque mode: no read-modify-write
 * instruction on the hot path, no torn reads.
 *
 * <p>Thread-safety: as above.
 */
final class NodeCounters {

  static final int ACTIVATIONS = 0;
  static final int MESSAGES = 1;
  static final int ERRORS = 2;
  static final int RESTARTS = 3;
  static final int UNROUTED = 4;
  static final int MISSED_TICKS = 5;
  static final int BUSY_NANOS = 6;
  static final int TICKS = 7;
  private static final int COUNT = 8;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  private final long[] values = new long[COUNT];

  void increment(int counter) {
    add(counter, 1);
  }

  void add(int counter, long delta) {
    LONGS.setOpaque(values, counter, (long) LONGS.getOpaque(values, counter) + delta);
  }

  long read(int counter) {
    return (long) LONGS.getOpaque(values, counter);
  }

  /**
   * This node's share of {@code RunningGraph.progress()}: messages processed plus ticks run. Each
   * term is single-writer and read with opaque mode, so per counter a later read never returns less
   * than an earlier one (coherence, also across threads ordered by happens-before): the sum never
   * decreases either. Pinned by ProgressCounterStress.
   */
  long progress() {
    return read(MESSAGES) + read(TICKS);
  }
}
