package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.FirehoseSource;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.HookLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.scheduler.SchedulerFixtures.ProbeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Shutdown: ingress closes, sources stop, BLOCK edges drain, {@code onFinish} cascades
 * upstream-first, {@code onStop} runs once per node in reverse topological order; a timeout
 * dead-letters what is left and still balances the books; stop is idempotent and leaves no thread.
 */
class ShutdownTest {

  /** Sums every {@code size} inputs into one output; flushes the partial batch in onFinish. */
  static final class Batcher implements Node {
    private final PortSpec<Long> in = SchedulerFixtures.in();
    private final PortSpec<Long> out = SchedulerFixtures.out();
    private final int size;
    private final List<Long> batch = new ArrayList<>();

    Batcher(int size) {
      this.size = size;
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
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      batch.add(in.cast(message).payload());
      if (batch.size() == size) {
        flush(ctx);
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      if (!batch.isEmpty()) {
        flush(ctx);
      }
    }

    private void flush(NodeContext ctx) {
      ctx.emit(out, batch.stream().mapToLong(Long::longValue).sum());
      batch.clear();
    }
  }

  private static long sum(long from, long to) {
    long s = 0;
    for (long i = from; i < to; i++) {
      s += i;
    }
    return s;
  }

  private static boolean shutdownBegan(RunningGraph running) {
    return running.snapshot().recentEvents().stream().anyMatch(e -> e.contains(" SHUTDOWN "));
  }

  /** {@code source -> a -> b -> sink}: finish upstream-first, stop downstream-first. */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_onAFourNodeChain_finishesUpstreamFirstAndStopsInReverseOnce(int workers)
      throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("shutdown-chain")
            .add("source", new ProbeSource(-1).recordingTo(log))
            .add("a", new Probe().recordingTo(log))
            .add("b", new Probe().recordingTo(log))
            .add("sink", sink)
            .connect("source.out", "a.in", EdgeSpec.blocking(8))
            .connect("a.out", "b.in", EdgeSpec.blocking(8))
            .connect("b.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    await().atMost(LONG).until(() -> sink.count() > 500);

    ShutdownReport report = running.stop(LONG);

    assertThat(report.timedOut()).isFalse();
    assertThat(report.undelivered()).isZero();
    assertThat(log.nodesCalling("onFinish")).containsExactly("source", "a", "b", "sink");
    assertThat(log.nodesCalling("onStop")).containsExactly("sink", "b", "a", "source");
    List<String> entries = log.entries();
    assertThat(entries.subList(entries.size() - 4, entries.size()))
        .as("every onStop after every onFinish")
        .allSatisfy(e -> assertThat(e).endsWith(":onStop"));
    assertThat(sink.received()).isEqualTo(upTo(sink.count()));
  }

