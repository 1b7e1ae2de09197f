package dev.weir.core.internal;

import dev.weir.core.Edge;
import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What every Weir edge shares: id, port enforcement, the CONTROL lane, the closed flag and the
 * counters. Subclasses supply the DATA ring's protocol ({@link #offerData}, {@link #takeNext}).
 *
 * <p>Concurrency: the DATA ring's indices live in the padded fields inherited from {@link
 * RingIndices}; the CONTROL lane is a separate {@link SpscRing}. {@code closed} is volatile: a
 * close on any thread is seen by the producer's next offer.
 *
 * <p>Counters: the hot ones are not counters. {@code accepted} is the DATA ring's tail plus the
 * CONTROL lane's: each accepted message advances exactly one of them, before its offer returns, and
 * nothing else advances them (a merge or a refusal does not; an eviction moves head, not tail), so
 * the sum is exact once the producer's offers happen-before the read, e.g. after the graph stopped.
 * {@code delivered} and the high-water mark are single-writer fields beside the consumer's and the
 * producer's indices, on lines their writer already owns: the writer reads its own last value
 * plainly and stores with opaque mode (a plain mov on x86, never torn), so they count exactly; a
 * reader on another thread gets a recent value (opaque) and the exact one under the same
 * happens-before. The rest ({@link EdgeCounters}) are written only on the paths that refuse, drop,
 * evict, merge or discard. A multi-producer ring ({@link MpscRingEdge}) keeps {@code accepted}
 * derived (its tail is the count of indices claimed by CAS), raises the high-water mark by CAS and
 * has its {@link EdgeCounters} increment the producer counters atomically.
 */
abstract class RingEdge<T> extends RingIndices implements Edge<T> {

  final String id;
  final PortSpec<T> port;
  final EdgeSpec spec;
  final EdgeCounters counters;
  final SpscRing control;
  private final Class<T> type;
  private final boolean validates;

  /**
   * The runtime class of the last payload that passed the port's type check, when the port has no
   * validator: a payload of exactly this class needs no further check. {@code void.class} (the
   * class of no object) when there is a validator, so that every payload goes through it. Written
   * by the producer (by any of them on a multi-producer ring); a racy read or a lost write is
   * benign, as every value ever stored passed {@code type.isInstance}, a lost write only sends a
   * later offer through the full check, and {@code Class} objects are safely published.
   */
  private Class<?> admitted;

  private volatile boolean closed;

  RingEdge(String id, PortSpec<T> port, EdgeSpec spec) {
    this(id, port, spec, false);
  }

  /**
   * @param sharedProducers whether several producer threads offer at once: the counters they write
   *     are then incremented atomically
   */
  RingEdge(String id, PortSpec<T> port, EdgeSpec spec, boolean sharedProducers) {
    super(spec.capacity());
    this.counters = new EdgeCounters(sharedProducers);
    this.id = id;
    this.port = port;
    this.spec = spec;
    this.type = port.type();
    this.validates = port.validator() != null;
    this.admitted = validates ? void.class : type;
    this.control = new SpscRing(spec.controlCapacity());
  }

  /** Producer side: enqueue or apply the policy; the payload is already checked. */
  abstract OfferResult offerData(Message<?> message);

  /**
   * Consumer side: the oldest CONTROL message if any, else the oldest DATA message, or null. Must
   * deliver a DATA message only after every CONTROL message offered before its last write: the
   * plain rings look at the DATA ring before the CONTROL lane and take only DATA they saw then; the
   * COALESCE ring, whose messages change in place, checks the lane after it read the message it
   * delivers. Does not count.
   */
  abstract @Nullable Message<?> takeNext();

  @Override
  public final OfferResult offer(Message<?> message) {
    if (closed) {
      return refuseClosed();
    }
    if (message.payload().getClass() != admitted || message.isControl()) {
      return offerChecked(message);
    }
    return offerData(message);
  }

  /** Counts and answers an offer to a closed edge. */
  final OfferResult refuseClosed() {
    counters.incrementProducer(EdgeCounters.CLOSED);
    return OfferResult.closed("edge " + id + " is closed: the graph is shutting down");
  }

  /**
   * Producer side: enqueues a CONTROL message in the CONTROL lane, or returns false when the lane
   * is full. The lane is single-producer; a ring with several producers serializes them here.
   */
  boolean offerControl(Message<?> message) {
    return control.offer(message);
  }

  /** Called once by {@link #close()} after the closed flag is set; nothing by default. */
  void onClose() {}

