package dev.weir.scheduler;

import dev.weir.core.OfferResult;
import java.time.Duration;
import java.util.List;

/**
 * A named entry into a running graph for application threads, declared with {@code
 * Graph.builder().ingress(name, "node.port")}. Its edge has the capacity and policy given there.
 *
 * <p>An ingress is an open stream until the application ends it with {@link #complete()}, as a
 * source is until it is exhausted: a node fed by an ingress cannot finish while the ingress may
 * still bring it input. Once every ingress and source upstream of the graph's nodes has ended, the
 * graph finishes on its own and {@link RunningGraph#awaitCompletion} returns.
 *
 * <p>Thread-safety: safe from any number of threads. Offers from one thread are delivered in the
 * order made; offers from different threads interleave. Everything a thread wrote before an offer
 * is visible to the node that receives the message. After {@link #complete()}, and once shutdown
 * begins, every offer returns {@link dev.weir.core.OfferStatus#CLOSED} (batches stop at their first
 * payload with that refusal), with a reason that says which of the two closed it.
 *
 * @param <T> the payload type of the target port
 */
public interface Ingress<T> {

  /**
   * Returns the ingress name.
   *
   * @return the name given at graph build time
   */
  String name();

  /**
   * Offers a DATA payload without waiting; the edge's policy decides what happens when it is full.
   *
   * @param payload the payload; never null
   * @return the outcome; BLOCKED means nothing was enqueued and the caller still owns the payload
   */
  OfferResult offer(T payload);

  /**
   * Offers a CONTROL payload: never dropped, delivered before queued data; BLOCKED only if the
   * CONTROL lane is full.
   *
   * @param payload the payload; never null
   * @return the outcome
   */
  OfferResult offerControl(T payload);

  /**
   * Offers a DATA payload, waiting up to {@code timeout} for room while the edge is full.
   *
   * @param payload the payload; never null
   * @param timeout the longest wait; zero or negative: no wait, as {@link #offer}
   * @return the outcome: BLOCKED if it timed out, CLOSED if the graph began shutting down
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  OfferResult put(T payload, Duration timeout) throws InterruptedException;

  /**
   * Offers DATA payloads in list order without waiting, as if by {@link #offer} one after another,
   * but cheaper: one clock reading stamps them all and the consumer is woken once, so a producer
   * that has several payloads at hand pays the per-call costs once per batch. Stops at the first
   * payload the edge refuses (BLOCKED because it is full, CLOSED, FAILED or REJECTED); that payload
   * and the ones after it were not offered and still belong to the caller. A {@code DROP} edge that
   * is full drops and counts payloads without stopping, as {@link #offer} would.
   *
   * <p>The payloads of one call enter the edge in list order, but offers from other threads may
   * interleave with them.
   *
   * @param payloads the payloads; neither the list nor any element may be null (checked before
   *     anything is offered)
   * @return what became of the payloads, and where and why the batch stopped
   * @throws NullPointerException if the list or one of its elements is null; nothing was offered
   */
  BatchOfferResult offerAll(List<? extends T> payloads);

  /**
   * Offers DATA payloads in list order as {@link #offerAll} does, waiting for room while the edge
   * is full, up to {@code timeout} for the whole batch. Stops at CLOSED, FAILED or REJECTED, or
   * with BLOCKED when the timeout elapsed with payloads left.
   *
   * <p>Unlike {@link #put}, an interrupt does not throw: part of the batch may already be in the
   * graph, and the result is the only record of which part. If the calling thread is interrupted
   * while it waits (or was on entry, with the edge full), the call stops waiting and returns what
   * was taken so far with a BLOCKED refusal, and the thread's interrupt status stays set: check
   * {@link Thread#isInterrupted()} to tell an interrupt from a timeout.
   *
   * @param payloads the payloads; neither the list nor any element may be null (checked before
   *     anything is offered)
   * @param timeout the longest time to wait for room, in total; zero or negative: no wait, as
   *     {@link #offerAll}
   * @return what became of the payloads, and where and why the batch stopped
   * @throws NullPointerException if the list, an element or the timeout is null; nothing was
   *     offered
   */
  BatchOfferResult putAll(List<? extends T> payloads, Duration timeout);

  /**
   * Ends this ingress's stream: the application will offer nothing more through it. Payloads it
   * accepted before are still delivered. From then on every {@link #offer}, {@link #offerControl},
   * {@link #put}, {@link #offerAll} and {@link #putAll} is refused with {@link
   * dev.weir.core.OfferStatus#CLOSED}, the same refusal a stopping graph gives, with a reason that
   * names this call; a {@code put} or {@code putAll} waiting for room returns CLOSED at once.
   *
   * <p>The node the ingress feeds counts it as an upstream that has ended, as it counts an
   * exhausted source: once all of its upstreams (ingresses, sources, nodes) have ended and its
   * inputs are empty, it runs {@code onFinish} and finishes, and the finish cascades downstream. A
   * graph whose every ingress was completed and whose sources are exhausted finishes on its own,
   * and {@link RunningGraph#awaitCompletion} returns {@code true}.
   *
   * <p>Idempotent: later calls do nothing. After the graph began to stop it does nothing either
   * (the stop closed the ingress already).
   *
   * <p>Thread-safety: safe from any thread, also while other threads offer. An offer racing with it
   * either was accepted before it (then it is delivered) or is refused with CLOSED: none is lost,
   * and none is accepted after {@code complete()} returns.
   */
  void complete();
}
