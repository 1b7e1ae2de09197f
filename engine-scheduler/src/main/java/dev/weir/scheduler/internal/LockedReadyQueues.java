package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: two places hold ready cells.
 *
 * The shared deques (`deques`, by band) are guarded by `lock`, with the count of counted workers
 * (`running`), the waiting workers and the closed flag. Pushes from threads that are not a counted
 * worker of these queues (application threads, timers between activations, stop, pushTogether)
 * and every lift to a more urgent band go here, and wake one waiting worker.
 *
 * Each worker also owns a WorkerRing: a cell that the worker's own activation makes ready, at the
 * cell's own band, goes there without the lock and without waking anyone; the worker runs it next,
 * on the same core, where the messages it is about to read are still in cache. A second worker
 * used to take every such cell from the one locked queue, so a pipeline's stages ran alternately on
 * both cores and each message crossed between them at every edge: two workers ran a 4-stage
 * pipeline several times slower than one. A ring holds one band at a time (the band of the cells
 * in it), so band order among ring cells is never bent.
 *
 * Counting: a worker is "counted" (included in `running`) from the take that gives it a cell until
 * a take or activationDone finds both its current activation over and its ring empty; only the
 * worker itself changes its own `counted`, and always under the lock. Invariant: a non-empty ring
 * belongs to a counted worker, and an activation runs only on a counted worker. The owner appends
 * only while counted; it uncounts only after it saw its ring empty (only it appends, so the ring
 * stays empty); a thief counts itself, under the lock, before its CAS takes a cell out of another
 * ring. Hence quiet (shared deques empty and running == 0, read under the lock) means nothing is
 * queued anywhere and nothing runs, and no activation can begin before some worker takes the lock
 * again: the quiet-point contract of ReadyQueues holds as it did with one locked queue.
 *
 * Fairness: a worker takes from its ring only while the shared deques hold no other band (else it
 * first moves its ring into them, so the weighted selector orders all bands), and after
 * LOCAL_RUN_LIMIT ring activations in a row it takes one cell from the shared deques if they hold
 * any. A cell in the shared deques thus waits for at most LOCAL_RUN_LIMIT activations per worker
 * beyond its turn in the band order, and CONTROL still overtakes DATA. A cell re-queued by its own
 * activation (batchLimit reached, or PENDING set meanwhile) goes to the shared deques, never to the
 * ring, so it yields its worker as before.
 *
 * Stealing: a worker that finds no cell waits on `workAvailable`; while some worker is counted it
 * waits at most its steal interval (STEAL_MIN_NANOS, doubling to STEAL_MAX_NANOS while steals
 * fail), then takes the oldest cell of another ring if that ring's head has not moved meanwhile:
 * the owner has been busy with one activation all that time (a stage doing real work), so the cell
 * runs in parallel instead of waiting. A ring that keeps moving is left alone, so a light pipeline
 * stays on one core and the other worker sleeps. With nobody counted no ring holds a cell, and an
 * idle worker waits until a shared push or close wakes it.
 *
 * Happens-before: a cell's pushing activation's writes reach the next activation of that cell
 * through the lock (shared deques) or the ring's release/acquire pair (WorkerRing), and the CAS on
 * the cell's state (NodeCell) orders successive activations of one cell.
 *
 * Progress: the ring path is lock-free; the shared path blocks on a lock held for a few field
 * updates, never while user code runs.
 */

/**
 * {@link ReadyQueues} for any number of workers: shared deques under one lock, plus a ring per
 * worker for the cells its own activations make ready.
 *
 * <p>Thread-safety: thread-safe; {@link #take}, {@link #activationDone} and {@link #workerExiting}
 * are for worker threads.
 */
final class LockedReadyQueues extends ReadyQueues {

  /** Ring activations in a row before a worker serves the shared deques once. */
  static final int LOCAL_RUN_LIMIT = 32;

  /** The first wait of an idle worker before it looks for a stuck ring cell to steal. */
  static final long STEAL_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  /** The longest such wait, reached by doubling while steals find every ring moving. */
  static final long STEAL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /** One worker's private state; fields other than the ring are touched by that worker only. */
  static final class Worker {
    final WorkerRing ring = new WorkerRing();

    /** The queues this worker serves: a worker of one graph may push into another's (ingress). */
    final LockedReadyQueues queues;

    /** The band of the cells in the ring (meaningful while it is non-empty). */
    int ringBand;

    /** Ring takes in a row. */
    int localRuns;

    /** Whether this worker is included in {@code running}; written under the lock. */
    boolean counted;

    /** The cell of the activation this worker runs, or null between activations. */
    @Nullable NodeCell current;