  /**
   * A diamond finishes each node after all its upstreams and stops in reverse topological order.
   *
   * <pre>
   *          /--> left --\
   * source --             --> join --> sink
   *          \--> right -/
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_onADiamond_finishesAfterAllUpstreamsAndStopsInReverseTopologicalOrder(int workers)
      throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("shutdown-diamond")
            .add("source", new ProbeSource(-1).recordingTo(log))
            .add("left", new Probe().recordingTo(log))
            .add("right", new Probe().recordingTo(log))
            .add("join", new Probe().recordingTo(log))
            .add("sink", sink)
            .connect("source.out", "left.in", EdgeSpec.blocking(8))
            .connect("source.out", "right.in", EdgeSpec.blocking(8))
            .connect("left.out", "join.in", EdgeSpec.blocking(8))
            .connect("right.out", "join.in", EdgeSpec.blocking(8))
            .connect("join.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    await().atMost(LONG).until(() -> sink.count() > 500);

    ShutdownReport report = running.stop(LONG);

    assertThat(report.timedOut()).isFalse();
    List<String> finished = log.nodesCalling("onFinish");
    assertThat(finished).containsExactlyInAnyOrder("source", "left", "right", "join", "sink");
    assertThat(finished.get(0)).isEqualTo("source");
    assertThat(finished.indexOf("join"))
        .isGreaterThan(finished.indexOf("left"))
        .isGreaterThan(finished.indexOf("right"));
    assertThat(finished.get(4)).isEqualTo("sink");
    List<String> reverseTopological = new ArrayList<>(graph.topologicalOrder());
    Collections.reverse(reverseTopological);
    assertThat(log.nodesCalling("onStop")).isEqualTo(reverseTopological);
    Map<Long, Long> perValue =
        sink.received().stream()
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(perValue.values()).as("each value arrives once by each side").containsOnly(2L);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void batchingNode_onNaturalCompletion_flushesItsTailInOnFinish(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("shutdown-batch-natural")
            .add("source", Nodes.range(0, 25))
            .add("batch", new Batcher(10))
            .add("sink", sink)
            .connect("source.out", "batch.in")
            .connect("batch.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(sink.received()).containsExactly(sum(0, 10), sum(10, 20), sum(20, 25));
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void batchingNode_onStop_flushesItsTailBeforeStopReturns(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("shutdown-batch-stop")
            .add("batch", new Batcher(10))
            .add("sink", sink)
            .ingress("in", "batch.in")
            .connect("batch.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    Ingress<Long> in = running.ingress("in", Long.class);
    for (long v = 0; v < 37; v++) {
      in.put(v, LONG);
    }

    ShutdownReport report = running.stop(LONG);

    assertThat(report.timedOut()).isFalse();
    assertThat(sink.received()).containsExactly(sum(0, 10), sum(10, 20), sum(20, 30), sum(30, 37));
  }

  /** A backlog behind a slow consumer is delivered in full before stop returns. */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_withABacklogOnBlockEdges_drainsEverythingBeforeReturning(int workers) throws Exception {
    int n = 300;
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 0);
    Graph graph =
        Graph.builder("shutdown-drain")
            .add("source", new FirehoseSource(n, n))
            .add("relay", new Probe())
            .add("sink", sink)
            .connect("source.out", "relay.in", EdgeSpec.blocking(4))
            .connect("relay.out", "sink.in", EdgeSpec.blocking(4))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    CompletableFuture<ShutdownReport> stop;
    try {
      await().atMost(LONG).until(gate::hasArrivals);
      stop = SchedulerFixtures.onNewThread("stopper", () -> running.stop(LONG));
      await().atMost(LONG).until(() -> shutdownBegan(running));
      assertThat(stop).as("stop waits for the backlog").isNotDone();
    } finally {
      gate.open();
    }
    ShutdownReport report = stop.get(30, TimeUnit.SECONDS);

    assertThat(report.timedOut()).as(report.render()).isFalse();
    assertThat(report.undelivered()).as(report.render()).isZero();
    assertThat(sink.received()).isEqualTo(upTo(n));
    assertThat(report.edges())
        .extracting(ShutdownReport.EdgeOutcome::delivered)
        .containsOnly((long) n);
    assertThat(deadLetters.all()).isEmpty();
  }

