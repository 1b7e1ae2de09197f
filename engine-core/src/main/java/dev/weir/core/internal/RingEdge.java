package dev.weir.core.internal;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.PortSpec;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every Weir edge shares: id, port enforcement, the CONTROL lane, the closed flag and the
 * counters. Subclasses supply the DATA ring's protocol ({@link #offerData}, {@link #pollData}).
 *
 * <p>Concurrency: the DATA ring's indices live in the padded fields inherited from {@link
 * RingIndices}; the CONTROL lane is a separate {@link SpscRing}. {@code closed} is volatile: a
 * close on any thread is seen by the producer's next offer.
 */
abstract class RingEdge<T> extends RingIndices implements Edge<T> {

  final String id;
  final PortSpec<T> port;
  final EdgeSpec spec;
  final EdgeCounters counters = new EdgeCounters();
  private final Class<T> type;
  private final boolean validates;
  private final SpscRing control;
  private volatile boolean closed;

  RingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    super(spec.capacity());
    this.id = id;
    this.port = port;
    this.spec = spec;
    this.type = port.type();
    this.validates = port.validator() != null;
    this.control = new SpscRing(spec.controlCapacity());
  }

  /** Producer side: enqueue or apply the policy; the payload is already checked. */
  abstract OfferResult offerData(Message<?> message);

  /**
   * Consumer side: the oldest DATA message below {@code tailCache}, or null. Never refreshes {@code
   * tailCache} (see {@link RingIndices#refreshTailCache}). Does not count.
   */
  abstract @Nullable Object pollData();

  /** Consumer side: the current head index, read as the ring's protocol requires. */
  abstract long consumerHead();

  @Override
  public final OfferResult offer(Message<?> message) {
    if (closed) {
      counters.incrementProducer(EdgeCounters.CLOSED);
      return OfferResult.closed("edge " + id + " is closed: the graph is shutting down");
    }
    Object payload = message.payload();
    if (!type.isInstance(payload) || validates) {
      String problem = port.check(payload);
      if (problem != null) {
        counters.incrementProducer(EdgeCounters.REJECTED);
        return OfferResult.rejected("edge " + id + ": " + problem);
      }
    }
    if (message.isControl()) {
      if (control.offer(message)) {
        counters.incrementProducer(EdgeCounters.ACCEPTED);
        return OfferResult.accepted();
      }
      counters.incrementProducer(EdgeCounters.BLOCKED);
      return OfferResult.blocked();
    }
    return offerData(message);
  }

  @Override
  @SuppressWarnings("unchecked")
  public final @Nullable Message<T> poll() {
    Object next = takeNext();
    if (next == null) {
      return null;
    }
    counters.incrementConsumer(EdgeCounters.DELIVERED);
    return (Message<T>) next;
  }

  /**
   * Snapshot the DATA tail, then the CONTROL lane, then DATA below the snapshot. A producer
   * publishes a CONTROL message before any DATA message it offers later, so the DATA we may take
   * was published after every CONTROL message offered before it: we see those first.
   */
  private @Nullable Object takeNext() {
    refreshTailCache(consumerHead());
    Object next = control.poll();
    return next != null ? next : pollData();
  }

  @Override
  @SuppressWarnings("unchecked")
  public final int discardAll(Consumer<? super Message<T>> sink) {
    int discarded = 0;
    Object next;
    while ((next = takeNext()) != null) {
      discarded++;
      counters.incrementConsumer(EdgeCounters.DISCARDED);
      sink.accept((Message<T>) next);
    }
    return discarded;
  }

  /** Producer thread: counts an accepted DATA message and tracks the high-water mark. */
  final void onAccepted(long depthEstimate) {
    counters.incrementProducer(EdgeCounters.ACCEPTED);
    if (depthEstimate > counters.highWaterMarkPlain()) {
      // The estimate uses a cached head and may be high; confirm with a fresh read before raising.
      headCache = Math.max(headCache, headAcquire());
      counters.raiseHighWaterMark(Math.min(capacity, tail - headCache));
    }
  }

  @Override
  public int remainingCapacity() {
    return spscRemaining();
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final PortSpec<T> port() {
    return port;
  }

  @Override
  public final EdgeSpec spec() {
    return spec;
  }

  @Override
  public final int depth() {
    return sizeAnyThread();
  }

  @Override
  public final int controlDepth() {
    return control.size();
  }

  @Override
  public final void close() {
    closed = true;
  }

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final EdgeStats stats() {
    EdgeCounters c = counters;
    return new EdgeStats(
        c.producerOpaque(EdgeCounters.ACCEPTED),
        c.producerOpaque(EdgeCounters.EVICTED),
        c.producerOpaque(EdgeCounters.COALESCED),
        c.producerOpaque(EdgeCounters.BLOCKED),
        c.producerOpaque(EdgeCounters.DROPPED),
        c.producerOpaque(EdgeCounters.FAILED),
        c.producerOpaque(EdgeCounters.REJECTED),
        c.producerOpaque(EdgeCounters.CLOSED),
        c.consumerOpaque(EdgeCounters.DELIVERED),
        c.consumerOpaque(EdgeCounters.DISCARDED),
        depth(),
        controlDepth(),
        c.producerOpaque(EdgeCounters.HIGH_WATER_MARK));
  }

  @Override
  public String toString() {
    return "Edge[" + id + ", " + spec + ", depth=" + depth() + ']';
  }
}
