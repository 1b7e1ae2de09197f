package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.EnumMap;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler's ready queues: one FIFO deque per {@link Priority} band ({@link BandDeques}),
 * served by weight, from which workers take the next cell to run, and where idle workers wait.
 *
 * <p>Two implementations share this contract. {@link LockedReadyQueues} serves any number of
 * workers under one lock. {@link OwnedReadyQueues} serves exactly one worker, which owns the deques
 * and touches them without a lock or an atomic instruction; other threads hand it their pushes
 * through a lock-free inbox. {@link #create} picks by worker count.
 *
 * <p>Thread-safety: thread-safe, with the worker-only methods documented as such.
 */
abstract class ReadyQueues {

  /** Returns the queues for {@code workers} workers. */
  static ReadyQueues create(
      int workers,
      EnumMap<Priority, Integer> weights,
      long seed,
      double perturbation,
      RuntimeMetrics metrics) {
    BandDeques deques = new BandDeques(weights, seed, perturbation, metrics);
    return workers == 1 ? new OwnedReadyQueues(deques, metrics) : new LockedReadyQueues(deques);
  }

  /**
   * Names the one worker thread that calls {@link #take}; called by that thread before its first
   * take. The locked queues ignore it.
   */
  void bindWorker(Thread worker) {}

  /** Queues a cell at a band, or lifts it there if it is queued at a less urgent band. */
  abstract void push(NodeCell cell, int band);

  /**
   * Runs {@code pushes} so that a worker sees all of their {@link #push}es at once: it cannot take
   * the first cell before the others are queued. Keeps single-worker runs deterministic when
   * several cells become ready together. {@code pushes} must be short and must not block.
   */
  abstract void pushTogether(Runnable pushes);

  /**
   * Worker: takes the next cell to run, waiting up to {@code waitNanos} for one (0: don't wait;
   * negative: wait until woken). The activation counts as running until {@link #activationDone}
   * (locked queues) or until the worker's next take finds no work (owned queues).
   *
   * @return the cell, or null on timeout or close (the locked queues also on a spurious wake-up:
   *     their worker loop looks at its timers and takes again)
   */
  abstract @Nullable NodeCell take(long waitNanos) throws InterruptedException;

  /** Worker: marks an activation returned by {@link #take} as finished. */
  abstract void activationDone();

  /** Worker: the worker loop ends (stop, or an error it could not survive). */
  void workerExiting() {}

  /** Stops handing out work; waiting workers and {@link #awaitQuiet} return. */
  abstract void close();

  /** Waits until no cell is queued and none is running, or the timeout elapses, or close. */
  abstract boolean awaitQuiet(long timeoutNanos) throws InterruptedException;

  /** Returns whether nothing is queued and nothing runs now. */
  abstract boolean isQuiet();

  /**
   * What runs at each quiet point: the instant the queues go quiet (nothing queued, nothing
   * running, nothing handed over and not yet taken), on the thread that made them quiet, before any
   * activation can begin. It must be short, must not push and must not wait for a worker.
   */
  Runnable quietPointObserver = () -> {};

  /** Sets the {@link #quietPointObserver}; before the workers start (their start publishes it). */
  void observeQuietPoints(Runnable observer) {
    this.quietPointObserver = observer;
  }

  /**
   * For the quiet-point observer, on the thread at the quiet point: whether no push has arrived
   * since it began. A push may be handed over without the lock the quiet point holds (the single
   * worker's inbox); such a push means work is queued although the queues went quiet.
   */
  abstract boolean stillQuiet();

  /**
   * Runs {@code probe} if the queues are quiet now, in such a way that no activation began or ran
   * while it ran; returns true only if they were quiet and the probe returned true.
   */
  abstract boolean probeWhileQuiet(BooleanSupplier probe);

  /** Returns the number of queued cells per band. */
  abstract EnumMap<Priority, Integer> depths();
}
