package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeStats;
import dev.weir.core.Node;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.scheduler.GraphSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bugs planted in a stress run that only watching it while it runs can catch: a node that stops
 * returning from its hook (the watchdog), two threads deadlocked on locks (the watchdog's deadlock
 * detection), an edge read deeper than its capacity (the bounded-depth invariant, fed by a
 * test-only observer), and an invariant broken in the middle of the run but holding again at its
 * end (a continuous invariant). Each run fails, with what explains it in its folder.
 */
class PlantedStallsTest {

  private final ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
  private final DeliveryOrder order = DeliveryOrder.create();
  private final AtomicLong ids = new AtomicLong();

  /** A feeder whose offers give up after 50 ms, so a stuck graph does not hold it for long. */
  private Actor feeder() {
    return (env, random) -> {
      Item item = new Item(ids.getAndIncrement(), "feeder", 0);
      OfferResult sent = env.ingress("in", Item.class).put(item, Duration.ofMillis(50));
      return ledger.offered(item, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
    };
  }

  private StressTest pipeline(Path artifacts, String name, Supplier<Node> middle) {
    return StressTest.named(name)
        .graph(Pipelines.through(middle, ledger, order))
        .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
        .actor("feeder", feeder())
        .operations(2_000)
        .duration(Duration.ofMinutes(5))
        .monitorInterval(Duration.ofMillis(20))
        .stopTimeout(Duration.ofSeconds(1))
        .artifacts(artifacts)
        .console(line -> {});
  }

  @Test
  void stalledNode_isCaughtByTheWatchdogWithItsSnapshotAndStack(@TempDir Path artifacts)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong seen = new AtomicLong();
    StressResult result;
    try {
      result =
          pipeline(
                  artifacts,
                  "stalled",
                  () ->
                      Nodes.map(
                          Item.class,
                          Item.class,
                          item -> {
                            if (seen.incrementAndGet() == 300) {
                              stallUntil(release);
                            }
                            return item;
                          }))
              .stallAfter(Duration.ofMillis(500))
              .run();
    } finally {
      release.countDown();
    }

    assertThat(result.passed()).isFalse();
    CheckResult watchdog = result.check("watchdog");
    assertThat(watchdog.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(watchdog.detail())
        .contains(
            "NO_PROGRESS", "graph 'pipeline'", "node 'middle' RUNNING", "'ingress:in->middle.in'");
    assertThat(result.failure())
        .hasValueSatisfying(f -> assertThat(f).contains("the watchdog found a stall"));
    assertThat(result.run().operations()).as("the stall stopped the run").isLessThan(2_000);
    Path folder = result.folder();
    assertThat(folder.resolve("stall.txt"))
        .content()
        .contains("NO_PROGRESS", "node middle RUNNING", "edge ingress:in->middle.in");
    assertThat(folder.resolve("threads.txt"))
        .content()
        .contains("stallUntil", "weir-pipeline-worker");
    assertThat(folder.resolve("log.txt")).content().startsWith("# the last ");
    assertThat(folder.resolve("revision.txt"))
        .content()
        .matches("([0-9a-f]{40}(-dirty)?|unknown)\n");
  }

  @Test
  void deadlockedThreads_areCaughtByTheWatchdog(@TempDir Path artifacts) throws Exception {
    AtomicReference<PlantedDeadlock> planted = new AtomicReference<>();
    StressResult result;
    try {
      result =
          pipeline(artifacts, "deadlock", Pipelines::forwarder)
              .actor(
                  "saboteur",
                  (env, random) -> {
                    if (env.operations() >= 100 && planted.get() == null) {
                      planted.set(PlantedDeadlock.start("planted-deadlock"));
                    }
                    return Outcome.NOT_COUNTED;
                  })
              .operations(Long.MAX_VALUE - 1)
              .run();
    } finally {
      PlantedDeadlock threads = planted.get();
      if (threads != null) {
        threads.close();
      }
    }

    assertThat(result.passed()).isFalse();
    CheckResult watchdog = result.check("watchdog");
    assertThat(watchdog.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(watchdog.detail())
        .contains("DEADLOCK", "2 threads deadlocked", "planted-deadlock-1");
    assertThat(result.folder().resolve("threads.txt"))
        .content()
        .contains("planted-deadlock-2", "lockBoth");
  }

  /**
   * A test-only edge observer that reads the edge into the sink (capacity 4) as holding 6: the
   * bounded-depth invariant must name that edge at its first sample and stop the run.
   */
  @Test
  void edgeDeeperThanItsCapacity_isCaughtByTheBoundedDepthInvariant(@TempDir Path artifacts) {
    LiveInvariant bounded = Checkers.boundedDepth();
    StressResult result =
        pipeline(artifacts, "too-deep", Pipelines::forwarder)
            .continuously(
                "bounded depth", (graph, snapshot) -> bounded.check(graph, overReport(snapshot)))
            .run();

    assertThat(result.passed()).isFalse();
    CheckResult depth = result.check("bounded depth");
    assertThat(depth.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(depth.detail())
        .contains(
            "broken at sample 1", "edge 'middle.out->sink.in' (BLOCK, capacity 4) read depth 6");
    assertThat(result.folder().resolve("invariants.txt"))
        .content()
        .contains("bounded depth", "read depth 6", "graph 'pipeline'");
  }

  @Test
  void healthyPipeline_keepsEveryEdgeWithinItsCapacity(@TempDir Path artifacts) {
    StressResult result =
        pipeline(artifacts, "bounded", Pipelines::forwarder)
            .continuously("bounded depth", Checkers.boundedDepth())
            .run();

    result.assertPassed();
    assertThat(result.check("bounded depth").detail())
        .contains("held at each of", "2 edges within capacity");
    assertThat(result.check("watchdog").detail()).contains("no stall and no deadlocked threads");
  }

  /**
   * An invariant broken only in the middle of the run, holding again at its end: checked only after
   * the run it would pass; checked continuously, the run fails.
   */
  @Test
  void invariantBrokenMidRun_failsTheRunThoughItHoldsAtTheEnd(@TempDir Path artifacts) {
    AtomicBoolean broken = new AtomicBoolean();
    CountDownLatch seenBroken = new CountDownLatch(1);
    CountDownLatch cycleDone = new CountDownLatch(1);
    StressResult result =
        // The node holds item 150 until the breaker's cycle is over, so the feeder cannot reach the
        // run's 2,000 operations (and end the safety phase) before the flag went up and down.
        pipeline(
                artifacts,
                "mid-run",
                () ->
                    Nodes.map(
                        Item.class,
                        Item.class,
                        item -> {
                          if (item.id() == 150) {
                            stallUntil(cycleDone);
                          }
                          return item;
                        }))
            .actor(
                "breaker",
                (env, random) -> {
                  if (env.operations() >= 100 && cycleDone.getCount() > 0) {
                    broken.set(true);
                    if (!seenBroken.await(30, TimeUnit.SECONDS)) {
                      throw new IllegalStateException("the invariant never saw the flag up");
                    }
                    broken.set(false);
                    cycleDone.countDown();
                  }
                  return Outcome.NOT_COUNTED;
                })
            .continuously(
                "not broken",
                (graph, snapshot) -> {
                  if (broken.get()) {
                    seenBroken.countDown();
                    return CheckResult.invalid("the planted flag was up");
                  }
                  return CheckResult.valid("the planted flag was down");
                })
            .run();

    assertThat(broken.get()).as("the invariant holds at the end").isFalse();
    assertThat(result.passed()).isFalse();
    CheckResult check = result.check("not broken");
    assertThat(check.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(check.detail()).contains("broken at sample", "the planted flag was up");
    assertThat(result.failure())
        .hasValueSatisfying(
            f -> assertThat(f).contains("invariant 'not broken' broke during the safety phase"));
  }

  @Test
  void invariantThatThrows_isUnknownNeverAPass(@TempDir Path artifacts) {
    StressResult result =
        pipeline(artifacts, "throwing-invariant", Pipelines::forwarder)
            .operations(200)
            .continuously(
                "throws",
                (graph, snapshot) -> {
                  throw new IllegalStateException("cannot tell");
                })
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(result.check("throws").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.check("throws").detail()).contains("the invariant threw", "cannot tell");
  }

  /** The test-only observer: the edge into the sink reads capacity + 2 messages. */
  private static GraphSnapshot overReport(GraphSnapshot s) {
    List<GraphSnapshot.EdgeView> edges = new ArrayList<>();
    for (GraphSnapshot.EdgeView e : s.edges()) {
      EdgeStats t = e.stats();
      edges.add(
          e.id().equals("middle.out->sink.in")
              ? new GraphSnapshot.EdgeView(
                  e.id(),
                  new EdgeStats(
                      t.accepted(),
                      t.evicted(),
                      t.coalesced(),
                      t.blocked(),
                      t.dropped(),
                      t.failed(),
                      t.rejected(),
                      t.closed(),
                      t.delivered(),
                      t.discarded(),
                      6,
                      t.controlDepth(),
                      t.highWaterMark()))
              : e);
    }
    return new GraphSnapshot(
        s.graph(),
        s.clockNanos(),
        s.nodes(),
        edges,
        s.readyDepth(),
        s.traceHash(),
        s.eventCount(),
        s.recentEvents());
  }

  private static void stallUntil(CountDownLatch release) {
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the node");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
