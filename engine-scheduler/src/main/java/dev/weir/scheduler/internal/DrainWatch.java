package dev.weir.scheduler.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/*
 * What "drained" means: at one instant, every edge is empty (both lanes), no cell is queued or
 * running, and no cell is blocked (a blocked cell is exactly one with a parked outbox).
 *
 * Where it is observed: at a quiet point of the ReadyQueues, the instant they go quiet (nothing
 * queued, nothing running), on the thread that made them quiet (the one worker, or a worker under
 * the locked queues' lock), before any activation can begin. Until one begins, nothing can take a
 * message out of an edge (only activations poll; stopByPolicy discards inside an activation) and no
 * cell's outbox or blocked state can change (activation-owned). Ingress threads may still offer:
 * edges can only gain messages. So when isDrained() reads every edge empty one after another, each
 * was empty at the quiet point too, and the blocked flags it reads are those of the quiet point:
 * the whole condition held at that one instant. A waiter that finds the queues quiet itself checks
 * the same way (ReadyQueues.probeWhileQuiet: the single-worker phase, unchanged across the check,
 * proves no activation ran meanwhile; the locked queues hold their lock).
 *
 * Ticks: a tick that fired pushed its cell, so it keeps the queues busy until it has run; a tick
 * that falls due after the quiet point is not part of it.
 *
 * Pushes that leave no message on an edge (a fired tick, a wake-up handed to the single worker's
 * inbox) are visible to the scan only as queued work. The single worker checks its inbox when it
 * goes quiet, but a waiter can push (a VirtualClock advance firing a tick) and take its ticket after
 * that check and before the observer reads the tickets. So the observer asks the queues once more,
 * after reading the tickets, whether they are still quiet (ReadyQueues.stillQuiet): the push
 * precedes the waiter's ticket increment, which precedes the observer's read of it, so a quiet point
 * that read the ticket sees the push and serves nothing; the worker takes the pushed cell and a
 * later quiet point answers.
 *
 * Who is served: a waiter registers (`waiters`), then takes a ticket (`tickets`, increasing), then
 * looks itself (probeWhileQuiet); failing that it waits until `drainedUpTo` reaches its ticket. At a
 * quiet point with waiters, the observer reads `tickets` first and, if it then finds the graph
 * drained, raises `drainedUpTo` to what it read. Reading a ticket happens-after the waiter's
 * increment, which follows everything the waiter did before it called (its offers, an advance), so
 * a drained quiet point that serves a ticket lies after the waiter's call began and saw its work:
 * a quiet point that predates the call can never serve it. A quiet point the observer missed (it
 * read `waiters` or `tickets` before the waiter's increments: all accesses here are volatile or
 * atomic, so totally ordered) was written before those increments, so the waiter's own look
 * afterwards finds the queues still quiet at it, or they went busy since and will reach a later
 * quiet point, whose observer reads the ticket.
 *
 * Cost: nothing on the hot path. A quiet point costs one volatile read when nobody waits; with
 * waiters, a scan of the edges and cells per quiet point.
 */

/**
 * Not API: the "drained" condition behind {@link GraphRuntime#awaitDrained}, observed at the ready
 * queues' quiet points.
 *
 * <p>Thread-safety: thread-safe. {@link #atQuietPoint} is for the ready queues' quiet-point
 * observer; {@link #await} for any application thread.
 */
final class DrainWatch {

  private final EdgeLink[] links;
  private final NodeCell[] cells;
  private final AtomicInteger waiters = new AtomicInteger();
  private final AtomicLong tickets = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition drained = lock.newCondition();

  /** Guarded by {@code lock}: the highest ticket served by a drained quiet point. */
  private long drainedUpTo;

  DrainWatch(EdgeLink[] links, NodeCell[] cells) {
    this.links = links;
    this.cells = cells;
  }

  /**
   * The ready queues' quiet-point observer: called on the thread that made them quiet, before any
   * activation can begin (see the design note). Short and non-blocking but for a brief lock when it
   * serves waiters.
   */
  void atQuietPoint(BooleanSupplier stillQuiet) {
    if (waiters.get() == 0) {
      return;
    }
    long seen = tickets.get(); // before the scan: serves only tickets taken before it looked
    // After reading the tickets: a push made before a ticket it read is seen here (design block).
    if (isDrained() && stillQuiet.getAsBoolean()) {
      lock.lock();
      try {
        if (seen > drainedUpTo) {
          drainedUpTo = seen;
          drained.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Whether every edge is empty and no cell is blocked. Consistent only at a quiet point (or once
   * the graph stopped); elsewhere a snapshot of moving parts.
   */
  boolean isDrained() {
    for (EdgeLink link : links) {
      if (!link.edge.isEmpty()) {
        return false;
      }
    }
    for (NodeCell cell : cells) {
      if (cell.blockedOnView() != null) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until a quiet point after this call finds the graph drained, or the timeout elapses, or
   * {@code stopped} says the graph has stopped (then answers {@link #isDrained()}: no quiet point
   * comes after a stop). {@code timeoutNanos} is never negative.
   */
  boolean await(ReadyQueues queues, long timeoutNanos, BooleanSupplier stopped)
      throws InterruptedException {
    long started = System.nanoTime();
    long ticket = register();
    try {
      if (queues.probeWhileQuiet(this::isDrained)) {
        return true;
      }
      lock.lock();
      try {
        while (drainedUpTo < ticket) {
          if (stopped.getAsBoolean()) {
            return isDrained();
          }
          long remaining = timeoutNanos - (System.nanoTime() - started); // no overflow
          if (remaining <= 0) {
            return false;
          }
          drained.awaitNanos(remaining);
        }
        return true;
      } finally {
        lock.unlock();
      }
    } finally {
      unregister();
    }
  }

  /**
   * A waiter's first step: registers it (quiet points scan from now on) and returns its ticket.
   * Everything the caller did before is visible to a quiet point that reads this ticket. The waiter
   * must {@link #unregister} when it stops waiting. Package-private for DrainWatchStress.
   */
  long register() {
    waiters.incrementAndGet();
    return tickets.incrementAndGet();
  }

  /** Whether a drained quiet point has served {@code ticket}; for DrainWatchStress. */
  boolean isServed(long ticket) {
    lock.lock();
    try {
      return drainedUpTo >= ticket;
    } finally {
      lock.unlock();
    }
  }

  /** Ends a waiter's registration. */
  void unregister() {
    waiters.decrementAndGet();
  }

  /** Wakes every waiter so it looks again; the runtime calls it once a stop is done. */
  void wakeAll() {
    lock.lock();
    try {
      drained.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
