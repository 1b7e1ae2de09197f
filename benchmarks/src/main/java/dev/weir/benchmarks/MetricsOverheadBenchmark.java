package dev.weir.benchmarks;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * metrics_overhead: Weir's pipeline4 ({@link Pipeline4Benchmark}, one worker) with metrics off and
 * with a Micrometer {@link SimpleMeterRegistry} on (a fresh registry per run, so every run
 * registers and removes its meters like a real graph would). The overhead is {@code 1 - on / off};
 * the target is at most 5%.
 *
 * <pre>
 *   source ──▶ map ──▶ filter ──▶ sink      (1 worker; metrics off | SimpleMeterRegistry)
 * </pre>
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MetricsOverheadBenchmark}. The two
 * forks run one after the other, so machine noise between them shows up as overhead: read the error
 * columns, and re-run on a quiet machine before trusting a difference of a few percent. Normalized
 * in the regression gate by {@code weirMetricsOff}.
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
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class MetricsOverheadBenchmark {

  private Stages stages;
  private long expected;

  /** Builds the stages once. */
  @Setup(Level.Trial)
  public void setUp() {
    stages = Stages.plain(Pipeline4Benchmark.SIZE);
    expected = stages.expectedSum();
  }

  /**
   * Metrics off (the default).
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(Pipeline4Benchmark.SIZE)
  public long weirMetricsOff() throws InterruptedException {
    long started = PlantedSlowdown.start();
    long sum = Pipeline4.weir(stages, 1, null);
    Check.equal("metrics off", expected, sum);
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * Metrics on, into a {@link SimpleMeterRegistry}.
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(Pipeline4Benchmark.SIZE)
  public long weirMetricsOn() throws InterruptedException {
    long started = PlantedSlowdown.start();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long sum = Pipeline4.weir(stages, 1, registry);
    Check.equal("metrics on", expected, sum);
    registry.close();
    PlantedSlowdown.end(started);
    return sum;
  }
}
