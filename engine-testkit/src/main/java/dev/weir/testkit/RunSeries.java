package dev.weir.testkit;

import dev.weir.testkit.internal.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Builds the time series of a run's report from its samples: throughput, latency percentiles (not
 * recorded yet by any run), heap after GC with the leak detector's threshold and trend, and live
 * threads. Every chart of {@code report.html} and every series of {@code report.json} comes from
 * here.
 *
 * <p>Thread-safety: stateless.
 */
final class RunSeries {

  /** What the latency chart says until runs record latency over time. */
  static final String LATENCY_NOT_RECORDED =
      "not recorded in this run: latency over time comes from a load profile's recorder";

  private static final double MIB = 1024.0 * 1024.0;

  private RunSeries() {}

  static List<Series> of(
      List<ResourceSample> samples, List<Long> operations, @Nullable LeakDetector leaks) {
    List<Series> series = new ArrayList<>();
    series.add(throughput(samples, operations));
    series.add(
        Series.notRecorded("latency", "Latency percentiles over time", "ms", LATENCY_NOT_RECORDED));
    series.add(heap(samples, leaks));
    List<Series.Point> threads = new ArrayList<>();
    for (ResourceSample s : samples) {
      threads.add(new Series.Point(millis(s.elapsedNanos()), s.liveThreads()));
    }
    series.add(new Series("threads", "Live threads", "threads", threads, null, null, null));
    return series;
  }

  /** Operations per second between each sample and the one before it (the first: since zero). */
  private static Series throughput(List<ResourceSample> samples, List<Long> operations) {
    if (operations.size() != samples.size()) {
      return Series.notRecorded(
          "throughput", "Throughput", "ops/s", "not recorded in this run: no operation counts");
    }
    List<Series.Point> points = new ArrayList<>();
    long lastNanos = 0;
    long lastOps = 0;
    for (int i = 0; i < samples.size(); i++) {
      long nanos = samples.get(i).elapsedNanos();
      long ops = operations.get(i);
      double rate = nanos > lastNanos ? (ops - lastOps) / ((nanos - lastNanos) / 1e9) : 0;
      points.add(new Series.Point(millis(nanos), Math.round(rate * 10) / 10.0));
      lastNanos = nanos;
      lastOps = ops;
    }
    return new Series("throughput", "Throughput", "ops/s", points, null, null, null);
  }

  private static Series heap(List<ResourceSample> samples, @Nullable LeakDetector leaks) {
    List<Series.Point> points = new ArrayList<>();
    for (ResourceSample s : samples) {
      if (s.heapAfterGcBytes() >= 0) {
        points.add(new Series.Point(millis(s.elapsedNanos()), s.heapAfterGcBytes()));
      }
    }
    String title = "Heap after GC";
    if (points.isEmpty()) {
      return Series.notRecorded(
          "heapAfterGc", title, "bytes", "not recorded in this run: no garbage collection ran");
    }
    Series.Line threshold = null;
    Series.Line trend = null;
    double @Nullable [] fit = leaks == null ? null : leaks.fit(samples);
    if (leaks != null && fit != null) {
      double slope = fit[0];
      double from = fit[2] / 60e9;
      double to = fit[3] / 60e9;
      double start = fit[1] + slope * from;
      trend =
          new Series.Line(
              String.format(Locale.ROOT, "trend %.2f MiB/min", slope / MIB),
              millis((long) fit[2]),
              start,
              millis((long) fit[3]),
              fit[1] + slope * to);
      threshold =
          new Series.Line(
              String.format(
                  Locale.ROOT, "threshold %.2f MiB/min", leaks.thresholdBytesPerMinute() / MIB),
              millis((long) fit[2]),
              start,
              millis((long) fit[3]),
              start + leaks.thresholdBytesPerMinute() * (to - from));
    }
    return new Series("heapAfterGc", title, "bytes", points, null, threshold, trend);
  }

  private static long millis(long nanos) {
    return nanos / 1_000_000;
  }
}