  /** The slow path of {@link #offer}: a payload of a class not seen yet, or a CONTROL message. */
  private OfferResult offerChecked(Message<?> message) {
    Object payload = message.payload();
    Class<?> c = payload.getClass();
    if (c != admitted) {
      if (validates || !type.isInstance(payload)) {
        String problem = port.check(payload);
        if (problem != null) {
          counters.incrementProducer(EdgeCounters.REJECTED);
          return OfferResult.rejected("edge " + id + ": " + problem);
        }
      } else {
        admitted = c;
      }
    }
    if (message.isControl()) {
      if (offerControl(message)) {
        return OfferResult.accepted();
      }
      counters.incrementProducer(EdgeCounters.BLOCKED);
      return OfferResult.blocked();
    }
    return offerData(message);
  }

  /**
   * The answer to a DATA offer that found the ring full, for the policies that refuse it (BLOCK,
   * DROP, FAIL), counted in the producer's counters.
   */
  final OfferResult refuseFull(OverflowPolicy.Kind kind) {
    return switch (kind) {
      case DROP -> {
        counters.incrementProducer(EdgeCounters.DROPPED);
        yield OfferResult.dropped();
      }
      case FAIL -> {
        counters.incrementProducer(EdgeCounters.FAILED);
        yield OfferResult.failed(
            new EdgeOverflowException(
                id,
                "edge "
                    + id
                    + " is full ("
                    + capacity
                    + " messages) and its policy is FAIL: the consumer is too slow; raise the"
                    + " capacity, speed up the consumer, or choose BLOCK for backpressure",
                null));
      }
      default -> {
        counters.incrementProducer(EdgeCounters.BLOCKED);
        yield OfferResult.blocked();
      }
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public final @Nullable Message<T> poll() {
    Message<?> next = takeNext();
    if (next == null) {
      return null;
    }
    // Single writer: only the consumer stores delivered, so a plain read of its own last store
    // counts exactly. release (a plain mov on x86): stats() reads delivered with acquire before
    // the tails, so it never shows more delivered than accepted.
    setDeliveredRelease(delivered + 1);
    return (Message<T>) next;
  }

  /**
   * Consumer side of the evicting ring (LATEST), first half of {@link #takeNext}: snapshot the DATA
   * tail into {@code tailCache}, then poll the CONTROL lane; if that returns null, the caller takes
   * DATA only below {@code tailCache}. A producer publishes a CONTROL message before any DATA
   * message it offers later, so the DATA we may take was published after every CONTROL message
   * offered before it: we see those first.
   */
  final @Nullable Message<?> pollControlAfterTailSnapshot(long head) {
    refreshTailCache(head);
    return control.poll();
  }

  @Override
  @SuppressWarnings("unchecked")
  public final int discardAll(Consumer<? super Message<T>> sink) {
    int discarded = 0;
    Message<?> next;
    while ((next = takeNext()) != null) {
      discarded++;
      counters.incrementConsumer(EdgeCounters.DISCARDED);
      sink.accept((Message<T>) next);
    }
    return discarded;
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
  public int depth() {
    return sizeAnyThread();
  }

  @Override
  public final int controlDepth() {
    return control.size();
  }

  @Override
  public final void close() {
    closed = true;
    onClose();
  }

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final EdgeStats stats() {
    EdgeCounters c = counters;
    // Consumer-side counts first: a message counted in them has its tail store visible after
    // these acquires (see offerData), so accepted >= delivered + discarded in every snapshot.
    long delivered = deliveredAcquire();
    long discarded = c.consumerAcquire(EdgeCounters.DISCARDED);
    // Every accepted message advanced exactly one of the two tails (exact when quiescent; each
    // tail only grows, so accepted never goes backwards for a reader).
    long accepted = tailAcquire() + control.tailAcquire();
    return new EdgeStats(
        accepted,
        c.producerOpaque(EdgeCounters.EVICTED),
        c.producerOpaque(EdgeCounters.COALESCED),
        c.producerOpaque(EdgeCounters.BLOCKED),
        c.producerOpaque(EdgeCounters.DROPPED),
        c.producerOpaque(EdgeCounters.FAILED),
        c.producerOpaque(EdgeCounters.REJECTED),
        c.producerOpaque(EdgeCounters.CLOSED),
        delivered,
        discarded,
        depth(),
        controlDepth(),
        highWaterMarkOpaque());
  }

  @Override
  public String toString() {
    return "Edge[" + id + ", " + spec + ", depth=" + depth() + ']';
  }
}
