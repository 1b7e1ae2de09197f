package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.ingressProbeSink;
import static dev.weir.scheduler.SchedulerFixtures.node;
import static dev.weir.scheduler.SchedulerFixtures.putAll;
import static dev.weir.scheduler.SchedulerFixtures.range;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.HookLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.scheduler.SchedulerFixtures.ProbeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RESTART error policy: a failing node gets {@code onStop} then {@code onStart} and carries on,
 * at most {@code maxRestarts} times within a sliding window on the graph clock; past the budget it
 * stops as under STOP_NODE and the log says so.
 */
class RestartPolicyTest {

  /** Captures what the engine logs (slf4j-simple writes to the current System.err). */
  private static final class LogCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    LogCapture() {
      System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
      System.setErr(original);
      original.print(text());
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onMessage_throwingUnderRestart_restartsWithinTheBudgetThenStopsAndSaysSo(int workers)
      throws Exception {
    VirtualClock clock = VirtualClock.start();
    HookLog log = new HookLog();
    Probe probe = new Probe().recordingTo(log).failingOnMessage(x -> x < 0);
    CollectingSink sink = new CollectingSink();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .clock(clock)
            .errorPolicy("probe", ErrorPolicy.restart(2, Duration.ofMinutes(1)))
            .build()
            .start(ingressProbeSink("err-restart", probe, sink));
    try (LogCapture logs = new LogCapture()) {
      putAll(running, -1, 1);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(log.hooksOf("probe")).containsExactly("onStart", "onStop", "onStart");
      assertThat(node(running, "probe").restarts()).isEqualTo(1);

      clock.advance(Duration.ofSeconds(30));
      putAll(running, -2, 2);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(node(running, "probe").restarts()).isEqualTo(2);

      putAll(running, -3);
      await().atMost(LONG).until(() -> node(running, "probe").state() == NodeState.FAILED);

      assertThat(log.hooksOf("probe"))
          .containsExactly("onStart", "onStop", "onStart", "onStop", "onStart", "onStop");
      assertThat(node(running, "probe").restarts()).isEqualTo(2);
      assertThat(node(running, "probe").errors()).isEqualTo(3);
      assertThat(sink.received()).containsExactly(1L, 2L);
      assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED))
          .containsExactly(-1L, -2L, -3L);
      assertThat(logs.text()).contains("node probe exhausted its restart budget");
    } finally {
      running.stop(LONG);
    }
    assertThat(log.hooksOf("probe")).as("no second onStop at shutdown").hasSize(6);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void restartBudget_onAVirtualClock_forgetsRestartsOutsideTheWindow(int workers) throws Exception {
    VirtualClock clock = VirtualClock.start();
    Probe probe = new Probe().failingOnMessage(x -> x < 0);
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .clock(clock)
            .errorPolicy("probe", ErrorPolicy.restart(2, Duration.ofMinutes(1)))
            .build()
            .start(ingressProbeSink("err-restart-window", probe, new CollectingSink()));
    try {
      putAll(running, -1, -2);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(node(running, "probe").restarts()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(61));
      putAll(running, -3, -4);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(node(running, "probe").restarts())
          .as("the first two fell out of the window")
          .isEqualTo(4);
      assertThat(node(running, "probe").state()).isNotEqualTo(NodeState.FAILED);

      clock.advance(Duration.ofSeconds(59));
      putAll(running, -5);
      await().atMost(LONG).until(() -> node(running, "probe").state() == NodeState.FAILED);
      assertThat(node(running, "probe").restarts()).isEqualTo(4);
    } finally {
      running.stop(LONG);
    }
  }

  static Stream<Arguments> restartHooks() {
    List<Arguments> args = new ArrayList<>();
    for (String hook : List.of("pull", "onFinish")) {
      for (int workers : new int[] {1, 2, 4}) {
        args.add(Arguments.of(hook, workers));
      }
    }
    return args.stream();
  }

