package dev.weir.testkit.load;

import dev.weir.testkit.Actor;
import dev.weir.testkit.Outcome;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The closed model's latency: N concurrent clients, each waiting for its answer before it asks
 * again. The clients are a {@link dev.weir.testkit.StressTest}'s actors ({@code actors(name, n,
 * ...)} already runs N of them, each on its own thread, until the exit criteria); {@link #timed}
 * wraps the actor so that each counted operation's time lands in an HdrHistogram.
 *
 * <pre>{@code
 * ClosedLoad clients = ClosedLoad.create();
 * StressTest.named("closed")
 *     .graph(...)
 *     .actors("client", 8, clients.timed((env, random) -> { ...; return Outcome.COUNTED; }))
 *     .operations(50_000)
 *     .run()
 *     .assertPassed();
 * System.err.println(clients.summary()); // ops, throughput, p50/p99/max
 * }</pre>
 *
 * <p>What it measures is service time as N clients see it: when the system stalls, the clients
 * stall with it and ask nothing, so a closed model cannot show what arrivals at a fixed rate would
 * have suffered (coordinated omission is built into the model). Use {@link OpenLoad} for latency
 * under an arrival rate.
 *
 * <p>Thread-safety: {@link #timed} actors record from any number of threads (the {@link Recorder}
 * is wait-free for writers); the readers ({@link #latency}, {@link #summary}) are synchronized
 * among themselves.
 */
public final class ClosedLoad {

  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

  private ClosedLoad() {}

  /**
   * A fresh latency record for one closed-model run.
   *
   * @return the record
   */
  public static ClosedLoad create() {
    return new ClosedLoad();
  }

  /**
   * Wraps an actor so that each of its {@link Outcome#COUNTED} operations records its time
   * (operations not counted, and resets, are not workload and are not recorded).
   *
   * @param actor the client's operation
   * @return the timed actor, to give to {@code StressTest.actor(s)}
   */
  public Actor timed(Actor actor) {
    Objects.requireNonNull(actor, "actor");
    return (env, random) -> {
      long start = System.nanoTime();
      Outcome outcome = actor.operate(env, random);
      long end = System.nanoTime();
      if (outcome == Outcome.COUNTED) {
        recorder.recordValue(end - start);
        operations.incrementAndGet();
        first.accumulateAndGet(start, Math::min);
        last.accumulateAndGet(end, Math::max);
      }
      return outcome;
    };
  }

  /**
   * The operations recorded so far.
   *
   * @return the count
   */
  public long operations() {
    return operations.get();
  }

  /**
   * The latency histogram of every operation recorded so far (nanoseconds).
   *
   * @return a copy
   */
  public synchronized Histogram latency() {
    total.add(recorder.getIntervalHistogram());
    return total.copy();
  }

  /**
   * The latency at a percentile.
   *
   * @param percentile 0 to 100
   * @return the latency; zero before any operation
   */
  public Duration latencyAt(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], was " + percentile);
    }
    Histogram h = latency();
    return Duration.ofNanos(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile));
  }

  /**
   * Operations per second between the first operation's start and the last one's end.
   *
   * @return the throughput; zero before any operation
   */
  public double throughputPerSecond() {
    long span = last.get() - first.get();
    return operations.get() == 0 || span <= 0 ? 0 : operations.get() * 1e9 / span;
  }

  /**
   * One line: operations, throughput, p50, p99, p99.9 and max.
   *
   * @return the summary
   */
  public String summary() {
    Histogram h = latency();
    boolean any = h.getTotalCount() > 0;
    return String.format(
        Locale.ROOT,
        "closed load: %d operations, %.1f/s; latency p50=%s p99=%s p99.9=%s max=%s",
        h.getTotalCount(),
        throughputPerSecond(),
        LoadResult.ms(any ? h.getValueAtPercentile(50) : 0),
        LoadResult.ms(any ? h.getValueAtPercentile(99) : 0),
        LoadResult.ms(any ? h.getValueAtPercentile(99.9) : 0),
        LoadResult.ms(any ? h.getMaxValue() : 0));
  }

  @Override
  public String toString() {
    return summary();
  }
}
