package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.core.TraceIds;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.WorkerThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node that throws is isolated by its error policy: the rest of the graph keeps running, and
 * every failure is counted (snapshot), logged at WARN with node, edge and trace id, and
 * dead-lettered with its cause, exactly once.
 *
 * <pre>
 *   numbers ──BLOCK(32)──► flaky ──BLOCK(32)──► sink        CONTINUE: ~10% of items throw (seeded)
 *   endless ──BLOCK(32)──► flaky ──BLOCK(32)──► sink        STOP_GRAPH: item 500 throws
 *   numbers ──BLOCK(32)──► flaky ──BLOCK(32)──► sink        restart(3, 1 min): 100, 200, 300, 400 throw
 *   ingress "in" ────────► flaky ──BLOCK(32)──► sink        restart(2, 1 s) on a virtual clock:
 *                                                           spaced failures refill the budget
 * </pre>
 */
class ErrorIsolationTest {

  private static final String IN_EDGE = "numbers.out->flaky.in";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void continuePolicy_withTenPercentFailing_keepsRunningAndAccountsForEachFailure(int workers)
      throws Exception {
    long seed = Seeds.pick();
    int items = 2_000;
    LongPredicate fails = failingTenPercent(seed);
    List<Long> failing = LongStream.range(0, items).filter(fails).boxed().toList();
    Flaky flaky = new Flaky(fails);
    Collector sink = new Collector();
    Graph graph = pipeline("continue-" + workers, Nodes.range(0, items), flaky, sink);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).seed(seed).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as("the graph keeps running to completion\n%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = Seeds.replayHint(seed) + "\n" + after.render() + dead.describe();

    assertThat(failing).as("the seed makes some items fail").isNotEmpty();
    assertThat(sink.received())
        .as("every other item arrives, in order\n%s", context)
        .containsExactlyElementsOf(
            LongStream.range(0, items).filter(fails.negate()).boxed().toList());
    assertThat(after.node("flaky").errors()).as(context).isEqualTo(failing.size());
    assertThat(after.node("flaky").messages()).as(context).isEqualTo(items);
    assertThat(after.node("flaky").restarts()).as(context).isZero();
    assertThat(dead.all())
        .as(context)
        .hasSize(failing.size())
        .allSatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.NODE_FAILED);
              assertThat(d.node()).isEqualTo("flaky");
              assertThat(d.edgeId()).isEqualTo(IN_EDGE);
              assertThat(d.cause())
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessage("bad item " + d.message().payload());
            });
    assertThat(dead.payloads(DeadLetter.Reason.NODE_FAILED))
        .as(context)
        .containsExactlyElementsOf(failing);

    List<ILoggingEvent> warnings = failureWarnings("flaky");
    assertThat(warnings).as(logs.describe()).hasSize(failing.size());
    assertThat(warnings)
        .allSatisfy(
            e -> {
              assertThat(e.getFormattedMessage())
                  .contains("node flaky failed in onMessage")
                  .contains("(edge " + IN_EDGE + ")")
                  .contains("policy CONTINUE")
                  .contains("bad item ");
              assertThat(e.getThrowableProxy().getClassName())
                  .isEqualTo(IllegalStateException.class.getName());
            });
    Set<String> loggedTraces = new HashSet<>();
    warnings.forEach(e -> loggedTraces.add(traceIn(e.getFormattedMessage())));
    Set<String> deadTraces = new HashSet<>();
    dead.all().forEach(d -> deadTraces.add(TraceIds.format(d.message().traceId())));
    assertThat(loggedTraces)
        .as("each failure's log line names the trace id of the dead-lettered message")
        .isEqualTo(deadTraces)
        .hasSize(failing.size());
    assertThat(logs.events(e -> e.getLevel() == Level.ERROR)).as(logs.describe()).isEmpty();
    Ledger.assertClosed(graph, after, report, dead, failing.size());
  }

  @WorkerCounts
  void stopGraphPolicy_onAFailure_stopsTheGraphGracefully(int workers) throws Exception {
    Flaky flaky = new Flaky(x -> x == 500);
    Collector sink = new Collector();
    Endless endless = new Endless();
    String name = "stop-graph-" + workers;
    Graph graph = pipeline(name, endless, flaky, sink);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .errorPolicy("flaky", ErrorPolicy.STOP_GRAPH)
            .stopGraphTimeout(Duration.ofSeconds(30))
            .deadLetters(dead)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !running.isRunning());
    } finally {
      report = running.stop(Duration.ofSeconds(10)); // the stopper's report
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render() + dead.describe();

    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(dead.all())
        .as("only the failing message is dead-lettered\n%s", context)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.NODE_FAILED);
              assertThat(d.message().payload()).isEqualTo(500L);
            });
    long emitted = endless.emitted();
    assertThat(emitted).as(context).isGreaterThan(500);
    assertThat(sink.received())
        .as("what was emitted before the stop drains through, except the failed item\n%s", context)
        .containsExactlyElementsOf(
            LongStream.range(0, emitted).filter(x -> x != 500).boxed().toList());
    assertThat(after.node("flaky").errors()).as(context).isEqualTo(1);
    assertThat(logs.messages(Level.ERROR, "is stopping because node flaky failed"))
        .as(logs.describe())
        .singleElement()
        .satisfies(m -> assertThat(m).contains("'" + name + "'").contains("STOP_GRAPH"));
    assertThat(failureWarnings("flaky"))
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("policy STOP_GRAPH"));
    Ledger.assertClosed(graph, after, report, dead, 1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(WorkerThreads.named("weir-" + name + "-")).isEmpty());
  }

  @WorkerCounts
  void restartPolicy_pastItsBudget_stopsTheNodeAndSaysSo(int workers) throws Exception {
    int items = 1_000;
    Set<Long> poison = Set.of(100L, 200L, 300L, 400L);
    Flaky flaky = new Flaky(poison::contains);
    Collector sink = new Collector();
    Graph graph = pipeline("restart-" + workers, Nodes.range(0, items), flaky, sink);
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .errorPolicy("flaky", ErrorPolicy.restart(3, Duration.ofMinutes(1)))
            .deadLetters(dead)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as("the rest of the graph completes\n%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render() + dead.describe();

    assertThat(after.node("flaky").state()).as(context).isEqualTo(NodeState.FAILED);
    assertThat(after.node("flaky").restarts()).as(context).isEqualTo(3);
    assertThat(after.node("flaky").errors()).as(context).isEqualTo(4);
    assertThat(flaky.starts()).as("started once, then once per restart").isEqualTo(4);
    assertThat(flaky.stops()).as("stopped before each restart and once for good").isEqualTo(4);
    assertThat(sink.received())
        .as(context)
        .containsExactlyElementsOf(
            LongStream.range(0, 400).filter(x -> !poison.contains(x)).boxed().toList());
    assertThat(dead.payloads(DeadLetter.Reason.NODE_FAILED))
        .as(context)
        .containsExactly(100L, 200L, 300L, 400L);
    // What the source had emitted when flaky stopped reaches a stopped consumer; then the source,
    // whose every consumer has stopped, is done without emitting the rest.
    List<Object> orphaned = dead.payloads(DeadLetter.Reason.CONSUMER_STOPPED);
    assertThat(orphaned)
        .as("what was in flight after the last failure, in order\n%s", context)
        .containsExactlyElementsOf(
            LongStream.range(401, 401 + orphaned.size()).boxed().map(Object.class::cast).toList());
    assertThat(after.edge(IN_EDGE).offered())
        .as("the source stopped emitting once its only consumer had stopped\n%s", context)
        .isEqualTo(401 + orphaned.size());
    assertThat(dead.count()).as(context).isEqualTo(4 + orphaned.size());
    assertThat(report.edges())
        .filteredOn(e -> e.id().equals(IN_EDGE))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.undelivered())
                    .as(
                        "the report counts as undelivered every message dead-lettered because"
                            + " flaky stopped: queued then, or offered after\n%s",
                        context)
                    .isEqualTo(orphaned.size()));
    for (int n = 1; n <= 3; n++) {
      assertThat(logs.messages(Level.WARN, "restarting node flaky (" + n + " of 3 within PT1M)"))
          .as(logs.describe())
          .hasSize(1);
    }
    assertThat(
            logs.messages(
                Level.ERROR,
                "node flaky exhausted its restart budget (3 restarts within PT1M); stopping it"))
        .as(logs.describe())
        .hasSize(1);
    assertThat(logs.messages(Level.ERROR, "stopping node flaky: its restart budget is exhausted"))
        .as(logs.describe())
        .hasSize(1);
    Ledger.assertClosed(graph, after, report, dead, 4);
  }

  /**
   * restart(2, 1 s) on a virtual clock: failures 600 ms apart never find two restarts in the last
   * second, so the node restarts every time; two failures at the same instant then exhaust it.
   */
  @WorkerCounts
  void restartBudget_isASlidingWindowOnTheGraphClock(int workers) throws Exception {
    VirtualClock clock = VirtualClock.start();
    Flaky flaky = new Flaky(x -> x < 0);
    Collector sink = new Collector();
    Graph graph =
        Graph.builder("restart-window-" + workers)
            .add("flaky", flaky)
            .add("sink", sink)
            .connect("flaky.out", "sink.in", EdgeSpec.blocking(32))
            .ingress("in", "flaky.in")
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .clock(clock)
            .errorPolicy("flaky", ErrorPolicy.restart(2, Duration.ofSeconds(1)))
            .deadLetters(dead)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (int k = 1; k <= 5; k++) {
        if (k > 1) {
          clock.advance(Duration.ofMillis(600));
        }
        assertThat(in.offer((long) -k).isEnqueued()).isTrue();
        assertThat(in.offer((long) k).isEnqueued()).isTrue();
        assertThat(running.awaitQuiescence(Duration.ofSeconds(30))).isTrue();
        GraphSnapshot.NodeView view = running.snapshot().node("flaky");
        assertThat(view.restarts())
            .as("failure %d at %d ms\n%s", k, (k - 1) * 600, running.snapshot().render())
            .isEqualTo(k);
        assertThat(view.state()).isNotEqualTo(NodeState.FAILED);
      }
      assertThat(in.offer(-6L).isEnqueued()).isTrue();
      assertThat(running.awaitQuiescence(Duration.ofSeconds(30))).isTrue();
      assertThat(running.snapshot().node("flaky").state())
          .as("a second failure at 2,400 ms: two restarts (1,800 and 2,400 ms) within the window")
          .isEqualTo(NodeState.FAILED);
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render() + dead.describe();
    assertThat(after.node("flaky").restarts()).as(context).isEqualTo(5);
    assertThat(after.node("flaky").errors()).as(context).isEqualTo(6);
    assertThat(sink.received()).as(context).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(dead.payloads(DeadLetter.Reason.NODE_FAILED))
        .as(context)
        .containsExactly(-1L, -2L, -3L, -4L, -5L, -6L);
    assertThat(logs.messages(Level.ERROR, "exhausted its restart budget (2 restarts within PT1S)"))
        .as(logs.describe())
        .hasSize(1);
    Ledger.assertClosed(graph, after, report, dead, 6);
  }

  private static Graph pipeline(String name, Node source, Flaky flaky, Collector sink) {
    return Graph.builder(name)
        .add("numbers", source)
        .add("flaky", flaky)
        .add("sink", sink)
        .connect("numbers.out", "flaky.in", EdgeSpec.blocking(32))
        .connect("flaky.out", "sink.in", EdgeSpec.blocking(32))
        .build();
  }

  /** About one item in ten, chosen by the seed, independently of any thread interleaving. */
  private static LongPredicate failingTenPercent(long seed) {
    return x -> new SplittableRandom(seed ^ (x * 0x9E3779B97F4A7C15L)).nextInt(10) == 0;
  }

  private List<ILoggingEvent> failureWarnings(String node) {
    return logs.events(
        e ->
            e.getLevel() == Level.WARN
                && e.getLoggerName().equals("dev.weir.node")
                && e.getKeyValuePairs() != null
                && e.getKeyValuePairs().stream()
                    .anyMatch(kv -> kv.key.equals("node") && node.equals(kv.value))
                && e.getFormattedMessage().contains("failed in onMessage"));
  }

  private static String traceIn(String logLine) {
    int at = logLine.indexOf("for trace ");
    assertThat(at).as("a trace id in: %s", logLine).isNotNegative();
    return logLine.substring(at + "for trace ".length()).split("[;\\s]")[0];
  }

  /** Forwards longs, but throws on the chosen ones; counts its starts and stops. */
  static final class Flaky implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final LongPredicate fails;
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();

    Flaky(LongPredicate fails) {
      this.fails = fails;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onStart(NodeContext ctx) {
      starts.incrementAndGet();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<Long> m = in.cast(message);
      if (fails.test(m.payload())) {
        throw new IllegalStateException("bad item " + m.payload());
      }
      ctx.emit(out, m);
    }

    @Override
    public void onStop(NodeContext ctx) {
      stops.incrementAndGet();
    }

    int starts() {
      return starts.get();
    }

    int stops() {
      return stops.get();
    }
  }

  /** Keeps what it receives. */
  static final class Collector implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final List<Long> received = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(in.cast(message).payload());
    }

    List<Long> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }
  }

  /** Emits longs within demand until the graph stops. */
  static final class Endless implements SourceNode {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private volatile long next;

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int demand = Math.min(ctx.demand(out), 64);
      for (int i = 0; i < demand; i++) {
        ctx.emit(out, next);
        next = next + 1;
      }
      return true;
    }

    long emitted() {
      return next;
    }
  }
}
