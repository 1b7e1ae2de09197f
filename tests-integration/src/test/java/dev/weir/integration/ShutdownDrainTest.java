package dev.weir.integration;

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
import dev.weir.core.SourceNode;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Priority;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.WorkerThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping a busy graph: BLOCK edges drain fully and lossy edges count what they lost; a drain
 * timeout dead-letters and counts every undelivered message; a hook stuck past the timeout is
 * reported, its {@code onStop} skipped and its edge's contents counted in place.
 *
 * <pre>
 *   drain:    endless ──┬─BLOCK(16)─► slowBlock
 *                       └─DROP(16)──► slowDrop          (stop while both are saturated)
 *
 *   timeout:  endless ──► relay ──BLOCK(256)──► crawler (2 ms per message, LOW band;
 *                                                        stop(100 ms) with 200+ queued)
 *
 *   stuck:    endless ──BLOCK(16)──► stuck (never returns from its hook until released)
 * </pre>
 */
class ShutdownDrainTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void stop_whileSaturated_drainsBlockFullyAndCountsWhatDropLost(int workers) throws Exception {
    // 24 per pull into edges of 16: the BLOCK edge parks 8, the DROP edge drops what exceeds it.
    EndlessSource endless = new EndlessSource(24);
    CountingSink slowBlock = new CountingSink(10_000);
    CountingSink slowDrop = new CountingSink(30_000);
    Graph graph =
        Graph.builder("drain-" + workers)
            .add("endless", endless)
            .add("slowBlock", slowBlock)
            .add("slowDrop", slowDrop)
            .connect("endless.out", "slowBlock.in", EdgeSpec.blocking(16))
            .connect("endless.out", "slowDrop.in", EdgeSpec.of(16, OverflowPolicy.DROP))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> slowBlock.count() >= 200 && depth(running, "endless.out->slowBlock.in") > 0);
    } finally {
      report = running.stop(Duration.ofSeconds(30));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render();
    long emitted = endless.emitted();

    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(slowBlock.received())
        .as(
            "a BLOCK edge drains fully: everything the source emitted arrives, in order\n%s",
            context)
        .containsExactlyElementsOf(LongStream.range(0, emitted).boxed().toList());
    EdgeStats drop = after.edge("endless.out->slowDrop.in");
    assertThat(drop.dropped()).as("the DROP edge overflowed\n%s", context).isPositive();
    assertThat(slowDrop.count() + drop.dropped())
        .as("DROP delivers what it held at stop and counts what it dropped\n%s", context)
        .isEqualTo(emitted);
    assertThat(report.edges())
        .filteredOn(e -> e.id().equals("endless.out->slowDrop.in"))
        .singleElement()
        .satisfies(e -> assertThat(e.dropped()).isEqualTo(drop.dropped()));
    assertThat(report.undelivered()).as(context).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  @WorkerCounts
  void stop_whenDrainTimesOut_deadLettersAndCountsEveryUndeliveredMessage(int workers)
      throws Exception {
    EndlessSource endless = new EndlessSource(0);
    CountingSink crawler = new CountingSink(2_000_000);
    Graph graph =
        Graph.builder("timeout-" + workers)
            .add("endless", endless)
            .add("relay", Nodes.map(Long.class, Long.class, x -> x))
            .add("crawler", crawler)
            .connect("endless.out", "relay.in", EdgeSpec.blocking(16))
            .connect("relay.out", "crawler.in", EdgeSpec.blocking(256))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    // Small batches and a LOW band for the crawler, so that its input fills up even on one worker.
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .batchLimit(8)
            .priority("endless", Priority.HIGH)
            .priority("relay", Priority.HIGH)
            .priority("crawler", Priority.LOW)
            .deadLetters(dead)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> depth(running, "relay.out->crawler.in") >= 200);
    } finally {
      report = running.stop(Duration.ofMillis(100));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render() + dead.describe();
    long emitted = endless.emitted();

    assertThat(report.timedOut()).as("256 messages at 2 ms cannot drain in 100 ms").isTrue();
    assertThat(report.stopFailures()).as(context).isEmpty();
    List<DeadLetter> letters = dead.all();
    assertThat(letters)
        .as(context)
        .isNotEmpty()
        .allSatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.SHUTDOWN_UNDELIVERED);
              assertThat(d.cause()).isNull();
            });
    assertThat((long) letters.size()).as(context).isEqualTo(report.undelivered());
    List<Long> accounted = new ArrayList<>(crawler.received());
    letters.forEach(d -> accounted.add((Long) d.message().payload()));
    assertThat(accounted)
        .as("each emitted message was delivered or dead-lettered, exactly once\n%s", context)
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, emitted).boxed().toList());
    assertThat(crawler.stopped()).as("onStop still ran").isTrue();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  @WorkerCounts
  void stop_whenAHookIsStuck_reportsItAndItsWorkerDrainsItWhenTheHookReturns(int workers)
      throws Exception {
    EndlessSource endless = new EndlessSource(0);
    StuckSink stuck = new StuckSink();
    Graph graph =
        Graph.builder("stuck-" + workers)
            .add("endless", endless)
            .add("stuck", stuck)
            .connect("endless.out", "stuck.in", EdgeSpec.blocking(16))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    // With one worker, the source cannot refill the slot the stuck hook's message left.
    int full = workers == 1 ? 15 : 16;
    try {
      assertThat(stuck.entered.await(30, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> depth(running, "endless.out->stuck.in") == full);
      report = running.stop(Duration.ofMillis(100));
      assertThat(stuck.stopped())
          .as("a node stuck in a hook never runs onStop concurrently with it")
          .isFalse();
    } finally {
      stuck.release.countDown();
      running.stop(Duration.ofSeconds(1));
    }
    // When the hook returns, its own worker dead-letters what the edge held and runs onStop.
    await().atMost(Duration.ofSeconds(30)).until(stuck::stopped);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> dead.count(DeadLetter.Reason.SHUTDOWN_UNDELIVERED) == full);
    GraphSnapshot after = running.snapshot();
    String context = after.render() + report.render() + dead.describe();

    assertThat(report.timedOut()).as(context).isTrue();
    assertThat(report.stopFailures())
        .as(context)
        .anySatisfy(f -> assertThat(f).contains("stuck").contains("still inside a hook"));
    assertThat(endless.stopped()).as("the other nodes still stop").isTrue();
    assertThat(report.edges())
        .filteredOn(e -> e.id().equals("endless.out->stuck.in"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.undelivered()).as("counted when the report was made").isEqualTo(full));
    assertThat(endless.emitted())
        .as("emitted = the one in the stuck hook + what the edge held\n%s", context)
        .isEqualTo(1 + full);
    assertThat(after.edge("endless.out->stuck.in").depth()).as(context).isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> assertThat(WorkerThreads.named("weir-stuck-" + workers + "-")).isEmpty());
  }

  private static int depth(RunningGraph running, String edge) {
    return running.snapshot().edge(edge).depth();
  }

  /** Emits longs until the graph stops: within demand, or a fixed number per pull. */
  static final class EndlessSource implements SourceNode {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final int perPull;
    private volatile long next;
    private volatile boolean stopped;

    /** {@code perPull} 0 emits within demand (at most 64 per pull). */
    EndlessSource(int perPull) {
      this.perPull = perPull;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int count = perPull > 0 ? perPull : Math.min(ctx.demand(out), 64);
      for (int i = 0; i < count; i++) {
        ctx.emit(out, next);
        next = next + 1;
      }
      return true;
    }

    @Override
    public void onStop(NodeContext ctx) {
      stopped = true;
    }

    long emitted() {
      return next;
    }

    boolean stopped() {
      return stopped;
    }
  }

  /** Records longs after some CPU work per message. */
  static final class CountingSink implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final long workNanos;
    private final List<Long> received = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean stopped;

    CountingSink(long workNanos) {
      this.workNanos = workNanos;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      BusyWork.spin(workNanos);
      received.add(in.cast(message).payload());
    }

    @Override
    public void onStop(NodeContext ctx) {
      stopped = true;
    }

    long count() {
      return received.size();
    }

    List<Long> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    boolean stopped() {
      return stopped;
    }
  }

  /** Never returns from its first onMessage until the test releases it. */
  static final class StuckSink implements Node {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private volatile boolean stopped;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message)
        throws InterruptedException {
      entered.countDown();
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    }

    @Override
    public void onStop(NodeContext ctx) {
      stopped = true;
    }

    boolean stopped() {
      return stopped;
    }
  }
}
