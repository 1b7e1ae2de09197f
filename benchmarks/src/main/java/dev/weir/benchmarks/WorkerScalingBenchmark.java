package dev.weir.benchmarks;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * worker_scaling: the two shapes where a second worker once made Weir several times slower, on 1
 * and 2 workers; the score is in millions of messages per second, start and stop included.
 *
 * <pre>
 *   pipeline_block1:  source [0, 200k) ──▶ +1 ──▶ +1 ──▶ +1 ──▶ sink     BLOCK edges of capacity 1
 *   fan_in1000:       1,000 sources of 100 longs ──▶ one sink port        BLOCK edges of capacity 16
 * </pre>
 *
 * <p>Every pipeline message blocks and wakes each producer once (about five activations per
 * message): the scheduler's hand-over path is what is measured. In the fan-in, the consumer's
 * round-robin reads and the wake-up of the producers it polled are.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar WorkerScalingBenchmark}. Compare the
 * two worker counts of one shape within one run (same JVM, minutes apart): on a loaded machine the
 * absolute figures move with the load, their ratio much less.
 *
 * <p>Thread-safety: one benchmark thread; each invocation runs its own graph.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WorkerScalingBenchmark {

  /** Messages per pipeline run. */
  static final int PIPELINE_SIZE = 200_000;

  /** Sources of the fan-in. */
  static final int DEGREE = 1_000;

  /** Messages per fan-in source. */
  static final int PER_SOURCE = 100;

  static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static long run(String what, Graph graph, int workers, AtomicLong sum, long expected)
      throws InterruptedException {
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      if (!running.awaitCompletion(TIMEOUT)) {
        throw Check.broken(
            what, "did not complete in " + TIMEOUT + "\n" + running.snapshot().render());
      }
    } finally {
      running.stop(Duration.ofSeconds(10));
    }
    Check.equal(what, expected, sum.get());
    return sum.get();
  }

  private static long pipeline(int workers) throws InterruptedException {
    AtomicLong sum = new AtomicLong();
    Graph graph =
        Graph.builder("pipeline_block1")
            .add("source", Nodes.range(0, PIPELINE_SIZE))
            .add("stage1", Nodes.map(Long.class, Long.class, x -> x + 1))
            .add("stage2", Nodes.map(Long.class, Long.class, x -> x + 1))
            .add("stage3", Nodes.map(Long.class, Long.class, x -> x + 1))
            .add("sink", Nodes.sink(Long.class, sum::addAndGet))
            .connect("source.out", "stage1.in", EdgeSpec.blocking(1))
            .connect("stage1.out", "stage2.in", EdgeSpec.blocking(1))
            .connect("stage2.out", "stage3.in", EdgeSpec.blocking(1))
            .connect("stage3.out", "sink.in", EdgeSpec.blocking(1))
            .build();
    long n = PIPELINE_SIZE;
    return run("pipeline_block1", graph, workers, sum, n * (n - 1) / 2 + 3 * n);
  }

  private static long fanIn(int workers) throws InterruptedException {
    AtomicLong count = new AtomicLong();
    GraphBuilder b =
        Graph.builder("fan_in1000")
            .add("sink", Nodes.sink(Long.class, x -> count.incrementAndGet()));
    for (int s = 0; s < DEGREE; s++) {
      b.add("source" + s, Nodes.range(0, PER_SOURCE));
      b.connect("source" + s + ".out", "sink.in", EdgeSpec.blocking(16));
    }
    return run("fan_in1000", b.build(), workers, count, (long) DEGREE * PER_SOURCE);
  }

  /**
   * The capacity-1 pipeline on one worker.
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(PIPELINE_SIZE)
  public long weirPipelineBlock1OneWorker() throws InterruptedException {
    return pipeline(1);
  }

  /**
   * The capacity-1 pipeline on two workers.
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(PIPELINE_SIZE)
  public long weirPipelineBlock1TwoWorkers() throws InterruptedException {
    return pipeline(2);
  }

  /**
   * The 1,000-way fan-in on one worker.
   *
   * @return the count of messages delivered
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(DEGREE * PER_SOURCE)
  public long weirFanIn1000OneWorker() throws InterruptedException {
    return fanIn(1);
  }

  /**
   * The 1,000-way fan-in on two workers.
   *
   * @return the count of messages delivered
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(DEGREE * PER_SOURCE)
  public long weirFanIn1000TwoWorkers() throws InterruptedException {
    return fanIn(2);
  }
}
