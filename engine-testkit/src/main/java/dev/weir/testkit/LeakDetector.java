package dev.weir.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether heap after GC grows: the least-squares slope of {@link
 * ResourceSample#heapAfterGcBytes()} over time, using only the samples taken after a warm-up,
 * compared with a threshold in bytes per minute. A slope over whole windows (not one late window
 * against one early one) is what keeps a single large collection or allocation burst from deciding
 * the verdict.
 *
 * <p>Thread-safety: immutable; safe from any thread.
 */
public final class LeakDetector {

  /** Fewer samples than this after the warm-up give {@link Verdict#UNKNOWN}. */
  public static final int MIN_SAMPLES = 3;

  private static final double NANOS_PER_MINUTE = 60e9;

  private final long thresholdBytesPerMinute;
  private final Duration warmUp;

  private LeakDetector(long thresholdBytesPerMinute, Duration warmUp) {
    this.thresholdBytesPerMinute = thresholdBytesPerMinute;
    this.warmUp = warmUp;
  }

  /**
   * Returns a detector.
   *
   * @param thresholdBytesPerMinute the largest growth of heap after GC that still passes
   * @param warmUp how long after the monitor started samples are ignored (class loading, JIT,
   *     caches filling)
   * @return the detector
   * @throws IllegalArgumentException if the threshold is negative or the warm-up negative
   */
  public static LeakDetector of(long thresholdBytesPerMinute, Duration warmUp) {
    Objects.requireNonNull(warmUp, "warmUp");
    if (thresholdBytesPerMinute < 0 || warmUp.isNegative()) {
      throw new IllegalArgumentException(
          "leak threshold and warm-up must not be negative, were "
              + thresholdBytesPerMinute
              + " bytes/minute and "
              + warmUp);
    }
    return new LeakDetector(thresholdBytesPerMinute, warmUp);
  }

  /**
   * Returns the least-squares slope of heap after GC, in bytes per minute, over the samples taken
   * after the warm-up that have a heap-after-GC reading.
   *
   * @param samples the monitor's samples, in any order
   * @return the slope, or {@link Double#NaN} when fewer than {@link #MIN_SAMPLES} samples qualify
   *     or they all share one time
   */
  public double slopeBytesPerMinute(List<ResourceSample> samples) {
    Objects.requireNonNull(samples, "samples");
    List<ResourceSample> used = qualifying(samples);
    if (used.size() < MIN_SAMPLES) {
      return Double.NaN;
    }
    double[] x = new double[used.size()];
    double[] y = new double[used.size()];
    for (int i = 0; i < used.size(); i++) {
      x[i] = used.get(i).elapsedNanos() / NANOS_PER_MINUTE;
      y[i] = used.get(i).heapAfterGcBytes();
    }
    return slope(x, y);
  }

  /**
   * Checks the samples against the threshold.
   *
   * @param samples the monitor's samples
   * @return VALID if the slope is at most the threshold, INVALID above it, UNKNOWN with too few
   *     samples after the warm-up
   */
  public CheckResult check(List<ResourceSample> samples) {
    double slope = slopeBytesPerMinute(samples);
    int used = qualifying(samples).size();
    if (Double.isNaN(slope)) {
      return CheckResult.unknown(
          String.format(
              Locale.ROOT,
              "%d samples with a heap-after-GC reading after the %s warm-up; the slope needs %d:"
                  + " run longer or sample more often",
              used,
              warmUp,
              MIN_SAMPLES));
    }
    String text =
        String.format(
            Locale.ROOT,
            "heap after GC grows %.0f bytes/minute over %d samples after a %s warm-up"
                + " (threshold %d bytes/minute)",
            slope,
            used,
            warmUp,
            thresholdBytesPerMinute);
    return slope <= thresholdBytesPerMinute
        ? CheckResult.valid(text)
        : CheckResult.invalid(text + ": something retains memory; compare heap dumps");
  }

  /**
   * Returns this detector as a checker of a run's resource samples.
   *
   * @return a checker reading {@link RunRecord#resources()}
   */
  public Checker checker() {
    return new HeapGrowth(this);
  }

  /** The leak detector's threshold, in bytes per minute. */
  long thresholdBytesPerMinute() {
    return thresholdBytesPerMinute;
  }

  /**
   * Returns the least-squares line the verdict is drawn from, for the heap chart.
   *
   * @param samples the monitor's samples
   * @return {slope in bytes/minute, heap in bytes at time zero, first and last qualifying time in
   *     nanoseconds}, or null when there is no slope
   */
  double @Nullable [] fit(List<ResourceSample> samples) {
    double slope = slopeBytesPerMinute(samples);
    if (Double.isNaN(slope)) {
      return null;
    }
    List<ResourceSample> used = qualifying(samples);
    double meanX = 0;
    double meanY = 0;
    for (ResourceSample s : used) {
      meanX += s.elapsedNanos() / NANOS_PER_MINUTE;
      meanY += s.heapAfterGcBytes();
    }
    meanX /= used.size();
    meanY /= used.size();
    return new double[] {
      slope,
      meanY - slope * meanX,
      used.get(0).elapsedNanos(),
      used.get(used.size() - 1).elapsedNanos()
    };
  }

  /** The checker a run recognises, so its report can draw the threshold and the trend. */
  static final class HeapGrowth implements Checker {
    final LeakDetector detector;

    HeapGrowth(LeakDetector detector) {
      this.detector = detector;
    }

    @Override
    public CheckResult check(RunRecord run) {
      return detector.check(run.resources());
    }
  }

  /**
   * Returns the least-squares slope of y over x.
   *
   * @param x the abscissae
   * @param y the ordinates, as many as {@code x}
   * @return the slope, or {@link Double#NaN} if {@code x} has fewer than two distinct values
   */
  static double slope(double[] x, double[] y) {
    int n = x.length;
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanX += x[i];
      meanY += y[i];
    }
    meanX /= n;
    meanY /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - meanX;
      sxy += dx * (y[i] - meanY);
      sxx += dx * dx;
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }

  private List<ResourceSample> qualifying(List<ResourceSample> samples) {
    long from = warmUp.toNanos();
    List<ResourceSample> used = new ArrayList<>();
    for (ResourceSample s : samples) {
      if (s.elapsedNanos() >= from && s.heapAfterGcBytes() >= 0) {
        used.add(s);
      }
    }
    return used;
  }
}