  /**
   * A consumer stuck in a hook past the timeout: stop reports the timeout, counts and dead-letters
   * everything undelivered, and every edge's books balance.
   *
   * <pre>
   * source --8 BLOCK--> relay --8 BLOCK--> sink (stuck on message 0)
   *        \--8 DROP--> side
   * </pre>
   *
   * <p>Regression: a worker still inside a hook after the grace made stop skip the final drain and
   * every onStop; the report showed nothing undelivered, nothing was dead-lettered, and the stuck
   * activation went on delivering after stop returned.
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_whenAConsumerIsStuckPastTheTimeout_deadLettersTheRestAndBalancesTheBooks(int workers)
      throws Exception {
    int n = 100;
    Gate gate = new Gate();
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log).gatedOn(gate, x -> x == 0);
    CollectingSink side = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("shutdown-stuck")
            .add("source", new FirehoseSource(n, n))
            .add("relay", new Probe().recordingTo(log))
            .add("sink", sink)
            .add("side", side)
            .connect("source.out", "relay.in", EdgeSpec.blocking(8))
            .connect("source.out", "side.in", EdgeSpec.of(8, OverflowPolicy.DROP))
            .connect("relay.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    ShutdownReport report;
    try {
      await().atMost(LONG).until(gate::hasArrivals);
      report = running.stop(Duration.ofMillis(200));
    } finally {
      gate.open();
    }
    String context = report.render() + deadLetters;
    Map<String, ShutdownReport.EdgeOutcome> edges =
        report.edges().stream()
            .collect(Collectors.toMap(ShutdownReport.EdgeOutcome::id, Function.identity()));
    ShutdownReport.EdgeOutcome toRelay = edges.get("source.out->relay.in");
    ShutdownReport.EdgeOutcome toSink = edges.get("relay.out->sink.in");
    ShutdownReport.EdgeOutcome toSide = edges.get("source.out->side.in");

    assertThat(report.timedOut()).as(context).isTrue();
    assertThat(
            toRelay.delivered()
                + toRelay.undelivered()
                + (toRelay.dropped() + toRelay.evicted() + toRelay.coalesced()))
        .as("every value the source emitted to relay; %s", context)
        .isEqualTo(n);
    assertThat(
            toSink.delivered()
                + toSink.undelivered()
                + (toSink.dropped() + toSink.evicted() + toSink.coalesced()))
        .as("every value relay forwarded; %s", context)
        .isEqualTo(toRelay.delivered());
    assertThat(
            toSide.delivered()
                + toSide.undelivered()
                + (toSide.dropped() + toSide.evicted() + toSide.coalesced()))
        .as(context)
        .isEqualTo(n);
    assertThat(toSink.delivered()).as("only message 0 reached the stuck sink").isEqualTo(1);
    assertThat(report.undelivered()).as(context).isPositive();

    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(deadLetters.count(DeadLetter.Reason.SHUTDOWN_UNDELIVERED))
                    .as("once the stuck hook returns; %s", deadLetters)
                    .isEqualTo(report.undelivered()));
    assertThat(deadLetters.all()).hasSize((int) report.undelivered());
    await().atMost(LONG).until(() -> log.hooksOf("sink").contains("onStop"));
    assertThat(sink.received()).as("nothing delivered after stop returned").containsExactly(0L);
    assertThat(log.hooksOf("sink")).containsExactly("onStart", "onStop");
    assertThat(log.hooksOf("relay")).containsExactly("onStart", "onStop");
    List<Object> deadPayloads = deadLetters.payloads(DeadLetter.Reason.SHUTDOWN_UNDELIVERED);
    List<Long> toRelayAccounted = new ArrayList<>(List.of(0L));
    for (DeadLetter d : deadLetters.all()) {
      if (!Objects.equals(d.edgeId(), "source.out->side.in")) {
        toRelayAccounted.add((Long) d.message().payload());
      }
    }
    SchedulerFixtures.assertEachExactlyOnce(toRelayAccounted, upTo(n), context);
    assertThat(deadPayloads).hasSize((int) report.undelivered());
    for (String edge : edges.keySet()) {
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(edge));
      assertThat(stats.unaccounted()).as("%s: %s", edge, stats).isZero();
      assertThat(stats.depth()).as("%s: %s", edge, stats).isZero();
    }
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(SchedulerFixtures.liveThreads("weir-shutdown-stuck-"))
                    .as("the stuck worker ends once its hook returns")
                    .isEmpty());
  }

  /**
   * A drain that cannot finish (messages circling a feedback loop keep each node's upstream open)
   * times out; the workers stop between activations, and every circling message is counted as
   * undelivered and dead-lettered, on whichever edge or outbox it was.
   *
   * <pre>
   * ingress in --> a --> b
   *                ^     |
   *                \-----/ (feedback)
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_whenTheDrainTimesOut_deadLettersEveryMessageLeftAndRunsEveryOnStop(int workers)
      throws Exception {
    HookLog log = new HookLog();
    Graph graph =
        Graph.builder("shutdown-timeout-loop")
            .add("a", new Probe().recordingTo(log))
            .add("b", new Probe().recordingTo(log))
            .ingress("in", "a.in")
            .connect("a.out", "b.in", EdgeSpec.blocking(4))
            .connect("b.out", "a.in", EdgeSpec.blocking(4).asFeedback())
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    Ingress<Long> in = running.ingress("in", Long.class);
    for (long v = 0; v < 6; v++) {
      in.put(v, LONG);
    }
    await()
        .atMost(LONG)
        .until(() -> Objects.requireNonNull(running.snapshot().node("b")).messages() > 100);

    ShutdownReport report = running.stop(Duration.ofMillis(200));

    String context = report.render() + deadLetters;
    assertThat(report.timedOut()).as(context).isTrue();
    assertThat(report.stopFailures()).as(context).isEmpty();
    assertThat(report.undelivered()).as("all six were still circling; %s", context).isEqualTo(6);
    assertThat(deadLetters.withReason(DeadLetter.Reason.SHUTDOWN_UNDELIVERED))
        .as(context)
        .hasSize(6)
        .extracting(d -> (Long) d.message().payload())
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(deadLetters.all()).hasSize(6);
    assertThat(log.nodesCalling("onStop")).containsExactly("b", "a");
    assertThat(log.nodesCalling("onFinish")).isEmpty();
    for (ShutdownReport.EdgeOutcome edge : report.edges()) {
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(edge.id()));
      assertThat(stats.unaccounted()).as("%s: %s", edge.id(), stats).isZero();
      assertThat(stats.depth()).as("%s: %s", edge.id(), stats).isZero();
      assertThat(stats.discarded()).as(edge.id()).isLessThanOrEqualTo(edge.undelivered());
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void stop_calledAgainOrConcurrently_returnsTheFirstReport(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("shutdown-idempotent")
            .add("source", new ProbeSource(-1))
            .add("sink", sink)
            .connect("source.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    await().atMost(LONG).until(() -> sink.count() > 100);
    List<CompletableFuture<ShutdownReport>> stops = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      stops.add(SchedulerFixtures.onNewThread("stopper-" + i, () -> running.stop(LONG)));
    }

    ShutdownReport first = stops.get(0).get(30, TimeUnit.SECONDS);

    for (CompletableFuture<ShutdownReport> stop : stops) {
      assertThat(stop.get(30, TimeUnit.SECONDS)).isSameAs(first);
    }
    assertThat(running.stop(Duration.ZERO)).isSameAs(first);
    assertThat(running.isRunning()).isFalse();
    assertThat(first.timedOut()).isFalse();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 4})
  void startAndStop_repeatedTwentyTimes_leavesNoWorkerThreadBehind(int workers) throws Exception {
    String name = "cycle" + workers;
    for (int i = 0; i < 20; i++) {
      CollectingSink sink = new CollectingSink();
      Graph graph =
          Graph.builder(name)
              .add("source", new ProbeSource(-1))
              .add("relay", new Probe())
              .add("sink", sink)
              .connect("source.out", "relay.in", EdgeSpec.blocking(4))
              .connect("relay.out", "sink.in", EdgeSpec.blocking(4))
              .build();
      RunningGraph running =
          SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
      await().atMost(LONG).until(() -> sink.count() > 10);
      ShutdownReport report = running.stop(LONG);
      assertThat(report.timedOut()).isFalse();
      assertThat(SchedulerFixtures.liveThreads("weir-" + name + "-"))
          .as("after stop %d returned", i)
          .isEmpty();
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void finiteGraph_completesByItselfWithEveryNodeFinishedBeforeStop(int workers) throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("shutdown-natural")
            .add("source", new ProbeSource(5_000).recordingTo(log))
            .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
            .add("even", Nodes.filter(Long.class, x -> x % 4 == 0))
            .add("probe", new Probe().recordingTo(log))
            .add("sink", sink)
            .connect("source.out", "double.in", EdgeSpec.blocking(16))
            .connect("double.out", "even.in", EdgeSpec.blocking(16))
            .connect("even.out", "probe.in", EdgeSpec.blocking(16))
            .connect("probe.out", "sink.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      GraphSnapshot snapshot = running.snapshot();
      assertThat(snapshot.nodes())
          .as(snapshot.render())
          .extracting(GraphSnapshot.NodeView::state)
          .containsOnly(NodeState.FINISHED);
      assertThat(log.nodesCalling("onFinish")).containsExactly("source", "probe", "sink");
      assertThat(log.nodesCalling("onStop")).isEmpty();
      assertThat(running.isRunning()).as("completed, but not yet stopped").isTrue();
    } finally {
      report = running.stop(LONG);
    }
    assertThat(report.timedOut()).isFalse();
    assertThat(report.undelivered()).isZero();
    assertThat(report.nodes())
        .extracting(ShutdownReport.NodeOutcome::state)
        .containsOnly(NodeState.STOPPED);
    assertThat(log.nodesCalling("onStop")).containsExactly("sink", "probe", "source");
    assertThat(sink.received()).isEqualTo(upTo(2_500).stream().map(x -> x * 4).toList());
  }

  /**
   * The report has one outcome per edge, ingress edges first, each matching the edge's counters.
   *
   * <pre>
   * ingress extra --> tail
   * source --4 BLOCK--> a
   *        \--2 DROP--> b
   *        \--2 LATEST-> c
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void report_listsEveryEdgeWithWhatItDeliveredAndDiscarded(int workers) throws Exception {
    int n = 50;
    Graph graph =
        Graph.builder("shutdown-report")
            .add("source", new FirehoseSource(n, n))
            .add("a", new CollectingSink())
            .add("b", new CollectingSink())
            .add("c", new CollectingSink())
            .add("tail", new CollectingSink())
            .ingress("extra", "tail.in")
            .connect("source.out", "a.in", EdgeSpec.blocking(4))
            .connect("source.out", "b.in", EdgeSpec.of(2, OverflowPolicy.DROP))
            .connect("source.out", "c.in", EdgeSpec.of(2, OverflowPolicy.LATEST))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    Ingress<Long> extra = running.ingress("extra", Long.class);
    for (long v = 0; v < 3; v++) {
      extra.put(v, LONG);
    }
    await()
        .atMost(LONG)
        .until(
            () ->
                Objects.requireNonNull(running.snapshot().edge("source.out->a.in")).delivered()
                    == n);

    ShutdownReport report = running.stop(LONG);

    assertThat(report.edges())
        .extracting(ShutdownReport.EdgeOutcome::id)
        .containsExactly(
            "ingress:extra->tail.in", "source.out->a.in", "source.out->b.in", "source.out->c.in");
    for (ShutdownReport.EdgeOutcome outcome : report.edges()) {
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(outcome.id()));
      assertThat(outcome.delivered()).as(outcome.id()).isEqualTo(stats.delivered());
      assertThat(outcome.stats()).as(outcome.id()).isEqualTo(stats);
      assertThat(outcome.undelivered()).as(outcome.id()).isZero();
    }
    Map<String, ShutdownReport.EdgeOutcome> byId =
        report.edges().stream()
            .collect(Collectors.toMap(ShutdownReport.EdgeOutcome::id, Function.identity()));
    assertThat(byId.get("ingress:extra->tail.in").delivered()).isEqualTo(3);
    assertThat(byId.get("source.out->a.in").delivered()).isEqualTo(n);
    ShutdownReport.EdgeOutcome toA = byId.get("source.out->a.in");
    assertThat(toA.dropped() + toA.evicted() + toA.coalesced()).isZero();
    for (String lossy : List.of("source.out->b.in", "source.out->c.in")) {
      ShutdownReport.EdgeOutcome o = byId.get(lossy);
      assertThat(o.delivered() + (o.dropped() + o.evicted() + o.coalesced()))
          .as(lossy)
          .isEqualTo(n);
      assertThat((o.dropped() + o.evicted() + o.coalesced())).as(lossy).isPositive();
    }
    assertThat(report.nodes())
        .extracting(ShutdownReport.NodeOutcome::name)
        .containsExactlyElementsOf(graph.topologicalOrder());
    assertThat(report.graph()).isEqualTo("shutdown-report");
    assertThat(report.render()).contains("clean").contains("source.out->b.in");
  }
}
