package dev.weir.stress.random;

import dev.weir.core.EdgeStats;
import dev.weir.scheduler.GraphSnapshot;
import java.time.Duration;

/**
 * Tells a hung graph from a slow one without a deadline on the whole case: progress is any counter
 * moving ({@link dev.weir.scheduler.RunningGraph#progress()}, which counts each message as its hook
 * returns; an edge's accepted, delivered, dropped, evicted, coalesced, failed, rejected, closed or
 * discarded count; a node's errors and restarts; an application thread's finished offers), and the
 * case is hung only when none of them moved for a whole window while work was pending ({@link
 * GraphSnapshot#hasPendingWork()}) or the application was still feeding. A slow machine stretches a
 * case; only a graph that stopped doing anything trips it. Refused offers ({@code blocked}) and
 * activations are left out: a producer retrying against a full edge, or a node woken for nothing,
 * is not progress.
 *
 * <p>Thread-safety: confined to the thread that watches the case.
 */
final class NoProgressDetector {

  private final long windowNanos;
  private long lastSignature = Long.MIN_VALUE;
  private long lastMoveNanos = System.nanoTime();

  NoProgressDetector(Duration window) {
    this.windowNanos = window.toNanos();
  }

  /** Returns the progress counters of a snapshot, summed: it changes whenever any of them moves. */
  static long signature(GraphSnapshot snapshot, long external) {
    long sum = external;
    for (GraphSnapshot.EdgeView e : snapshot.edges()) {
      EdgeStats s = e.stats();
      sum +=
          s.accepted()
              + s.delivered()
              + s.dropped()
              + s.evicted()
              + s.coalesced()
              + s.failed()
              + s.rejected()
              + s.closed()
              + s.discarded();
    }
    for (GraphSnapshot.NodeView n : snapshot.nodes()) {
      sum += n.messages() + n.errors() + n.restarts();
    }
    return sum;
  }

  /**
   * Records the current signature.
   *
   * @return whether nothing has moved for the whole window
   */
  boolean stalled(long signature) {
    long now = System.nanoTime();
    if (signature != lastSignature) {
      lastSignature = signature;
      lastMoveNanos = now;
      return false;
    }
    return now - lastMoveNanos >= windowNanos;
  }

  /** Says how long nothing has moved. */
  String describe() {
    return "no counter moved for "
        + Duration.ofNanos(System.nanoTime() - lastMoveNanos).toMillis()
        + " ms (window "
        + Duration.ofNanos(windowNanos).toMillis()
        + " ms)";
  }
}
