package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.CheckedEdge;
import dev.weir.testing.EdgeFlavor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge contract, run against every overflow policy (and so every ring implementation) at
 * capacities 1, 2, 3, 7 and 1024 (non-powers of two included: the rings round their slot arrays up
 * and must still stop at the capacity). In the style of JCTools' {@code QueueSanityTest}.
 *
 * <p>Every operation goes through {@link CheckedEdge}, which checks the ledger ({@code offered ==
 * accepted + dropped + coalesced + blocked + failed + rejected + closed}, {@code unaccounted() ==
 * 0}), depth, CONTROL depth, remaining capacity and high-water mark against its own counts after
 * every step. Policy-specific overflow behaviour is in {@link EdgeOverflowContractTest}.
 */
class EdgeContractTest {

  static final String ID = "producer.out->consumer.in";
  static final PortSpec<String> IN = PortSpec.of("in", String.class);
  static final int[] CAPACITIES = {1, 2, 3, 7, 1024};

  /** Appends the incoming payload: non-commutative, so a swapped merge shows. */
  static final BinaryOperator<String> MERGE = (queued, incoming) -> queued + "+" + incoming;

  /** The part before ':'. */
  static final Function<String, String> KEY =
      s -> s.indexOf(':') < 0 ? s : s.substring(0, s.indexOf(':'));

  private static long sequence;

  static Stream<Arguments> everyFlavorAndCapacity() {
    List<Arguments> all = new ArrayList<>();
    for (EdgeFlavor flavor : EdgeFlavor.values()) {
      for (int capacity : CAPACITIES) {
        all.add(Arguments.of(flavor, capacity));
      }
    }
    return all.stream();
  }

  static CheckedEdge<String> edge(EdgeFlavor flavor, int capacity) {
    return new CheckedEdge<>(flavor.create(ID, IN, flavor.spec(capacity, MERGE, KEY)));
  }

  /** A DATA message with a unique trace id and timestamp, and a header naming its payload. */
  static Message<String> data(String payload) {
    long n = ++sequence;
    return Message.create(payload, Headers.of("origin", payload), n, n * 10, Plane.DATA);
  }

  static Message<String> control(String payload) {
    return data(payload).onPlane(Plane.CONTROL);
  }

