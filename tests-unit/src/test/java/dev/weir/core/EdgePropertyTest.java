package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.CheckedEdge;
import dev.weir.testing.EdgeFlavor;
import dev.weir.testing.EdgeModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of edges under any sequence of offers and polls, any policy, capacity 1..64 and
 * CONTROL lane 1..4. A scenario is a list of bursts: offers of DATA (some with a "poison" payload
 * whose merge throws), CONTROL offers, payloads of the wrong type, polls, and rarely a discardAll
 * or a close. Trace ids are the offer sequence numbers, so order can be read off any delivery.
 *
 * <p>Every run goes through {@link CheckedEdge}, which checks after every step that depth never
 * exceeds capacity and that both ledger equations hold with the counts this test observed, and most
 * properties also compare each step with {@link EdgeModel}, a naive list-based reference.
 *
 * <p>Replay: failures print jqwik's {@code seed = N} and start with the command that regenerates
 * the same scenarios, {@code [replay with: mvn -B -ntp -pl tests-unit -am test
 * -Dtest='EdgePropertyTest#name' -Dweir.seed=N]} (see {@code dev.weir.testing.JqwikSeedHook}).
 */
class EdgePropertyTest {

  /** A DATA payload: a key for keyed COALESCE and a value that records merges. */
  record Item(int key, long value) {}

  static final int POISON = -1;
  static final int CONTROL_KEY = 100;
  static final PortSpec<Item> IN = PortSpec.of("in", Item.class);

  /** Deterministic and non-commutative; throws for a poison incoming payload. */
  static final BinaryOperator<Item> MERGE =
      (queued, incoming) -> {
        if (incoming.key() == POISON) {
          throw new IllegalStateException("poison " + incoming);
        }
        return new Item(queued.key(), queued.value() * 31 + incoming.value());
      };

  static final Function<Item, Integer> KEY = Item::key;

  sealed interface Op permits OfferData, OfferControl, OfferWrongType, Poll, DiscardAll, Close {}

  /** Offers {@code count} DATA messages with the given key. */
  record OfferData(int key, int count) implements Op {}

  record OfferControl() implements Op {}

  record OfferWrongType() implements Op {}

  /** Polls {@code count} times. */
  record Poll(int count) implements Op {}

  record DiscardAll() implements Op {}

  record Close() implements Op {}

  record Scenario(EdgeFlavor flavor, int capacity, int controlCapacity, List<Op> ops) {
    EdgeSpec spec() {
      return flavor.spec(capacity, MERGE, KEY).withControlCapacity(controlCapacity);
    }
  }

  /** Everything a run observed, in order. */
  static final class Trace {
    final List<OfferResult> results = new ArrayList<>();
    final Map<OfferStatus, Integer> counts = new EnumMap<>(OfferStatus.class);
    final List<Message<?>> acceptedData = new ArrayList<>();
    final List<Message<?>> evicted = new ArrayList<>();
    final List<Message<Item>> delivered = new ArrayList<>();
    final List<Message<Item>> discarded = new ArrayList<>();
    int offers;
    CheckedEdge<Item> edge;

    int count(OfferStatus status) {
      return counts.getOrDefault(status, 0);
    }
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(
            Arbitraries.of(EdgeFlavor.class),
            Arbitraries.integers().between(1, 64),
            Arbitraries.integers().between(1, 4),
            ops())
        .as(Scenario::new);
  }

  @Provide
  Arbitrary<Scenario> blockScenarios() {
    return scenarios()
        .map(
            s ->
                new Scenario(
                    s.flavor().multiProducer() ? EdgeFlavor.MPSC_BLOCK : EdgeFlavor.BLOCK,
                    s.capacity(),
                    2,
                    s.ops()));
  }

  @Provide
  Arbitrary<Scenario> coalesceScenarios() {
    return Combinators.combine(
            Arbitraries.of(
                EdgeFlavor.COALESCE,
                EdgeFlavor.COALESCE_KEYED,
                EdgeFlavor.COALESCE_KEYED_DROP,
                EdgeFlavor.COALESCE_KEYED_LATEST),
            Arbitraries.integers().between(1, 64),
            ops())
        .as((flavor, capacity, ops) -> new Scenario(flavor, capacity, 2, ops));
  }

