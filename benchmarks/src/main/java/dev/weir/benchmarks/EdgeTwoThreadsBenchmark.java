package dev.weir.benchmarks;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * edge_two_threads: the benchmark thread offers {@value #TRANSFER} messages into a queue of
 * capacity {@value #CAPACITY}; a dedicated consumer thread polls and sums them. One invocation is a
 * fixed-count transfer: it returns once the consumer has taken every message, and checks their sum.
 * The score is in millions of messages per second.
 *
 * <pre>
 *   benchmark thread ──offer──▶ [ queue, capacity 1024 ] ──poll──▶ consumer thread (sum)
 *        (spins, then yields, while full)              (spins, then yields, while empty)
 * </pre>
 *
 * <p>Both sides busy-wait: {@value SpinningConsumer#SPINS} {@link Thread#onSpinWait} spins, then
 * {@link Thread#yield} (between the "yield" and "spin" figures for JCTools). On a 2-core
 * machine the two threads need both cores, so anything else running there shows up in the score.
 * Weir: a BLOCK {@link Edge} made with {@link Edge#create}. Peers: {@link ArrayBlockingQueue}
 * (non-blocking offer/poll, same spinning) and JCTools {@link SpscArrayQueue}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar EdgeTwoThreadsBenchmark}. Normalized in
 * the regression gate by {@code jctoolsSpsc}.
 *
 * <p>Thread-safety: each queue has exactly one producer (the benchmark thread) and one consumer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EdgeTwoThreadsBenchmark {

  /** Queue capacity, as in the issue. */
  static final int CAPACITY = 1024;

  /** Messages per invocation. */
  static final int TRANSFER = 1 << 16;

  /** Distinct pre-made messages, offered round-robin. */
  static final int RING = 4096;

  /** What every state shares: the pre-made messages and the consumer. */
  abstract static class Transfer {
    final Message<Long>[] messages = premade();
    final long sumPerTransfer = sumOf(messages) * (TRANSFER / RING);
    SpinningConsumer consumer;
    private long sent;

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of messages
    private static Message<Long>[] premade() {
      Message<Long>[] ms = new Message[RING];
      for (int i = 0; i < RING; i++) {
        ms[i] = Message.of(1_000L + i);
      }
      return ms;
    }

    private static long sumOf(Message<Long>[] ms) {
      long s = 0;
      for (Message<Long> m : ms) {
        s += m.payload();
      }
      return s;
    }

    /** Offers one message; false if the queue is full. */
    abstract boolean offer(Message<Long> m);

    final long transfer(String what) {
      long sumBefore = consumer.sum();
      Message<Long>[] ms = messages;
      for (int i = 0; i < TRANSFER; i++) {
        Message<Long> m = ms[i & (RING - 1)];
        for (int idle = 0; !offer(m); ) {
          idle = SpinningConsumer.backOff(idle);
        }
      }
      sent += TRANSFER;
      consumer.awaitCount(sent);
      long sum = consumer.sum() - sumBefore;
      Check.equal(what, sumPerTransfer, sum);
      return sum;
    }

    @TearDown(Level.Trial)
    public void stopConsumer() throws InterruptedException {
      consumer.stop();
    }
  }

  /** A Weir BLOCK edge. */
  @State(Scope.Benchmark)
  public static class WeirEdge extends Transfer {
    private final Edge<Long> edge =
        Edge.create(
            "producer.out->consumer.in",
            PortSpec.of("in", Long.class),
            EdgeSpec.of(CAPACITY, OverflowPolicy.BLOCK));

    @Setup(Level.Trial)
    public void startConsumer() {
      consumer = new SpinningConsumer("weir-edge-consumer", edge::poll);
    }

    @Override
    boolean offer(Message<Long> m) {
      OfferStatus status = edge.offer(m).status();
      if (status == OfferStatus.ACCEPTED) {
        return true;
      }
      if (status == OfferStatus.BLOCKED) {
        return false;
      }
      throw Check.broken("weirBlock", "offer returned " + status);
    }
  }

  /** An {@link ArrayBlockingQueue}. */
  @State(Scope.Benchmark)
  public static class Abq extends Transfer {
    private final ArrayBlockingQueue<Message<Long>> queue = new ArrayBlockingQueue<>(CAPACITY);

    @Setup(Level.Trial)
    public void startConsumer() {
      consumer = new SpinningConsumer("abq-consumer", queue::poll);
    }

    @Override
    boolean offer(Message<Long> m) {
      return queue.offer(m);
    }
  }

  /** A JCTools {@link SpscArrayQueue}. */
  @State(Scope.Benchmark)
  public static class Spsc extends Transfer {
    private final SpscArrayQueue<Message<Long>> queue = new SpscArrayQueue<>(CAPACITY);

    @Setup(Level.Trial)
    public void startConsumer() {
      consumer = new SpinningConsumer("spsc-consumer", queue::relaxedPoll);
    }

    @Override
    boolean offer(Message<Long> m) {
      return queue.relaxedOffer(m);
    }
  }

  /**
   * Weir BLOCK edge.
   *
   * @param s the edge and its consumer
   * @return the sum of the transfer
   */
  @Benchmark
  @OperationsPerInvocation(TRANSFER)
  public long weirBlock(WeirEdge s) {
    long started = PlantedSlowdown.start();
    long sum = s.transfer("weirBlock");
    PlantedSlowdown.end(started);
    return sum;
  }

  /**
   * {@link ArrayBlockingQueue}.
   *
   * @param s the queue and its consumer
   * @return the sum of the transfer
   */
  @Benchmark
  @OperationsPerInvocation(TRANSFER)
  public long arrayBlockingQueue(Abq s) {
    return s.transfer("arrayBlockingQueue");
  }

  /**
   * JCTools {@link SpscArrayQueue}: the reference of the regression gate.
   *
   * @param s the queue and its consumer
   * @return the sum of the transfer
   */
  @Benchmark
  @OperationsPerInvocation(TRANSFER)
  public long jctoolsSpsc(Spsc s) {
    return s.transfer("jctoolsSpsc");
  }
}
