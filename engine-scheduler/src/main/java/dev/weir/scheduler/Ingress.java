package dev.weir.scheduler;

import dev.weir.core.OfferResult;
import java.time.Duration;

/**
 * A named entry into a running graph for application threads, declared with {@code
 * Graph.builder().ingress(name, "node.port")}. Its edge has the capacity and policy given there.
 *
 * <p>Thread-safety: safe from any number of threads. Offers from one thread are delivered in the
 * order made; offers from different threads interleave. Everything a thread wrote before an offer
 * is visible to the node that receives the message. After shutdown begins every call returns {@link
 * dev.weir.core.OfferStatus#CLOSED}.
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
   * @param timeout the longest wait
   * @return the outcome: BLOCKED if it timed out, CLOSED if the graph began shutting down
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  OfferResult put(T payload, Duration timeout) throws InterruptedException;
}
