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
 * Demand: the loop requests `room - outstanding - queued` when that reaches `replenish` (half the
 * capacity), where room is the edge's free space. With this subscriber the only producer, the edge
 * depth plus what is requested or received but not yet offered never exceeds the capacity, so
 * offers never block and nothing waits here. Room only grows through the consumer's progress: so
 * when the loop cannot request enough it arms the edge's producer-waiting flag and re-checks
 * (IngressGate.armRoomWait, the producer half of EdgeLink's Dekker protocol); either the re-check
 * sees the room or the consumer sees the flag and runs the listener. No wake-up is lost.
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
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicReference<Flow.@Nullable Subscription> upstream = new AtomicReference<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final CompletionStage<Void> completion = done.minimalCompletionStage();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();

  private volatile boolean upstreamDone;
  private volatile @Nullable Throwable upstreamError;

  /** The publisher sent more than was requested (rule 1.1). */
  private volatile boolean overflowed;

  // --- owned by the drain loop ---
  private boolean cancelled;
  private boolean finished;

  private IngressSubscriber(IngressGate<T> gate) {
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
    gate.addRoomListener(roomListener);
    drain();
  }

  @Override
  public void onNext(T item) {
    Objects.requireNonNull(item, "item"); // rule 2.13
    if (outstanding.getAndDecrement() <= 0) {
      overflowed = true; // kept all the same: nothing is dropped
    }
    queue.offer(item);
    queued.incrementAndGet();
    drain();
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
      if (finished) {
        return;
      }
      Flow.Subscription s = upstream.get();
      if (s == null) {
        return;
      }
      if (gate.isClosed()) {
        if (!cancelled && !upstreamDone) {
          cancelled = true;
          s.cancel();
        }
        finish(
            new IllegalStateException(
                "ingress '" + gate.name() + "' closed before the stream ended: the graph stopped"));
        continue; // hand anything queued to the closed ingress, which counts it
      }
      if (overflowed && !cancelled && !upstreamDone) {
        cancelled = true;
        s.cancel();
      }
      if (blocked) {
        if (gate.armRoomWait() > 0) {
          continue;
        }
        return; // the listener runs once the consumer made room
      }
      if (upstreamDone || cancelled) {
        if (queued.get() == 0) {
          Throwable error = upstreamError;
          if (error == null && overflowed) {
            error =
                new IllegalStateException(
                    "the publisher sent more items than requested (rule 1.1); cancelled it");
          }
          finish(error);
        }
        return;
      }
      if (want(gate.remainingCapacity()) >= replenish) {
        long n = want(gate.remainingCapacity());
        outstanding.addAndGet(n);
        s.request(n);
        continue;
      }
      if (want(gate.armRoomWait()) < replenish) {
        return; // the listener runs once the consumer made room
      }
    }
  }

  /** How many more items the edge has room for, beyond what is requested or waiting here. */
  private long want(int room) {
    return room - outstanding.get() - queued.get();
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
      queued.decrementAndGet();
    }
    return false;
  }

  private void finish(@Nullable Throwable error) {
    if (finished) {
      return;
    }
    finished = true;
    gate.removeRoomListener(roomListener);
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
