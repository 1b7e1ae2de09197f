package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: one lock guards the four band deques, each cell's queue membership, the selector,
 * the perturbation RNG and the count of running activations. Pushes come from workers (end of an
 * activation, signals to downstream cells), from application threads (ingress) and from timers;
 * polls come from workers. Idle workers wait on `workAvailable`.
 *
 * Invariants: a cell is "queued" (inQueue) at most once, in exactly one band (queuedBand), and has
 * exactly one deque entry while queued. Lifting a queued cell to a more urgent band moves that
 * entry: the old one is unlinked, so no stale entry is left behind to look live again if the cell
 * is later re-queued in its old band (it would jump the line there and count twice in depths).
 * Unlinking costs O(depth of the old band), and lifts are rare: only a CONTROL message for a cell
 * that is already queued.
 *
 * Happens-before: everything an activation wrote before its cell is pushed (under the lock) is
 * visible to the worker that polls the cell (under the lock) and runs the next activation.
 *
 * Progress: blocking (a lock), held for a few field updates; never while user code runs.
 */

/**
 * The scheduler's ready queues: one FIFO deque per {@link Priority} band, served by {@link
 * WeightedBandSelector}, with optional seeded perturbation of the pick order within a band.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ReadyQueues {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition quiet = lock.newCondition();
  private final ArrayDeque<NodeCell>[] bands;
  private final WeightedBandSelector selector;
  private final SplittableRandom random;
  private final double perturbation;
  private final RuntimeMetrics metrics;
  private int nonEmpty;
  private int running;
  private int waitingWorkers;
  private long wakeGeneration;
  private boolean closed;

  @SuppressWarnings({"unchecked", "rawtypes"})
  ReadyQueues(
      EnumMap<Priority, Integer> weights, long seed, double perturbation, RuntimeMetrics metrics) {
    this.metrics = metrics;
    this.bands = new ArrayDeque[WeightedBandSelector.BANDS];
    for (int i = 0; i < bands.length; i++) {
      bands[i] = new ArrayDeque<>();
    }
    this.selector = new WeightedBandSelector(weights);
    this.random = new SplittableRandom(seed);
    this.perturbation = perturbation;
  }

  /** Queues a cell at a band, or lifts it there if it is queued at a less urgent band. */
  void push(NodeCell cell, int band) {
    lock.lock();
    try {
      if (cell.inQueue) {
        if (cell.queuedBand <= band) {
          return;
        }
        unlinkLocked(cell, cell.queuedBand);
      }
      if (!cell.inQueue) {
        cell.queuedAt = metrics.now();
      }
      cell.inQueue = true;
      cell.queuedBand = band;
      bands[band].addLast(cell);
      nonEmpty |= 1 << band;
      if (waitingWorkers > 0) {
        workAvailable.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  private void unlinkLocked(NodeCell cell, int band) {
    ArrayDeque<NodeCell> deque = bands[band];
    deque.removeFirstOccurrence(cell);
    if (deque.isEmpty()) {
      nonEmpty &= ~(1 << band);
    }
  }

  /**
   * Runs {@code pushes} holding the lock (it is reentrant), so that a worker sees all of their
   * {@link #push}es at once: it cannot take the first cell before the others are queued. Keeps
   * single-worker runs deterministic when several cells become ready together. {@code pushes} must
   * be short and must not block.
   */
  void pushTogether(Runnable pushes) {
    lock.lock();
    try {
      pushes.run();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next cell to run, waiting up to {@code waitNanos} for one (0: don't wait; negative:
   * wait until woken). Counts the activation as running until {@link #activationDone}.
   *
   * @return the cell, or null on timeout, wake-up without work, or close
   */
  /**
   * Returns the wake-up generation: read it before checking for due ticks and pass it to {@link
   * #take}, so a {@link #wakeAll} in between is not slept through.
   */
  long wakeGeneration() {
    lock.lock();
    try {
      return wakeGeneration;
    } finally {
      lock.unlock();
    }
  }

  @SuppressWarnings(
      "WaitNotInLoop") // one wait, then back to the worker loop, which re-checks ticks
  @Nullable NodeCell take(long waitNanos, long seenGeneration) throws InterruptedException {
    lock.lock();
    try {
      NodeCell cell = pollLocked();
      if (cell == null && running == 0) {
        // Quiet now, and perhaps only since pollLocked skipped stale entries (left by lifts): say
        // so before sleeping, or awaitQuiet would wait until this worker is woken again.
        quiet.signalAll();
      }
      if (cell == null && waitNanos != 0 && !closed && wakeGeneration == seenGeneration) {
        waitingWorkers++;
        try {
          if (waitNanos < 0) {
            workAvailable.await();
          } else {
            workAvailable.awaitNanos(waitNanos);
          }
        } finally {
          waitingWorkers--;
        }
        cell = pollLocked();
      }
      if (cell != null) {
        running++;
      } else if (running == 0) {
        quiet.signalAll();
      }
      return cell;
    } finally {
      lock.unlock();
    }
  }

  private @Nullable NodeCell pollLocked() {
    while (nonEmpty != 0) {
      int band = selector.pick(nonEmpty);
      ArrayDeque<NodeCell> deque = bands[band];
      NodeCell cell = deque.pollFirst();
      if (cell != null
          && perturbation > 0
          && !deque.isEmpty()
          && random.nextDouble() < perturbation) {
        // Serve the second in line first; the first goes back to the front, so it is next.
        NodeCell second = deque.pollFirst();
        deque.addFirst(cell);
        cell = second;
      }
      if (deque.isEmpty()) {
        nonEmpty &= ~(1 << band);
      }
      if (cell != null && cell.inQueue && cell.queuedBand == band) {
        cell.inQueue = false;
        metrics.queueWaitSince(cell.queuedAt);
        return cell;
      }
      // unreachable while every entry is live (lifts unlink); kept as a guard of the invariant
    }
    return null;
  }

  /** Marks an activation returned by {@link #take} as finished. */
  void activationDone() {
    lock.lock();
    try {
      running--;
      if (running == 0 && nonEmpty == 0) {
        quiet.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting worker, e.g. after a virtual clock advanced or on close. */
  void wakeAll() {
    lock.lock();
    try {
      wakeGeneration++;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out work; waiting workers return. */
  void close() {
    lock.lock();
    try {
      closed = true;
      workAvailable.signalAll();
      quiet.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until no cell is queued and none is running, or the timeout elapses. */
  boolean awaitQuiet(long timeoutNanos) throws InterruptedException {
    long remaining = timeoutNanos;
    lock.lock();
    try {
      while (nonEmpty != 0 || running != 0) {
        if (remaining <= 0 || closed) {
          return nonEmpty == 0 && running == 0;
        }
        remaining = quiet.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Returns whether nothing is queued and nothing runs now. */
  boolean isQuiet() {
    lock.lock();
    try {
      return nonEmpty == 0 && running == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Returns the number of live entries per band. */
  EnumMap<Priority, Integer> depths() {
    EnumMap<Priority, Integer> depths = new EnumMap<>(Priority.class);
    lock.lock();
    try {
      for (Priority p : Priority.values()) {
        int live = 0;
        for (NodeCell cell : bands[p.ordinal()]) {
          if (cell.inQueue && cell.queuedBand == p.ordinal()) {
            live++;
          }
        }
        depths.put(p, live);
      }
    } finally {
      lock.unlock();
    }
    return depths;
  }
}
