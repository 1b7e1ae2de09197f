package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency. The worker owns `deques` (and each cell's queue membership): only it reads or
 * writes them, with plain accesses. Every other thread (application threads offering to ingress,
 * a caller advancing a virtual clock or stopping the graph, Flow subscribers requesting) hands its
 * push to the worker through `inbox`, a lock-free queue the worker drains at the start of each
 * take. A push from another thread inside pushTogether is collected and enqueued as one batch, so
 * the worker sees the batch whole.
 *
 * `phase` tells other threads whether the worker may hold work. Only the worker writes it, always
 * with a volatile store: odd = busy (it may have queued cells or be running one), even = idle (its
 * deques were empty and no activation was running when it wrote the value, and they stay so until
 * it writes the next, odd, value). Invariant: deques non-empty or an activation running implies
 * phase odd. The worker turns phase odd before it moves anything from the inbox into its deques
 * or queues a cell itself, and turns it even when it finds its deques empty (the inbox may have
 * filled again by then: isQuiet checks it too, and the worker checks it before parking).
 *
 * Order: another thread's push enters the deques at the worker's next take, behind what the
 * worker pushed itself during the current activation, even if it was made earlier: within a band
 * the queues are FIFO in the order the worker takes pushes in. Nothing waits longer than one
 * activation for that.
 *
 * Quiet (nothing queued, nothing running) = phase even and inbox empty, read as a seqlock: phase,
 * then inbox, then phase again, unchanged. If the worker drained an item between the two phase
 * reads, it wrote an odd phase before draining, so the second read sees the change.
 *
 * Wake-up (Dekker): an idle worker sets `parked` and checks the inbox once more before it parks;
 * a pusher enqueues and then reads `parked`, and the one pusher that clears it unparks the worker
 * (so a burst of pushes to an idle worker costs one unpark, not one each). Both pairs are volatile
 * accesses (the enqueue is a CAS), which are totally ordered: either the worker sees the item, or
 * a pusher sees `parked` and unparks it (an unpark before the park leaves a permit, so the park
 * returns at once). The worker clears `parked` itself when the park returns, so later pushes do
 * not unpark a running worker; an opaque store is enough for that, since a pusher that reads the
 * cleared value reads it before the worker's next announcement (one variable's writes keep
 * program order), so that announcement's inbox check sees the push. The volatile order of the
 * enqueue relies on ConcurrentLinkedQueue linking a node with a CAS and reading its head and next
 * fields as volatiles in isEmpty (JDK 17's implementation; its documented contract is only
 * happens-before per element).
 * awaitQuiet uses the same pattern with `quietWaiters`: a waiter registers, then checks quiet
 * under `quietLock`; the worker writes an even phase, then signals under `quietLock` if anyone
 * registered.
 *
 * Happens-before: an external pusher's writes before its enqueue are visible to the worker after
 * it dequeues (ConcurrentLinkedQueue's guarantee). The worker's writes before an even phase store
 * are visible to any thread that reads that phase value, e.g. a caller of awaitQuiet reading the
 * trace hash after the graph went quiet.
 *
 * Progress: the worker's take, push and activationDone are wait-free apart from draining what
 * others pushed; external pushes are lock-free (one CAS, plus an unpark if the worker parks).
 * The only lock, quietLock, is taken by the worker only when someone waits for quiet.
 */

/**
 * {@link ReadyQueues} for exactly one worker, which takes cells and queues its own pushes with no
 * lock and no atomic read-modify-write: the single-worker event loop's hot path.
 *
 * <p>Thread-safety: thread-safe; {@link #take}, {@link #activationDone} and {@link #workerExiting}
 * are for the bound worker only.
 */
final class OwnedReadyQueues extends ReadyQueues {

  private static final VarHandle PHASE;
  private static final VarHandle PARKED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PHASE = lookup.findVarHandle(OwnedReadyQueues.class, "phase", int.class);
      PARKED = lookup.findVarHandle(OwnedReadyQueues.class, "parked", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * One push handed to the worker by another thread; queuedAt feeds the queue-wait metric.
   * Package-private for the jcstress tests, as are {@link #hand} and {@link #announcePark}.
   */
  static final class Push {
    final NodeCell cell;
    final int band;
    final long queuedAt;

    Push(NodeCell cell, int band, long queuedAt) {
      this.cell = cell;
      this.band = band;
      this.queuedAt = queuedAt;
    }
  }

  private final BandDeques deques;
  private final RuntimeMetrics metrics;
  private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicIntegerArray publishedDepths =
      new AtomicIntegerArray(WeightedBandSelector.BANDS);
  private final ReentrantLock quietLock = new ReentrantLock();
  private final Condition quiet = quietLock.newCondition();
  private final ReentrantLock batchLock = new ReentrantLock();
  private final AtomicInteger quietWaiters = new AtomicInteger();

  /** Guarded by batchLock: the pushes of the outermost pushTogether of a non-worker thread. */
  private @Nullable List<Push> batch;

  private volatile @Nullable Thread worker;
  private volatile boolean closed;

  @SuppressWarnings("unused") // accessed through PHASE; written by the worker only
  private volatile int phase;

  /**
   * Set by the worker before its last look at the inbox ahead of a park; cleared by the one pusher
   * that unparks it (or by the worker when it wakes).
   */
  @SuppressWarnings("unused") // accessed through PARKED
  private volatile boolean parked;

  OwnedReadyQueues(BandDeques deques, RuntimeMetrics metrics) {
    this.deques = deques;
    this.metrics = metrics;
  }

  @Override
  void bindWorker(Thread worker) {
    this.worker = worker;
  }

  // ------------------------------------------------------------------ pushes

  @Override
  void push(NodeCell cell, int band) {
    if (Thread.currentThread() == worker) {
      markBusy();
      published(band, deques.add(cell, band));
    } else if (batchLock.isHeldByCurrentThread()) {
      requireBatch().add(new Push(cell, band, metrics.now()));
    } else {
      hand(new Push(cell, band, metrics.now()));
    }
  }

  @Override
  void pushTogether(Runnable pushes) {
    if (Thread.currentThread() == worker) {
      pushes.run(); // the worker's own pushes are whole before it takes again
      return;
    }
    batchLock.lock();
    try {
      boolean outermost = batchLock.getHoldCount() == 1;
      if (outermost) {
        batch = new ArrayList<>();
      }
      try {
        pushes.run();
      } finally {
        // Even if the pushes threw part-way: their cells are SCHEDULED already, and no later
        // signal would push them again, so what was collected must reach the worker.
        if (outermost) {
          List<Push> collected = requireBatch();
          batch = null;
          if (!collected.isEmpty()) {
            hand(collected.toArray(new Push[0]));
          }
        }
      }
    } finally {
      batchLock.unlock();
    }
  }

  private List<Push> requireBatch() {
    List<Push> b = batch;
    if (b == null) {
      throw new IllegalStateException("internal: push batch missing");
    }
    return b;
  }

  /**
   * Another thread's push (one or a batch): enqueue, then wake the worker if it is parking. Only
   * the pusher that clears {@code parked} unparks, so a burst of pushes costs one system call.
   * Returns whether this call claimed the wake-up (and unparked the worker, if one is bound).
   * {@code item} is a {@link Push} or a {@code Push[]}.
   *
   * <p>The one claimant is then the only waker: if it is descheduled between its claim and its
   * unpark, the worker sleeps until it runs again, as a cell whose signal claimed it waits for that
   * thread's push (NodeCell.signal). Pushers that come later add their items to the inbox and see
   * them taken on the same wake-up.
   */
  boolean hand(Object item) {
    inbox.offer(item);
    if ((boolean) PARKED.getVolatile(this) && (boolean) PARKED.getAndSet(this, false)) {
      unparkWorker();
      return true;
    }
    return false;
  }

  /** Worker: publishes the depths a push changed: its band, and the band it left (or -1). */
  private void published(int band, int left) {
    publishedDepths.lazySet(band, deques.depth(band));
    if (left >= 0) {
      publishedDepths.lazySet(left, deques.depth(left));
    }
  }

  /** Worker: moves everything other threads pushed into the deques, in the order they pushed. */
  private void drainInbox() {
    Object item = inbox.peek();
    if (item == null) {
      return;
    }
    markBusy(); // before the first item leaves the inbox: see the seqlock in isQuiet
    while ((item = inbox.poll()) != null) {
      if (item instanceof Push p) {
        published(p.band, deques.add(p.cell, p.band, p.queuedAt));
      } else {
        for (Push p : (Push[]) item) {
          published(p.band, deques.add(p.cell, p.band, p.queuedAt));
        }
      }
    }
  }

  private void markBusy() {
    int p = (int) PHASE.getOpaque(this); // the worker reads its own writes
    if ((p & 1) == 0) {
      PHASE.setVolatile(this, p + 1);
    }
  }

  private void markIdle() {
    int p = (int) PHASE.getOpaque(this);
    if ((p & 1) != 0) {
      PHASE.setVolatile(this, p + 1);
      if (inbox.isEmpty()) {
        // A quiet point: this worker runs no activation until the observer returns. With pushes in
        // the inbox (a fired tick, an ingress signal) it is not one; the next idle phase may be.
        quietPointObserver.run();
      }
    }
    if (quietWaiters.get() > 0) {
      signalQuiet();
    }
  }

  private void signalQuiet() {
    quietLock.lock();
    try {
      quiet.signalAll();
    } finally {
      quietLock.unlock();
    }
  }

  private void unparkWorker() {
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  // ------------------------------------------------------------------ the worker's side

  @Override
  @Nullable NodeCell take(long waitNanos) throws InterruptedException {
    drainInbox();
    NodeCell cell = deques.poll();
    long deadline = waitNanos > 0 ? System.nanoTime() + waitNanos : 0;
    while (cell == null) {
      markIdle();
      if (waitNanos == 0 || !inbox.isEmpty() || closed) {
        drainInbox();
        return taken(deques.poll());
      }
      long remaining = waitNanos < 0 ? Long.MAX_VALUE : deadline - System.nanoTime();
      if (remaining <= 0) {
        return null;
      }
      // Nothing that can park (and so use up an unpark's permit) may run between this check and
      // the park below, or a push handed over meanwhile could be slept through.
      if (announcePark()) {
        if (waitNanos < 0) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, remaining);
        }
      }
      PARKED.setOpaque(this, false); // woken, timed out or changed its mind: no pusher need unpark
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      // Woken by a push, by close, by the timeout, or for no reason at all (a permit left over
      // from an unpark whose push this worker had already taken, or a spurious return): look
      // again, and wait out the rest of the time if there is still nothing.
      drainInbox();
      cell = deques.poll();
    }
    return taken(cell);
  }

  /**
   * Worker, about to park: announces it, then checks the inbox once more. Returns true if it may
   * park: then any push handed over from now on unparks it. Dekker with hand(): this volatile store
   * of {@code parked}, then the inbox read; a pusher's enqueue (a CAS), then its volatile read of
   * {@code parked}. Either this read sees the push or the pusher sees {@code parked}.
   */
  boolean announcePark() {
    PARKED.setVolatile(this, true);
    return inbox.isEmpty() && !closed;
  }

  /** Worker: publishes the depth of the band a cell was just taken from. */
  private @Nullable NodeCell taken(@Nullable NodeCell cell) {
    if (cell != null) {
      int band = deques.lastBand();
      publishedDepths.lazySet(band, deques.depth(band));
    }
    return cell;
  }

  @Override
  void activationDone() {
    // Nothing to count: the phase stays busy until the next take finds no work.
  }

  @Override
  void workerExiting() {
    if (deques.isEmpty()) {
      markIdle(); // or isQuiet would stay false for good after the worker loop ends
    }
  }

  // ------------------------------------------------------------------ any thread

  @Override
  void close() {
    closed = true;
    unparkWorker();
    signalQuiet();
  }

  @Override
  boolean awaitQuiet(long timeoutNanos) throws InterruptedException {
    if (isQuiet()) {
      return true;
    }
    long remaining = timeoutNanos;
    quietLock.lock();
    try {
      quietWaiters.incrementAndGet(); // before the isQuiet reads: see the Dekker note above
      try {
        while (!isQuiet()) {
          if (remaining <= 0 || closed) {
            return isQuiet();
          }
          remaining = quiet.awaitNanos(remaining);
        }
        return true;
      } finally {
        quietWaiters.decrementAndGet();
      }
    } finally {
      quietLock.unlock();
    }
  }

  @Override
  boolean isQuiet() {
    int before = (int) PHASE.getVolatile(this);
    if ((before & 1) != 0) {
      return false;
    }
    boolean empty = inbox.isEmpty();
    return empty && (int) PHASE.getVolatile(this) == before;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The seqlock of {@link #isQuiet} around the probe: an even phase that is unchanged after it
   * means the worker took nothing meanwhile, so no activation ran.
   */
  /** {@inheritDoc} Other threads hand pushes to the inbox; the worker has not taken them in. */
  @Override
  boolean stillQuiet() {
    return inbox.isEmpty();
  }

  @Override
  boolean probeWhileQuiet(BooleanSupplier probe) {
    int before = (int) PHASE.getVolatile(this);
    if ((before & 1) != 0 || !inbox.isEmpty()) {
      return false;
    }
    boolean held = probe.getAsBoolean();
    return held && (int) PHASE.getVolatile(this) == before;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counts the cells the worker has queued, plus pushes other threads handed it that it has not
   * taken in yet (approximate while such pushes are in flight: one may lift a cell already
   * counted).
   */
  @Override
  EnumMap<Priority, Integer> depths() {
    int[] counts = new int[WeightedBandSelector.BANDS];
    for (int band = 0; band < counts.length; band++) {
      counts[band] = publishedDepths.get(band);
    }
    for (Object item : inbox) {
      if (item instanceof Push p) {
        counts[p.band]++;
      } else {
        for (Push p : (Push[]) item) {
          counts[p.band]++;
        }
      }
    }
    EnumMap<Priority, Integer> depths = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      depths.put(p, counts[p.ordinal()]);
    }
    return depths;
  }
}
