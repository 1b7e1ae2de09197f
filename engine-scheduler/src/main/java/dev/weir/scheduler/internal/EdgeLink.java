package dev.weir.scheduler.internal;

import dev.weir.core.Edge;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.PortSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/*
 * Concurrency: the lossless-wake protocol between a waiting producer and its consumer.
 *
 * A producer that cannot make progress on this edge (its outbox holds messages the edge refused,
 * or it is a source and the edge has no room) sets `producerWaiting` with a volatile store and then
 * re-checks the edge. A consumer, after polling this edge, reads `producerWaiting`; at the end of
 * every activation it issues a full fence and reads it again. This is Dekker's pattern: the
 * producer's store precedes its re-check, the consumer's polls (head stores) precede the fence and
 * its read, so either the producer's re-check sees the room the consumer made, or the consumer
 * sees the flag and wakes the producer. No wake-up is lost, and nobody sleeps or spins on a full
 * edge.
 *
 * `parked` is the producer's outbox for this edge: touched only by the producer's activations.
 */

/**
 * Not API: one edge of a running graph, with its two ends and the producer's outbox for it.
 *
 * <p>Thread-safety: {@code parked} belongs to the producer; {@code producerWaiting} is shared under
 * the protocol above; the rest is immutable.
 */
final class EdgeLink {

  private static final VarHandle PRODUCER_WAITING;

  static {
    try {
      PRODUCER_WAITING =
          MethodHandles.lookup().findVarHandle(EdgeLink.class, "producerWaiting", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Edge<?> edge;
  final String id;

  /** The producing cell, or null for an ingress edge. */
  final @Nullable NodeCell producer;

  /** The ingress feeding this edge, or null for an edge between nodes. */
  @Nullable IngressGate<?> ingress;

  final NodeCell consumer;

  /** The consumer's declared port instance, passed to {@code onMessage}. */
  final PortSpec<?> consumerPort;

  /** Producer-owned: the activation offered something the consumer must be signalled for. */
  boolean touched;

  /** Producer-owned: what was offered included a CONTROL message. */
  boolean touchedControl;

  /** Producer-owned: the first refused message (REJECTED, MERGE_FAILED) was logged. */
  boolean refusalLogged;

  /**
   * Consumer-activation-owned: whether the running activation of the consumer polled this edge and
   * has yet to check its producer's wait flag (NodeCell.wakePolledProducers).
   */
  boolean polled;

  /**
   * Messages the producer emitted to this edge that were still in its outbox (the edge had refused
   * them for room) when they were dead-lettered: its error policy stopped it, or a shutdown gave
   * up. The edge never accepted them, so its own counters cannot tell. Written by the producer's
   * activation or the stopping thread, rarely.
   */
  final AtomicLong outboxDeadLettered = new AtomicLong();

  /** Producer-owned outbox: DATA messages the edge refused (BLOCKED), oldest first. */
  final ArrayDeque<Message<?>> parked = new ArrayDeque<>();

  /** Producer-owned outbox for CONTROL messages: flushed before {@link #parked}. */
  final ArrayDeque<Message<?>> parkedControl = new ArrayDeque<>();

  @SuppressWarnings("unused") // accessed through PRODUCER_WAITING
  private volatile boolean producerWaiting;

  EdgeLink(Edge<?> edge, @Nullable NodeCell producer, NodeCell consumer, PortSpec<?> consumerPort) {
    this.edge = edge;
    this.id = edge.id();
    this.producer = producer;
    this.consumer = consumer;
    this.consumerPort = consumerPort;
  }

  /** The producer's outbox for a message's plane. */
  ArrayDeque<Message<?>> parkedFor(Message<?> message) {
    return message.isControl() ? parkedControl : parked;
  }

  /**
   * Offers to the edge. For CONTROL, the consumer's pending count goes up before the offer, so the
   * consumer can never take the message while the count says none is pending (which would skip its
   * CONTROL-first scan); it is undone if the message was not enqueued.
   */
  OfferResult offer(Message<?> message) {
    if (!message.isControl()) {
      return edge.offer(message);
    }
    consumer.pendingControl.incrementAndGet();
    OfferResult result = edge.offer(message);
    if (!result.isEnqueued()) {
      consumer.pendingControl.decrementAndGet();
    }
    return result;
  }

  /** Producer side: announce that the producer waits for room; follow with a re-check. */
  void setProducerWaitingVolatile() {
    PRODUCER_WAITING.setVolatile(this, true);
  }

  /** Consumer side: a cheap check after each poll. */
  boolean producerWaitingOpaque() {
    return (boolean) PRODUCER_WAITING.getOpaque(this);
  }

  /** Consumer side: claims the wake-up; true if this call cleared the flag. */
  boolean claimProducerWaiting() {
    return (boolean) PRODUCER_WAITING.getAndSet(this, false);
  }

  /** Wakes whoever waits on this edge for room: the producing cell or ingress putters. */
  void wakeProducer() {
    NodeCell p = producer;
    if (p != null) {
      p.signal(p.band);
    } else if (ingress != null) {
      ingress.roomAvailable();
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
