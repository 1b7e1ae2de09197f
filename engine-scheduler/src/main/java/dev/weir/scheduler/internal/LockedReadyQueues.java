package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.EnumMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: one lock guards the deques (and each cell's queue membership), the count of running
 * activations and the closed flag. Pushes come from workers (end of an
 * activation, signals to downstream cells), from application threads (ingress) and from timers;
 * takes come from workers. Idle workers wait on `workAvailable`.
 *
 * Happens-before: everything an activation wrote before its cell is pushed (under the lock) is
 * visible to the worker that takes the cell (under the lock) and runs the next activation.
 *
 * Progress: blocking (a lock), held for a few field updates; never while user code runs.
 */

/**
 * {@link ReadyQueues} for any number of workers, under one lock.
 *
 * <p>Thread-safety: thread-safe.
 */
final class LockedReadyQueues extends ReadyQueues {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition quiet = lock.newCondition();
  private final BandDeques deques;
  private int running;
  private int waitingWorkers;
  private boolean closed;

  /** Whether the queues held work since the last quiet point, which is then the next one. */
  private boolean quietPointDue;

  LockedReadyQueues(BandDeques deques) {
    this.deques = deques;
  }

  @Override
  void push(NodeCell cell, int band) {
    lock.lock();
    try {
      deques.add(cell, band);
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
    lock.lock(); // reentrant: the pushes take it again
    try {
      pushes.run();
    } finally {
      lock.unlock();
    }
  }

  @Override
  @SuppressWarnings(
      "WaitNotInLoop") // one wait, then back to the worker loop, which re-checks ticks
  @Nullable NodeCell take(long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      NodeCell cell = deques.poll();
      if (cell == null && running == 0) {
        // Quiet now: say so before sleeping, or awaitQuiet would wait until this worker wakes.
        wentQuiet();
      }
      if (cell == null && waitNanos != 0 && !closed) {
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
        cell = deques.poll();
      }
      if (cell != null) {
        running++;
      } else if (running == 0) {
        wentQuiet();
      }
      return cell;
    } finally {
      lock.unlock();
    }
  }

  @Override
  void activationDone() {
    lock.lock();
    try {
      running--;
      if (running == 0 && deques.isEmpty()) {
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

  /** {@inheritDoc} Always: every push takes the lock the quiet point's observer holds. */
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

  @Override
  EnumMap<Priority, Integer> depths() {
    EnumMap<Priority, Integer> depths = new EnumMap<>(Priority.class);
    lock.lock();
    try {
      for (Priority p : Priority.values()) {
        depths.put(p, deques.depth(p.ordinal()));
      }
    } finally {
      lock.unlock();
    }
    return depths;
  }
}
