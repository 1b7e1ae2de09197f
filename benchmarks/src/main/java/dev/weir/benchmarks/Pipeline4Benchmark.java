package dev.weir.benchmarks;

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
 * pipeline4: {@value #SIZE} longs through four stages, in Weir and in each peer. One invocation is
 * a whole run of the pipeline (its start, all {@value #SIZE} messages and its completion), checked
 * against the expected sum; the score is in millions of source items per second.
 *
 * <pre>
 *   source [0, 1e6) ──▶ map x*3 ──▶ filter even ──▶ sink sum
 *                          (async boundary here, where a variant has one)
 * </pre>
 *
 * <p>Variants: Weir on 1 and on 2 workers (four {@code Nodes} helpers, BLOCK edges of capacity
 * 1024, the graph and its workers started and stopped inside each invocation); Reactor, RxJava 3
 * and Pekko Streams fused, with one boundary ({@code publishOn} / {@code observeOn} / {@code
 * async()}), and for Reactor and RxJava with {@code subscribeOn} as well, so that the two halves
 * really run on two threads; and a plain two-thread {@code ArrayBlockingQueue} baseline. Which
 * threads run each stage is printed by {@link StageThreads} and recorded in docs/benchmarks.md.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Pipeline4Benchmark} (add {@code -prof
 * gc} for bytes per item). Normalized in the regression gate by the geometric mean of {@code
 * abqTwoThreads} and {@code reactorFused}.
 *
 * <p>Thread-safety: one benchmark thread; each invocation runs its own pipeline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class Pipeline4Benchmark {

  /** Items per run. */
  static final int SIZE = 1_000_000;

  private Stages stages;
  private long expected;

  /** Builds the stages once; each run resets the sink. */
  @Setup(Level.Trial)
  public void setUp() {
    stages = Stages.plain(SIZE);
    expected = stages.expectedSum();
  }

  private long check(String what, long sum) {
    Check.equal("pipeline4 " + what, expected, sum);
    return sum;
  }

  /**
   * Weir, one worker: the default event loop.
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long weirOneWorker() throws InterruptedException {
    long started = PlantedSlowdown.start();
    long sum = check("weirOneWorker", Pipeline4.weir(stages, 1, null));
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * Weir, two workers.
   *
   * @return the sum
   * @throws InterruptedException if interrupted
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long weirTwoWorkers() throws InterruptedException {
    long started = PlantedSlowdown.start();
    long sum = check("weirTwoWorkers", Pipeline4.weir(stages, 2, null));
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * Reactor, fused; a reference of the regression gate.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long reactorFused() {
    return check("reactorFused", Pipeline4.reactorFused(stages));
  }

  /**
   * Reactor, {@code publishOn} only (collapses onto one thread, see {@link
   * Pipeline4#reactorPublishOn}).
   *
   * @param threads the schedulers
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long reactorPublishOn(Runtimes.ReactorPair threads) {
    return check("reactorPublishOn", Pipeline4.reactorPublishOn(stages, threads.consumer));
  }

  /**
   * Reactor, {@code subscribeOn} + {@code publishOn}: two threads.
   *
   * @param threads the schedulers
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long reactorSubscribeOnPublishOn(Runtimes.ReactorPair threads) {
    return check(
        "reactorSubscribeOnPublishOn",
        Pipeline4.reactorSubscribeOnPublishOn(stages, threads.producer, threads.consumer));
  }

  /**
   * RxJava 3, fused.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long rxFused() {
    return check("rxFused", Pipeline4.rxFused(stages));
  }

  /**
   * RxJava 3, {@code observeOn} only.
   *
   * @param threads the schedulers
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long rxObserveOn(Runtimes.RxPair threads) {
    return check("rxObserveOn", Pipeline4.rxObserveOn(stages, threads.consumer));
  }

  /**
   * RxJava 3, {@code subscribeOn} + {@code observeOn}: two threads.
   *
   * @param threads the schedulers
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long rxSubscribeOnObserveOn(Runtimes.RxPair threads) {
    return check(
        "rxSubscribeOnObserveOn",
        Pipeline4.rxSubscribeOnObserveOn(stages, threads.producer, threads.consumer));
  }

  /**
   * Pekko Streams, fused into one actor.
   *
   * @param pekko the actor system
   * @return the sum
   * @throws Exception if the stream fails
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long pekkoFused(Runtimes.Pekko pekko) throws Exception {
    return check("pekkoFused", Pipeline4.pekkoFused(stages, pekko.system));
  }

  /**
   * Pekko Streams with an {@code async()} boundary.
   *
   * @param pekko the actor system
   * @return the sum
   * @throws Exception if the stream fails
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long pekkoAsync(Runtimes.Pekko pekko) throws Exception {
    return check("pekkoAsync", Pipeline4.pekkoAsync(stages, pekko.system));
  }

  /**
   * Two plain threads and an {@code ArrayBlockingQueue}: the reference of the regression gate.
   *
   * @param producer the producing thread
   * @return the sum
   * @throws Exception if the producer fails
   */
  @Benchmark
  @OperationsPerInvocation(SIZE)
  public long abqTwoThreads(Runtimes.ProducerThread producer) throws Exception {
    return check("abqTwoThreads", Pipeline4.abqTwoThreads(stages, producer.executor));
  }
}
