package dev.weir.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * fan_in4: four application threads feed one consumer, {@value FanIn4#PER_PRODUCER} pre-boxed longs
 * each; one invocation is one fan-in of {@value FanIn4#TOTAL} messages, checked against the
 * expected sum. The score is in millions of messages per second.
 *
 * <pre>
 *   app-0 ──┐
 *   app-1 ──┤                      Weir: ingress ──▶ sink node (1 worker)
 *   app-2 ──┼──▶ one consumer      ABQ / MPSC: the benchmark thread
 *   app-3 ──┘                      Reactor merge / Pekko Merge: the library's threads
 * </pre>
 *
 * <p>Weir: one long-lived graph per trial, the producers calling {@code Ingress.put}, either all on
 * one shared ingress or on one ingress each (all into the sink's one input port), or sending
 * batches of {@value FanIn4#BATCH} with {@code Ingress.putAll} on the shared ingress ({@code
 * weirSharedIngressBatch}, whose peer is JCTools' {@code fill}/{@code drain}, {@code
 * jctoolsMpscBatch}). Peers: {@code ArrayBlockingQueue} put/take, JCTools {@code MpscArrayQueue}
 * (yielding when full or empty), Reactor {@code merge} of {@code subscribeOn} sources on a 4-thread
 * scheduler (the comparable Reactor row), and Pekko {@code Merge} of four {@code async()}
 * sources. Reactor and Pekko run their sources on their own threads, not on application threads.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar FanIn4Benchmark}. Normalized in the
 * regression gate by {@code arrayBlockingQueue}.
 *
 * <p>Thread-safety: one benchmark thread drives each variant.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FanIn4Benchmark {

  private static long check(String what, long sum) {
    Check.equal("fan_in4 " + what, FanIn4.SUM_PER_RUN, sum);
    return sum;
  }

  /**
   * Weir, one ingress shared by the four producers.
   *
   * @param v the running graph and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long weirSharedIngress(FanIn4.WeirSharedIngress v) throws Exception {
    long started = PlantedSlowdown.start();
    long sum = check("weirSharedIngress", v.run());
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * Weir, one ingress shared by the four producers, each sending batches of {@value FanIn4#BATCH}
   * with {@code Ingress.putAll}.
   *
   * @param v the running graph and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long weirSharedIngressBatch(FanIn4.WeirSharedIngressBatch v) throws Exception {
    long started = PlantedSlowdown.start();
    long sum = check("weirSharedIngressBatch", v.run());
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * Weir, one ingress per producer.
   *
   * @param v the running graph and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long weirIngressPerProducer(FanIn4.WeirIngressPerProducer v) throws Exception {
    long started = PlantedSlowdown.start();
    long sum = check("weirIngressPerProducer", v.run());
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * {@code ArrayBlockingQueue}: the reference of the regression gate.
   *
   * @param v the queue and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long arrayBlockingQueue(FanIn4.Abq v) throws Exception {
    return check("arrayBlockingQueue", v.run());
  }

  /**
   * JCTools {@code MpscArrayQueue}.
   *
   * @param v the queue and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long jctoolsMpsc(FanIn4.Mpsc v) throws Exception {
    return check("jctoolsMpsc", v.run());
  }

  /**
   * JCTools {@code MpscArrayQueue} in batches ({@code fill} / {@code drain}), the peer of {@code
   * weirSharedIngressBatch}.
   *
   * @param v the queue and its producers
   * @return the sum
   * @throws Exception if a producer fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long jctoolsMpscBatch(FanIn4.MpscBatch v) throws Exception {
    return check("jctoolsMpscBatch", v.run());
  }

  /**
   * Reactor {@code merge} of {@code subscribeOn} sources.
   *
   * @param v the scheduler
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long reactorMerge(FanIn4.ReactorMerge v) {
    return check("reactorMerge", v.run());
  }

  /**
   * Pekko {@code Merge} of four async sources.
   *
   * @param v the actor system
   * @return the sum
   * @throws Exception if the stream fails
   */
  @Benchmark
  @OperationsPerInvocation(FanIn4.TOTAL)
  public long pekkoMerge(FanIn4.PekkoMerge v) throws Exception {
    return check("pekkoMerge", v.run());
  }
}
