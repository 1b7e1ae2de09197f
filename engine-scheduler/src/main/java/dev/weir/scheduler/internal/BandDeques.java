package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/*
 * Invariants: a cell is "queued" (inQueue) at most once, in exactly one band (queuedBand), and has
 * exactly one deque entry while queued. Lifting a queued cell to a more urgent band moves that
 * entry: the old one is unlinked, so no stale entry is left behind to look live again if the cell
 * is later re-queued in its old band (it would jump the line there and count twice in depths).
 * Unlinking costs O(depth of the old band), and lifts are rare: only a CONTROL message for a cell
 * that is already queued. `live[b]` is the number of entries in band b, `nonEmpty` has bit b set
 * exactly when `live[b] > 0`.
 */

/**
 * The band deques behind {@link ReadyQueues}: one FIFO deque per {@link Priority} band, served by
 * {@link WeightedBandSelector}, with optional seeded perturbation of the pick order within a band,
 * and each cell queued at most once.
 *
 * <p>Thread-safety: not thread-safe. {@link LockedReadyQueues} guards it with its lock, {@link
 * OwnedReadyQueues} lets only its worker touch it.
 */
final class BandDeques {

  /** One push in this many has its queue wait recorded (weir.scheduler.loop.latency). */
  static final int QUEUE_WAIT_SAMPLE = 8;

  /** The queuedAt of a push whose queue wait is not recorded. */
  static final long NOT_SAMPLED = Long.MIN_VALUE;

  private final ArrayDeque<NodeCell>[] bands;
  private final int[] live;
  private final WeightedBandSelector selector;
  private final SplittableRandom random;
  private final double perturbation;
  private final RuntimeMetrics metrics;
  private int nonEmpty;
  private int lastBand;
  private int pushes;

  @SuppressWarnings({"unchecked", "rawtypes"})
  BandDeques(
      EnumMap<Priority, Integer> weights, long seed, double perturbation, RuntimeMetrics metrics) {
    this.metrics = metrics;
    this.bands = new ArrayDeque[WeightedBandSelector.BANDS];
    for (int i = 0; i < bands.length; i++) {
      bands[i] = new ArrayDeque<>();
    }
    this.live = new int[bands.length];
    this.selector = new WeightedBandSelector(weights);
    this.random = new SplittableRandom(seed);
    this.perturbation = perturbation;
  }

  /**
   * Queues a cell at a band, or lifts it there if it is queued at a less urgent band.
   *
   * @return the band whose depth changed by the move away from it, or -1 if none did; the caller
   *     only needs it to publish depths
   */
  int add(NodeCell cell, int band) {
    // Queue wait is sampled: reading the clock on every push and recording a Micrometer timer on
    // every take was most of what metrics cost a busy graph. The first push and every
    // QUEUE_WAIT_SAMPLE-th after it are timed; the others are not recorded at all.
    boolean sampled = (pushes++ & (QUEUE_WAIT_SAMPLE - 1)) == 0;
    return add(cell, band, sampled ? metrics.now() : NOT_SAMPLED);
  }

  /**
   * As {@link #add(NodeCell, int)}, for a push made at {@code queuedAt} (from metrics.now()), or
   * {@link #NOT_SAMPLED}.
   */
  int add(NodeCell cell, int band, long queuedAt) {
    int left = -1;
    if (cell.inQueue) {
      if (cell.queuedBand <= band) {
        return -1;
      }
      left = cell.queuedBand;
      unlink(cell, left);
    } else {
      cell.queuedAt = queuedAt;
    }
    cell.inQueue = true;
    cell.queuedBand = band;
    bands[band].addLast(cell);
    live[band]++;
    nonEmpty |= 1 << band;
    return left;
  }

  private void unlink(NodeCell cell, int band) {
    ArrayDeque<NodeCell> deque = bands[band];
    deque.removeFirstOccurrence(cell);
    if (--live[band] == 0) {
      nonEmpty &= ~(1 << band);
    }
  }

  /** Takes the next cell by band weight and queue order, or null if none is queued. */
  @Nullable NodeCell poll() {
    if (nonEmpty == 0) {
      return null;
    }
    int band = selector.pick(nonEmpty);
    ArrayDeque<NodeCell> deque = bands[band];
    NodeCell cell = deque.pollFirst();
    if (cell == null) {
      throw new IllegalStateException("internal: band " + band + " marked non-empty but empty");
    }
    if (perturbation > 0 && !deque.isEmpty() && random.nextDouble() < perturbation) {
      // Serve the second in line first; the first goes back to the front, so it is next.
      NodeCell second = deque.pollFirst();
      deque.addFirst(cell);
      cell = second;
    }
    lastBand = band;
    if (--live[band] == 0) {
      nonEmpty &= ~(1 << band);
    }
    cell.inQueue = false;
    if (cell.queuedAt != NOT_SAMPLED) {
      metrics.queueWaitSince(cell.queuedAt);
    }
    return cell;
  }

  /** The band of the last {@link #poll()} that returned a cell. */
  int lastBand() {
    return lastBand;
  }

  boolean isEmpty() {
    return nonEmpty == 0;
  }

  /** The bands that hold a cell: bit b set when band b is non-empty. */
  int nonEmptyBands() {
    return nonEmpty;
  }

  /** The number of cells queued at {@code band}. */
  int depth(int band) {
    return live[band];
  }
}
