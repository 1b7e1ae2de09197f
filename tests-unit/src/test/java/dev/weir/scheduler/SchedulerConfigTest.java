package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad scheduler settings fail at once, with a message that says what to do. */
class SchedulerConfigTest {

  private static Graph tiny() {
    return Graph.builder("tiny")
        .add("numbers", Nodes.range(0, 3))
        .add("sink", Nodes.sink(Long.class, x -> {}))
        .connect("numbers.out", "sink.in")
        .build();
  }

  @Test
  void workers_belowOne_isRejected() {
    assertThatThrownBy(() -> Scheduler.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 1, was 0");
  }

  @Test
  void bandWeights_belowOne_namesTheBand() {
    assertThatThrownBy(() -> Scheduler.builder().bandWeights(8, 4, 0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("band weight of NORMAL must be >= 1, was 0");
  }

  @Test
  void batchLimit_belowOne_isRejected() {
    assertThatThrownBy(() -> Scheduler.builder().batchLimit(0))
        .hasMessage("batch limit must be >= 1, was 0");
  }

  @Test
  void stopGraphTimeout_negative_isRejected() {
    assertThatThrownBy(() -> Scheduler.builder().stopGraphTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stopGraphTimeout must be zero or positive, was PT-0.001S");
  }

  @Test
  void pickPerturbation_outsideZeroToOne_isRejected() {
    assertThatThrownBy(() -> Scheduler.builder().pickPerturbation(1.5))
        .hasMessage("pick perturbation must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Scheduler.builder().pickPerturbation(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Regression (issue 14, point 17): accepted, then a bare NullPointerException in build(). */
  @Test
  void priority_nullPriority_isRejectedAtOnceNamingIt() {
    Scheduler.Builder builder = Scheduler.builder();

    assertThatThrownBy(() -> builder.priority("sink", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("priority");
  }

  /** Regression (issue 14, point 17): the NullPointerException named nothing. */
  @Test
  void errorPolicy_nullPolicy_isRejectedNamingIt() {
    assertThatThrownBy(() -> Scheduler.builder().errorPolicy("sink", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policy");
  }

  @Test
  void priority_control_isReservedForControlMessages() {
    assertThatThrownBy(() -> Scheduler.builder().priority("sink", Priority.CONTROL))
        .hasMessageContaining("node sink")
        .hasMessageContaining("use HIGH");
  }

  @Test
  void start_withSettingsForAnUnknownNode_namesTheSettingAndTheNodesThatExist() {
    Scheduler scheduler = Scheduler.builder().errorPolicy("sinc", ErrorPolicy.STOP_NODE).build();

    assertThatThrownBy(() -> scheduler.start(tiny()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Scheduler.errorPolicy(\"sinc\", ...)")
        .hasMessageEndingWith("its nodes are [numbers, sink]"); // in topological order
    Scheduler byPriority = Scheduler.builder().priority("nope", Priority.HIGH).build();
    assertThatThrownBy(() -> byPriority.start(tiny()))
        .hasMessageContaining("Scheduler.priority(\"nope\", ...)");
  }

  @Test
  void restartPolicy_withoutABudget_isRejected() {
    assertThatThrownBy(() -> ErrorPolicy.restart(0, Duration.ofSeconds(1)))
        .hasMessageContaining("at least 1 restart");
    assertThatThrownBy(() -> ErrorPolicy.restart(3, Duration.ZERO))
        .hasMessageContaining("positive window");
    ErrorPolicy policy = ErrorPolicy.restart(3, Duration.ofSeconds(10));
    assertThat(policy.kind()).isEqualTo(ErrorPolicy.Kind.RESTART);
    assertThat(policy.maxRestarts()).isEqualTo(3);
    assertThat(policy.window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy).hasToString("RESTART(3 in PT10S)");
    assertThat(ErrorPolicy.STOP_GRAPH).hasToString("STOP_GRAPH");
  }

  @Test
  void virtualClock_cannotGoBack() {
    VirtualClock clock = VirtualClock.at(100);
    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
        .hasMessageContaining("cannot go back");
    assertThat(clock.advance(Duration.ofNanos(5))).isEqualTo(105);
    assertThat(clock.nanoTime()).isEqualTo(105);
  }

  @Test
  void shutdownReport_render_listsEveryEdgeNodeLedgerAndFailure() {
    ShutdownReport report =
        new ShutdownReport(
            "g",
            true,
            Duration.ofMillis(1500),
            List.of(edge("a.out->b.in", stats(13, 2, 10, 3), SHUTDOWN_UNDELIVERED, 3)),
            List.of(
                new ShutdownReport.NodeOutcome("a", NodeState.STOPPED, 0),
                new ShutdownReport.NodeOutcome(
                    "b", NodeState.STOPPED, 0, Map.of(SHUTDOWN_UNDELIVERED, 3L), null)),
            3,
            List.of("b: onStop threw boom"));

    assertThat(report.undelivered()).isEqualTo(3);
    assertThat(report.balanced()).isTrue();
    assertThat(report.render())
        .contains("shutdown of 'g': TIMED OUT in 1500 ms, dead letters: 3 (SHUTDOWN_UNDELIVERED 3)")
        .contains("a.out->b.in  delivered 10, dropped 2, undelivered 3 (SHUTDOWN_UNDELIVERED 3)")
        .contains("node a: STOPPED\n")
        .contains("node b: STOPPED, dead letters 3 (SHUTDOWN_UNDELIVERED 3)")
        .contains("ledger: balanced")
        .contains("stop problem: b: onStop threw boom");
  }

  @Test
  void shutdownReport_ledger_saysWhichEquationFailsAndByHowMuch() {
    ShutdownReport report =
        new ShutdownReport(
            "g",
            false,
            Duration.ofMillis(5),
            List.of(edge("a.out->b.in", stats(15, 0, 10, 3), SHUTDOWN_UNDELIVERED, 3)),
            List.of(
                new ShutdownReport.NodeOutcome(
                    "b", NodeState.STOPPED, 0, Map.of(SHUTDOWN_UNDELIVERED, 3L), null)),
            3,
            List.of());

    ShutdownReport.Ledger ledger = report.ledger();

    assertThat(ledger.balanced()).isFalse();
    assertThat(ledger.imbalance()).isEqualTo(2);
    assertThat(ledger.render())
        .isEqualTo(
            "ledger: OFF by 2: edge a.out->b.in: (1) accepted 15 != delivered + evicted +"
                + " discarded + queued 13");
  }

  private static final DeadLetter.Reason SHUTDOWN_UNDELIVERED =
      DeadLetter.Reason.SHUTDOWN_UNDELIVERED;

  /** A stopped edge's counters: accepted, dropped, delivered and discarded; the rest 0. */
  private static EdgeStats stats(long accepted, long dropped, long delivered, long discarded) {
    return new EdgeStats(accepted, 0, 0, 0, dropped, 0, 0, 0, delivered, discarded, 0, 0, 1);
  }

  private static ShutdownReport.EdgeOutcome edge(
      String id, EdgeStats stats, DeadLetter.Reason reason, long letters) {
    String[] ends = id.split("->");
    return new ShutdownReport.EdgeOutcome(
        id,
        ends[0].substring(0, ends[0].lastIndexOf('.')),
        ends[1].substring(0, ends[1].lastIndexOf('.')),
        false,
        stats,
        letters == 0 ? Map.of() : Map.of(reason, letters),
        0);
  }

  @Test
  void shutdownReport_render_alignsEdgeColumnsPastLongIds() {
    String longId = "outer/inner/deeper/producer.out->outer/inner/deeper/consumer.in";
    ShutdownReport report =
        new ShutdownReport(
            "g",
            false,
            Duration.ofMillis(5),
            List.of(
                edge("a.out->b.in", stats(1, 0, 1, 0), SHUTDOWN_UNDELIVERED, 0),
                edge(longId, stats(2, 0, 2, 0), SHUTDOWN_UNDELIVERED, 0)),
            List.of(),
            0,
            List.of());

    List<String> lines = report.render().lines().toList();

    assertThat(lines.get(1).indexOf("delivered")).isEqualTo(lines.get(2).indexOf("delivered"));
    assertThat(lines.get(2)).isEqualTo("  " + longId + "  delivered 2");
  }

  @Test
  void snapshot_render_showsStatesEdgesAndRecentEvents() throws Exception {
    RunningGraph running = Scheduler.builder().build().start(tiny());
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
      GraphSnapshot snapshot = running.snapshot();
      assertThat(snapshot.node("missing")).isNull();
      assertThat(snapshot.edge("missing")).isNull();
      assertThat(snapshot.render())
          .contains("graph 'tiny'")
          .contains("node numbers FINISHED")
          .contains("edge numbers.out->sink.in")
          .contains("ACTIVATE numbers")
          .contains("FINISH sink");
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
  }
}