  /** Offers {@code n} messages with distinct keys, asserting that each is accepted. */
  static List<Message<String>> fill(CheckedEdge<String> edge, int n) {
    List<Message<String>> offered = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Message<String> m = data("k" + i + ":" + i);
      assertThat(edge.offer(m).status()).as("fill offer %d", i).isEqualTo(OfferStatus.ACCEPTED);
      offered.add(m);
    }
    return offered;
  }

  /** Polls until empty. */
  static List<Message<String>> drain(CheckedEdge<String> edge) {
    List<Message<String>> out = new ArrayList<>();
    Message<String> m;
    while ((m = edge.poll()) != null) {
      out.add(m);
    }
    return out;
  }

  /**
   * The status an offer to a full edge of this flavor must have (DATA, valid payload, and for keyed
   * COALESCE a key the edge holds).
   */
  static OfferStatus whenFull(EdgeFlavor flavor) {
    return switch (flavor.kind()) {
      case BLOCK -> OfferStatus.BLOCKED;
      case DROP -> OfferStatus.DROPPED;
      case LATEST -> OfferStatus.EVICTED;
      case COALESCE -> OfferStatus.COALESCED;
      case FAIL -> OfferStatus.FAILED;
    };
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void create_new_isOpenEmptyAndFullyAvailable(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> checked = edge(flavor, capacity);
    Edge<String> edge = checked.edge();

    assertThat(edge.id()).isEqualTo(ID);
    assertThat(edge.port()).isSameAs(IN);
    assertThat(edge.spec().capacity()).isEqualTo(capacity);
    assertThat(edge.isClosed()).isFalse();
    assertThat(edge.isEmpty()).isTrue();
    assertThat(edge.remainingCapacity()).isEqualTo(capacity);
    assertThat(edge.stats()).isEqualTo(new EdgeStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertThat(checked.poll()).isNull();
    assertThat(edge.toString()).contains(ID).contains("depth=0");
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offer_upToCapacity_acceptsEachAndPollsThemInFifoOrder(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);

    List<Message<String>> offered = fill(edge, capacity);

    assertThat(edge.edge().depth()).isEqualTo(capacity);
    assertThat(edge.edge().remainingCapacity()).isZero();
    assertThat(drain(edge)).containsExactlyElementsOf(offered);
    assertThat(edge.edge().isEmpty()).isTrue();
    assertThat(edge.edge().remainingCapacity()).isEqualTo(capacity);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offer_beyondCapacity_neverExceedsCapacityAndAppliesThePolicy(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    fill(edge, capacity);

    for (int i = 0; i < capacity + 3; i++) {
      // A key the edge holds, so that keyed COALESCE merges rather than applying its fallback.
      OfferResult result = edge.offer(data("k" + (i % capacity) + ":over" + i));

      assertThat(result.status()).as("overflow offer %d", i).isEqualTo(whenFull(flavor));
      assertThat(edge.edge().depth()).isEqualTo(capacity);
      assertThat(edge.edge().remainingCapacity()).isZero();
    }
    assertThat(drain(edge)).hasSize(capacity);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void poll_fromFullEdge_makesRoomForExactlyOneMore(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> offered = fill(edge, capacity);

    assertThat(edge.poll()).isSameAs(offered.get(0));
    assertThat(edge.edge().remainingCapacity()).isEqualTo(1);
    Message<String> extra = data("extra:1");
    assertThat(edge.offer(extra).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(edge.offer(data("extra:2")).status()).isEqualTo(whenFull(flavor));

    List<Message<String>> rest = drain(edge);
    assertThat(rest).hasSize(capacity);
    if (!flavor.coalesces() && flavor != EdgeFlavor.LATEST) {
      List<Message<String>> expected = new ArrayList<>(offered.subList(1, capacity));
      expected.add(extra);
      assertThat(rest).containsExactlyElementsOf(expected);
    }
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offerAndPoll_manyCyclesAcrossTheSlotArray_keepFifoOrder(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    Deque<Message<String>> expected = new ArrayDeque<>();
    // Walk the indices well past twice the slot array (rounded up to a power of two), with the
    // depth sweeping 0 -> capacity -> 0 in uneven steps, never overflowing.
    int target = 4 * Integer.highestOneBit(capacity * 2 - 1) + 5;
    int offered = 0;
    int step = 0;
    while (offered < target) {
      int burst = 1 + (step++ % 3);
      for (int i = 0; i < burst && expected.size() < capacity; i++) {
        Message<String> m = data("k:" + offered++);
        assertThat(edge.offer(m).status()).isEqualTo(OfferStatus.ACCEPTED);
        expected.addLast(m);
      }
      int polls = expected.size() == capacity ? capacity : step % 2;
      for (int i = 0; i < polls && !expected.isEmpty(); i++) {
        assertThat(edge.poll()).isSameAs(expected.removeFirst());
      }
    }
    assertThat(drain(edge)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void poll_whenEmpty_returnsNullAndChangesNothing(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    fill(edge, 1);
    edge.poll();

    assertThat(edge.poll()).isNull();
    assertThat(edge.poll()).isNull();
    assertThat(edge.edge().stats().delivered()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void poll_withControlQueuedBehindFullData_deliversControlFirstInOrder(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> data = fill(edge, capacity);
    List<Message<String>> controls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Message<String> c = control("k0:control" + i);
      assertThat(edge.offer(c).status())
          .as("CONTROL is never subject to the data policy")
          .isEqualTo(OfferStatus.ACCEPTED);
      controls.add(c);
    }
    assertThat(edge.edge().depth()).isEqualTo(capacity);
    assertThat(edge.edge().controlDepth()).isEqualTo(3);

    List<Message<String>> delivered = drain(edge);

    List<Message<String>> expected = new ArrayList<>(controls);
    expected.addAll(data);
    assertThat(delivered).containsExactlyElementsOf(expected);
    EdgeStats stats = edge.edge().stats();
    assertThat(stats.dropped() + stats.evicted() + stats.coalesced() + stats.failed()).isZero();
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offer_controlWhenLaneFull_returnsBlockedUntilAControlIsPolled(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge =
        new CheckedEdge<>(
            flavor.create(ID, IN, flavor.spec(capacity, MERGE, KEY).withControlCapacity(2)));
    List<Message<String>> data = fill(edge, capacity);
    Message<String> c0 = control("c:0");
    Message<String> c1 = control("c:1");
    Message<String> c2 = control("c:2");
    assertThat(edge.offer(c0).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(edge.offer(c1).status()).isEqualTo(OfferStatus.ACCEPTED);

    OfferResult full = edge.offer(c2);

    assertThat(full.status()).isEqualTo(OfferStatus.BLOCKED);
    assertThat(full.isEnqueued()).isFalse();
    assertThat(edge.edge().controlDepth()).isEqualTo(2);
    assertThat(edge.poll()).isSameAs(c0);
    assertThat(edge.offer(c2).status()).isEqualTo(OfferStatus.ACCEPTED);
    List<Message<String>> expected = new ArrayList<>(List.of(c1, c2));
    expected.addAll(data);
    assertThat(drain(edge)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offer_wrongPayloadType_returnsRejectedNamingEdgePortAndBothTypes(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);

    for (Message<Integer> wrong : List.of(Message.of(42), Message.control(42))) {
      OfferResult result = edge.offer(wrong);

      assertThat(result.status()).isEqualTo(OfferStatus.REJECTED);
      assertThat(result.reason())
          .contains(ID)
          .contains("'in'")
          .contains("java.lang.Integer")
          .contains("java.lang.String");
    }
    fill(edge, capacity);
    assertThat(edge.offer(Message.of(7L)).status())
        .as("type is checked before the policy applies")
        .isEqualTo(OfferStatus.REJECTED);
    assertThat(drain(edge)).hasSize(capacity).allSatisfy(m -> assertThat(m.payload()).isNotNull());
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void offer_payloadFailingValidator_returnsRejectedWithTheValidatorsReason(
      EdgeFlavor flavor, int capacity) {
    PortSpec<String> port =
        PortSpec.of("in", String.class)
            .withValidator(
                s -> {
                  if (s.contains("explode")) {
                    throw new IllegalStateException("validator exploded");
                  }
                  return s.contains("bad") ? "no bad words" : null;
                });
    CheckedEdge<String> edge =
        new CheckedEdge<>(flavor.create(ID, port, flavor.spec(capacity, MERGE, KEY)));

    OfferResult bad = edge.offer(data("k:bad"));
    OfferResult badControl = edge.offer(control("k:bad"));
    OfferResult exploded = edge.offer(data("k:explode"));

    assertThat(bad.status()).isEqualTo(OfferStatus.REJECTED);
    assertThat(bad.reason()).contains(ID).contains("'in'").contains("no bad words");
    assertThat(badControl.status()).isEqualTo(OfferStatus.REJECTED);
    assertThat(exploded.status()).isEqualTo(OfferStatus.REJECTED);
    assertThat(exploded.reason()).contains("validator threw").contains("validator exploded");
    assertThat(edge.offer(data("k:good")).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(edge.edge().stats().rejected()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void close_withQueuedMessages_refusesNewOffersButStillDeliversQueued(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, Math.min(capacity, 3));
    Message<String> queuedControl = control("c:0");
    edge.offer(queuedControl);

    edge.close();
    edge.close();
    OfferResult late = edge.offer(data("late:1"));
    OfferResult lateControl = edge.offer(control("late:2"));
    OfferResult lateWrongType = edge.offer(Message.of(3));

    assertThat(edge.edge().isClosed()).isTrue();
    for (OfferResult r : List.of(late, lateControl, lateWrongType)) {
      assertThat(r.status()).isEqualTo(OfferStatus.CLOSED);
      assertThat(r.reason()).contains(ID).contains("closed");
    }
    List<Message<String>> expected = new ArrayList<>(List.of(queuedControl));
    expected.addAll(queued);
    assertThat(drain(edge)).containsExactlyElementsOf(expected);
    assertThat(edge.edge().stats().closed()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void discardAll_withQueuedMessages_handsEachOverControlFirstAndCountsThem(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> data = fill(edge, capacity);
    Message<String> c0 = control("c:0");
    Message<String> c1 = control("c:1");
    edge.offer(c0);
    edge.offer(c1);
    List<Message<String>> discarded = new ArrayList<>();

    int count = edge.discardAll(discarded::add);

    assertThat(count).isEqualTo(capacity + 2);
    List<Message<String>> expected = new ArrayList<>(List.of(c0, c1));
    expected.addAll(data);
    assertThat(discarded).containsExactlyElementsOf(expected);
    assertThat(edge.edge().isEmpty()).isTrue();
    assertThat(edge.edge().stats().discarded()).isEqualTo(capacity + 2);
    assertThat(edge.edge().stats().delivered()).isZero();
    assertThat(edge.discardAll(discarded::add)).isZero();
    assertThat(fill(edge, capacity)).hasSize(capacity);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("everyFlavorAndCapacity")
  void highWaterMark_afterDrain_keepsTheLargestDepthSeen(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    int peak = Math.min(capacity, 5);
    fill(edge, peak);
    drain(edge);
    fill(edge, 1);
    edge.offer(control("c:0"));

    assertThat(edge.edge().stats().highWaterMark()).isEqualTo(peak);
    fill(edge, capacity - 1);
    edge.offer(data("k:over"));
    assertThat(edge.edge().stats().highWaterMark()).isEqualTo(capacity);
  }
}
