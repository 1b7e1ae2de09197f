package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.ingressProbeSink;
import static dev.weir.scheduler.SchedulerFixtures.node;
import static dev.weir.scheduler.SchedulerFixtures.putAll;
import static dev.weir.scheduler.SchedulerFixtures.range;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.SchedulerFixtures.Boom;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.HookLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.scheduler.SchedulerFixtures.ProbeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hook that throws is isolated by its node's error policy: CONTINUE keeps the node, STOP_NODE
 * stops only it, STOP_GRAPH stops the graph on its own ({@link RestartPolicyTest} covers RESTART).
 * Every failed message is dead-lettered with its cause; nothing else is disturbed.
 */
class ErrorPolicyTest {

  private static final String PROBE_INPUT = "ingress:in->probe.in";

  // ------------------------------------------------------------------ CONTINUE

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onMessage_throwingUnderContinue_deadLettersTheMessageAndKeepsRunning(int workers)
      throws Exception {
    Probe probe = new Probe().failingOnMessage(x -> x % 3 == 0);
    CollectingSink sink = new CollectingSink();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .build()
            .start(ingressProbeSink("err-continue", probe, sink));
    try {
      putAll(running, range(0, 30));
      await().atMost(LONG).until(() -> sink.count() == 20);

      GraphSnapshot.NodeView view = node(running, "probe");
      assertThat(view.errors()).as(running.snapshot().render()).isEqualTo(10);
      assertThat(view.state()).isNotIn(NodeState.FAILED, NodeState.STOPPED);
      assertThat(sink.received()).isEqualTo(upTo(30).stream().filter(x -> x % 3 != 0).toList());
      List<DeadLetter> failed = deadLetters.withReason(DeadLetter.Reason.NODE_FAILED);
      assertThat(deadLetters.all()).hasSize(10);
      assertThat(failed)
          .extracting(d -> (Object) d.message().payload())
          .containsExactly(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L);
      assertThat(failed)
          .allSatisfy(
              d -> {
                assertThat(d.node()).isEqualTo("probe");
                assertThat(d.edgeId()).isEqualTo(PROBE_INPUT);
                assertThat(d.cause())
                    .isInstanceOf(Boom.class)
                    .hasMessage("probe onMessage " + d.message().payload());
              });

      putAll(running, 31);
      await().atMost(LONG).until(() -> sink.count() == 21);
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onTick_throwingUnderContinue_isCountedAndTicksGoOn(int workers) throws Exception {
    VirtualClock clock = VirtualClock.start();
    Probe probe = new Probe().ticking(Duration.ofSeconds(1), n -> n <= 2);
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .clock(clock)
            .build()
            .start(ingressProbeSink("err-tick-continue", probe, new CollectingSink()));
    try {
      for (int i = 1; i <= 4; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(running.awaitQuiescence(LONG)).isTrue();
        int expected = i;
        await().atMost(LONG).until(() -> probe.ticks() == expected);
      }
      assertThat(node(running, "probe").errors()).isEqualTo(2);
      assertThat(node(running, "probe").state()).isNotEqualTo(NodeState.FAILED);
      assertThat(deadLetters.all()).as("a tick carries no message").isEmpty();
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void pull_throwingUnderContinue_isCountedAndTheSourceIsPulledAgain(int workers) throws Exception {
    ProbeSource source = new ProbeSource(300).failingOnPull(n -> n == 2 || n == 5);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("err-pull-continue")
            .add("source", source)
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(node(running, "source").errors()).isEqualTo(2);
      assertThat(sink.received()).isEqualTo(upTo(300));
      assertThat(deadLetters.all()).isEmpty();
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onFinish_throwingUnderContinue_stillFinishesAndTheCascadeGoesOn(int workers)
      throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("err-finish-continue")
            .add("source", new ProbeSource(50).recordingTo(log))
            .add("probe", new Probe().recordingTo(log).failingOnFinish())
            .add("sink", sink)
            .connect("source.out", "probe.in")
            .connect("probe.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(node(running, "probe").errors()).isEqualTo(1);
      assertThat(running.snapshot().nodes())
          .extracting(GraphSnapshot.NodeView::state)
          .containsOnly(NodeState.FINISHED);
      assertThat(log.nodesCalling("onFinish")).containsExactly("source", "probe", "sink");
      assertThat(sink.received()).isEqualTo(upTo(50));
    } finally {
      ShutdownReport report = running.stop(LONG);
      assertThat(report.timedOut()).isFalse();
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onStop_throwing_isReportedAndEveryOtherNodeStillStops(int workers) throws Exception {
    HookLog log = new HookLog();
    Graph graph =
        Graph.builder("err-stop")
            .add("source", new ProbeSource(-1).recordingTo(log))
            .add("a", new Probe().recordingTo(log).failingOnStop())
            .add("b", new Probe().recordingTo(log))
            .add("sink", new CollectingSink().recordingTo(log))
            .connect("source.out", "a.in")
            .connect("a.out", "b.in")
            .connect("b.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);

    ShutdownReport report = running.stop(LONG);

    assertThat(report.stopFailures()).hasSize(1);
    assertThat(report.stopFailures().get(0)).startsWith("a: onStop threw ").contains("a onStop");
    assertThat(log.nodesCalling("onStop")).containsExactly("sink", "b", "a", "source");
    assertThat(report.nodes())
        .extracting(ShutdownReport.NodeOutcome::state)
        .containsOnly(NodeState.STOPPED);
    assertThat(report.timedOut()).isFalse();
  }

  // ------------------------------------------------------------------ STOP_NODE

  /**
   * The failing node stops; what was queued for it is dead-lettered; later offers to it are CLOSED;
   * a parallel branch keeps running.
   *
   * <pre>
   * ingress in    --> probe (STOP_NODE) --> sink
   * ingress other --> sink2
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onMessage_throwingUnderStopNode_stopsThatNodeAndDeadLettersItsQueue(int workers)
      throws Exception {
    HookLog log = new HookLog();
    Gate gate = new Gate();
    Probe probe =
        new Probe().recordingTo(log).gatedOn(gate, x -> x == 0).failingOnMessage(x -> x == 3);
    CollectingSink sink = new CollectingSink().recordingTo(log);
    CollectingSink sink2 = new CollectingSink();
    Graph graph =
        Graph.builder("err-stop-node")
            .add("probe", probe)
            .add("sink", sink)
            .add("sink2", sink2)
            .ingress("in", "probe.in", EdgeSpec.blocking(64))
            .ingress("other", "sink2.in")
            .connect("probe.out", "sink.in")
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      putAll(running, range(0, 10));
      await().atMost(LONG).until(gate::hasArrivals);
      gate.open();
      await().atMost(LONG).until(() -> node(running, "probe").state() == NodeState.FAILED);

      assertThat(sink.received()).containsExactly(0L, 1L, 2L);
      assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED)).containsExactly(3L);
      assertThat(deadLetters.withReason(DeadLetter.Reason.CONSUMER_STOPPED))
          .allSatisfy(
              d -> {
                assertThat(d.node()).isEqualTo("probe");
                assertThat(d.edgeId()).isEqualTo(PROBE_INPUT);
              })
          .extracting(d -> (Object) d.message().payload())
          .containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
      assertThat(running.ingress("in", Long.class).offer(10L).status())
          .isEqualTo(OfferStatus.CLOSED);
      assertThat(log.hooksOf("probe")).containsExactly("onStart", "onStop");
      await().atMost(LONG).until(() -> node(running, "sink").state() == NodeState.FINISHED);

      Ingress<Long> other = running.ingress("other", Long.class);
      for (long v = 0; v < 100; v++) {
        assertThat(other.put(v, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      await().atMost(LONG).until(() -> sink2.count() == 100);
      assertThat(node(running, "probe").errors()).isEqualTo(1);
    } finally {
      gate.open();
      ShutdownReport report = running.stop(LONG);
      assertThat(report.timedOut()).isFalse();
      assertThat(report.nodes())
          .filteredOn(n -> n.name().equals("probe"))
          .singleElement()
          .extracting(ShutdownReport.NodeOutcome::state)
          .isEqualTo(NodeState.FAILED);
    }
    assertThat(log.hooksOf("probe")).as("onStop exactly once").containsExactly("onStart", "onStop");
  }

  /**
   * A node stopped by its policy does not stall the producer that fans out to it and to others.
   *
   * <pre>
   * source --4--> probe (STOP_NODE at 10) --> sinkA
   *        \--4-> sinkB
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onMessage_throwingUnderStopNode_doesNotStallTheUpstreamFanOut(int workers) throws Exception {
    int n = 2_000;
    CollectingSink sinkA = new CollectingSink();
    CollectingSink sinkB = new CollectingSink();
    Graph graph =
        Graph.builder("err-stop-node-fanout")
            .add("source", Nodes.range(0, n))
            .add("probe", new Probe().failingOnMessage(x -> x == 10))
            .add("sinkA", sinkA)
            .add("sinkB", sinkB)
            .connect("source.out", "probe.in", EdgeSpec.blocking(4))
            .connect("source.out", "sinkB.in", EdgeSpec.blocking(4))
            .connect("probe.out", "sinkA.in")
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();

      assertThat(sinkB.received()).isEqualTo(upTo(n));
      assertThat(sinkA.received()).isEqualTo(upTo(10));
      assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED)).containsExactly(10L);
      List<Object> stopped = deadLetters.payloads(DeadLetter.Reason.CONSUMER_STOPPED);
      assertThat(stopped).hasSize(n - 11).doesNotHaveDuplicates();
      assertThat(deadLetters.withReason(DeadLetter.Reason.CONSUMER_STOPPED))
          .allSatisfy(d -> assertThat(d.edgeId()).isEqualTo("source.out->probe.in"));
      assertThat(deadLetters.all()).hasSize(n - 10);
      assertThat(node(running, "probe").state()).isEqualTo(NodeState.FAILED);
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A STOP_NODE failure while the node's outbox holds parked messages dead-letters them as
   * PRODUCER_FAILED at once, naming the failed node and its failure; they are not "left undelivered
   * at shutdown", so a clean stop reports none.
   *
   * <p>Regressions: the outbox of a node stopped by its policy was counted in the shutdown report's
   * {@code undelivered}, which the report defines as what shutdown dead-lettered as
   * SHUTDOWN_UNDELIVERED; and its letters said NODE_FAILED with the healthy consumer as the node,
   * which reads as "the sink failed on it".
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onMessage_throwingUnderStopNodeWithAParkedOutbox_deadLettersTheOutboxAsProducerFailed(
      int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("err-stop-node-outbox")
            .add(
                "burst",
                Nodes.flatMap(
                    Long.class,
                    Long.class,
                    x -> {
                      List<Long> ten =
                          new ArrayList<>(upTo(10).stream().map(i -> x * 10 + i).toList());
                      if (x == 1) {
                        return () -> new FailingAfter(ten.iterator());
                      }
                      return ten;
                    }))
            .add("sink", sink)
            .ingress("in", "burst.in")
            .connect("burst.out", "sink.in", EdgeSpec.blocking(4))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("burst", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      putAll(running, 0, 1);
      await().atMost(LONG).until(() -> node(running, "burst").state() == NodeState.FAILED);
      await().atMost(LONG).until(() -> node(running, "sink").state() == NodeState.FINISHED);
    } finally {
      report = running.stop(LONG);
    }
    List<Long> parked = new ArrayList<>();
    for (DeadLetter d : deadLetters.withReason(DeadLetter.Reason.PRODUCER_FAILED)) {
      assertThat(d.edgeId()).isEqualTo("burst.out->sink.in");
      assertThat(d.node()).as("the node that failed, not the sink").isEqualTo("burst");
      assertThat(d.cause()).isInstanceOf(Boom.class);
      parked.add((Long) d.message().payload());
    }
    assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED))
        .as("only the input the node failed on")
        .containsExactly(1L);
    assertThat(parked).as("at least the 6 of 10 that did not fit").hasSizeGreaterThanOrEqualTo(6);
    List<Long> accounted = new ArrayList<>(sink.received());
    accounted.addAll(parked);
    SchedulerFixtures.assertEachExactlyOnce(accounted, upTo(20), report.render());
    assertThat(report.timedOut()).isFalse();
    // The report accounts for the dropped outbox on its edge, so each edge's ledger closes; the
    // dead letters say why (PRODUCER_FAILED), and nothing was left over for the shutdown itself.
    assertThat(
            report.edges().stream()
                .filter(e -> e.id().equals("burst.out->sink.in"))
                .findFirst()
                .orElseThrow()
                .undelivered())
        .as(report.render())
        .isEqualTo(parked.size());
    assertThat(report.undelivered()).as(report.render()).isEqualTo(parked.size());
    assertThat(deadLetters.count(DeadLetter.Reason.SHUTDOWN_UNDELIVERED)).isZero();
  }

  /** Yields the delegate's elements, then throws: a flatMap that fails after emitting them. */
  private static final class FailingAfter implements Iterator<Long> {
    private final Iterator<Long> delegate;

    FailingAfter(Iterator<Long> delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public Long next() {
      if (delegate.hasNext()) {
        return delegate.next();
      }
      throw new Boom("burst after emitting");
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void pull_throwingUnderStopNode_failsTheSourceAndDownstreamFinishes(int workers)
      throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("err-stop-node-pull")
            .add("source", new ProbeSource(-1).recordingTo(log).failingOnPull(n -> n == 5))
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("source", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(node(running, "source").state()).isEqualTo(NodeState.FAILED);
      assertThat(node(running, "sink").state()).isEqualTo(NodeState.FINISHED);
      assertThat(sink.received())
          .as("what the four good pulls emitted")
          .isEqualTo(upTo(sink.count()))
          .isNotEmpty();
      assertThat(deadLetters.all()).isEmpty();
    } finally {
      running.stop(LONG);
    }
    assertThat(log.hooksOf("source")).containsExactly("onStart", "onStop");
    assertThat(log.hooksOf("sink")).containsExactly("onStart", "onFinish", "onStop");
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onTick_throwingUnderStopNode_failsTheNodeAndItTicksNoMore(int workers) throws Exception {
    VirtualClock clock = VirtualClock.start();
    Probe probe = new Probe().ticking(Duration.ofSeconds(1), n -> n == 2);
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .clock(clock)
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(ingressProbeSink("err-stop-node-tick", probe, new CollectingSink()));
    try {
      for (int i = 0; i < 5; i++) {
        clock.advance(Duration.ofSeconds(1));
        assertThat(running.awaitQuiescence(LONG)).isTrue();
      }
      assertThat(probe.ticks()).isEqualTo(2);
      assertThat(node(running, "probe").state()).isEqualTo(NodeState.FAILED);
      assertThat(running.ingress("in", Long.class).offer(1L).status())
          .isEqualTo(OfferStatus.CLOSED);
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onFinish_throwingUnderStopNode_failsTheNodeCallsOnStopOnceAndTheRestFinishes(int workers)
      throws Exception {
    HookLog log = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("err-stop-node-finish")
            .add("source", Nodes.range(0, 40))
            .add("probe", new Probe().recordingTo(log).failingOnFinish())
            .add("sink", sink)
            .connect("source.out", "probe.in")
            .connect("probe.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(node(running, "probe").state()).isEqualTo(NodeState.FAILED);
      assertThat(node(running, "sink").state()).isEqualTo(NodeState.FINISHED);
    } finally {
      report = running.stop(LONG);
    }
    assertThat(sink.received()).isEqualTo(upTo(40));
    assertThat(log.hooksOf("probe")).containsExactly("onStart", "onFinish", "onStop");
    assertThat(report.nodes())
        .filteredOn(n -> n.name().equals("probe"))
        .singleElement()
        .extracting(ShutdownReport.NodeOutcome::state)
        .isEqualTo(NodeState.FAILED);
    assertThat(report.stopFailures()).isEmpty();
  }

  // ------------------------------------------------------------------ STOP_GRAPH

  static Stream<Arguments> stopGraphHooks() {
    List<Arguments> args = new ArrayList<>();
    for (String hook : List.of("onMessage", "onTick", "pull", "onFinish")) {
      for (int workers : new int[] {1, 2, 4}) {
        args.add(Arguments.of(hook, workers));
      }
    }
    return args.stream();
  }

  /** The graph stops on its own; stop() afterwards returns that shutdown's report. */
  @ParameterizedTest(name = "{0}, workers={1}")
  @MethodSource("stopGraphHooks")
  void hook_throwingUnderStopGraph_stopsTheGraphOnItsOwn(String hook, int workers)
      throws Exception {
    VirtualClock clock = VirtualClock.start();
    HookLog log = new HookLog();
    Probe probe =
        new Probe()
            .recordingTo(log)
            .failingOnMessage(x -> hook.equals("onMessage") && x == 5)
            .ticking(Duration.ofSeconds(1), n -> hook.equals("onTick"));
    if (hook.equals("onFinish")) {
      probe.failingOnFinish();
    }
    ProbeSource source =
        new ProbeSource(hook.equals("onFinish") ? 20 : -1)
            .recordingTo(log)
            .failingOnPull(n -> hook.equals("pull") && n == 3);
    CollectingSink sink = new CollectingSink().recordingTo(log);
    Graph graph =
        Graph.builder("err-stop-graph")
            .add("source", source)
            .add("probe", probe)
            .add("sink", sink)
            .connect("source.out", "probe.in", EdgeSpec.blocking(8))
            .connect("probe.out", "sink.in")
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .clock(clock)
            .defaultErrorPolicy(ErrorPolicy.STOP_GRAPH)
            .build()
            .start(graph);
    try {
      if (hook.equals("onTick")) {
        clock.advance(Duration.ofSeconds(1));
      }
      await().atMost(LONG).until(() -> !running.isRunning());
    } finally {
      SchedulerFixtures.stopQuietly(running);
    }
    ShutdownReport first = running.stop(LONG);
    ShutdownReport second = running.stop(Duration.ZERO);

    assertThat(first).isSameAs(second);
    assertThat(first.timedOut()).as(first.render()).isFalse();
    assertThat(running.awaitCompletion(Duration.ZERO)).isTrue();
    assertThat(log.nodesCalling("onStop")).containsExactly("sink", "probe", "source");
    String failing = hook.equals("pull") ? "source" : "probe";
    assertThat(node(running, failing).errors()).isEqualTo(1);
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(SchedulerFixtures.liveThreads("weir-err-stop-graph-"))
                    .as("workers and the stopper thread end")
                    .isEmpty());
    if (hook.equals("onMessage")) {
      assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED)).containsExactly(5L);
    } else {
      assertThat(deadLetters.all()).isEmpty();
    }
  }
}