  private static Arbitrary<List<Op>> ops() {
    Arbitrary<Integer> burst = Arbitraries.integers().between(1, 80);
    Arbitrary<Op> offer =
        Combinators.combine(Arbitraries.integers().between(0, 3), burst).as(OfferData::new);
    Arbitrary<Op> poison = Arbitraries.just(new OfferData(POISON, 1));
    Arbitrary<Op> poll = burst.map(Poll::new);
    return Arbitraries.frequencyOf(
            Tuple.of(40, offer),
            Tuple.of(30, poll),
            Tuple.of(10, Arbitraries.just(new OfferControl())),
            Tuple.of(4, Arbitraries.just(new OfferWrongType())),
            Tuple.of(4, poison),
            Tuple.of(3, Arbitraries.just(new DiscardAll())),
            Tuple.of(1, Arbitraries.just(new Close())))
        .list()
        .ofMaxSize(40);
  }

  /** Runs a scenario, comparing every step with the reference model when {@code model} is set. */
  static Trace run(Scenario scenario, boolean model) {
    Trace trace = new Trace();
    CheckedEdge<Item> edge =
        new CheckedEdge<>(scenario.flavor().create("p.out->c.in", IN, scenario.spec()));
    EdgeModel<Item> reference = model ? new EdgeModel<>(IN, scenario.spec()) : null;
    trace.edge = edge;
    long seq = 0;
    for (Op op : scenario.ops()) {
      if (op instanceof OfferData o) {
        for (int i = 0; i < o.count(); i++) {
          seq++;
          offer(trace, reference, message(new Item(o.key(), seq), seq, Plane.DATA));
        }
      } else if (op instanceof OfferControl) {
        seq++;
        offer(trace, reference, message(new Item(CONTROL_KEY, seq), seq, Plane.CONTROL));
      } else if (op instanceof OfferWrongType) {
        seq++;
        offer(trace, reference, message("not an item", seq, Plane.DATA));
      } else if (op instanceof Poll p) {
        for (int i = 0; i < p.count(); i++) {
          Message<Item> m = edge.poll();
          if (reference != null) {
            Message<?> expected = reference.poll();
            assertThat(EdgeModel.sameDelivery(m, expected))
                .as("poll: edge %s, model %s", m, expected)
                .isTrue();
          }
          if (m != null) {
            trace.delivered.add(m);
          }
        }
      } else if (op instanceof DiscardAll) {
        List<Message<Item>> discarded = new ArrayList<>();
        edge.discardAll(discarded::add);
        if (reference != null) {
          List<Message<?>> expected = reference.discardAll();
          assertThat(discarded).hasSameSizeAs(expected);
          for (int i = 0; i < expected.size(); i++) {
            assertThat(EdgeModel.sameDelivery(discarded.get(i), expected.get(i)))
                .as("discarded %d: edge %s, model %s", i, discarded.get(i), expected.get(i))
                .isTrue();
          }
        }
        trace.discarded.addAll(discarded);
      } else if (op instanceof Close) {
        edge.close();
        if (reference != null) {
          reference.close();
        }
      }
    }
    return trace;
  }

  /** A message whose trace id and timestamp are its offer sequence number. */
  static <T> Message<T> message(T payload, long seq, Plane plane) {
    return Message.create(payload, Headers.empty(), seq, seq, plane);
  }

  private static void offer(Trace trace, EdgeModel<Item> reference, Message<?> message) {
    OfferResult result = trace.edge.offer(message);
    trace.offers++;
    trace.results.add(result);
    trace.counts.merge(result.status(), 1, Integer::sum);
    if (result.isEnqueued() && !message.isControl()) {
      trace.acceptedData.add(message);
    }
    if (result.evicted() != null) {
      trace.evicted.add(result.evicted());
    }
    if (reference != null) {
      EdgeModel.Outcome expected = reference.offer(message);
      assertThat(result.status()).as("offer %s", message).isEqualTo(expected.status());
      Message<?> evicted = expected.evicted();
      if (evicted == null) {
        assertThat(result.evicted()).as("evicted by %s", message).isNull();
      } else {
        // A keyed COALESCE may evict a merged message: the model's copy of it is another object.
        assertThat(result.evicted()).as("evicted by %s", message).isNotNull();
        assertThat(result.evicted().traceId()).isEqualTo(evicted.traceId());
        assertThat(result.evicted().payload()).isEqualTo(evicted.payload());
      }
    }
  }

  private static List<Message<Item>> drainRest(Trace trace) {
    List<Message<Item>> rest = new ArrayList<>();
    Message<Item> m;
    while ((m = trace.edge.poll()) != null) {
      rest.add(m);
    }
    return rest;
  }