  /** A restart is onStop then onStart on the failing node; the graph carries on around it. */
  @ParameterizedTest(name = "{0}, workers={1}")
  @MethodSource("restartHooks")
  void hook_throwingUnderRestart_restartsTheNodeAndTheGraphCarriesOn(String hook, int workers)
      throws Exception {
    HookLog log = new HookLog();
    Probe probe = new Probe().recordingTo(log);
    if (hook.equals("onFinish")) {
      probe.failingOnFinish();
    }
    ProbeSource source =
        new ProbeSource(200).recordingTo(log).failingOnPull(n -> hook.equals("pull") && n == 2);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("err-restart-hooks")
            .add("source", source)
            .add("probe", probe)
            .add("sink", sink)
            .connect("source.out", "probe.in", EdgeSpec.blocking(8))
            .connect("probe.out", "sink.in")
            .build();
    String failing = hook.equals("pull") ? "source" : "probe";
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .errorPolicy(failing, ErrorPolicy.restart(3, Duration.ofMinutes(1)))
            .build()
            .start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      GraphSnapshot.NodeView view = node(running, failing);
      assertThat(view.restarts()).as(running.snapshot().render()).isEqualTo(1);
      assertThat(view.errors()).isEqualTo(1);
      assertThat(view.state()).isEqualTo(NodeState.FINISHED);
      assertThat(sink.received()).isEqualTo(upTo(200));
    } finally {
      running.stop(LONG);
    }
    List<String> hooks = log.hooksOf(failing);
    assertThat(hooks.subList(0, 1)).containsExactly("onStart");
    assertThat(hooks).containsSubsequence("onStop", "onStart").endsWith("onStop");
    assertThat(hooks.stream().filter("onStart"::equals).count()).isEqualTo(2);
    assertThat(hooks.stream().filter("onStop"::equals).count()).isEqualTo(2);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onTick_throwingUnderRestart_restartsTheNodeAndItTicksOn(int workers) throws Exception {
    VirtualClock clock = VirtualClock.start();
    HookLog log = new HookLog();
    Probe probe = new Probe().recordingTo(log).ticking(Duration.ofSeconds(1), n -> n == 1);
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .clock(clock)
            .errorPolicy("probe", ErrorPolicy.restart(3, Duration.ofMinutes(1)))
            .build()
            .start(ingressProbeSink("err-restart-tick", probe, sink));
    try {
      clock.advance(Duration.ofSeconds(1));
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      await().atMost(LONG).until(() -> node(running, "probe").restarts() == 1);
      assertThat(log.hooksOf("probe")).containsExactly("onStart", "onTick", "onStop", "onStart");

      clock.advance(Duration.ofSeconds(1));
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      await().atMost(LONG).until(() -> probe.ticks() == 2);
      putAll(running, 7);
      await().atMost(LONG).until(() -> sink.count() == 1);
      assertThat(node(running, "probe").errors()).isEqualTo(1);
      assertThat(node(running, "probe").state()).isNotEqualTo(NodeState.FAILED);
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void onStop_throwingDuringARestart_isLoggedAndTheRestartGoesOn(int workers) throws Exception {
    HookLog log = new HookLog();
    Probe probe = new Probe().recordingTo(log).failingOnMessage(x -> x == 2).failingOnStop();
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .errorPolicy("probe", ErrorPolicy.restart(1, Duration.ofMinutes(1)))
            .build()
            .start(ingressProbeSink("err-restart-stop", probe, sink));
    ShutdownReport report;
    try {
      putAll(running, range(0, 5));
      await().atMost(LONG).until(() -> sink.count() == 4);
      assertThat(node(running, "probe").restarts()).isEqualTo(1);
      assertThat(node(running, "probe").state()).isNotEqualTo(NodeState.FAILED);
    } finally {
      report = running.stop(LONG);
    }
    assertThat(sink.received()).containsExactly(0L, 1L, 3L, 4L);
    assertThat(log.hooksOf("probe"))
        .containsExactly("onStart", "onStop", "onStart", "onFinish", "onStop");
    assertThat(report.stopFailures())
        .hasSize(1)
        .allSatisfy(f -> assertThat(f).startsWith("probe: "));
  }

  @Test
  void restartPolicy_withoutABudget_isRejected() {
    assertThatThrownBy(() -> ErrorPolicy.restart(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 restart");
  }
}
