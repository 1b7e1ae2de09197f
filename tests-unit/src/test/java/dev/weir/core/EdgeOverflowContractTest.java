package dev.weir.core;

import static dev.weir.core.EdgeContractTest.ID;
import static dev.weir.core.EdgeContractTest.IN;
import static dev.weir.core.EdgeContractTest.KEY;
import static dev.weir.core.EdgeContractTest.MERGE;
import static dev.weir.core.EdgeContractTest.data;
import static dev.weir.core.EdgeContractTest.drain;
import static dev.weir.core.EdgeContractTest.edge;
import static dev.weir.core.EdgeContractTest.fill;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.CheckedEdge;
import dev.weir.testing.EdgeFlavor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each overflow policy does with a DATA offer to a full edge, at capacities 1, 2, 3, 7 and
 * 1024, with the ledger checked after every step by {@link CheckedEdge}. The shared contract is in
 * {@link EdgeContractTest}.
 */
class EdgeOverflowContractTest {

  static Stream<Arguments> blockOnBothRings() {
    return onBothRings(EdgeFlavor.BLOCK, EdgeFlavor.MPSC_BLOCK);
  }

  static Stream<Arguments> dropOnBothRings() {
    return onBothRings(EdgeFlavor.DROP, EdgeFlavor.MPSC_DROP);
  }

  static Stream<Arguments> failOnBothRings() {
    return onBothRings(EdgeFlavor.FAIL, EdgeFlavor.MPSC_FAIL);
  }

