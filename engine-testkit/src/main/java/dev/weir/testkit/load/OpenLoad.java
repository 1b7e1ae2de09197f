package dev.weir.testkit.load;

import dev.weir.core.Clock;
import dev.weir.scheduler.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * The open model: operations arrive at the rate a {@link LoadProfile} sets, whether or not the
 * system under test keeps up, and each one's latency is measured from its <em>intended</em> start
 * time. A system that stalls for a second at 1,000 operations per second therefore shows a thousand
 * slow operations, not one: the coordinated omission of a load generator that waits for each answer
 * before asking again is corrected (as wrk2 and HdrHistogram do).
 *
 * <pre>{@code
 * OpenLoad load = OpenLoad.of(LoadProfile.constant(2_000, Duration.ofSeconds(5)));
 * // sink: load.complete(payload.intendedStartNanos())
 * LoadResult result = load.run((seq, intended) ->
 *     ingress.offer(new Timed(seq, intended)).status().isEnqueued()
 *         ? LoadOperation.Status.PENDING
 *         : LoadOperation.Status.FAILED);
 * }</pre>
 *
 * <p>One driver thread (the one calling {@link #run}) computes each operation's intended start from
 * the profile, waits for it, and performs the operation. An operation that starts more than {@link
 * #lateAfter} after its intended time counts as a late start; when the system falls behind, the
 * driver issues the backlog at once, each late. Latency is recorded in an HdrHistogram {@link
 * Recorder}, either when the operation returns {@link LoadOperation.Status#DONE} or when something
 * downstream calls {@link #complete(long)}. After the profile ends, the driver waits up to {@link
 * #drain} for pending operations and keeps issuing a backlog for as long; what is then still not
 * started or not completed is counted, never dropped from the accounting: {@code intended =
 * completed + failed + lost + notStarted}.
 *
 * <p>An {@code OpenLoad} runs once. Thread-safety: configure and {@link #run} from one thread;
 * {@link #complete(long)} is safe from any number of threads while the run is going on.
 */
public final class OpenLoad {

  /*
   * Concurrency: the driver thread owns every counter except `completedPending`, which sinks bump
   * from their own threads. Latency goes into a Recorder (wait-free for concurrent writers); the
   * driver alone takes interval histograms from it (the Recorder's phaser makes each value land in
   * exactly one interval).
   */
  private final LoadProfile profile;
  private Clock clock = Clock.system();
  private @Nullable VirtualClock virtualClock;
  private long lateAfterNanos = Duration.ofMillis(1).toNanos();
  private long drainNanos = Duration.ofSeconds(5).toNanos();
  private long intervalNanos = Duration.ofSeconds(1).toNanos();
  private final Recorder latency = new Recorder(3);
  private final Recorder serviceTime = new Recorder(3);
  private final AtomicLong completedPending = new AtomicLong();
  private final AtomicBoolean used = new AtomicBoolean();

  private OpenLoad(LoadProfile profile) {
    this.profile = profile;
  }

  /**
   * Starts describing an open-model load.
   *
   * @param profile the arrival rate over time; the run lasts its duration (plus the drain)
   * @return a load to configure and run
   */
  public static OpenLoad of(LoadProfile profile) {
    return new OpenLoad(Objects.requireNonNull(profile, "profile"));
  }

  /**
   * Sets how far behind its intended time an operation may start before it counts as late (default
   * 1 ms).
   *
   * @param tolerance the tolerance, zero or more
   * @return this load
   */
  public OpenLoad lateAfter(Duration tolerance) {
    Objects.requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative, was " + tolerance);
    }
    this.lateAfterNanos = tolerance.toNanos();
    return this;
  }

  /**
   * Sets how long after the profile's end the driver keeps issuing a backlog and waits for pending
   * operations (default 5 s); what is left then is counted not started or lost.
   *
   * @param timeout the drain time, zero or more
   * @return this load
   */
  public OpenLoad drain(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("drain must not be negative, was " + timeout);
    }
    this.drainNanos = timeout.toNanos();
    return this;
  }

  /**
   * Sets the length of the reporting intervals (default 1 s).
   *
   * @param length the interval, positive
   * @return this load
   */
  public OpenLoad interval(Duration length) {
    Objects.requireNonNull(length, "length");
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("interval must be positive, was " + length);
    }
    this.intervalNanos = length.toNanos();
    return this;
  }

  /**
   * Runs the load on a virtual clock instead of {@link System#nanoTime()}: waiting for an intended
   * start advances the clock instead of sleeping, so the schedule and the latency arithmetic are
   * exact and instant (an operation that "takes" time advances the clock itself). Meant for testing
   * the load's arithmetic and for synthetic systems with a known latency model.
   *
   * @param clock the clock the run reads and advances
   * @return this load
   */
  public OpenLoad virtualClock(VirtualClock clock) {
    this.virtualClock = Objects.requireNonNull(clock, "clock");
    this.clock = clock;
    return this;
  }

  /**
   * Records the completion of a {@link LoadOperation.Status#PENDING} operation, its latency taken
   * from its intended start until now. Call it once per pending operation, e.g. from the sink that
   * receives the operation's message.
   *
   * @param intendedStartNanos the intended start the operation was given
   */
  public void complete(long intendedStartNanos) {
    latency.recordValue(Math.max(0, clock.nanoTime() - intendedStartNanos));
    completedPending.incrementAndGet();
  }

  /**
   * Runs the load: blocks the calling thread for the profile's duration (plus up to the drain).
   *
   * @param operation what each arrival does
   * @return what the run saw
   * @throws IllegalStateException if this load already ran
   */
  public LoadResult run(LoadOperation operation) {
    Objects.requireNonNull(operation, "operation");
    if (!used.compareAndSet(false, true)) {
      throw new IllegalStateException("an OpenLoad runs once; make a new one for " + profile);
    }
    Histogram latencies = new Histogram(3);
    Histogram services = new Histogram(3);
    List<LoadInterval> intervals = new ArrayList<>();
    long start = clock.nanoTime();
    long end = start + profile.durationNanos();
    long deadline = end + drainNanos;
    long started = 0;
    long late = 0;
    long maxLag = 0;
    long doneNow = 0;
    long pending = 0;
    long failed = 0;
    @Nullable Throwable firstFailure = null;
    Interval current = new Interval(start);
    double offset = profile.firstStartNanos();
    while (offset != Double.POSITIVE_INFINITY) {
      long intended = start + (long) offset;
      pace(intended);
      current = report(current, intervals, latencies, services, start, false);
      long now = clock.nanoTime();
      if (now >= deadline || Thread.currentThread().isInterrupted()) {
        break;
      }
      long lag = now - intended;
      maxLag = Math.max(maxLag, lag);
      if (lag > lateAfterNanos) {
        late++;
      }
      started++;
      current.started++;
      LoadOperation.Status status;
      try {
        status = operation.perform(started - 1, intended);
      } catch (Exception e) {
        status = LoadOperation.Status.FAILED;
        firstFailure = firstFailure == null ? e : firstFailure;
      }
      long done = clock.nanoTime();
      switch (Objects.requireNonNullElse(status, LoadOperation.Status.FAILED)) {
        case DONE -> {
          latency.recordValue(Math.max(0, done - intended));
          serviceTime.recordValue(Math.max(0, done - now));
          doneNow++;
        }
        case PENDING -> pending++;
        case FAILED -> failed++;
      }
      offset = profile.nextStartNanos(offset);
    }
    long notStarted = 0;
    for (; offset != Double.POSITIVE_INFINITY; offset = profile.nextStartNanos(offset)) {
      notStarted++;
    }
    while (completedPending.get() < pending && clock.nanoTime() < deadline) {
      current = report(current, intervals, latencies, services, start, false);
      pace(Math.min(deadline, clock.nanoTime() + 1_000_000));
    }
    report(current, intervals, latencies, services, start, true);
    long completedLater = completedPending.get();
    return new LoadResult(
        profile.toString(),
        started + notStarted,
        started,
        late,
        lateAfterNanos,
        maxLag,
        doneNow + completedLater,
        failed,
        Math.max(0, pending - completedLater),
        notStarted,
        Math.max(0, completedLater - pending),
        clock.nanoTime() - start,
        latencies,
        services,
        intervals,
        firstFailure);
  }

  /** Closes the current interval if its time is up (or {@code last}) and opens the next. */
  private Interval report(
      Interval current,
      List<LoadInterval> intervals,
      Histogram latencies,
      Histogram services,
      long start,
      boolean last) {
    long now = clock.nanoTime();
    if (!last && now < current.start + intervalNanos) {
      return current;
    }
    Histogram h = latency.getIntervalHistogram();
    latencies.add(h);
    services.add(serviceTime.getIntervalHistogram());
    intervals.add(
        new LoadInterval(
            current.start - start,
            now - start,
            profile.rateAtNanos((double) (current.start - start)),
            current.started,
            h.getTotalCount(),
            h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50),
            h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99),
            h.getTotalCount() == 0 ? 0 : h.getMaxValue()));
    return new Interval(now);
  }

  /** Waits until the clock reads {@code nanos}: advances a virtual clock, parks on the real one. */
  private void pace(long nanos) {
    VirtualClock virtual = virtualClock;
    if (virtual != null) {
      long ahead = nanos - virtual.nanoTime();
      if (ahead > 0) {
        virtual.advance(Duration.ofNanos(ahead));
      }
      return;
    }
    for (long ahead = nanos - clock.nanoTime(); ahead > 0; ahead = nanos - clock.nanoTime()) {
      LockSupport.parkNanos(ahead);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  /** The interval being filled: its start and the operations started in it. */
  private static final class Interval {
    final long start;
    long started;

    Interval(long start) {
      this.start = start;
    }
  }
}
