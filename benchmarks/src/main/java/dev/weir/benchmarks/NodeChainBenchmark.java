package dev.weir.benchmarks;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * node_chain: what one more node costs a message. A source of ready-made payloads, {@code nodes}
 * pass-through map nodes ({@code Nodes.map} with the identity function), and a sink, joined by
 * BLOCK edges of capacity 1024, on one worker; the score is nanoseconds per source item, start and
 * stop included. The slope over {@code nodes} is the cost of one hop: an edge's offer and poll, the
 * node's share of its activations, its {@code onMessage}, and the {@code Message} the map makes;
 * {@code nodes = 0} is what a source and a sink cost. No payload is boxed in the measured loop (the
 * source cycles through 1024 pre-made {@code Long}s), so, unlike pipeline4, the stage functions
 * cost next to nothing and the engine is what is measured.
 *
 * <pre>
 *   source ──▶ map ──▶ ... ──▶ map ──▶ sink      ({@code nodes} maps)
 * </pre>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NodeChainBenchmark} (add {@code -prof
 * gc}: each map adds one 40-byte {@code Message}). Not gated, so {@code -Dweir.bench.slowdown}
 * leaves it alone: it explains pipeline4's cost, which the gate watches.
 *
 * <p>Thread-safety: one benchmark thread; each invocation runs its own graph.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NodeChainBenchmark {

  /** Items per run. */
  static final int SIZE = 1_000_000;

  private static final int DISTINCT = 1024;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** The number of map nodes between the source and the sink. */
  @Param({"0", "1", "2", "4", "8"})
  public int nodes;

  private final Long[] payloads = new Long[DISTINCT];
  private long expected;
  private long sum;
  private long count;

  /** Makes the payloads once. */
  @Setup(Level.Trial)
  public void setUp() {
    for (int i = 0; i < DISTINCT; i++) {
      payloads[i] = (long) i + 1_000_000; // beyond Long's cache: real objects, made once
    }
    long total = 0;
    for (int i = 0; i < SIZE; i++) {
      total += payloads[i & (DISTINCT - 1)];
    }
    expected = total;
  }

  /**
   * Weir, one worker, {@code nodes} maps between source and sink.
   *
   * @return the sum at the sink
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long weir() throws InterruptedException {
    sum = 0;
    count = 0;
    RunningGraph running = Scheduler.builder().workers(1).build().start(graph());
    try {
      if (!running.awaitCompletion(TIMEOUT)) {
        throw Check.broken(
            "node_chain " + nodes,
            "did not complete in " + TIMEOUT + "\n" + running.snapshot().render());
      }
    } finally {
      running.stop(Duration.ofSeconds(10));
    }
    Check.equal("node_chain " + nodes + " items", SIZE, count);
    Check.equal("node_chain " + nodes, expected, sum);
    return sum;
  }

  private Graph graph() {
    GraphBuilder builder =
        Graph.builder("node-chain").add("source", Nodes.source(Long.class, this::items));
    String upstream = "source";
    for (int i = 1; i <= nodes; i++) {
      String name = "map" + i;
      builder.add(name, Nodes.map(Long.class, Long.class, Function.<Long>identity()));
      builder.connect(upstream + ".out", name + ".in", EdgeSpec.blocking(1024));
      upstream = name;
    }
    return builder
        .add("sink", Nodes.sink(Long.class, this::take))
        .connect(upstream + ".out", "sink.in", EdgeSpec.blocking(1024))
        .build();
  }

  private void take(Long x) {
    sum += x;
    count++;
  }

  private Iterator<Long> items() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < SIZE;
      }

      @Override
      public Long next() {
        if (next >= SIZE) {
          throw new NoSuchElementException();
        }
        return payloads[next++ & (DISTINCT - 1)];
      }
    };
  }
}
