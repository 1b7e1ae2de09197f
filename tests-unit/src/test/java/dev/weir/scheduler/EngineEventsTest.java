package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.FirehoseSource;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a snapshot shows of a run, which is what a failing test attaches: the engine's events (one
 * line per start, activation, tick, block, unblock, error, restart, node stop, finish) and each
 * node's state, including RUNNING while its hook runs.
 */
class EngineEventsTest {

  /** The "TYPE node" pairs of a snapshot's recent events ("#k t=..ns TYPE node detail"). */
  private static Set<String> kinds(List<String> events) {
    Set<String> kinds = new HashSet<>();
    for (String line : events) {
      String[] f = line.split(" ");
      kinds.add(f[2] + " " + f[3]);
    }
    return kinds;
  }

  @Test
  void theTraceRecordsEveryKindOfEventTheRunWentThrough() throws Exception {
    VirtualClock clock = VirtualClock.start();
    Probe flaky =
        new Probe().failingOnMessage(x -> x == 1).ticking(Duration.ofMillis(10), n -> false);
    Probe fragile = new Probe().failingOnMessage(x -> x == 2);
    Graph graph =
        Graph.builder("events")
            .add("firehose", new FirehoseSource(6, 3))
            .add("slow", new CollectingSink())
            .add("flaky", flaky)
            .add("fragile", fragile)
            .add("after", new CollectingSink())
            .connect("firehose.out", "slow.in", EdgeSpec.blocking(1))
            .ingress("in", "flaky.in", EdgeSpec.blocking(4))
            .connect("flaky.out", "after.in")
            .ingress("in2", "fragile.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(1, new DeadLetterLog())
            .clock(clock)
            .errorPolicy("flaky", ErrorPolicy.restart(5, Duration.ofMinutes(1)))
            .errorPolicy("fragile", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      SchedulerFixtures.putAll(running, 1);
      assertThat(running.ingress("in2", Long.class).put(2L, LONG).status())
          .isEqualTo(dev.weir.core.OfferStatus.ACCEPTED);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      clock.advance(Duration.ofMillis(10));
      assertThat(running.awaitQuiescence(LONG)).isTrue();

      GraphSnapshot snapshot = running.snapshot();
      assertThat(kinds(snapshot.recentEvents()))
          .as(snapshot.render())
          .contains(
              "START firehose",
              "ACTIVATE slow",
              "BLOCK firehose",
              "UNBLOCK firehose",
              "FINISH firehose",
              "ERROR flaky",
              "RESTART flaky",
              "TICK flaky",
              "ERROR fragile",
              "STOP_NODE fragile");
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void aNodeInsideItsHookShowsAsRunning() throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 7);
    Graph graph =
        Graph.builder("running-view")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      SchedulerFixtures.putAll(running, 7);
      await().atMost(LONG).until(gate::hasArrivals);

      assertThat(SchedulerFixtures.node(running, "sink").state()).isEqualTo(NodeState.RUNNING);

      gate.open();
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(SchedulerFixtures.node(running, "sink").state()).isEqualTo(NodeState.IDLE);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }
}
