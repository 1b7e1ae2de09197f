package dev.weir.scheduler.internal;

import dev.weir.core.OfferResult;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.flow.GraphSubscriber;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Concurrency. Three kinds of threads call in: the publisher (onSubscribe, onNext, onError,
 * onComplete: serially, by rule 1.3), the ingress consumer's worker (the room listener, when the
 * node made room after armRoomWait) and the thread stopping the graph (the listener again, when the
 * ingress closes). Each only records what happened (queue an item, set a flag) and then calls
 * drain(). drain() is a queue-drain loop serialized by `wip` (whoever moves it from 0 runs the
 * loop; the others only count a missed round), so every offer to the ingress and every call on the
 * upstream Subscription is made by one thread at a time (rule 2.7), and request() is made inside
 * the loop: a publisher that emits synchronously inside request() re-enters onNext, which queues
 * and returns, so the stack stays flat (rule 3.3).
 *
 * Demand. Two counters, each with one kind of writer:
 * - `credit` (owned by the drain loop, a plain field): items requested and not yet handed to the
 *   ingress, whether still unarrived or waiting in `queue`. The loop adds n just before
 *   request(n) and subtracts one per item it hands over (forwarded or refused by the ingress).
 *   onNext never touches it, so the loop's own reads of it are exact: no window in which an
 *   arriving item is counted nowhere.
 * - `unarrived` (atomic): requested and not yet arrived. The loop adds n before request(n);
 *   onNext takes one with a decrement that never goes below zero (takeDemand). An item that finds
 *   it at zero was sent beyond the demand (rule 1.1).
 * The loop reads the edge's room once per decision and requests n = room - credit, only when that
 * reaches `replenish` (half the capacity, at least 1): every request(n) has n >= 1 (rule 3.9).
 *
 * Invariants. (I1) unarrived <= credit <= capacity at every point: credit grows only by an n with
 * credit + n <= room <= capacity, and an item leaves unarrived (onNext) before it leaves credit
 * (the loop hands it over after it was queued). (I2) With this subscriber the ingress's only
 * producer, depth + credit <= capacity: the room read is exact or an underestimate (the ring
 * answers remainingCapacity so from any thread) and depth grows only by items that leave credit
 * as they enter; so offers never block and nothing waits here. With other producers sharing the
 * ingress (the docs allow it) they may take that room: the subscriber's items then wait in
 * `queue`, at most credit <= capacity of them, until the consumer makes room. (I3) `queue` holds
 * only items received within the demand: once one item was excess, every later one is excess
 * too (`overflowed` is set by onNext and read by later onNext calls, which rule 1.3 orders), so
 * the publisher's flood never grows the queue.
 *
 * Happens-before. The loop's plain fields (credit, cancelled, finished, listening) are written
 * by one drainer at a time: a drainer's writes precede its final wip.addAndGet to 0, which
 * precedes the next drainer's wip.getAndIncrement from 0. unarrived.addAndGet(n) precedes
 * s.request(n) in program order, and the onNext calls that use that demand come after the
 * publisher saw the request, so their takeDemand sees the n. An item's queue.offer (and the
 * volatile write of `overflowed`) precede onNext's drain(), whose wip increment is seen by the
 * running drainer's addAndGet, which then runs another round that polls the item (or sees the
 * flag). The counters a user reads (forwarded, refused, excess) are atomics.
 *
 * Room. Room only grows through the consumer's progress: so when the loop cannot request enough
 * (or an item does not fit) it arms the edge's producer-waiting flag and re-checks
 * (IngressGate.armRoomWait, the producer half of EdgeLink's Dekker protocol); either the re-check
 * sees the room or the consumer sees the flag and runs the listener. No wake-up is lost. The
 * listener stays registered while an item waits here, also after completion() completed (a
 * within-demand item can still arrive after a cancel, rule 2.8), and is removed once nothing can
 * wait: so no received item is ever left behind without someone to retry it.
 *
 * Excess (the publisher broke rule 1.1). The loop cancels the subscription; the excess item and
 * every item after it are not handed to the graph but counted in `excess` (GraphSubscriber#excess)
 * and logged once at WARN; the items received within the demand before it are still handed over,
 * and completion() then fails with an IllegalStateException naming the ingress and the count.
 *
 * Progress: lock-free. A BLOCK, DROP or FAIL ingress edge is a multi-producer ring that takes
 * offers and answers remainingCapacity without a lock (its room is exact or an underestimate, so
 * the demand above stays safe); a LATEST or COALESCE ingress takes its own short lock around each
 * offer.
 */

/**
 * Not API: the {@link GraphSubscriber} made by {@code GraphFlows.subscriber}.
 *
 * <p>Thread-safety: see {@link GraphSubscriber}.
 *
 * @param <T> the payload type
 */
public final class IngressSubscriber<T> implements GraphSubscriber<T> {

  private static final Logger LOG = LoggerFactory.getLogger(IngressSubscriber.class);

  private final IngressGate<T> gate;
  private final int replenish;
  private final Runnable roomListener = this::drain;
  private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong unarrived = new AtomicLong();
  private final AtomicReference<Flow.@Nullable Subscription> upstream = new AtomicReference<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final CompletionStage<Void> completion = done.minimalCompletionStage();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong excess = new AtomicLong();

  private volatile boolean upstreamDone;
  private volatile @Nullable Throwable upstreamError;

  /** The publisher sent more than was requested (rule 1.1): set by onNext, never cleared. */
  private volatile boolean overflowed;

  // --- owned by the drain loop (see the design note) ---
  private long credit;
  private boolean cancelled;
  private boolean finished;
  private boolean listening;

  IngressSubscriber(IngressGate<T> gate) {
    this.gate = gate;
    this.replenish = Math.max(1, (gate.capacity() + 1) / 2);
  }

  /**
   * Creates a subscriber for a named ingress.
   *
   * @param running a graph started by a Weir scheduler
   * @param ingressName the ingress name
   * @param type the payload type
   * @param <T> the payload type
   * @return a new subscriber
   * @throws IllegalArgumentException if the ingress does not exist, takes another type, or the
   *     graph was not started by a Weir scheduler
   */
  public static <T> IngressSubscriber<T> create(
      RunningGraph running, String ingressName, Class<T> type) {
    Ingress<T> ingress = running.ingress(ingressName, type);
    if (!(ingress instanceof IngressGate<T> gate)) {
      throw new IllegalArgumentException(
          "ingress '" + ingressName + "' is not a Weir ingress: start the graph with Scheduler");
    }
    return new IngressSubscriber<>(gate);
  }

  // ------------------------------------------------------------------ Flow.Subscriber

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    Objects.requireNonNull(subscription, "subscription"); // rule 2.13
    if (!upstream.compareAndSet(null, subscription)) {
      subscription.cancel(); // rule 2.5: one subscription at a time
      return;
    }
    drain();
  }

  @Override
  public void onNext(T item) {
    Objects.requireNonNull(item, "item"); // rule 2.13
    if (overflowed || !takeDemand()) {
      excess.incrementAndGet(); // rule 1.1 broken: counted, never handed to the graph (I3)
      if (!overflowed) {
        overflowed = true;
        drain(); // the loop cancels
      }
      return;
    }
    queue.offer(item);
    drain();
  }

  /** Takes one unit of demand for an arriving item; false if none was left (rule 1.1). */
  private boolean takeDemand() {
    long left;
    do {
      left = unarrived.get();
      if (left <= 0) {
        return false;
      }
    } while (!unarrived.compareAndSet(left, left - 1));
    return true;
  }

  @Override
  public void onError(Throwable failure) {
    Objects.requireNonNull(failure, "failure"); // rule 2.13
    upstreamError = failure;
    upstreamDone = true;
    drain();
  }

  @Override
  public void onComplete() {
    upstreamDone = true;
    drain();
  }

  // ------------------------------------------------------------------ GraphSubscriber

  @Override
  public CompletionStage<Void> completion() {
    return completion;
  }

  @Override
  public long forwarded() {
    return forwarded.get();
  }

  @Override
  public long refused() {
    return refused.get();
  }

  @Override
  public long excess() {
    return excess.get();
  }

  // ------------------------------------------------------------------ the drain loop

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    for (; ; ) {
      try {
        drainRound();
      } catch (RuntimeException e) {
        // A publisher whose request() or cancel() threw (rule 3.5): give up on it. Never let this
        // escape: the caller may be a graph worker running the room listener.
        LOG.error("ingress '{}': the upstream publisher threw; giving up on it", gate.name(), e);
        cancelled = true;
        finish(e);
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  private void drainRound() {
    for (; ; ) {
      boolean blocked = offerQueued();
      if (blocked) {
        listen(); // before arming: the consumer that sees the flag must find the listener
        if (gate.armRoomWait() > 0) {
          continue;
        }
        return; // the listener runs once the consumer made room, or the ingress closed
      }
      if (finished) {
        unlisten(); // nothing waits here; an item arriving later drains and listens again
        return;
      }
      Flow.Subscription s = upstream.get();
      if (s == null) {
        return;
      }
      listen(); // before reading isClosed or arming: close() and room both run the listeners
      if (gate.isClosed()) {
        if (!cancelled && !upstreamDone) {
          cancelled = true;
          s.cancel();
        }
        finish(
            new IllegalStateException(
                "ingress '"
                    + gate.name()
                    + "' closed before the stream ended: "
                    + (gate.isCompleted()
                        ? "the application called Ingress.complete() while the stream still ran"
                        : "the graph stopped")));
        continue; // an item arriving later is handed to the closed ingress, which counts it
      }
      if (overflowed && !cancelled) {
        cancelled = true;
        if (!upstreamDone) {
          s.cancel();
        }
        LOG.warn(
            "ingress '{}': the publisher sent more items than requested (Reactive Streams rule"
                + " 1.1); cancelled it. Items beyond the demand are not handed to the graph:"
                + " GraphSubscriber.excess() counts them",
            gate.name());
      }
      if (upstreamDone || cancelled) {
        if (queue.isEmpty()) {
          finish(terminalError());
        }
        continue;
      }
      int room = gate.remainingCapacity(); // one read per decision: n below is at least 1
      long n = room - credit;
      if (n >= replenish) {
        credit += n; // I1: credit + n <= room
        unarrived.addAndGet(n); // before request: the items it brings find their demand
        s.request(n);
        continue;
      }
      if (gate.armRoomWait() - credit < replenish) {
        return; // the listener runs once the consumer made room
      }
    }
  }

  private @Nullable Throwable terminalError() {
    Throwable error = upstreamError;
    if (error == null && overflowed) {
      error =
          new IllegalStateException(
              "the publisher feeding ingress '"
                  + gate.name()
                  + "' sent more items than requested (Reactive Streams rule 1.1) and was"
                  + " cancelled; "
                  + excess.get()
                  + " item(s) beyond the demand so far were not handed to the graph (see"
                  + " GraphSubscriber.excess()). Fix the publisher, or put an"
                  + " onBackpressureBuffer/Drop operator in front of this subscriber");
    }
    return error;
  }

  /** Offers queued items in order; returns true if one did not fit and waits for room. */
  private boolean offerQueued() {
    T item;
    while ((item = queue.peek()) != null) {
      OfferResult result = gate.offer(item);
      switch (result.status()) {
        case BLOCKED, FAILED -> {
          return true; // a FAIL edge counts its overflow; the item waits here for room
        }
        case CLOSED -> refused.incrementAndGet();
        case REJECTED -> {
          refused.incrementAndGet();
          LOG.warn("ingress '{}' rejected an item: {}", gate.name(), result.reason());
        }
        default -> forwarded.incrementAndGet();
      }
      queue.poll();
      credit--; // I1: it arrived (left unarrived) before it was queued
    }
    return false;
  }

  private void listen() {
    if (!listening) {
      listening = true;
      gate.addRoomListener(roomListener);
    }
  }

  private void unlisten() {
    if (listening) {
      listening = false;
      gate.removeRoomListener(roomListener);
    }
  }

  private void finish(@Nullable Throwable error) {
    if (finished) {
      return;
    }
    finished = true;
    if (error == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(error);
    }
  }

  @Override
  public String toString() {
    return "GraphSubscriber[" + gate + ']';
  }
}
