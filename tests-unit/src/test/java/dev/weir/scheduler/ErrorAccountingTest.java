package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.MergeFailedException;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.SchedulerFixtures.Boom;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.FirehoseSource;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failures that come from edges (a full FAIL edge, a throwing COALESCE merge) and failures at a
 * steady rate: each is an error of the node that caused it, and the counts in snapshots and dead
 * letters match exactly what happened.
 */
class ErrorAccountingTest {

  private static final String EDGE = "source.out->sink.in";

  /** The run's seed: {@code -Dweir.seed} to replay, else a fresh one. */
  private static long seed() {
    Long fixed = Long.getLong("weir.seed");
    return fixed != null ? fixed : new SplittableRandom().nextLong();
  }

  static Stream<Arguments> policiesAndWorkers() {
    List<Arguments> args = new ArrayList<>();
    for (ErrorPolicy policy : List.of(ErrorPolicy.CONTINUE, ErrorPolicy.STOP_NODE)) {
      for (int workers : new int[] {1, 2, 4}) {
        args.add(Arguments.of(policy, workers));
      }
    }
    return args.stream();
  }

  /**
   * Every value the source emitted was either delivered or dead-lettered, never both, and the
   * source's error count is the number of failed offers.
   */
  private static void assertEmittedValuesAccounted(
      FirehoseSource source,
      CollectingSink sink,
      DeadLetterLog deadLetters,
      DeadLetter.Reason reason,
      boolean producersError,
      RunningGraph running) {
    GraphSnapshot snapshot = running.snapshot();
    List<Long> accounted = new ArrayList<>(sink.received());
    for (Object payload : deadLetters.payloads(reason)) {
      accounted.add((Long) payload);
    }
    SchedulerFixtures.assertEachExactlyOnce(
        accounted, upTo(source.emitted()), snapshot.render() + deadLetters);
    EdgeStats stats = Objects.requireNonNull(snapshot.edge(EDGE));
    long failedOffers = deadLetters.count(reason);
    assertThat(failedOffers).as(snapshot.render()).isPositive();
    assertThat(stats.failed()).as(snapshot.render()).isEqualTo(failedOffers);
    assertThat(Objects.requireNonNull(snapshot.node("source")).errors())
        .as(snapshot.render())
        .isEqualTo(producersError ? failedOffers : 0);
    assertThat(deadLetters.all()).hasSize((int) failedOffers);
  }

  @ParameterizedTest(name = "{0}, workers={1}")
  @MethodSource("policiesAndWorkers")
  void failEdge_overflowing_isAnErrorOfTheProducerAndDeadLettersTheMessage(
      ErrorPolicy policy, int workers) throws Exception {
    FirehoseSource source = new FirehoseSource(120, 10);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("err-fail-edge")
            .add("source", source)
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.of(4, OverflowPolicy.FAIL))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("source", policy)
            .build()
            .start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();

      assertEmittedValuesAccounted(
          source, sink, deadLetters, DeadLetter.Reason.OVERFLOW, true, running);
      assertThat(deadLetters.all())
          .allSatisfy(
              d -> {
                assertThat(d.node()).isEqualTo("sink");
                assertThat(d.edgeId()).isEqualTo(EDGE);
                assertThat(d.cause()).isInstanceOf(EdgeOverflowException.class);
                assertThat(((EdgeOverflowException) d.cause()).edgeId()).isEqualTo(EDGE);
              });
      NodeState sourceState = Objects.requireNonNull(running.snapshot().node("source")).state();
      if (policy == ErrorPolicy.STOP_NODE) {
        assertThat(sourceState).isEqualTo(NodeState.FAILED);
        assertThat(deadLetters.all()).hasSize(1);
      } else {
        assertThat(sourceState).isEqualTo(NodeState.FINISHED);
        assertThat(source.emitted()).isEqualTo(120);
      }
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void coalesceEdge_whoseMergeThrows_deadLettersMergeFailed_notAnErrorOfTheProducer(int workers)
      throws Exception {
    FirehoseSource source = new FirehoseSource(120, 10);
    CollectingSink sink = new CollectingSink();
    OverflowPolicy throwingMerge =
        OverflowPolicy.<Long>coalesce(
            (queued, incoming) -> {
              throw new Boom("merge " + queued + " + " + incoming);
            });
    Graph graph =
        Graph.builder("err-merge")
            .add("source", source)
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.of(4, throwingMerge))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();

      assertEmittedValuesAccounted(
          source, sink, deadLetters, DeadLetter.Reason.MERGE_FAILED, false, running);
      assertThat(source.emitted()).isEqualTo(120);
      assertThat(deadLetters.all())
          .allSatisfy(
              d -> {
                assertThat(d.edgeId()).isEqualTo(EDGE);
                assertThat(d.cause()).isInstanceOf(MergeFailedException.class);
                assertThat(((MergeFailedException) d.cause()).edgeId()).isEqualTo(EDGE);
                assertThat(Objects.requireNonNull(d.cause()).getCause()).isInstanceOf(Boom.class);
              });
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(EDGE));
      assertThat(stats.coalesced()).as("a throwing merge merges nothing").isZero();
      assertThat(stats.unaccounted()).isZero();
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void continuePolicy_withOneMessageInTenFailing_keepsRunningWithExactCounts(int workers)
      throws Exception {
    long seed = seed();
    String replay = Seeds.replayHint(seed);
    int n = 3_000;
    SplittableRandom random = new SplittableRandom(seed);
    Set<Long> failing = new HashSet<>();
    for (long x = 0; x < n; x++) {
      if (random.nextInt(10) == 0) {
        failing.add(x);
      }
    }
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("err-ten-percent")
            .add("source", Nodes.range(0, n))
            .add("probe", new Probe().failingOnMessage(failing::contains))
            .add("sink", sink)
            .connect("source.out", "probe.in", EdgeSpec.blocking(16))
            .connect("probe.out", "sink.in", EdgeSpec.blocking(16))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters).seed(seed).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).as(replay).isTrue();
      GraphSnapshot.NodeView probe = Objects.requireNonNull(running.snapshot().node("probe"));
      assertThat(probe.errors()).as(replay).isEqualTo(failing.size());
      assertThat(probe.messages()).as(replay).isEqualTo(n);
    } finally {
      report = running.stop(LONG);
    }
    List<Long> expectedFailures = upTo(n).stream().filter(failing::contains).toList();
    List<Long> expectedDelivered = upTo(n).stream().filter(x -> !failing.contains(x)).toList();
    assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED))
        .as(replay)
        .containsExactlyElementsOf(expectedFailures);
    assertThat(deadLetters.all())
        .as(replay)
        .hasSize(failing.size())
        .allSatisfy(d -> assertThat(d.edgeId()).isEqualTo("source.out->probe.in"));
    assertThat(sink.received()).as(replay).isEqualTo(expectedDelivered);
    assertThat(report.deadLetters()).as(replay).isEqualTo(failing.size());
    assertThat(report.timedOut()).as(replay).isFalse();
    assertThat(report.undelivered()).as(replay).isZero();
  }
}
