package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.VirtualClock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The {@link Watchdog}: a graph stuck with work pending, one node stuck while the rest goes on,
 * threads deadlocked on locks, and graphs that are idle or slow but not stuck. The judgement
 * ({@link StallTracker}) is driven with made-up sample times, so no test waits for a bound to pass
 * except the ones where the graph is stuck for good until the test releases it.
 */
class WatchdogTest {

  private static final Duration LONG = Duration.ofSeconds(30);
  private static final long SECOND = 1_000_000_000L;

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicBoolean inside = new AtomicBoolean();

  /** ingress → copy → slow → sink; slow holds message 3 until the test releases it. */
  private Graph stuckPipeline() {
    return Graph.builder("stuck")
        .add("copy", Nodes.map(Long.class, Long.class, x -> x))
        .add(
            "slow",
            Nodes.map(
                Long.class,
                Long.class,
                x -> {
                  if (x == 3) {
                    inside.set(true);
                    holdUntilReleased();
                  }
                  return x;
                }))
        .add("sink", Nodes.sink(Long.class, x -> {}))
        .connect("copy.out", "slow.in", EdgeSpec.blocking(2))
        .connect("slow.out", "sink.in", EdgeSpec.blocking(2))
        .ingress("in", "copy.in", EdgeSpec.blocking(4))
        .build();
  }

  private void holdUntilReleased() {
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the node");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void awaitDrained_nodeStuckInItsHook_failsWithTheStuckNodeEdgesAndStack() throws Exception {
    RunningGraph running = Scheduler.builder().workers(2).build().start(stuckPipeline());
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < 8; i++) {
        assertThat(in.put(i, LONG).status().isEnqueued()).isTrue();
      }
      await().atMost(LONG).untilTrue(inside);

      assertThatThrownBy(() -> Watchdog.awaitDrained(running, Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              StallError.class,
              e -> {
                Stall stall = e.stall();
                assertThat(stall.kind()).isEqualTo(Stall.Kind.NO_PROGRESS);
                assertThat(stall.nodes()).contains("slow");
                // Which edges still hold messages depends on where the stuck worker's ring left
                // copy and sink when the hook stuck (see docs/architecture.md, worker rings); the
                // stall must name at least one of the pipeline's edges.
                assertThat(stall.edges())
                    .isNotEmpty()
                    .isSubsetOf("ingress:in->copy.in", "copy.out->slow.in", "slow.out->sink.in");
                assertThat(stall.verdict())
                    .contains(
                        "graph 'stuck'", "work pending and no progress", "node 'slow' RUNNING");
                assertThat(stall.snapshot()).isNotNull();
                assertThat(stall.threadDump())
                    .as("the stuck worker's stack shows the hook")
                    .contains("holdUntilReleased");
                assertThat(e.getMessage()).contains("node slow RUNNING");
              });
    } finally {
      release.countDown();
      running.stop(LONG);
    }
  }

  @Test
  void awaitDrained_graphThatDrains_returns() throws Exception {
    release.countDown();
    RunningGraph running = Scheduler.builder().build().start(stuckPipeline());
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < 100; i++) {
        assertThat(in.put(i, LONG).status().isEnqueued()).isTrue();
      }
      Watchdog.awaitDrained(running, LONG);
      assertThat(running.snapshot().hasPendingWork()).isFalse();
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void tracker_idleGraph_isNeverStalledHoweverLongItWaits() throws Exception {
    RunningGraph running = Scheduler.builder().build().start(stuckPipeline());
    try {
      StallTracker tracker = new StallTracker(Duration.ofSeconds(1));
      assertThat(tracker.observe(running, 0)).isNull();
      assertThat(tracker.observe(running, 60 * SECOND)).isNull();
      assertThat(tracker.observe(running, 3600 * SECOND)).isNull();
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * One node stuck while a ticker keeps the rest of the graph busy: progress moves, so it is not a
   * graph-wide stall, but the stuck node is named once it had work pending and did nothing for the
   * bound.
   */
  @Test
  void tracker_oneNodeStuckWhileOthersProgress_namesThatNode() throws Exception {
    VirtualClock clock = VirtualClock.start();
    Graph graph =
        Graph.builder("half-stuck")
            .add(
                "slow",
                Nodes.sink(
                    Long.class,
                    x -> {
                      inside.set(true);
                      holdUntilReleased();
                    }))
            .add("ticks", Nodes.ticker(Duration.ofSeconds(1)))
            .add("count", Nodes.sink(Long.class, x -> {}))
            .connect("ticks.out", "count.in", EdgeSpec.blocking(4))
            .ingress("in", "slow.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().workers(2).clock(clock).build().start(graph);
    try {
      running.ingress("in", Long.class).offer(1L);
      running.ingress("in", Long.class).offer(2L);
      await().atMost(LONG).untilTrue(inside);
      StallTracker tracker = new StallTracker(Duration.ofSeconds(10));
      Stall stall = null;
      for (long t = 0; t <= 12 && stall == null; t++) {
        long before = running.progress();
        clock.advance(Duration.ofSeconds(1));
        await().atMost(LONG).until(() -> running.progress() > before);
        stall = tracker.observe(running, t * SECOND);
        assertThat(stall == null || t >= 10).as("no verdict before the bound, at %ss", t).isTrue();
      }
      Stall found = Objects.requireNonNull(stall, "no stall found within 12 s");
      assertThat(found.kind()).isEqualTo(Stall.Kind.NODE_STUCK);
      assertThat(found.nodes()).containsExactly("slow");
      assertThat(found.verdict()).contains("node 'slow' RUNNING", "while the graph went on");
    } finally {
      release.countDown();
      running.stop(LONG);
    }
  }

  /** Two threads each holding the lock the other wants: the next sample reports both. */
  @Test
  void sample_twoThreadsDeadlocked_reportsBothWithTheirLocks() throws Exception {
    try (PlantedDeadlock planted = PlantedDeadlock.start("planted-deadlock");
        Watchdog watchdog = Watchdog.builder().manual(() -> null)) {
      await().atMost(LONG).until(planted::deadlocked);
      Stall stall = watchdog.sample().orElseThrow();
      assertThat(stall.kind()).isEqualTo(Stall.Kind.DEADLOCK);
      assertThat(stall.verdict())
          .contains(
              "2 threads deadlocked",
              "'planted-deadlock-1' waits for",
              "held by 'planted-deadlock-2'");
      assertThat(stall.threadDump()).contains("lockBoth", "owns synchronizers");
      assertThat(watchdog.sample()).contains(stall);
    }
  }

  @Test
  void sample_noDeadlockAndNoGraph_findsNothing() {
    try (Watchdog watchdog = Watchdog.builder().manual(() -> null)) {
      assertThat(watchdog.sample()).isEmpty();
      assertThat(watchdog.samples()).isEqualTo(1);
    }
  }
}
