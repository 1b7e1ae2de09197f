package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.Priority;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The documented meters (docs/architecture.md, "Metrics") and log events of a graph that exercises
 * every counter: blocking, the three lossy policies, failures with restarts, dead letters, CONTROL
 * messages and ticks.
 *
 * <pre>
 *   numbers ──BLOCK(16)──► flaky ──┬──DROP(4)──────► drops   ◄── ingress "ctl" (5 CONTROL messages)
 *   (1000)        restart(100, 1 min)├──LATEST(4)────► latest
 *                 x % 100 == 99 throws└──COALESCE(4)──► merged
 *   ticker (5 ms ticks, no ports)
 * </pre>
 */
class ObservabilitySmokeTest {

  private static final String LOGGER_RUNTIME = "dev.weir.scheduler.internal.GraphRuntime";
  private static final List<String> RESULTS =
      List.of(
          "accepted", "evicted", "coalesced", "blocked", "dropped", "failed", "rejected", "closed");
  private static final Map<String, ToLongFunction<EdgeStats>> BY_RESULT =
      Map.of(
          // each offer once: the evicting ones are accepted in EdgeStats, but counted as evicted
          "accepted", s -> s.accepted() - s.evicted(),
          "evicted", EdgeStats::evicted,
          "coalesced", EdgeStats::coalesced,
          "blocked", EdgeStats::blocked,
          "dropped", EdgeStats::dropped,
          "failed", EdgeStats::failed,
          "rejected", EdgeStats::rejected,
          "closed", EdgeStats::closed);

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void metricsAndLogs_ofABusyGraph_areTheDocumentedOnes(int workers) throws Exception {
    String name = "observed-" + workers;
    Ticker ticker = new Ticker();
    Graph graph =
        Graph.builder(name)
            .add("numbers", Nodes.range(0, 1_000))
            .add(
                "flaky",
                Nodes.map(
                    Long.class,
                    Long.class,
                    x -> {
                      if (x % 100 == 99) {
                        throw new IllegalArgumentException("no " + x);
                      }
                      return x;
                    }))
            .add("drops", Nodes.sink(Long.class, x -> BusyWork.spin(20_000)))
            .add("latest", Nodes.sink(Long.class, x -> {}))
            .add("merged", Nodes.sink(Long.class, x -> {}))
            .add("ticker", ticker)
            .connect("numbers.out", "flaky.in", EdgeSpec.blocking(16))
            .connect("flaky.out", "drops.in", EdgeSpec.of(4, OverflowPolicy.DROP))
            .connect("flaky.out", "latest.in", EdgeSpec.of(4, OverflowPolicy.LATEST))
            .connect(
                "flaky.out", "merged.in", EdgeSpec.of(4, OverflowPolicy.<Long>coalesce(Long::sum)))
            .ingress("ctl", "drops.in")
            .build();
    MeterRegistry registry = new SimpleMeterRegistry();
    long startedNanos = System.nanoTime();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .meterRegistry(registry)
            .errorPolicy("flaky", ErrorPolicy.restart(100, Duration.ofMinutes(1)))
            .priority("drops", Priority.LOW)
            .build()
            .start(graph);
    ShutdownReport report;
    GraphSnapshot s;
    try {
      Ingress<Long> ctl = running.ingress("ctl", Long.class);
      for (long i = 0; i < 5; i++) {
        assertThat(ctl.offerControl(-i).isEnqueued()).isTrue();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ticker.ticks() >= 3
                      && running.snapshot().node("flaky").messages() == 1_000
                      && running.awaitQuiescence(Duration.ofSeconds(1)));
      s = running.snapshot();
      // No time a meter reports can exceed the time the graph has run: a bound that holds on any
      // machine, however loaded (timing budgets live in tests-stress, at nightly scale).
      double ranSeconds = (System.nanoTime() - startedNanos) / 1e9;
      String context = s.render() + "\n" + meters(registry);

      for (GraphSnapshot.EdgeView edge : s.edges()) {
        for (String result : RESULTS) {
          assertThat(
                  registry
                      .get("weir.edge.offers")
                      .tags("graph", name, "edge", edge.id(), "result", result)
                      .functionCounter()
                      .count())
              .as("weir.edge.offers{edge=%s,result=%s}\n%s", edge.id(), result, context)
              .isEqualTo((double) BY_RESULT.get(result).applyAsLong(edge.stats()));
        }
        assertThat(gauge(registry, "weir.edge.depth", "edge", edge.id())).isZero();
        assertThat(counter(registry, "weir.edge.delivered", "edge", edge.id()))
            .as(context)
            .isEqualTo((double) edge.stats().delivered());
        assertThat(gauge(registry, "weir.edge.high.water.mark", "edge", edge.id()))
            .as(context)
            .isEqualTo((double) edge.stats().highWaterMark());
      }
      assertThat(counter(registry, "weir.edge.offers", "edge", "numbers.out->flaky.in"))
          .as("accepted + blocked + ... of the source's edge")
          .isGreaterThanOrEqualTo(1_000);
      for (String lossy :
          List.of("flaky.out->drops.in", "flaky.out->latest.in", "flaky.out->merged.in")) {
        EdgeStats e = s.edge(lossy);
        assertThat(e.accepted() + e.dropped() + e.coalesced())
            .as("%s: every one of flaky's 990 outputs is offered once\n%s", lossy, context)
            .isEqualTo(990);
      }
      assertThat(counter(registry, "weir.edge.delivered", "edge", "ingress:ctl->drops.in"))
          .isEqualTo(5);

      for (GraphSnapshot.NodeView node : s.nodes()) {
        if (node.name().equals("ticker")) {
          continue; // still ticking: compared below by plausibility only
        }
        assertThat(counter(registry, "weir.node.activations", "node", node.name()))
            .as(context)
            .isEqualTo((double) node.activations());
        assertThat(counter(registry, "weir.node.messages", "node", node.name()))
            .as(context)
            .isEqualTo((double) node.messages());
        assertThat(counter(registry, "weir.node.errors", "node", node.name()))
            .as(context)
            .isEqualTo((double) node.errors());
        assertThat(counter(registry, "weir.node.restarts", "node", node.name()))
            .as(context)
            .isEqualTo((double) node.restarts());
        assertThat(counter(registry, "weir.node.busy.time", "node", node.name()))
            .as(
                "busy seconds of %s: one thread at a time, so at most the run's\n%s",
                node.name(), context)
            .isGreaterThanOrEqualTo(0.0)
            .isLessThanOrEqualTo(ranSeconds);
      }
      assertThat(counter(registry, "weir.node.errors", "node", "flaky")).isEqualTo(10);
      assertThat(counter(registry, "weir.node.restarts", "node", "flaky")).isEqualTo(10);
      assertThat(counter(registry, "weir.node.messages", "node", "flaky")).isEqualTo(1_000);
      assertThat(counter(registry, "weir.node.messages", "node", "drops"))
          .as("DATA plus the 5 CONTROL messages")
          .isEqualTo(s.edge("flaky.out->drops.in").delivered() + 5);
      assertThat(counter(registry, "weir.node.busy.time", "node", "drops"))
          .as("drops spins 20 µs per message")
          .isGreaterThan(0.0);
      assertThat(counter(registry, "weir.node.activations", "node", "ticker"))
          .isGreaterThanOrEqualTo(3);

      for (String band : List.of("control", "high", "normal", "low")) {
        assertThat(
                registry
                    .get("weir.scheduler.ready.depth")
                    .tags("graph", name, "band", band)
                    .gauge()
                    .value())
            .isGreaterThanOrEqualTo(0);
      }
      assertThat(timer(registry, "weir.scheduler.loop.latency")).isPositive();
      assertThat(timer(registry, "weir.scheduler.tick.lateness"))
          .as("one lateness sample per tick")
          .isGreaterThanOrEqualTo(3);
      assertThat(timer(registry, "weir.scheduler.control.latency"))
          .as("one sample per CONTROL message delivered")
          .isEqualTo(5);
      assertThat(
              registry
                  .get("weir.scheduler.control.latency")
                  .tags("graph", name)
                  .timer()
                  .max(TimeUnit.SECONDS))
          .as("no CONTROL message waited longer than the graph has run")
          .isLessThanOrEqualTo(ranSeconds);
      assertThat(counter(registry, "weir.graph.dead.letters", null, null)).isEqualTo(10);
      assertThat(registry.getMeters())
          .as("every meter carries the graph tag")
          .filteredOn(m -> m.getId().getName().startsWith("weir."))
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m.getId().getTag("graph")).isEqualTo(name));
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    assertThat(registry.find("weir.edge.offers").meters())
        .as("meters are removed when the graph stops")
        .isEmpty();
    assertThat(report.deadLetters()).isEqualTo(10);
    Ledger.assertBalanced(graph, running.snapshot());

