package dev.weir.core;

import dev.weir.core.internal.Edges;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A bounded queue from one output port to one input port, with an {@link OverflowPolicy} for DATA
 * messages and a separate CONTROL lane. Its capacity is a hard bound on DATA depth, under every
 * policy; every offer returns an {@link OfferResult} and is counted in {@link #stats()}.
 *
 * <p>Delivery: {@link #poll()} returns queued CONTROL messages before any queued DATA message;
 * within a plane, messages come out in the order they were accepted (COALESCE merges in place,
 * LATEST removes from the front).
 *
 * <p>Thread-safety: one producer thread ({@link #offer}, {@link #remainingCapacity}) and one
 * consumer thread ({@link #poll}, {@link #discardAll}) at a time, lock-free. Everything a producer
 * wrote before {@code offer} is visible to the consumer after the {@code poll} that returns the
 * message. Successive producers (or consumers) on different threads must be ordered by a
 * happens-before edge of their own, as the scheduler's hand-over of a node is. {@link #stats()},
 * {@link #depth()} and the other read methods are safe from any thread.
 *
 * @param <T> the payload type of the input port
 */
public interface Edge<T> {

  /**
   * Creates an edge, choosing the implementation that fits the policy: a wait-free SPSC ring for
   * BLOCK, DROP and FAIL, a lock-free evicting ring for LATEST, a lock-free merging ring for
   * COALESCE.
   *
   * @param id the edge id, by convention {@code producer.port->consumer.port}
   * @param input the consumer's port: its type and validator are enforced on every offer
   * @param spec capacity, policy and CONTROL lane capacity
   * @param <T> the payload type
   * @return a new, open, empty edge
   * @throws IllegalArgumentException if the spec is invalid ({@link EdgeSpec#problem()}), naming
   *     the edge
   */
  static <T> Edge<T> create(String id, PortSpec<T> input, EdgeSpec spec) {
    return Edges.create(id, input, spec);
  }

  /**
   * Returns the edge id.
   *
   * @return {@code producer.port->consumer.port}
   */
  String id();

  /**
   * Returns the consumer's port.
   *
   * @return the input port spec this edge enforces
   */
  PortSpec<T> port();

  /**
   * Returns the spec the edge was built from.
   *
   * @return the spec
   */
  EdgeSpec spec();

  /**
   * Offers a message. DATA messages are subject to the capacity and policy; CONTROL messages go to
   * the CONTROL lane and are only ever {@link OfferStatus#BLOCKED} (never dropped) when it is full.
   * Producer thread only.
   *
   * @param message the message; its payload is checked against the port's type and validator
   * @return the outcome, never null
   */
  OfferResult offer(Message<?> message);

  /**
   * Takes the next message: the oldest CONTROL message if any, else the oldest DATA message.
   * Consumer thread only.
   *
   * @return the message, or {@code null} if the edge is empty
   */
  @Nullable Message<T> poll();

  /**
   * Returns how many DATA messages an offer could enqueue now without overflowing. Exact on the
   * producer's thread when the consumer is idle, otherwise an underestimate: what a source reads as
   * demand.
   *
   * @return free DATA slots, between 0 and the capacity
   */
  int remainingCapacity();

  /**
   * Returns the DATA depth.
   *
   * @return queued DATA messages, a snapshot from any thread
   */
  int depth();

  /**
   * Returns the CONTROL depth.
   *
   * @return queued CONTROL messages, a snapshot from any thread
   */
  int controlDepth();

  /**
   * Returns whether neither lane holds a message.
   *
   * @return a snapshot from any thread
   */
  default boolean isEmpty() {
    return depth() == 0 && controlDepth() == 0;
  }

  /**
   * Closes the edge to new offers: every later offer returns {@link OfferStatus#CLOSED}. Queued
   * messages can still be polled or discarded. Idempotent; any thread.
   */
  void close();

  /**
   * Returns whether {@link #close()} was called.
   *
   * @return whether the edge refuses offers
   */
  boolean isClosed();

  /**
   * Removes every queued message, CONTROL first, without delivering it: each is passed to {@code
   * sink} and counted as discarded. Used at shutdown so that nothing vanishes. Consumer thread
   * only.
   *
   * @param sink receives each discarded message, e.g. a dead-letter handler
   * @return how many messages were discarded
   */
  int discardAll(Consumer<? super Message<T>> sink);

  /**
   * Returns the counters.
   *
   * @return a snapshot, safe from any thread
   */
  EdgeStats stats();
}
