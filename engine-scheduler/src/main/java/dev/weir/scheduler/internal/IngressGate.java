package dev.weir.scheduler.internal;

import dev.weir.core.Clock;
import dev.weir.core.Headers;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.Plane;
import dev.weir.core.TraceIds;
import dev.weir.core.internal.Edges;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.Priority;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Concurrency: application threads are the producers of the ingress edge. The message is made
 * before any synchronization (the clock read alone costs ~30 ns), with its trace id drawn from
 * `sequence`. One application thread still gets the seeded sequence's ids in order; concurrent
 * threads get them in arrival order.
 *
 * A BLOCK, DROP or FAIL ingress edge is a multi-producer ring (`lockFree`, see MpscRingEdge): the
 * threads offer to it, and read its remainingCapacity, without the lock; the ring orders each
 * thread's writes before its message becomes visible to the consumer (its release store of the
 * slot). CONTROL bookkeeping is atomic (pendingControl is counted before the offer and undone if
 * it was not enqueued: EdgeLink.offer). A LATEST or COALESCE ingress edge is single-producer: the
 * threads take turns through `lock`, which makes them one producer at a time and orders their
 * writes (lock release, then the edge's release store). Either way, closing (complete() or a
 * stop) closes the edge itself under the lock, and the edge answers CLOSED to every offer that did
 * not enqueue before it (the multi-producer ring seals its producer index, so no claim succeeds
 * after the close). A lock-free offer takes its answer from the edge alone, never from `closed`,
 * which is set before the edge closes: an offer that read `closed` true may still be enqueued, and
 * then it is ACCEPTED. An offer enqueued before the seal is counted in the edge's depth, so the
 * consumer, told by upstreamDone() after the close, does not finish before delivering it. Hence a
 * complete() racing with offers loses nothing: each offer is ACCEPTED and delivered, or CLOSED.
 *
 * put() waits on `room` while the edge is full. A waiting putter holds `lock`, sets the link's
 * producerWaiting flag (volatile) and re-offers before it waits (the producer half of EdgeLink's
 * protocol: the re-offer reads the consumer's head, volatile on the multi-producer ring's full
 * path); the consumer, when it sees the flag, calls roomAvailable(), which signals under the same
 * lock, so the signal cannot fall between a putter's re-offer and its wait. With lock-free offers
 * other threads may take the room the consumer made before the putter re-offers: then the edge was
 * full again after the flag was set, the consumer has that message to deliver and checks the flag
 * after it (after each poll, and behind a full fence at the end of its activation), so the putter
 * is woken by that later progress.
 *
 * Batches (offerAll, putAll) offer each payload exactly as offer does, lock-free or, for LATEST and
 * COALESCE, under `lock` taken once per run, so everything above holds per payload; they only share
 * one clock reading and one block of trace ids per run, and signal the consumer once, after the
 * run's last enqueue: the signal's push happens-after every message of the run is in the edge, so
 * the activation it causes can take them all, and putAll signals before it waits (each run ends
 * with its signal), so a consumer is never left unwoken with messages a waiting putter put in.
 *
 * Asynchronous producers (the Flow subscriber adapter) cannot wait on `room`: they register a room
 * listener and call armRoomWait() when they need room, which is the same producer half (set the
 * flag, fence, re-check the edge) without the lock. roomAvailable() runs the listeners after
 * signalling the putters, on the consumer's worker thread; closing runs them too, so a producer
 * waiting for room learns that none will come.
 */

/**
 * Not API: the {@link Ingress} of a running graph.
 *
 * <p>Thread-safety: thread-safe.
 */
final class IngressGate<T> implements Ingress<T> {

  private static final Logger LOG = LoggerFactory.getLogger(IngressGate.class);

  private final String name;
  private final EdgeLink link;
  private final Clock clock;
  private final long seed;
  private final AtomicLong sequence = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition room = lock.newCondition();
  private final List<Runnable> roomListeners = new CopyOnWriteArrayList<>();

  /** Whether the edge takes concurrent producers, so offers need no lock. */
  private final boolean lockFree;