  @Property
  void anyOps_matchTheReferenceModelAtEveryStep(@ForAll("scenarios") Scenario scenario) {
    Trace trace = run(scenario, true);

    assertThat(trace.edge.edge().depth()).isBetween(0, scenario.capacity());
  }

  @Property
  void anyOps_ledgerBalancesWithTheCountsTheCallerKept(@ForAll("scenarios") Scenario scenario) {
    Trace trace = run(scenario, false);
    List<Message<Item>> rest = drainRest(trace);

    int outcomes = 0;
    for (OfferStatus status : OfferStatus.values()) {
      outcomes += trace.count(status);
    }
    int accepted = trace.count(OfferStatus.ACCEPTED) + trace.count(OfferStatus.EVICTED);
    assertThat(outcomes).as("one outcome per offer").isEqualTo(trace.offers);
    assertThat(accepted)
        .as("accepted == delivered + evicted + discarded once drained")
        .isEqualTo(
            trace.delivered.size() + rest.size() + trace.evicted.size() + trace.discarded.size());
    EdgeStats stats = trace.edge.edge().stats();
    assertThat(stats.offered()).isEqualTo(trace.offers);
    assertThat(stats.accepted()).isEqualTo(accepted);
    assertThat(stats.evicted()).isEqualTo(trace.evicted.size());
    assertThat(stats.coalesced()).isEqualTo(trace.count(OfferStatus.COALESCED));
    assertThat(stats.blocked()).isEqualTo(trace.count(OfferStatus.BLOCKED));
    assertThat(stats.dropped()).isEqualTo(trace.count(OfferStatus.DROPPED));
    assertThat(stats.failed()).isEqualTo(trace.count(OfferStatus.FAILED));
    assertThat(stats.rejected()).isEqualTo(trace.count(OfferStatus.REJECTED));
    assertThat(stats.closed()).isEqualTo(trace.count(OfferStatus.CLOSED));
    assertThat(stats.delivered()).isEqualTo(trace.delivered.size() + rest.size());
    assertThat(stats.discarded()).isEqualTo(trace.discarded.size());
    assertThat(stats.unaccounted()).isZero();
  }

  @Property
  void anyOps_deliverEachPlaneInOfferOrder(@ForAll("scenarios") Scenario scenario) {
    Trace trace = run(scenario, false);
    List<Message<Item>> all = new ArrayList<>(trace.delivered);
    all.addAll(drainRest(trace));

    for (Plane plane : Plane.values()) {
      long previous = 0;
      for (Message<Item> m : all) {
        if (m.plane() == plane) {
          assertThat(m.traceId())
              .as("%s delivery after trace %d", plane, previous)
              .isGreaterThan(previous);
          previous = m.traceId();
        }
      }
    }
  }

  @Property
  void block_anyOps_deliversEveryAcceptedMessageOnceAndInOrder(
      @ForAll("blockScenarios") Scenario scenario) {
    Trace trace = run(scenario, false);
    List<Message<?>> out = new ArrayList<>();
    for (List<Message<Item>> part : List.of(trace.delivered, trace.discarded, drainRest(trace))) {
      for (Message<Item> m : part) {
        if (!m.isControl()) {
          out.add(m);
        }
      }
    }

    assertThat(trace.evicted).isEmpty();
    assertThat(trace.count(OfferStatus.DROPPED) + trace.count(OfferStatus.COALESCED)).isZero();
    if (trace.discarded.isEmpty()) {
      assertThat(out).containsExactlyElementsOf(trace.acceptedData);
    } else {
      assertThat(out).containsExactlyInAnyOrderElementsOf(trace.acceptedData);
    }
  }

  @Property
  void latest_anyNumberOfOffers_keepsExactlyTheNewestCapacityMessages(
      @ForAll @IntRange(min = 1, max = 64) int capacity,
      @ForAll @IntRange(min = 0, max = 300) int offers) {
    Scenario scenario =
        new Scenario(EdgeFlavor.LATEST, capacity, 1, List.of(new OfferData(0, offers)));
    Trace trace = run(scenario, false);
    List<Message<?>> kept = new ArrayList<>(drainRest(trace));

    List<Message<?>> all = trace.acceptedData;
    int evictions = Math.max(0, offers - capacity);
    assertThat(kept).containsExactlyElementsOf(all.subList(evictions, offers));
    assertThat(trace.evicted).containsExactlyElementsOf(all.subList(0, evictions));
  }

