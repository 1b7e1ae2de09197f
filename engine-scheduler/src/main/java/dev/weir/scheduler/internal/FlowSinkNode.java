package dev.weir.scheduler.internal;

import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.flow.FlowSink;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Concurrency. Three kinds of threads touch a sink: the node's activations (worker threads, one at
 * a time: onStart, onMessage, onFinish, onStop), the subscriber's threads (subscribe, request,
 * cancel) and the thread stopping the graph (onStop after a shutdown).
 *
 * Demand and the input gate: `lock` guards `credit` (requested, not yet handed to onNext), `ready`
 * (onSubscribe returned), `draining` (no more onNext: cancelled, protocol error or terminal) and
 * `gate`, and every pause()/resume() of the gate happens under it (updateGateLocked). So the gate's
 * flag always ends in the state the last critical section chose: open iff draining, or ready with
 * credit > 0. Only onMessage takes credit, under the lock, and pauses the gate when it takes the
 * last unit; a request adds credit and resumes, under the lock. Hence when the activation loop sees
 * the gate open and calls onMessage, the credit is still positive (nobody else takes it): the sink
 * never needs to hold a message back. Without the lock a resume() computed from a stale credit could
 * land after the pause that used the credit up, and a message would arrive with no demand.
 *
 * Signals: onSubscribe, onNext, onComplete and onError must be serial (rule 1.3) although they
 * come from different threads. `wip` serializes them (a half-serializer): whoever moves it from 0
 * holds the right to signal, and on release delivers a terminal signal that another thread stored
 * in `terminal` meanwhile. It starts at 1, held for the subscribe() that will call onSubscribe and
 * release it. A terminal signal, once delivered, keeps `wip` held forever: nothing follows it. An
 * onNext that cannot take `wip` (only possible once a terminal is pending, i.e. the subscription is
 * over) is not delivered and counts as discarded.
 *
 * Invariants: onNext only with credit taken for it; at most one terminal signal, after onSubscribe;
 * after cancel(), no reference to the subscriber (rule 3.13) and every input counted.
 *
 * Progress: request() and cancel() take `lock` briefly and never call the subscriber (except
 * onError for request(n <= 0), through `wip`); onMessage never blocks on the subscriber's threads.
 */

/**
 * Not API: the {@link FlowSink} made by {@code GraphFlows.publisherSink}.
 *
 * <p>Thread-safety: see {@link FlowSink}.
 *
 * @param <T> the payload type
 */
public final class FlowSinkNode<T> implements FlowSink<T> {

  private static final Logger LOG = LoggerFactory.getLogger(FlowSinkNode.class);

  /** The terminal value meaning onComplete (any other is the Throwable for onError). */
  private static final Object COMPLETE = new Object();

  private final PortSpec<T> in;
  private final ReentrantLock lock = new ReentrantLock();

  /** Guarded by {@code lock}: demand not yet used; {@link Long#MAX_VALUE} means unbounded. */
  private long credit;

  /** Guarded by {@code lock}: onSubscribe returned. */
  private boolean ready;

  /** Written under {@code lock}: no more onNext; input is consumed and counted. */
  private volatile boolean draining;

  /** Written under {@code lock}: the subscriber cancelled; no more signals of any kind. */
  private volatile boolean cancelled;

  /** Guarded by {@code lock}: set by onStart. */
  private @Nullable InputGate gate;

  private volatile String name = "unstarted";

  private final AtomicBoolean subscribedOnce = new AtomicBoolean();

  /** The subscriber until cancel or a terminal signal (rule 3.13), else null. */
  private volatile Flow.@Nullable Subscriber<? super T> target;

  /** The signal serializer (see the design comment); starts held for subscribe(). */
  private final AtomicInteger wip = new AtomicInteger(1);

  /** The pending or delivered terminal signal: {@link #COMPLETE} or a Throwable. */
  private final AtomicReference<@Nullable Object> terminal = new AtomicReference<>();

  /** Node-owned: onFinish ran. */
  private volatile boolean finished;

  private final AtomicLong discarded = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();

  /**
   * Creates an unsubscribed sink.
   *
   * @param type the payload type of the input port
   */
  public FlowSinkNode(Class<T> type) {
    this.in = PortSpec.of(Nodes.IN, type);
  }

