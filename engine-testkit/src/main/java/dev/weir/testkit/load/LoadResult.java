package dev.weir.testkit.load;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link OpenLoad} run saw: the accounting of every intended operation, the latency from
 * each one's intended start (corrected for coordinated omission), the service time of operations
 * that finished synchronously (measured from their actual start: what an uncorrected load generator
 * would report), late starts, and one {@link LoadInterval} per reporting interval.
 *
 * <p>Every intended operation is counted once: {@code intended() == completed() + failed() + lost()
 * + notStarted()} (see {@link #balanced()}).
 *
 * <p>Thread-safety: immutable once returned; the histograms it hands out are copies.
 */
public final class LoadResult {

  private final String profile;
  private final long intended;
  private final long started;
  private final long late;
  private final long lateAfterNanos;
  private final long maxStartLagNanos;
  private final long completed;
  private final long failed;
  private final long lost;
  private final long notStarted;
  private final long duplicated;
  private final long elapsedNanos;
  private final Histogram latency;
  private final Histogram serviceTime;
  private final List<LoadInterval> intervals;
  private final @Nullable Throwable firstFailure;

  LoadResult(
      String profile,
      long intended,
      long started,
      long late,
      long lateAfterNanos,
      long maxStartLagNanos,
      long completed,
      long failed,
      long lost,
      long notStarted,
      long duplicated,
      long elapsedNanos,
      Histogram latency,
      Histogram serviceTime,
      List<LoadInterval> intervals,
      @Nullable Throwable firstFailure) {
    this.profile = profile;
    this.intended = intended;
    this.started = started;
    this.late = late;
    this.lateAfterNanos = lateAfterNanos;
    this.maxStartLagNanos = maxStartLagNanos;
    this.completed = completed;
    this.failed = failed;
    this.lost = lost;
    this.notStarted = notStarted;
    this.duplicated = duplicated;
    this.elapsedNanos = elapsedNanos;
    this.latency = latency;
    this.serviceTime = serviceTime;
    this.intervals = List.copyOf(intervals);
    this.firstFailure = firstFailure;
  }

  /**
   * The operations the profile intended before its end.
   *
   * @return started plus not started
   */
  public long intended() {
    return intended;
  }

  /**
   * The operations the driver started (on time or late).
   *
   * @return the count
   */
  public long started() {
    return started;
  }

  /**
   * The operations that started more than the load's {@code lateAfter} tolerance after their
   * intended time (the system under test, or the driver, fell behind).
   *
   * @return the count of late starts
   */
  public long late() {
    return late;
  }

  /**
   * The largest gap between an operation's intended and actual start.
   *
   * @return the largest start lag
   */
  public Duration maxStartLag() {
    return Duration.ofNanos(maxStartLagNanos);
  }

  /**
   * The operations whose latency was recorded: done synchronously or completed downstream.
   *
   * @return the count
   */
  public long completed() {
    return completed;
  }

  /**
   * The operations that failed (returned {@code FAILED} or threw).
   *
   * @return the count
   */
  public long failed() {
    return failed;
  }

  /**
   * The pending operations never completed before the drain ended.
   *
   * @return the count
   */
  public long lost() {
    return lost;
  }

  /**
   * The intended operations the driver never started before the drain ended (it was that far
   * behind).
   *
   * @return the count
   */
  public long notStarted() {
    return notStarted;
  }

  /**
   * Completions beyond the pending operations: {@link OpenLoad#complete(long)} called twice for one
   * operation (or for operations that were not pending). Zero in a sound run.
   *
   * @return the surplus completions
   */
  public long duplicated() {
    return duplicated;
  }

  /**
   * Whether every intended operation is counted exactly once: {@code intended == completed + failed
   * + lost + notStarted} and nothing completed twice.
   *
   * @return whether the accounting balances
   */
  public boolean balanced() {
    return duplicated == 0 && intended == completed + failed + lost + notStarted;
  }

  /**
   * Whether no operation failed, was lost or was not started.
   *
   * @return whether everything intended completed
   */
  public boolean nothingLost() {
    return failed == 0 && lost == 0 && notStarted == 0 && duplicated == 0;
  }

  /**
   * The latency at a percentile, from each operation's intended start.
   *
   * @param percentile 0 to 100, e.g. 99.9
   * @return the latency; zero when nothing completed
   */
  public Duration latencyAt(double percentile) {
    return at(latency, percentile);
  }

  /**
   * The service time at a percentile: from each synchronously finished operation's actual start, as
   * a load generator that ignores coordinated omission would report it.
   *
   * @param percentile 0 to 100
   * @return the service time; zero when no operation finished synchronously
   */
  public Duration serviceTimeAt(double percentile) {
    return at(serviceTime, percentile);
  }

  /**
   * The whole run's latency histogram (nanoseconds from intended start), e.g. for {@code
   * outputPercentileDistribution}.
   *
   * @return a copy
   */
  public Histogram latency() {
    return latency.copy();
  }

  /**
   * The whole run's service-time histogram (nanoseconds from actual start, synchronous operations
   * only).
   *
   * @return a copy
   */
  public Histogram serviceTime() {
    return serviceTime.copy();
  }

  /**
   * One entry per reporting interval, in order.
   *
   * @return the intervals
   */
  public List<LoadInterval> intervals() {
    return intervals;
  }

  /**
   * The run's wall-clock (or virtual-clock) length, drain included.
   *
   * @return the elapsed time
   */
  public Duration elapsed() {
    return Duration.ofNanos(elapsedNanos);
  }

  /**
   * Completions per second over the run.
   *
   * @return the throughput
   */
  public double throughputPerSecond() {
    return elapsedNanos <= 0 ? 0 : completed * 1e9 / elapsedNanos;
  }

  /**
   * The first exception an operation threw, if any.
   *
   * @return the exception, or {@code null}
   */
  public @Nullable Throwable firstFailure() {
    return firstFailure;
  }

  /**
   * A few lines a person reads: the accounting, late starts, latency and service-time percentiles.
   *
   * @return the summary
   */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "open load %s: intended=%d started=%d late=%d (>%s, max lag %s) completed=%d failed=%d"
            + " lost=%d notStarted=%d%s%n  latency from intended start: p50=%s p99=%s p99.9=%s"
            + " max=%s; service time p99=%s; throughput %.1f/s over %s",
        profile,
        intended,
        started,
        late,
        ms(lateAfterNanos),
        ms(maxStartLagNanos),
        completed,
        failed,
        lost,
        notStarted,
        duplicated == 0 ? "" : " DUPLICATED=" + duplicated,
        ms(latencyAt(50).toNanos()),
        ms(latencyAt(99).toNanos()),
        ms(latencyAt(99.9).toNanos()),
        ms(latency.getTotalCount() == 0 ? 0 : latency.getMaxValue()),
        ms(serviceTimeAt(99).toNanos()),
        throughputPerSecond(),
        ms(elapsedNanos));
  }

  @Override
  public String toString() {
    return summary();
  }

  private static Duration at(Histogram h, double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100], was " + percentile);
    }
    return Duration.ofNanos(h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile));
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
  }
}
