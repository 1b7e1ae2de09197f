package dev.weir.benchmarks;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.SpscArrayQueue;
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
 * edge_same_thread: one thread offers a burst of {@value #BURST} pre-made messages into a queue of
 * capacity {@value #CAPACITY}, then polls them all and sums their payloads. One operation is one
 * message through the queue (offer + poll); the score is in millions of messages per second.
 *
 * <pre>
 *   thread ──offer×256──▶ [ edge, capacity 1024 ] ──poll×256──▶ same thread (sum)
 * </pre>
 *
 * <p>Weir: an {@link Edge} made with {@link Edge#create} for each policy (BLOCK and DROP share the
 * SPSC ring, LATEST has the evicting ring, COALESCE the merging ring; the edge never fills, so no
 * policy fires). Peers: {@link ArrayDeque}, {@link ArrayBlockingQueue} and JCTools {@link
 * SpscArrayQueue}, carrying the same {@link Message} instances. Each operation checks the sum.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EdgeSameThreadBenchmark} (add {@code
 * -prof gc} for bytes per message). Normalized in the regression gate by the geometric mean of
 * {@code arrayDeque} and {@code arrayBlockingQueue}, which vary less from fork to fork than {@code
 * jctoolsSpsc}.
 *
 * <p>Thread-safety: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EdgeSameThreadBenchmark {

  /** Queue capacity, as in the issue. */
  static final int CAPACITY = 1024;

  /** Messages offered, then polled, per invocation. */
  static final int BURST = 256;

  private Message<Long>[] messages;
  private long expectedSum;
  private Edge<Long> block;
  private Edge<Long> drop;
  private Edge<Long> latest;
  private Edge<Long> coalesce;
  private ArrayDeque<Message<Long>> arrayDeque;
  private ArrayBlockingQueue<Message<Long>> arrayBlockingQueue;
  private SpscArrayQueue<Message<Long>> spsc;

  /** Makes the messages and the queues. */
  @Setup(Level.Trial)
  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of messages
  public void setUp() {
    messages = new Message[BURST];
    expectedSum = 0;
    for (int i = 0; i < BURST; i++) {
      long payload = 1_000L + i;
      messages[i] = Message.of(payload);
      expectedSum += payload;
    }
    PortSpec<Long> in = PortSpec.of("in", Long.class);
    block = Edge.create("bench.out->block.in", in, EdgeSpec.of(CAPACITY, OverflowPolicy.BLOCK));
    drop = Edge.create("bench.out->drop.in", in, EdgeSpec.of(CAPACITY, OverflowPolicy.DROP));
    latest = Edge.create("bench.out->latest.in", in, EdgeSpec.of(CAPACITY, OverflowPolicy.LATEST));
    coalesce =
        Edge.create(
            "bench.out->coalesce.in",
            in,
            EdgeSpec.of(CAPACITY, OverflowPolicy.<Long>coalesce(Long::sum)));
    arrayDeque = new ArrayDeque<>(CAPACITY);
    arrayBlockingQueue = new ArrayBlockingQueue<>(CAPACITY);
    spsc = new SpscArrayQueue<>(CAPACITY);
  }

  /**
   * Weir edge, BLOCK policy.
   *
   * @return the sum, so the work is not eliminated
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long weirBlock() {
    return weir(block, "weirBlock");
  }

  /**
   * Weir edge, DROP policy.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long weirDrop() {
    return weir(drop, "weirDrop");
  }

  /**
   * Weir edge, LATEST policy.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long weirLatest() {
    return weir(latest, "weirLatest");
  }

  /**
   * Weir edge, COALESCE policy.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long weirCoalesce() {
    return weir(coalesce, "weirCoalesce");
  }

  /**
   * {@link ArrayDeque}: no thread-safety at all, the floor of a single-threaded queue; a reference
   * of the regression gate.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long arrayDeque() {
    return queue(arrayDeque, "arrayDeque");
  }

  /**
   * {@link ArrayBlockingQueue}: one lock per offer and per poll; a reference of the regression
   * gate.
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long arrayBlockingQueue() {
    return queue(arrayBlockingQueue, "arrayBlockingQueue");
  }

  /**
   * JCTools {@link SpscArrayQueue}: the yardstick for the edge (0.8× its throughput).
   *
   * @return the sum
   */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long jctoolsSpsc() {
    return queue(spsc, "jctoolsSpsc");
  }

  private long weir(Edge<Long> edge, String what) {
    long started = PlantedSlowdown.start();
    Message<Long>[] batch = messages;
    for (Message<Long> m : batch) {
      if (edge.offer(m).status() != OfferStatus.ACCEPTED) {
        throw Check.broken(what, "an offer into a non-full edge was not accepted");
      }
    }
    long sum = 0;
    for (int i = 0; i < batch.length; i++) {
      Message<Long> m = edge.poll();
      if (m == null) {
        throw Check.broken(what, "the edge ran dry after " + i + " polls");
      }
      sum += m.payload();
    }
    Check.equal(what, expectedSum, sum);
    PlantedSlowdown.end(started);
    return sum;
  }

  private long queue(Queue<Message<Long>> q, String what) {
    Message<Long>[] batch = messages;
    for (Message<Long> m : batch) {
      if (!q.offer(m)) {
        throw Check.broken(what, "an offer into a non-full queue failed");
      }
    }
    long sum = 0;
    for (int i = 0; i < batch.length; i++) {
      Message<Long> m = q.poll();
      if (m == null) {
        throw Check.broken(what, "the queue ran dry after " + i + " polls");
      }
      sum += m.payload();
    }
    Check.equal(what, expectedSum, sum);
    return sum;
  }
}