  @Property
  void coalesce_sameOps_deliverTheSamePayloadsAsTheModel(
      @ForAll("coalesceScenarios") Scenario scenario) {
    Trace first = run(scenario, true);
    Trace second = run(scenario, false);
    List<Item> firstOut = payloads(first.delivered, drainRest(first));
    List<Item> secondOut = payloads(second.delivered, drainRest(second));

    assertThat(secondOut).containsExactlyElementsOf(firstOut);
  }

  /**
   * Regression property for issue 14, point 6: keyed COALESCE is conflation by key. Whatever the
   * fallback, the merge only ever sees two payloads of one key, and an offer that finds the edge
   * full merges into a queued message of its key if there is one (it never adds a second message of
   * a key the full edge holds).
   */
  @Property
  void keyedCoalesce_anyOps_neverMergeAcrossKeys(@ForAll("coalesceScenarios") Scenario scenario) {
    Assume.that(scenario.flavor().keyed());
    List<String> crossKey = new ArrayList<>();
    BinaryOperator<Item> checked =
        (queued, incoming) -> {
          if (incoming.key() != POISON && queued.key() != incoming.key()) {
            crossKey.add(queued + " <- " + incoming);
          }
          return MERGE.apply(queued, incoming);
        };
    EdgeSpec spec =
        scenario
            .flavor()
            .spec(scenario.capacity(), checked, KEY)
            .withControlCapacity(scenario.controlCapacity());
    Edge<Item> edge = scenario.flavor().create("p.out->c.in", IN, spec);
    List<Message<Item>> queued = new ArrayList<>();
    long seq = 0;
    for (Op op : scenario.ops()) {
      if (op instanceof OfferData o) {
        for (int i = 0; i < o.count(); i++) {
          seq++;
          Message<Item> m = message(new Item(o.key(), seq), seq, Plane.DATA);
          boolean full = queued.size() == scenario.capacity();
          boolean keyQueued = queued.stream().anyMatch(q -> q.payload().key() == o.key());
          OfferResult result = edge.offer(m);
          if (full && keyQueued && o.key() != POISON && !edge.isClosed()) {
            assertThat(result.status())
                .as("offer %s to a full edge holding its key", m)
                .isEqualTo(OfferStatus.COALESCED);
          }
          if (result.isEnqueued()) {
            if (result.evicted() != null) {
              queued.remove(0);
            }
            queued.add(m);
          }
        }
      } else if (op instanceof Poll p) {
        for (int i = 0; i < p.count(); i++) {
          Message<Item> m = edge.poll();
          if (m != null && !m.isControl()) {
            queued.remove(0);
          }
        }
      } else if (op instanceof DiscardAll) {
        edge.discardAll(m -> {});
        queued.clear();
      } else if (op instanceof Close) {
        edge.close();
      }
    }
    assertThat(crossKey).as("merges across keys").isEmpty();
  }

  @Property
  void anyOps_neverDeliverDataWhileControlIsQueued(@ForAll("scenarios") Scenario scenario) {
    Edge<Item> edge = scenario.flavor().create("p.out->c.in", IN, scenario.spec());
    int controlQueued = 0;
    long seq = 0;
    for (Op op : scenario.ops()) {
      if (op instanceof OfferControl) {
        seq++;
        if (edge.offer(message(new Item(CONTROL_KEY, seq), seq, Plane.CONTROL)).isEnqueued()) {
          controlQueued++;
        }
      } else if (op instanceof OfferData o) {
        for (int i = 0; i < o.count(); i++) {
          seq++;
          edge.offer(message(new Item(o.key(), seq), seq, Plane.DATA));
        }
      } else if (op instanceof Poll p) {
        for (int i = 0; i < p.count(); i++) {
          Message<Item> m = edge.poll();
          if (m != null && m.isControl()) {
            controlQueued--;
          } else if (m != null) {
            assertThat(controlQueued).as("CONTROL queued when %s was delivered", m).isZero();
          }
        }
      } else if (op instanceof DiscardAll) {
        edge.discardAll(m -> {});
        controlQueued = 0;
      } else if (op instanceof Close) {
        edge.close();
      }
    }
  }

  private static List<Item> payloads(List<Message<Item>> first, List<Message<Item>> rest) {
    List<Item> out = new ArrayList<>();
    first.forEach(m -> out.add(m.payload()));
    rest.forEach(m -> out.add(m.payload()));
    return out;
  }
}