  /** The single-producer and the multi-producer ring of one policy, at every contract capacity. */
  private static Stream<Arguments> onBothRings(EdgeFlavor single, EdgeFlavor multi) {
    return Stream.of(single, multi)
        .flatMap(f -> Arrays.stream(EdgeContractTest.CAPACITIES).mapToObj(c -> Arguments.of(f, c)));
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("blockOnBothRings")
  void offer_whenFullUnderBlock_returnsBlockedAndDoesNotEnqueue(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, capacity);
    Message<String> refused = data("refused:1");

    OfferResult result = edge.offer(refused);

    assertThat(result).isSameAs(OfferResult.blocked());
    assertThat(result.isEnqueued()).isFalse();
    assertThat(edge.poll()).isSameAs(queued.get(0));
    assertThat(edge.offer(refused).status())
        .as("the retry after room")
        .isEqualTo(OfferStatus.ACCEPTED);
    List<Message<String>> expected = new ArrayList<>(queued.subList(1, capacity));
    expected.add(refused);
    assertThat(drain(edge)).containsExactlyElementsOf(expected);
    assertThat(edge.edge().stats().blocked()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("dropOnBothRings")
  void offer_whenFullUnderDrop_returnsDroppedAndLeavesQueueUnchanged(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, capacity);

    for (int i = 0; i < 3; i++) {
      OfferResult result = edge.offer(data("dropped:" + i));
      assertThat(result).isSameAs(OfferResult.dropped());
      assertThat(result.evicted()).isNull();
    }

    assertThat(drain(edge)).containsExactlyElementsOf(queued);
    assertThat(edge.edge().stats().dropped()).isEqualTo(3);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 2, 3, 7, 1024})
  void offer_whenFullUnderLatest_evictsExactlyTheOldestAndKeepsTheNewest(int capacity) {
    CheckedEdge<String> edge = edge(EdgeFlavor.LATEST, capacity);
    List<Message<String>> offered = new ArrayList<>(fill(edge, capacity));

    for (int i = 0; i < 2 * capacity + 1; i++) {
      Message<String> incoming = data("new:" + i);
      OfferResult result = edge.offer(incoming);
      offered.add(incoming);

      assertThat(result.status()).isEqualTo(OfferStatus.EVICTED);
      assertThat(result.isEnqueued()).isTrue();
      assertThat(result.evicted()).as("eviction %d", i).isSameAs(offered.get(i));
    }

    assertThat(drain(edge))
        .containsExactlyElementsOf(offered.subList(offered.size() - capacity, offered.size()));
    assertThat(edge.edge().stats().evicted()).isEqualTo(2L * capacity + 1);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 2, 3, 7, 1024})
  void offer_whenFullUnderLatestAfterPartialPoll_evictsTheOldestStillQueued(int capacity) {
    CheckedEdge<String> edge = edge(EdgeFlavor.LATEST, capacity);
    List<Message<String>> offered = fill(edge, capacity);
    edge.poll();
    Message<String> refill = data("refill:0");
    edge.offer(refill);

    OfferResult result = edge.offer(data("new:0"));

    Message<?> expectedOldest = capacity == 1 ? refill : offered.get(1);
    assertThat(result.evicted()).isSameAs(expectedOldest);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 2, 3, 7, 1024})
  void offer_whenFullUnderCoalesce_mergesIntoTheNewestKeepingItsPositionAndMetadata(int capacity) {
    CheckedEdge<String> edge = edge(EdgeFlavor.COALESCE, capacity);
    List<Message<String>> queued = fill(edge, capacity);
    Message<String> newest = queued.get(capacity - 1);

    assertThat(edge.offer(data("x:1"))).isSameAs(OfferResult.coalesced());
    assertThat(edge.offer(data("y:2"))).isSameAs(OfferResult.coalesced());

    List<Message<String>> delivered = drain(edge);
    assertThat(delivered.subList(0, capacity - 1))
        .containsExactlyElementsOf(queued.subList(0, capacity - 1));
    Message<String> merged = delivered.get(capacity - 1);
    assertThat(merged.payload()).isEqualTo(newest.payload() + "+x:1+y:2");
    assertThat(merged.traceId()).isEqualTo(newest.traceId());
    assertThat(merged.timestampNanos()).isEqualTo(newest.timestampNanos());
    assertThat(merged.headers()).isEqualTo(newest.headers());
    assertThat(merged.plane()).isEqualTo(Plane.DATA);
    assertThat(edge.edge().stats().coalesced()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("keyedFlavors")
  void offer_whenFullUnderKeyedCoalesce_mergesIntoTheSameKeyOnly(EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, capacity);
    Message<String> oldest = queued.get(0);

    assertThat(edge.offer(data("k0:a")).status()).isEqualTo(OfferStatus.COALESCED);

    List<Message<String>> delivered = drain(edge);
    assertThat(delivered.get(0).payload()).isEqualTo(oldest.payload() + "+k0:a");
    assertThat(delivered.get(0).traceId()).isEqualTo(oldest.traceId());
    assertThat(delivered.subList(1, capacity))
        .containsExactlyElementsOf(queued.subList(1, capacity));
  }

  /**
   * Regression test for issue 14, point 6: a keyed COALESCE offer whose key no queued message has
   * used to merge into the newest message of another key. It applies the fallback instead: BLOCK
   * (refused, nothing lost), DROP (discarded, counted) or LATEST (the oldest evicted).
   */
  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("keyedFlavors")
  void offer_whenFullUnderKeyedCoalesceWithoutTheKey_appliesTheFallbackAndNeverMergesAcrossKeys(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, capacity);
    Message<String> stranger = data("unknown:b");

    OfferResult result = edge.offer(stranger);

    List<Message<String>> expected = new ArrayList<>(queued);
    switch (flavor) {
      case COALESCE_KEYED -> {
        assertThat(result.status()).isEqualTo(OfferStatus.BLOCKED);
        assertThat(edge.edge().stats().blocked()).isEqualTo(1);
      }
      case COALESCE_KEYED_DROP -> {
        assertThat(result.status()).isEqualTo(OfferStatus.DROPPED);
        assertThat(edge.edge().stats().dropped()).isEqualTo(1);
      }
      default -> {
        assertThat(result.status()).isEqualTo(OfferStatus.EVICTED);
        assertThat(result.evicted()).isSameAs(queued.get(0));
        assertThat(edge.edge().stats().evicted()).isEqualTo(1);
        expected.remove(0);
        expected.add(stranger);
      }
    }
    assertThat(edge.edge().stats().coalesced()).isZero();
    assertThat(edge.edge().depth()).isEqualTo(capacity);
    assertThat(drain(edge)).containsExactlyElementsOf(expected);
  }

  @Test
  void offer_keyedCoalesceBlockedWithoutTheKey_isAcceptedOnceTheConsumerMadeRoom() {
    CheckedEdge<String> edge = edge(EdgeFlavor.COALESCE_KEYED, 2);
    List<Message<String>> queued = fill(edge, 2);
    Message<String> stranger = data("unknown:b");
    assertThat(edge.offer(stranger).status()).isEqualTo(OfferStatus.BLOCKED);

    assertThat(edge.poll()).isSameAs(queued.get(0));

    assertThat(edge.offer(stranger).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(drain(edge)).containsExactly(queued.get(1), stranger);
  }

  static Stream<Arguments> keyedFlavors() {
    return Stream.of(
            EdgeFlavor.COALESCE_KEYED,
            EdgeFlavor.COALESCE_KEYED_DROP,
            EdgeFlavor.COALESCE_KEYED_LATEST)
        .flatMap(f -> Arrays.stream(EdgeContractTest.CAPACITIES).mapToObj(c -> Arguments.of(f, c)));
  }

  @Test
  void offer_whenFullUnderKeyedCoalesceWithTheKeyQueuedTwice_mergesIntoTheNewestOfThem() {
    CheckedEdge<String> edge = edge(EdgeFlavor.COALESCE_KEYED, 4);
    for (String p : List.of("a:0", "b:1", "a:2", "c:3")) {
      edge.offer(data(p));
    }

    edge.offer(data("a:9"));

    assertThat(drain(edge))
        .extracting(Message::payload)
        .containsExactly("a:0", "b:1", "a:2+a:9", "c:3");
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("failOnBothRings")
  void offer_whenFullUnderFail_returnsFailedWithAnOverflowExceptionNamingTheEdge(
      EdgeFlavor flavor, int capacity) {
    CheckedEdge<String> edge = edge(flavor, capacity);
    List<Message<String>> queued = fill(edge, capacity);

    OfferResult result = edge.offer(data("over:1"));

    assertThat(result.status()).isEqualTo(OfferStatus.FAILED);
    assertThat(result.isEnqueued()).isFalse();
    assertThat(result.cause()).isInstanceOf(EdgeOverflowException.class);
    EdgeOverflowException overflow = (EdgeOverflowException) result.cause();
    assertThat(overflow.edgeId()).isEqualTo(ID);
    assertThat(overflow.getMessage()).contains(ID).contains("(" + capacity + " messages)");
    assertThat(result.reason()).isEqualTo(overflow.getMessage());
    assertThat(drain(edge)).containsExactlyElementsOf(queued);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(names = {"COALESCE", "COALESCE_KEYED"})
  void offer_whenMergeThrows_returnsFailedWithTheCauseAndLeavesTheQueueUntouched(
      EdgeFlavor flavor) {
    IllegalStateException boom = new IllegalStateException("merge broke");
    BinaryOperator<String> merge =
        (queued, incoming) -> {
          if (incoming.endsWith(":boom")) {
            throw boom;
          }
          return MERGE.apply(queued, incoming);
        };
    for (int capacity : EdgeContractTest.CAPACITIES) {
      CheckedEdge<String> edge =
          new CheckedEdge<>(Edge.create(ID, IN, flavor.spec(capacity, merge, KEY)));
      List<Message<String>> queued = fill(edge, capacity);

      // Key k0 is queued, so keyed COALESCE merges too (rather than applying its fallback).
      OfferResult result = edge.offer(data("k0:boom"));

      assertThat(result.status()).isEqualTo(OfferStatus.FAILED);
      assertThat(result.cause()).isInstanceOf(MergeFailedException.class).hasCause(boom);
      assertThat(((MergeFailedException) result.cause()).edgeId()).isEqualTo(ID);
      assertThat(result.reason()).contains(ID).contains("merge broke");
      assertThat(edge.offer(data("k0:fine")).status()).isEqualTo(OfferStatus.COALESCED);
      List<Message<String>> delivered = drain(edge);
      assertThat(delivered).hasSize(capacity);
      for (int i = 0; i < capacity; i++) {
        assertThat(delivered.get(i).payload())
            .as("capacity %d position %d", capacity, i)
            .doesNotContain("boom");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(names = {"COALESCE", "COALESCE_KEYED"})
  void offer_whenMergeReturnsWrongTypeOrNull_returnsFailedAndLeavesTheQueueUntouched(
      EdgeFlavor flavor) {
    BinaryOperator<Object> merge =
        (queued, incoming) ->
            switch ((String) incoming) {
              case "k0:int" -> 42;
              case "k0:null" -> null;
              default -> queued + "+" + incoming;
            };
    Function<Object, Object> key = p -> KEY.apply((String) p);
    for (int capacity : EdgeContractTest.CAPACITIES) {
      OverflowPolicy policy =
          flavor == EdgeFlavor.COALESCE
              ? OverflowPolicy.coalesce(merge)
              : OverflowPolicy.coalesce(merge, key);
      CheckedEdge<String> edge =
          new CheckedEdge<>(Edge.create(ID, IN, EdgeSpec.of(capacity, policy)));
      List<Message<String>> queued = fill(edge, capacity);

      OfferResult wrongType = edge.offer(data("k0:int"));
      OfferResult nothing = edge.offer(data("k0:null"));

      assertThat(wrongType.status()).isEqualTo(OfferStatus.FAILED);
      assertThat(wrongType.reason()).contains(ID).contains("java.lang.Integer");
      assertThat(nothing.status()).isEqualTo(OfferStatus.FAILED);
      assertThat(nothing.reason()).contains(ID).contains("null");
      assertThat(drain(edge)).containsExactlyElementsOf(queued);
    }
  }

  @Test
  void offer_whenKeyFunctionThrows_returnsFailedAndLeavesTheQueueUntouched() {
    Function<String, String> key =
        s -> {
          if (s.startsWith("boom")) {
            throw new IllegalArgumentException("no key for " + s);
          }
          return KEY.apply(s);
        };
    CheckedEdge<String> edge =
        new CheckedEdge<>(Edge.create(ID, IN, EdgeSpec.of(3, OverflowPolicy.coalesce(MERGE, key))));
    List<Message<String>> queued = fill(edge, 3);

    OfferResult result = edge.offer(data("boom:1"));

    assertThat(result.status()).isEqualTo(OfferStatus.FAILED);
    assertThat(result.cause()).hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(result.reason()).contains("no key for boom:1");
    assertThat(drain(edge)).containsExactlyElementsOf(queued);
  }

  /**
   * Regression: the merged payload was checked against the port's type but not its validator, so a
   * merge could deliver a payload the port forbids, although a validator's contract is that a
   * refused payload "never reaches the node".
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(names = {"COALESCE", "COALESCE_KEYED"})
  void offer_whenMergeResultFailsTheValidator_returnsFailedAndLeavesTheQueueUntouched(
      EdgeFlavor flavor) {
    PortSpec<String> shortWords =
        PortSpec.of("in", String.class).withValidator(s -> s.length() > 12 ? "too long" : null);
    CheckedEdge<String> edge =
        new CheckedEdge<>(Edge.create(ID, shortWords, flavor.spec(2, MERGE, KEY)));
    List<Message<String>> queued = fill(edge, 2);

    OfferResult result = edge.offer(data("k1:longer"));

    assertThat(result.status()).isEqualTo(OfferStatus.FAILED);
    assertThat(result.reason()).contains(ID).contains("too long");
    assertThat(drain(edge)).containsExactlyElementsOf(queued);
  }
}
