package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Timer load: 100,000 ticking nodes (10,000 at smoke scale) on two workers and the system clock,
 * with a Micrometer registry given to the scheduler, for 10 seconds (2 at smoke scale).
 *
 * <pre>
 *   t0   t1   t2   ...   t99999      (no edges: each node only ticks, every 100 ms)
 * </pre>
 *
 * <p>Guards against tick backlog, drift and missed ticks not counted. Checked at every scale, per
 * node: every interval boundary it lived through is a tick delivered or a tick counted missed
 * ({@code ticks + missedTicks} lies between the boundaries from the end of start() to the call of
 * stop() and those from its onStart to the return of stop(): the grid does not drift), its onTick
 * calls match {@code ticks}, and the registry's {@code weir.node.ticks} agrees. At nightly scale
 * the budgets: at least {@value #NIGHTLY_DELIVERED_PERCENT}% of the due ticks delivered (9 to 23%
 * measured on the 2-core machine while other builds kept its load average at 23 to 25), and the
 * stop drained in time.
 *
 * <p>Bug it caught: ticks collapsed between 10,000 and 30,000 ticking nodes. Every node was
 * re-fired at every interval boundary whether it had taken its last tick or not, from a priority
 * queue under one lock that also held the ready queues, and every worker loop ran that pass: at
 * 30,000 nodes on a 10 ms cadence the passes took both workers, 3 to 201 ticks were delivered in 5
 * to 10 s of 15 to 29 M due, and {@code stop(30 s)} timed out (with or without a registry); 100,000
 * nodes every 100 ms delivered 40 ticks in 13 s, and the stop timed out. Ticks now live on a hashed
 * timing wheel, a fired node leaves it until its activation takes the tick, and the accounting is
 * exact.
 *
 * <p>Run it at nightly scale: {@code mvn -B -ntp -pl tests-stress verify
 * -Dtest='TickingNodesStressTest'} (after the README's install step).
 */
@WeirTest
class TickingNodesStressTest {

  /** The nightly budget: delivered ticks over due ticks, in percent. */
  static final int NIGHTLY_DELIVERED_PERCENT = 5;

  /** A node that only ticks, and counts its ticks; records when it started on the graph clock. */
  static final class Ticking implements Node {
    private final Duration interval;
    volatile long startedNanos;
    volatile long ticks;

    Ticking(Duration interval) {
      this.interval = interval;
    }

    @Override
    public Duration tickInterval() {
      return interval;
    }

    @Override
    public void onStart(NodeContext ctx) {
      startedNanos = ctx.clock().nanoTime();
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: the node never runs on two threads
    public void onTick(NodeContext ctx) {
      ticks++;
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
  }

  @Test
  void tickingNodes_twoWorkersAndARegistry_accountForEveryBoundaryAndStopInTime(long seed)
      throws Exception {
    SuiteScale scale = StressReports.scale();
    int count = scale.pick(10_000, 100_000);
    Duration interval = Duration.ofMillis(100);
    Duration run = Duration.ofSeconds(scale.pick(2, 10));
    List<Ticking> nodes = new ArrayList<>(count);
    GraphBuilder builder = Graph.builder("ticking-" + count);
    for (int i = 0; i < count; i++) {
      Ticking node = new Ticking(interval);
      nodes.add(node);
      builder.add("t" + i, node);
    }
    Graph graph = builder.build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RunningGraph running =
        Scheduler.builder().workers(2).seed(seed).meterRegistry(registry).build().start(graph);
    long started = System.nanoTime();
    List<FunctionCounter> tickMeters =
        new ArrayList<>(registry.find("weir.node.ticks").functionCounters());
    new CountDownLatch(1).await(run.toNanos(), TimeUnit.NANOSECONDS); // let the ticks run
    long stopCalled = System.nanoTime();
    ShutdownReport report = running.stop(Duration.ofSeconds(30));
    long stopped = System.nanoTime();
    GraphSnapshot after = running.snapshot();

    long step = interval.toNanos();
    long delivered = 0;
    long due = 0;
    for (int i = 0; i < count; i++) {
      Ticking node = nodes.get(i);
      GraphSnapshot.NodeView view = after.node("t" + i);
      assertThat(view).isNotNull();
      long accounted = view.ticks() + view.missedTicks();
      long atLeast = (stopCalled - started) / step;
      long atMost = (stopped - node.startedNanos) / step;
      assertThat(accounted)
          .as(
              "t%d: ticks %d + missed %d must be the boundaries it lived through, in [%d, %d]",
              i, view.ticks(), view.missedTicks(), atLeast, atMost)
          .isBetween(atLeast, atMost);
      assertThat(view.ticks()).as("t%d: onTick calls", i).isEqualTo(node.ticks);
      delivered += view.ticks();
      due += accounted;
    }
    double metered = tickMeters.stream().mapToDouble(FunctionCounter::count).sum();
    assertThat(tickMeters).hasSize(count);
    assertThat(metered).as("weir.node.ticks summed over the nodes").isEqualTo((double) delivered);
    assertThat(report.ledger().balanced()).as(report::render).isTrue();

    double percent = 100.0 * delivered / Math.max(1, due);
    String summary =
        String.format(
            "%d ticking nodes every %s for %s on 2 workers: %d of %d due ticks delivered (%.1f%%),"
                + " stop took %d ms",
            count,
            interval,
            run,
            delivered,
            due,
            percent,
            TimeUnit.NANOSECONDS.toMillis(stopped - stopCalled));
    LoggerFactory.getLogger(TickingNodesStressTest.class).warn(summary); // kept in the log
    if (scale == SuiteScale.NIGHTLY) {
      assertThat(report.timedOut()).as("the stop drained in time: %s", summary).isFalse();
      assertThat(percent).as(summary).isGreaterThanOrEqualTo(NIGHTLY_DELIVERED_PERCENT);
    }
  }
}