  // ------------------------------------------------------------------ Flow.Publisher

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
    if (!subscribedOnce.compareAndSet(false, true)) {
      subscriber.onSubscribe(NoSubscription.INSTANCE);
      subscriber.onError(
          new IllegalStateException(
              "the Flow publisher of sink node '" + name + "' allows one subscriber; it had one"));
      return;
    }
    target = subscriber;
    try {
      subscriber.onSubscribe(new SinkSubscription());
    } catch (RuntimeException e) {
      // Rule 2.13: the subscriber broke the protocol; treat the subscription as cancelled.
      LOG.warn("sink node '{}': onSubscribe of {} threw; cancelling", name, subscriber, e);
      cancelSubscription();
      return;
    }
    if (releaseSignals()) {
      return; // a terminal signal went out: nothing else will
    }
    lock.lock();
    try {
      ready = true;
      updateGateLocked();
    } finally {
      lock.unlock();
    }
  }

  /** The subscription handed to the one subscriber. Thread-safe. */
  private final class SinkSubscription implements Flow.Subscription {

    @Override
    public void request(long n) {
      if (n <= 0) {
        // Rule 3.9: an error, and the subscription is over.
        signalTerminal(
            new IllegalArgumentException(
                "rule 3.9: request(n) needs n > 0, got " + n + " (sink node '" + name + "')"));
        return;
      }
      lock.lock();
      try {
        if (draining) {
          return; // rule 3.6: a no-op after the end
        }
        long c = credit + n;
        credit = c < 0 ? Long.MAX_VALUE : c; // rule 3.17: saturate at "unbounded"
        updateGateLocked();
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void cancel() {
      cancelSubscription();
    }

    @Override
    public String toString() {
      return "FlowSink.Subscription[" + name + ']';
    }
  }

  // ------------------------------------------------------------------ Node

  @Override
  public List<PortSpec<?>> inputs() {
    return List.of(in);
  }

  @Override
  public void onStart(NodeContext ctx) {
    name = ctx.nodeName();
    lock.lock();
    try {
      gate = ctx.inputGate();
      updateGateLocked(); // paused until there is a subscriber with demand
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    T payload = in.cast(message).payload();
    lock.lock();
    try {
      if (!draining) {
        if (credit <= 0) {
          // Unreachable while the design comment's argument holds; never lose the message.
          throw new IllegalStateException(
              "internal: sink node '" + name + "' received input without demand");
        }
        if (credit != Long.MAX_VALUE) {
          credit--;
        }
        updateGateLocked(); // pauses the input when that was the last unit of demand
      }
    } finally {
      lock.unlock();
    }
    Flow.Subscriber<? super T> subscriber = target;
    if (draining || subscriber == null) {
      discarded.incrementAndGet();
      return;
    }
    boolean sent;
    try {
      sent = emitNext(subscriber, payload);
    } catch (Throwable t) {
      if (Failures.isFatal(t)) {
        throw t;
      }
      cancelSubscription(); // rule 2.13: the publisher may consider the subscription cancelled
      throw new IllegalStateException(
          "the subscriber of sink node '" + name + "' threw from onNext; subscription cancelled",
          t);
    }
    (sent ? delivered : discarded).incrementAndGet();
  }

  @Override
  public void onFinish(NodeContext ctx) {
    finished = true;
    Throwable failure = ctx instanceof NodeCell cell ? cell.graphFailure() : null;
    signalTerminal(failure == null ? COMPLETE : failure);
  }

  @Override
  public void onStop(NodeContext ctx) {
    if (finished) {
      return;
    }
    Throwable failure = ctx instanceof NodeCell cell ? cell.graphFailure() : null;
    if (failure != null) {
      signalTerminal(failure); // STOP_GRAPH, and the drain did not reach this sink in time
      return;
    }
    signalTerminal(
        new IllegalStateException(
            "sink node '"
                + name
                + "' stopped before its input finished: the graph's stop timed out while it still"
                + " had input (undelivered input was dead-lettered), or its error policy stopped"
                + " it"));
  }

  // ------------------------------------------------------------------ FlowSink

  @Override
  public PortSpec<T> input() {
    return in;
  }

  @Override
  public long discardedAfterCancel() {
    return discarded.get();
  }

  @Override
  public long delivered() {
    return delivered.get();
  }

  // ------------------------------------------------------------------ demand and signals

  /** Opens the gate iff draining, or subscribed with credit; closes it otherwise. */
  private void updateGateLocked() {
    InputGate g = gate;
    if (g == null) {
      return; // not started: onStart applies the state
    }
    if (draining || (ready && credit > 0)) {
      g.resume();
    } else {
      g.pause();
    }
  }

  /** No more onNext: from now on input is consumed and counted. */
  private void stopDelivering() {
    lock.lock();
    try {
      draining = true;
      updateGateLocked();
    } finally {
      lock.unlock();
    }
  }

  private void cancelSubscription() {
    lock.lock();
    try {
      cancelled = true;
      draining = true;
      updateGateLocked();
    } finally {
      lock.unlock();
    }
    target = null; // rule 3.13
  }

  /** Node thread: delivers one onNext if no terminal signal holds the serializer. */
  private boolean emitNext(Flow.Subscriber<? super T> subscriber, T payload) {
    if (wip.getAndIncrement() != 0) {
      return false; // a terminal signal is pending or out: the subscription is over
    }
    subscriber.onNext(payload);
    releaseSignals();
    return true;
  }

  /**
   * Stores a terminal signal (the first one wins), stops onNext, and delivers the signal if nobody
   * is signalling. The signal is claimed before the input is released: once draining, the node may
   * finish at once, and its onComplete must not overtake an error decided first (e.g. rule 3.9).
   */
  private void signalTerminal(Object signal) {
    if (!terminal.compareAndSet(null, signal)) {
      return;
    }
    stopDelivering();
    if (wip.getAndIncrement() == 0) {
      deliverTerminal(signal);
    }
  }

  /**
   * Releases the serializer held by the caller; delivers a terminal signal stored meanwhile, and
   * then keeps the serializer held. Returns whether a terminal signal was delivered.
   */
  private boolean releaseSignals() {
    int missed = 1;
    for (; ; ) {
      Object signal = terminal.get();
      if (signal != null) {
        deliverTerminal(signal);
        return true;
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return false;
      }
    }
  }

  /** Holding the serializer for good: sends onComplete or onError unless cancelled. */
  private void deliverTerminal(Object signal) {
    Flow.Subscriber<? super T> subscriber = target;
    target = null;
    if (subscriber == null || cancelled) {
      return;
    }
    try {
      if (signal == COMPLETE) {
        subscriber.onComplete();
      } else {
        subscriber.onError((Throwable) signal);
      }
    } catch (RuntimeException e) {
      LOG.warn("sink node '{}': the subscriber threw from its terminal signal", name, e);
    }
  }

  @Override
  public String toString() {
    return "FlowSink[" + name + ", " + in + ']';
  }

  /** Given to a rejected second subscriber before its onError. */
  private enum NoSubscription implements Flow.Subscription {
    INSTANCE;

    @Override
    public void request(long n) {}

    @Override
    public void cancel() {}
  }
}