  /** Written under {@code lock}; volatile so that asynchronous producers can poll it. */
  private volatile boolean closed;

  /**
   * Whether {@link #complete()} closed the ingress (rather than a stop). Written under {@code lock}
   * before {@code closed}, so a reader that sees {@code closed} set by complete() sees it too.
   */
  private volatile boolean completed;

  IngressGate(String name, EdgeLink link, Clock clock, long seed) {
    this.name = name;
    this.link = link;
    this.clock = clock;
    this.seed = seed;
    this.lockFree = Edges.acceptsConcurrentProducers(link.edge);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public OfferResult offer(T payload) {
    return offer(payload, Plane.DATA);
  }

  @Override
  public OfferResult offerControl(T payload) {
    return offer(payload, Plane.CONTROL);
  }

  private OfferResult offer(T payload, Plane plane) {
    Objects.requireNonNull(payload, "payload must not be null");
    Message<T> message = message(payload, sequence.incrementAndGet(), clock.nanoTime(), plane);
    OfferResult result;
    if (lockFree) {
      result = offerLockFree(message);
      signalIfQueued(result, plane);
      return result;
    }
    lock.lock();
    try {
      if (closed) {
        link.edge.offer(message); // counted as CLOSED in the edge's ledger
        return closedResult();
      }
      result = link.offer(message);
    } finally {
      lock.unlock();
    }
    if (result.status() == OfferStatus.CLOSED) {
      return closedResult();
    }
    signalIfQueued(result, plane);
    return result;
  }

  /**
   * Offers to a multi-producer edge: no lock, see the design note. Only the edge decides whether
   * the ingress is closed: `closed` is set before the edge closes, so an offer that read it true
   * could still be enqueued, and must not then answer CLOSED.
   */
  private OfferResult offerLockFree(Message<T> message) {
    OfferResult result = link.offer(message);
    return result.status() == OfferStatus.CLOSED ? closedResult() : result;
  }

  private OfferResult closedResult() {
    if (!closed) {
      // The edge closed without the ingress: its node stopped by its error policy.
      return OfferResult.closed(
          "ingress '"
              + name
              + "' is closed: its node "
              + link.consumer.name
              + " stopped by its error policy and takes no more input (the graph still runs)");
    }
    if (completed) {
      return OfferResult.closed(
          "ingress '"
              + name
              + "' is complete: Ingress.complete() ended its stream, so it takes no more payloads"
              + " (those it accepted before are delivered)");
    }
    return OfferResult.closed("ingress '" + name + "' is closed: the graph is shutting down");
  }

  /** After the offer, never inside the lock: wakes the consumer if the message was queued. */
  private void signalIfQueued(OfferResult result, Plane plane) {
    if (result.isEnqueued() || result.status() == OfferStatus.COALESCED) {
      link.consumer.signalInput(
          plane == Plane.CONTROL ? Priority.CONTROL.ordinal() : link.consumer.band);
    }
  }

  @Override
  public OfferResult put(T payload, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout must not be null");
    OfferResult result = offer(payload);
    if (result.status() != OfferStatus.BLOCKED) {
      return result; // the common case reads no clock: a clock read costs as much as the offer
    }
    long waitNanos = saturatedNanos(timeout);
    long started = System.nanoTime();
    while (result.status() == OfferStatus.BLOCKED) {
      lock.lock();
      try {
        link.setProducerWaitingVolatile();
        result = offer(payload);
        if (result.status() != OfferStatus.BLOCKED) {
          return result;
        }
        long remaining = waitNanos - (System.nanoTime() - started); // no overflow
        if (remaining <= 0) {
          return result;
        }
        room.awaitNanos(remaining);
      } finally {
        lock.unlock();
      }
      result = offer(payload);
    }
    return result;
  }

  @Override
  public BatchOfferResult offerAll(List<? extends T> payloads) {
    BatchTally tally = new BatchTally(checkedSize(payloads));
    offerRun(payloads, tally);
    return tally.result();
  }

  @Override
  public BatchOfferResult putAll(List<? extends T> payloads, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    BatchTally tally = new BatchTally(checkedSize(payloads));
    offerRun(payloads, tally);
    if (!isBlocked(tally)) {
      return tally.result(); // the common case reads no clock for a wait
    }
    long waitNanos = saturatedNanos(timeout);
    long started = System.nanoTime();
    while (isBlocked(tally)) {
      lock.lock();
      try {
        // As in put: announce, re-offer, then wait; the consumer signals `room` under this lock.
        link.setProducerWaitingVolatile();
        offerRun(payloads, tally);
        if (!isBlocked(tally)) {
          break;
        }
        long remaining = waitNanos - (System.nanoTime() - started); // no overflow
        if (remaining <= 0) {
          break;
        }
        room.awaitNanos(remaining);
      } catch (InterruptedException e) {
        // The result is the only record of what was taken: return it, keep the interrupt status.
        Thread.currentThread().interrupt();
        break;
      } finally {
        lock.unlock();
      }
      offerRun(payloads, tally);
    }
    return tally.result();
  }

  /**
   * The timeout in nanoseconds, between 0 (zero or negative: no wait) and Long.MAX_VALUE: a
   * duration beyond a long of nanoseconds (about 292 years, e.g. {@code ChronoUnit.FOREVER}'s)
   * waits that long instead of throwing, perhaps after part of a batch went in. Never negative, so
   * {@code waitNanos - elapsed} cannot overflow.
   */
  static long saturatedNanos(Duration timeout) {
    if (timeout.isNegative()) {
      return 0;
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE;
    }
  }

  private static boolean isBlocked(BatchTally tally) {
    OfferResult refusal = tally.refusal();
    return refusal != null && refusal.status() == OfferStatus.BLOCKED;
  }

  /** Checks the whole list before anything is offered, so a null never leaves half a batch in. */
  private int checkedSize(List<? extends T> payloads) {
    Objects.requireNonNull(payloads, "payloads must not be null");
    int i = 0;
    for (T payload : payloads) {
      if (payload == null) {
        throw new NullPointerException(
            "payloads["
                + i
                + "] is null: ingress '"
                + name
                + "' takes no null payloads (nothing of this batch was offered)");
      }
      i++;
    }
    return i;
  }

  /**
   * Offers the payloads from {@code tally.next} on until one is refused or none is left. One clock
   * reading stamps the run's messages and one block of the sequence gives their trace ids (ids of
   * payloads a refusal leaves unoffered are skipped, as a refused single offer skips its id); the
   * consumer is signalled once, after the run, if anything was queued.
   */
  private void offerRun(List<? extends T> payloads, BatchTally tally) {
    int from = tally.next;
    int left = tally.size - from;
    if (left == 0) {
      return;
    }
    long now = clock.nanoTime();
    long firstId = sequence.getAndAdd(left) + 1;
    tally.queued = false;
    ListIterator<? extends T> it = payloads.listIterator(from);
    if (lockFree) {
      offerEach(it, tally, firstId - from, now);
    } else {
      lock.lock();
      try {
        if (closed) {
          // counted as CLOSED in the edge's ledger, as a single offer is
          tally.record(link.edge.offer(message(it.next(), firstId, now, Plane.DATA)));
        } else {
          offerEach(it, tally, firstId - from, now);
        }
      } finally {
        lock.unlock();
      }
    }
    OfferResult refusal = tally.refusal();
    if (refusal != null && refusal.status() == OfferStatus.CLOSED) {
      tally.record(closedResult());
    }
    if (tally.queued) {
      link.consumer.signalInput(link.consumer.band);
    }
  }

  /** The loop of {@link #offerRun}: the payload at index i gets the id {@code idBase + i}. */
  private void offerEach(ListIterator<? extends T> it, BatchTally tally, long idBase, long now) {
    while (it.hasNext()) {
      Message<T> message = message(it.next(), idBase + tally.next, now, Plane.DATA);
      if (!tally.record(link.edge.offer(message))) {
        return;
      }
    }
  }

  /** The message for the {@code n}-th draw of this ingress's seeded trace-id sequence. */
  private Message<T> message(T payload, long n, long now, Plane plane) {
    return Message.create(payload, Headers.empty(), TraceIds.nth(seed, n), now, plane);
  }

  /** Called by the consumer side when it made room while putters or listeners wait. */
  void roomAvailable() {
    lock.lock();
    try {
      room.signalAll();
    } finally {
      lock.unlock();
    }
    notifyRoomListeners();
  }

  /**
   * Registers a callback for asynchronous producers: it runs (on a worker thread, or on the thread
   * closing the ingress) after room was made while {@link #armRoomWait()} was armed, and when the
   * ingress closes. It must be quick and must not throw.
   */
  void addRoomListener(Runnable listener) {
    roomListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added by {@link #addRoomListener}. */
  void removeRoomListener(Runnable listener) {
    roomListeners.remove(listener);
  }

  /**
   * The producer half of EdgeLink's protocol for a producer that will not wait here: announces that
   * it needs room, then re-checks. Returns the edge's remaining capacity seen after the
   * announcement: if that is not enough, a room listener runs once the consumer makes progress.
   */
  int armRoomWait() {
    link.setProducerWaitingVolatile();
    // Store-load: the flag must be visible before we read the consumer's progress again.
    VarHandle.fullFence();
    return remainingCapacity();
  }

  /**
   * How many more DATA messages the ingress edge takes now, exact or an underestimate. The
   * multi-producer ring answers from any thread; otherwise it is read under the lock, because
   * remainingCapacity is a producer-side read and the lock makes this thread the producer for the
   * moment.
   */
  int remainingCapacity() {
    if (lockFree) {
      return link.edge.remainingCapacity();
    }
    lock.lock();
    try {
      return link.edge.remainingCapacity();
    } finally {
      lock.unlock();
    }
  }

  /** The ingress edge's capacity. */
  int capacity() {
    return link.edge.spec().capacity();
  }

  /** Whether the ingress closed: the graph is shutting down, or {@link #complete()} was called. */
  boolean isClosed() {
    return closed;
  }

  /** Whether {@link #complete()} closed the ingress (a stop did not). */
  boolean isCompleted() {
    return completed;
  }

  private void notifyRoomListeners() {
    for (Runnable listener : roomListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        // Never let a listener fail the consumer's activation, which called us.
        LOG.error("ingress '{}': a room listener threw", name, e);
      }
    }
  }

  /**
   * Ends the stream (see {@link Ingress#complete()}): the edge closes under the lock, as a stop
   * closes it, so an offer either enqueued before (the consumer delivers it: it finishes only once
   * its inputs are empty) or is answered CLOSED. Then, outside the lock, the consumer loses this
   * upstream, which is how an exhausted source ends its part too (NodeCell.upstreamDone), and
   * asynchronous producers learn that no room will come.
   */
  @Override
  public void complete() {
    if (closeEdge(true)) {
      LOG.info(
          "ingress '{}' completed: {} finishes once it has taken what the ingress accepted",
          name,
          link.consumer.name);
      link.consumer.upstreamDone();
      notifyRoomListeners();
    }
  }

  /**
   * The first half of closing for a stop: later offers return CLOSED and waiting putters return,
   * but the consumer is not told yet. Returns whether this call closed it (false if {@link
   * #complete()} or an earlier stop did); if so, the caller must then call {@link #afterClose}.
   * Shutdown closes every ingress this way first, then tells their consumers together, so that with
   * one worker which of them runs first does not depend on how far the stopping thread got.
   */
  boolean closeEdge() {
    return closeEdge(false);
  }

  private boolean closeEdge(boolean byComplete) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      completed = byComplete; // before closed: see the field
      closed = true;
      link.edge.close();
      room.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The second half of closing for a stop, after {@link #closeEdge} returned true. */
  void afterClose() {
    link.consumer.upstreamDone();
  }

  /** Tells asynchronous producers that the ingress closed for a stop; after {@link #afterClose}. */
  void notifyClosed() {
    notifyRoomListeners();
  }

  @Override
  public String toString() {
    return "Ingress[" + name + " -> " + link.id + ']';
  }
}