    long stealWait = STEAL_MIN_NANOS;

    Worker(LockedReadyQueues queues) {
      this.queues = queues;
    }
  }

  /** The calling thread's worker state, if it is a worker of some multi-worker graph. */
  private static final ThreadLocal<@Nullable Worker> SELF = new ThreadLocal<>();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition quiet = lock.newCondition();
  private final BandDeques deques;

  /** Every worker that ever took, for stealing and depths; replaced (copy on write) under lock. */
  private volatile Worker[] workers = new Worker[0];

  /** deques.nonEmptyBands(), published under the lock for the workers' lock-free ring checks. */
  private volatile int sharedBands;

  private int running;
  private int waitingWorkers;
  private boolean closed;

  /** Whether the queues held work since the last quiet point, which is then the next one. */
  private boolean quietPointDue;

  LockedReadyQueues(BandDeques deques) {
    this.deques = deques;
  }

  // ------------------------------------------------------------------ pushes

  @Override
  void push(NodeCell cell, int band) {
    Worker w = SELF.get();
    if (w != null
        && w.queues == this
        && w.counted
        && band == cell.band
        && cell != w.current
        && !lock.isHeldByCurrentThread()) {
      WorkerRing ring = w.ring;
      boolean empty = ring.isEmpty();
      if ((empty || w.ringBand == band) && ring.offer(cell)) {
        w.ringBand = band;
        return;
      }
    }
    pushShared(cell, band);
  }