    List<String> lifecycle =
        logs
            .events(e -> e.getLoggerName().equals(LOGGER_RUNTIME) && e.getLevel() == Level.INFO)
            .stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.startsWith("graph '" + name + "'"))
            .toList();
    assertThat(lifecycle)
        .as(logs.describe())
        .hasSize(3)
        .satisfies(
            l -> {
              assertThat(l.get(0))
                  .isEqualTo(
                      String.format(
                          Locale.ROOT,
                          "graph '%s' started: 6 nodes, 4 edges, 1 ingress, %d worker(s)",
                          name,
                          workers));
              assertThat(l.get(1)).isEqualTo("graph '" + name + "' stopping (timeout PT10S)");
              assertThat(l.get(2))
                  .startsWith("graph '" + name + "' stopped in ")
                  .endsWith("ms; 0 undelivered, 10 dead letters; ledger: balanced");
            });
    assertThat(logs.messages(Level.WARN, "node flaky failed in onMessage")).hasSize(10);
    assertThat(logs.messages(Level.WARN, "restarting node flaky")).hasSize(10);
    assertThat(
            logs.events(
                e ->
                    e.getLoggerName().equals("dev.weir.deadletters")
                        && e.getLevel() == Level.WARN
                        && e.getFormattedMessage()
                            .startsWith(
                                "dead letter at node flaky (consumer) from edge"
                                    + " numbers.out->flaky.in (producer numbers): NODE_FAILED")))
        .as("the default dead-letter handler logs each one at WARN\n%s", logs.describe())
        .hasSize(10);
    assertThat(logs.events(e -> e.getLevel() == Level.ERROR)).as(logs.describe()).isEmpty();
  }

  private static double counter(MeterRegistry registry, String meter, String tag, String value) {
    var search = registry.get(meter);
    return tag == null
        ? search.functionCounter().count()
        : search.tags(tag, value).functionCounters().stream().mapToDouble(c -> c.count()).sum();
  }

  private static double gauge(MeterRegistry registry, String meter, String tag, String value) {
    return registry.get(meter).tags(tag, value).gauge().value();
  }

  private static long timer(MeterRegistry registry, String meter) {
    return registry.get(meter).timer().count();
  }

  private static String meters(MeterRegistry registry) {
    StringBuilder sb = new StringBuilder("meters:\n");
    for (Meter m : registry.getMeters()) {
      sb.append("  ").append(m.getId().getName());
      for (Tag t : m.getId().getTags()) {
        sb.append(' ').append(t.getKey()).append('=').append(t.getValue());
      }
      m.measure()
          .forEach(
              ms -> sb.append(' ').append(ms.getStatistic()).append('=').append(ms.getValue()));
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Ticks every 5 ms; has no ports. */
  static final class Ticker implements Node {
    private volatile int ticks;

    @Override
    public Duration tickInterval() {
      return Duration.ofMillis(5);
    }

    @Override
    public void onTick(NodeContext ctx) {
      ticks++;
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      throw new IllegalStateException("no inputs");
    }

    int ticks() {
      return ticks;
    }
  }
}
