package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The documented meters exist with the documented tags and read the engine's counters. */
class MetricsTest {

  private static Graph pipeline(AtomicLong sum) {
    return Graph.builder("metered")
        .add("numbers", Nodes.range(0, 10_000))
        .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
        .add("sum", Nodes.sink(Long.class, sum::addAndGet))
        .connect("numbers.out", "double.in", EdgeSpec.blocking(16))
        .connect("double.out", "sum.in", EdgeSpec.blocking(16))
        .build();
  }

  @Test
  void meterRegistry_whenGiven_exposesEdgeNodeAndSchedulerMeters() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    RunningGraph running =
        Scheduler.builder().meterRegistry(registry).build().start(pipeline(new AtomicLong()));
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30))).isTrue();

      assertThat(
              registry
                  .get("weir.edge.delivered")
                  .tags("graph", "metered", "edge", "double.out->sum.in")
                  .functionCounter()
                  .count())
          .isEqualTo(10_000);
      assertThat(
              registry
                  .get("weir.edge.offers")
                  .tags("edge", "numbers.out->double.in", "result", "accepted")
                  .functionCounter()
                  .count())
          .isEqualTo(10_000);
      assertThat(
              registry
                  .get("weir.edge.high.water.mark")
                  .tags("edge", "double.out->sum.in")
                  .gauge()
                  .value())
          .isBetween(1.0, 16.0);
      assertThat(registry.get("weir.edge.depth").tags("edge", "double.out->sum.in").gauge().value())
          .isZero();
      assertThat(registry.get("weir.node.messages").tags("node", "sum").functionCounter().count())
          .isEqualTo(10_000);
      assertThat(
              registry
                  .get("weir.node.activations")
                  .tags("node", "numbers")
                  .functionCounter()
                  .count())
          .isPositive();
      assertThat(
              registry.get("weir.node.busy.time").tags("node", "double").functionCounter().count())
          .isPositive();
      assertThat(registry.get("weir.node.errors").tags("node", "double").functionCounter().count())
          .isZero();
      // One offers counter per outcome, each reading its own EdgeStats field (here only accepted
      // is non-zero; the rest read zero rather than being absent).
      for (String result :
          List.of("evicted", "coalesced", "blocked", "dropped", "failed", "rejected", "closed")) {
        assertThat(
                registry
                    .get("weir.edge.offers")
                    .tags("edge", "numbers.out->double.in", "result", result)
                    .functionCounter()
                    .count())
            .as(result)
            .isLessThanOrEqualTo(result.equals("blocked") ? 10_000 : 0);
      }
      assertThat(registry.get("weir.node.restarts").tags("node", "double").functionCounter())
          .isNotNull();
      assertThat(registry.get("weir.scheduler.ready.depth").tags("band", "control").gauge())
          .isNotNull();
      assertThat(registry.get("weir.scheduler.loop.latency").timer().count()).isPositive();
      assertThat(registry.get("weir.graph.dead.letters").functionCounter().count()).isZero();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(registry.find("weir.edge.delivered").meters())
        .as("meters are removed when the graph stops")
        .isEmpty();
  }

  /**
   * Regression: {@code result=accepted} read {@code EdgeStats.accepted}, which includes the offers
   * that evicted, so an evicting offer was counted under both accepted and evicted.
   */
  @Test
  void edgeOffers_countEachOfferOnce_evictingOnesUnderEvicted() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 0);
    Graph graph =
        Graph.builder("latest")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.of(1, OverflowPolicy.LATEST))
            .build();
    RunningGraph running = Scheduler.builder().meterRegistry(registry).build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      in.offer(0L);
      await().atMost(Duration.ofSeconds(30)).until(gate::hasArrivals); // the sink holds 0
      for (long i = 1; i <= 5; i++) {
        in.offer(i); // 1 fills the edge, 2 to 5 each evict the one before
      }
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge("ingress:in->sink.in"));

      assertThat(offers(registry, "accepted")).isEqualTo(2);
      assertThat(offers(registry, "evicted")).isEqualTo(4);
      double sum = 0;
      for (String result :
          List.of(
              "accepted",
              "evicted",
              "coalesced",
              "blocked",
              "dropped",
              "failed",
              "rejected",
              "closed")) {
        sum += offers(registry, result);
      }
      assertThat(sum).as("summed over results: the offers made").isEqualTo(stats.offered());
    } finally {
      gate.open();
      running.stop(Duration.ofSeconds(5));
    }
  }

  private static double offers(MeterRegistry registry, String result) {
    return registry
        .get("weir.edge.offers")
        .tags("edge", "ingress:in->sink.in", "result", result)
        .functionCounter()
        .count();
  }

  @Test
  void sameNamedGraphs_onOneRegistry_theSecondIsRefusedUntilTheFirstStops()
      throws InterruptedException {
    MeterRegistry registry = new SimpleMeterRegistry();
    RunningGraph first =
        Scheduler.builder().meterRegistry(registry).build().start(pipeline(new AtomicLong()));
    try {
      Scheduler second = Scheduler.builder().meterRegistry(registry).build();
      AtomicLong sum = new AtomicLong();

      assertThatThrownBy(() -> second.start(pipeline(sum)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a running graph named 'metered' already reports to this")
          .hasMessageContaining("own name, or its own registry");

      assertThat(first.awaitCompletion(Duration.ofSeconds(30))).isTrue();
      first.stop(Duration.ofSeconds(5));
      RunningGraph again = second.start(pipeline(sum));
      try {
        assertThat(again.awaitCompletion(Duration.ofSeconds(30))).isTrue();
        assertThat(
                registry
                    .get("weir.node.messages")
                    .tags("graph", "metered", "node", "sum")
                    .functionCounter()
                    .count())
            .as("the meters are the new graph's")
            .isEqualTo(10_000);
      } finally {
        again.stop(Duration.ofSeconds(5));
      }
    } finally {
      first.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void aStartRefusedForAnUnknownNode_leavesNoMetersBehind() {
    MeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler =
        Scheduler.builder()
            .meterRegistry(registry)
            .errorPolicy("nope", ErrorPolicy.STOP_NODE)
            .build();

    assertThatThrownBy(() -> scheduler.start(pipeline(new AtomicLong())))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void controlLatency_isRecordedPerControlMessage() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    Graph graph =
        Graph.builder("control")
            .add("sink", Nodes.sink(String.class, s -> {}))
            .ingress("in", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().meterRegistry(registry).build().start(graph);
    try {
      Ingress<String> in = running.ingress("in", String.class);
      for (int i = 0; i < 5; i++) {
        assertThat(in.offerControl("c" + i).isEnqueued()).isTrue();
      }
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
      assertThat(registry.get("weir.scheduler.control.latency").timer().count()).isEqualTo(5);
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
  }
}
