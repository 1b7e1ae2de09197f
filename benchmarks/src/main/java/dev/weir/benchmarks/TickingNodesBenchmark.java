package dev.weir.benchmarks;

import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.VirtualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ticking_nodes: the cost of one tick when many nodes tick. {@code nodes} nodes that only tick,
 * every 10 ms of a {@link VirtualClock}, on 2 workers; one invocation advances the clock by one
 * interval and waits until every node has ticked once, so the score (intervals per second) times
 * {@code nodes} is ticks per second through the whole path (the wheel's pass, the ready queues, the
 * activation, the re-arm), with metrics off and with a {@link SimpleMeterRegistry}. With {@code
 * -prof gc}, {@code gc.alloc.rate.norm} over {@code nodes} is the allocation per tick.
 *
 * <pre>
 *   t0   t1   ...   t(nodes-1)        (no edges; 2 workers; VirtualClock advanced 10 ms a step)
 * </pre>
 *
 * <p>A virtual clock makes the work per invocation exact (every node is due once), so the score
 * does not depend on how far the system clock ran ahead of the workers. Before the timing wheel,
 * every pass re-fired every due node under one lock that also held the ready queues; on the system
 * clock that collapsed between 10,000 and 30,000 nodes (see tests-stress's TickingNodesStressTest).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TickingNodesBenchmark -prof gc}. Not in
 * the regression gate yet (docs/benchmarks.md says how to add it).
 *
 * <p>Thread-safety: one benchmark thread; the graph runs on its own workers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class TickingNodesBenchmark {

  private static final Duration INTERVAL = Duration.ofMillis(10);

  /** How many nodes tick. */
  @Param({"1000", "100000"})
  public int nodes;

  /** Metrics off ({@code false}) or into a {@link SimpleMeterRegistry} ({@code true}). */
  @Param({"false", "true"})
  public boolean metrics;

  private final LongAdder ticks = new LongAdder();
  private VirtualClock clock;
  private RunningGraph running;
  private long expected;

  /** A node that only ticks. */
  private static final class Ticking implements Node {
    private final LongAdder ticks;

    Ticking(LongAdder ticks) {
      this.ticks = ticks;
    }

    @Override
    public Duration tickInterval() {
      return INTERVAL;
    }

    @Override
    public void onTick(NodeContext ctx) {
      ticks.increment();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
  }

  /** Starts the graph once per trial. */
  @Setup(Level.Trial)
  public void setUp() {
    GraphBuilder builder = Graph.builder("ticking-" + nodes);
    for (int i = 0; i < nodes; i++) {
      builder.add("t" + i, new Ticking(ticks));
    }
    clock = VirtualClock.start();
    Scheduler.Builder scheduler = Scheduler.builder().workers(2).clock(clock);
    if (metrics) {
      scheduler.meterRegistry(new SimpleMeterRegistry());
    }
    running = scheduler.build().start(builder.build());
  }

  /** Stops it. */
  @TearDown(Level.Trial)
  public void tearDown() {
    running.stop(Duration.ofSeconds(60));
  }

  /**
   * One interval: every node ticks once.
   *
   * @return the ticks so far
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  public long oneIntervalOfTicks() throws InterruptedException {
    long started = PlantedSlowdown.start();
    expected += nodes;
    clock.advance(INTERVAL);
    if (!running.awaitQuiescence(Duration.ofSeconds(60))) {
      throw new IllegalStateException("ticking nodes did not go quiet: " + running.snapshot());
    }
    long seen = ticks.sum();
    Check.equal("ticks after each interval", expected, seen);
    PlantedSlowdown.end(started);
    return seen;
  }
}