  private void pushShared(NodeCell cell, int band) {
    lock.lock();
    try {
      deques.add(cell, band);
      sharedBands = deques.nonEmptyBands();
      quietPointDue = true;
      if (waitingWorkers > 0) {
        workAvailable.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void pushTogether(Runnable pushes) {
    lock.lock(); // reentrant: the pushes take it again, and go to the shared deques
    try {
      pushes.run();
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------ the workers' side

  private Worker worker() {
    Worker w = SELF.get();
    if (w == null || w.queues != this) {
      w = new Worker(this);
      SELF.set(w);
      lock.lock();
      try {
        Worker[] old = workers;
        Worker[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = w;
        workers = grown;
      } finally {
        lock.unlock();
      }
    }
    return w;
  }

  @Override
  @Nullable NodeCell take(long waitNanos) throws InterruptedException {
    Worker w = worker();
    NodeCell cell = takeFromRing(w);
    if (cell == null) {
      cell = takeShared(w, waitNanos);
    }
    w.current = cell;
    return cell;
  }

  /** The worker's own ring, unless fairness sends it to the shared deques (see above). */
  private @Nullable NodeCell takeFromRing(Worker w) {
    WorkerRing ring = w.ring;
    if (ring.isEmpty()) {
      w.localRuns = 0;
      return null;
    }
    int shared = sharedBands;
    if ((shared & ~(1 << w.ringBand)) != 0) {
      spillRing(w); // other bands wait: the selector orders everything
      return null;
    }
    if (shared != 0 && ++w.localRuns > LOCAL_RUN_LIMIT) {
      w.localRuns = 0;
      return null; // one from the shared deques; takeShared falls back to the ring
    }
    return ring.poll();
  }

  /** Moves the worker's ring cells into the shared deques, oldest first. */
  private void spillRing(Worker w) {
    lock.lock();
    try {
      NodeCell cell;
      while ((cell = w.ring.poll()) != null) {
        deques.add(cell, cell.band);
      }
      sharedBands = deques.nonEmptyBands();
    } finally {
      lock.unlock();
    }
    w.localRuns = 0;
  }

  @SuppressWarnings(
      "WaitNotInLoop") // one wait, then back to the worker loop, which re-checks ticks
  private @Nullable NodeCell takeShared(Worker w, long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      NodeCell cell = pollShared();
      if (cell == null) {
        cell = w.ring.poll(); // after LOCAL_RUN_LIMIT, or a ring that a thief just emptied
      }
      if (cell != null) {
        count(w);
        return cell;
      }
      uncount(w); // its activation is over and its ring empty
      if (running == 0) {
        wentQuiet(); // say so before sleeping, or awaitQuiet would wait until this worker wakes
      }
      if (waitNanos == 0 || closed) {
        return null;
      }
      Worker[] all = workers;
      long[] tickets = null;
      long wait = waitNanos;
      if (running > 0) {
        // Some worker is counted, so a ring may hold a cell now or soon: look again after a while.
        tickets = new long[all.length];
        for (int i = 0; i < all.length; i++) {
          tickets[i] = all[i] == w || all[i].ring.isEmpty() ? -1 : all[i].ring.head();
        }
        wait = wait < 0 ? w.stealWait : Math.min(wait, w.stealWait);
      }
      waitingWorkers++;
      try {
        if (wait < 0) {
          workAvailable.await();
        } else {
          workAvailable.awaitNanos(wait);
        }
      } finally {
        waitingWorkers--;
      }
      cell = pollShared();
      if (cell == null && tickets != null && !closed) {
        cell = steal(w, all, tickets);
      }
      if (cell != null) {
        count(w);
        w.stealWait = STEAL_MIN_NANOS;
      } else if (running == 0) {
        wentQuiet();
      }
      return cell;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Under the lock, uncounted: takes the oldest cell of a ring whose head has not moved since the
   * ticket was read. Counts this worker first: a ring cell is always covered by a counted worker.
   */
  private @Nullable NodeCell steal(Worker w, Worker[] all, long[] tickets) {
    count(w);
    for (int i = 0; i < all.length; i++) {
      if (tickets[i] >= 0) {
        NodeCell cell = all[i].ring.pollIfHead(tickets[i]);
        if (cell != null) {
          return cell;
        }
      }
    }
    uncount(w);
    w.stealWait = Math.min(STEAL_MAX_NANOS, w.stealWait * 2);
    return null;
  }

  private @Nullable NodeCell pollShared() {
    NodeCell cell = deques.poll();
    if (cell != null) {
      sharedBands = deques.nonEmptyBands();
    }
    return cell;
  }

  /** Under the lock. */
  private void count(Worker w) {
    if (!w.counted) {
      w.counted = true;
      running++;
      quietPointDue = true;
    }
  }

  /** Under the lock. */
  private void uncount(Worker w) {
    if (w.counted) {
      w.counted = false;
      running--;
    }
  }

  @Override
  void activationDone() {
    Worker w = worker();
    w.current = null;
    if (!w.ring.isEmpty()) {
      return; // still counted: its next take runs the ring (or a thief takes it, counted)
    }
    lock.lock();
    try {
      uncount(w);
      if (running == 0 && deques.isEmpty()) {
        wentQuiet();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  void workerExiting() {
    Worker w = SELF.get();
    if (w == null || w.queues != this) {
      return;
    }
    SELF.remove();
    lock.lock();
    try {
      // A worker ending early (a fatal error) leaves its ring to the others.
      NodeCell cell;
      while ((cell = w.ring.poll()) != null) {
        deques.add(cell, cell.band);
      }
      sharedBands = deques.nonEmptyBands();
      uncount(w);
      if (!deques.isEmpty() && waitingWorkers > 0) {
        workAvailable.signalAll();
      } else if (running == 0 && deques.isEmpty()) {
        wentQuiet();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock, nothing queued or running: a quiet point if there was work since the last. */
  private void wentQuiet() {
    if (quietPointDue) {
      quietPointDue = false;
      quietPointObserver.run(); // under the lock: no worker can take a cell until it returns
    }
    quiet.signalAll();
  }

  // ------------------------------------------------------------------ any thread

  /** {@inheritDoc} Always: every push that can end a quiet instant takes the lock it holds. */
  @Override
  boolean stillQuiet() {
    return true;
  }

  @Override
  boolean probeWhileQuiet(BooleanSupplier probe) {
    lock.lock();
    try {
      return deques.isEmpty() && running == 0 && probe.getAsBoolean();
    } finally {
      lock.unlock();
    }
  }

  @Override
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

  @Override
  boolean awaitQuiet(long timeoutNanos) throws InterruptedException {
    long remaining = timeoutNanos;
    lock.lock();
    try {
      while (!deques.isEmpty() || running != 0) {
        if (remaining <= 0 || closed) {
          return deques.isEmpty() && running == 0;
        }
        remaining = quiet.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  boolean isQuiet() {
    lock.lock();
    try {
      return deques.isEmpty() && running == 0;
    } finally {
      lock.unlock();
    }
  }

  /** {@inheritDoc} Counts the shared deques and every worker's ring (approximate while busy). */
  @Override
  EnumMap<Priority, Integer> depths() {
    int[] counts = new int[WeightedBandSelector.BANDS];
    lock.lock();
    try {
      for (int band = 0; band < counts.length; band++) {
        counts[band] = deques.depth(band);
      }
    } finally {
      lock.unlock();
    }
    for (Worker w : workers) {
      w.ring.countBands(counts);
    }
    EnumMap<Priority, Integer> depths = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      depths.put(p, counts[p.ordinal()]);
    }
    return depths;
  }
}
