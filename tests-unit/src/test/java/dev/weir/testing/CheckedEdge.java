package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Edge;
import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeStats;
import dev.weir.core.MergeFailedException;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drives an {@link Edge} from one thread while keeping its own ledger of every outcome, and checks
 * the edge against it after every step (Caffeine's validation interceptor, for edges). The ledger
 * is built only from what the caller observed, the {@link OfferResult}s and the polled messages, so
 * it is independent of {@link Edge#stats()}; after each step it asserts that
 *
 * <ul>
 *   <li>every counter of {@code stats()} equals the observed count, so {@code offered == accepted +
 *       dropped + coalesced + blocked + failed + rejected + closed} holds with the caller's
 *       numbers;
 *   <li>{@code accepted == delivered + evicted + discarded + depth + controlDepth} and {@code
 *       unaccounted() == 0};
 *   <li>the data depth never exceeds the capacity, and equals the observed depth; so do the CONTROL
 *       depth, {@code remainingCapacity()}, {@code isEmpty()} and the high-water mark;
 *   <li>a poll never returns DATA while CONTROL messages are queued, and returns null only when
 *       both lanes are empty;
 *   <li>each result is well formed: EVICTED carries a message, FAILED a cause, REJECTED and CLOSED
 *       a reason.
 * </ul>
 *
 * <p>Thread-safety: single-threaded; the exact checks hold only when no other thread uses the edge.
 *
 * @param <T> the edge's payload type
 */
public final class CheckedEdge<T> {

  private final Edge<T> edge;
  private final int capacity;
  private final int controlCapacity;

  private long accepted;
  private long evicted;
  private long coalesced;
  private long blocked;
  private long dropped;
  private long failed;
  private long rejected;
  private long closed;
  private long delivered;
  private long discarded;
  private int depth;
  private int controlDepth;
  private long highWaterMark;
  private long steps;
  private Step lastStep = new Step("create", null, null);

  /**
   * Wraps a new, unused edge.
   *
   * @param edge the edge; its stats must all be zero
   */
  public CheckedEdge(Edge<T> edge) {
    this.edge = edge;
    this.capacity = edge.spec().capacity();
    this.controlCapacity = edge.spec().controlCapacity();
    verify();
  }

  /**
   * Returns the wrapped edge, e.g. to read its id or spec. Offers and polls made on it directly
   * bypass the ledger and make the next check fail.
   *
   * @return the edge
   */
  public Edge<T> edge() {
    return edge;
  }

  /**
   * Offers a message, records the outcome and checks the edge.
   *
   * @param message the message
   * @return the edge's result
   */
  public OfferResult offer(Message<?> message) {
    OfferResult result = edge.offer(message);
    steps++;
    lastStep = new Step("offer", message, result);
    assertThat(result).as(context("result")).isNotNull();
    OfferStatus status = result.status();
    assertThat(result.isEnqueued()).as(context("isEnqueued")).isEqualTo(status.isEnqueued());
    assertThat(result.evicted() != null)
        .as(context("evicted() present"))
        .isEqualTo(status == OfferStatus.EVICTED);
    assertThat(result.cause() != null)
        .as(context("cause() present"))
        .isEqualTo(status == OfferStatus.FAILED);
    if (status == OfferStatus.REJECTED || status == OfferStatus.CLOSED) {
      assertThat(result.reason()).as(context("reason")).isNotBlank().contains(edge.id());
    }
    if (message.isControl()) {
      assertThat(status)
          .as(context("CONTROL outcome"))
          .isIn(
              OfferStatus.ACCEPTED, OfferStatus.BLOCKED, OfferStatus.REJECTED, OfferStatus.CLOSED);
    }
    switch (status) {
      case ACCEPTED -> {
        accepted++;
        if (message.isControl()) {
          controlDepth++;
        } else {
          depth++;
        }
      }
      case EVICTED -> {
        accepted++;
        evicted++;
        assertThat(depth).as(context("depth before an eviction")).isEqualTo(capacity);
      }
      case COALESCED -> coalesced++;
      case BLOCKED -> blocked++;
      case DROPPED -> dropped++;
      case FAILED -> {
        failed++;
        assertThat(result.cause())
            .as(context("cause"))
            .isInstanceOf(
                edge.spec().policy().kind() == OverflowPolicy.Kind.COALESCE
                    ? MergeFailedException.class
                    : EdgeOverflowException.class);
      }
      case REJECTED -> rejected++;
      case CLOSED -> closed++;
    }
    highWaterMark = Math.max(highWaterMark, depth);
    verify();
    return result;
  }

  /**
   * Polls, records the delivery and checks the edge.
   *
   * @return the polled message, or null
   */
  public Message<T> poll() {
    int controlBefore = controlDepth;
    Message<T> message = edge.poll();
    steps++;
    lastStep = new Step("poll", null, message);
    if (message == null) {
      assertThat(depth + controlDepth).as(context("queued when poll returned null")).isZero();
    } else {
      delivered++;
      if (message.isControl()) {
        controlDepth--;
      } else {
        assertThat(controlBefore).as(context("CONTROL queued when DATA was delivered")).isZero();
        depth--;
      }
    }
    verify();
    return message;
  }

  /**
   * Discards everything queued, records it and checks the edge.
   *
   * @param sink receives each discarded message
   * @return the edge's count of discarded messages
   */
  public int discardAll(Consumer<? super Message<T>> sink) {
    int expected = depth + controlDepth;
    int[] seen = new int[1];
    int count =
        edge.discardAll(
            m -> {
              seen[0]++;
              sink.accept(m);
            });
    steps++;
    lastStep = new Step("discardAll", null, count);
    assertThat(count).as(context("discardAll count")).isEqualTo(expected).isEqualTo(seen[0]);
    discarded += count;
    depth = 0;
    controlDepth = 0;
    verify();
    return count;
  }

  /** Closes the edge and checks it. */
  public void close() {
    edge.close();
    steps++;
    lastStep = new Step("close", null, null);
    assertThat(edge.isClosed()).as(context("isClosed")).isTrue();
    verify();
  }

  /**
   * Returns the DATA depth this ledger expects.
   *
   * @return accepted DATA messages not yet delivered, evicted or discarded
   */
  public int depth() {
    return depth;
  }

  /**
   * Returns the CONTROL depth this ledger expects.
   *
   * @return accepted CONTROL messages not yet delivered or discarded
   */
  public int controlDepth() {
    return controlDepth;
  }

  /**
   * Returns the number of offers made through this wrapper.
   *
   * @return offers, whatever their outcome
   */
  public long offered() {
    return accepted + coalesced + blocked + dropped + failed + rejected + closed;
  }

  /** Checks the edge against the ledger; called after every step. */
  public void verify() {
    EdgeStats s = edge.stats();
    assertThat(s.accepted()).as(context("accepted")).isEqualTo(accepted);
    assertThat(s.evicted()).as(context("evicted")).isEqualTo(evicted);
    assertThat(s.coalesced()).as(context("coalesced")).isEqualTo(coalesced);
    assertThat(s.blocked()).as(context("blocked")).isEqualTo(blocked);
    assertThat(s.dropped()).as(context("dropped")).isEqualTo(dropped);
    assertThat(s.failed()).as(context("failed")).isEqualTo(failed);
    assertThat(s.rejected()).as(context("rejected")).isEqualTo(rejected);
    assertThat(s.closed()).as(context("closed")).isEqualTo(closed);
    assertThat(s.delivered()).as(context("delivered")).isEqualTo(delivered);
    assertThat(s.discarded()).as(context("discarded")).isEqualTo(discarded);
    assertThat(s.offered()).as(context("offered")).isEqualTo(offered());
    assertThat(s.depth()).as(context("stats depth")).isEqualTo(depth).isBetween(0, capacity);
    assertThat(s.controlDepth())
        .as(context("stats controlDepth"))
        .isEqualTo(controlDepth)
        .isBetween(0, controlCapacity);
    assertThat(accepted)
        .as(context("accepted == delivered + evicted + discarded + depth + controlDepth"))
        .isEqualTo(delivered + evicted + discarded + depth + controlDepth);
    assertThat(s.unaccounted()).as(context("unaccounted")).isZero();
    assertThat(s.highWaterMark()).as(context("highWaterMark")).isEqualTo(highWaterMark);
    assertThat(edge.depth()).as(context("depth()")).isEqualTo(depth);
    assertThat(edge.controlDepth()).as(context("controlDepth()")).isEqualTo(controlDepth);
    assertThat(edge.remainingCapacity())
        .as(context("remainingCapacity()"))
        .isEqualTo(capacity - depth);
    assertThat(edge.isEmpty()).as(context("isEmpty()")).isEqualTo(depth + controlDepth == 0);
  }

  private Supplier<String> context(String what) {
    long step = steps;
    Step last = lastStep;
    return () -> what + " after step " + step + " [" + last + "] on " + edge + " " + edge.stats();
  }

  /** The last operation, formatted only when a check fails. */
  private record Step(String op, Object argument, Object outcome) {
    @Override
    public String toString() {
      return op + "(" + (argument == null ? "" : argument) + ") -> " + outcome;
    }
  }

  @Override
  public String toString() {
    return "CheckedEdge[" + edge + ", steps=" + steps + ']';
  }
}
