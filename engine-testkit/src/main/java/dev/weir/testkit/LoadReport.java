package dev.weir.testkit;

import dev.weir.testkit.internal.ReportFields;
import dev.weir.testkit.internal.Series;
import dev.weir.testkit.load.ClosedLoad;
import dev.weir.testkit.load.LoadInterval;
import dev.weir.testkit.load.LoadResult;
import dev.weir.testkit.load.SaturationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Puts load results into a run's report map: the scenario's {@code latency} percentiles, its {@code
 * load} or {@code saturation} fields, and the throughput and latency series drawn from an open
 * load's intervals (replacing the run's operation-count throughput, which counts the whole load as
 * one operation, and the latency chart's "not recorded").
 *
 * <p>Thread-safety: stateless; returns new maps and never changes the one it is given.
 */
final class LoadReport {

  private static final double[] PERCENTILES = {50, 90, 99, 99.9};

  private LoadReport() {}

  /** The report with an open load's results in it. */
  static Map<String, Object> withOpen(
      Map<String, Object> report, LoadResult load, @Nullable Duration p99Bound) {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("model", "open");
    for (double p : PERCENTILES) {
      latency.put(key(p), ms(load.latencyAt(p)));
    }
    latency.put("maxMillis", ms(load.latencyAt(100)));
    latency.put("boundP99Millis", p99Bound == null ? null : ms(p99Bound));
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("intended", load.intended());
    fields.put("started", load.started());
    fields.put("lateStarts", load.late());
    fields.put("maxStartLagMillis", ms(load.maxStartLag()));
    fields.put("completed", load.completed());
    fields.put("failed", load.failed());
    fields.put("lost", load.lost());
    fields.put("notStarted", load.notStarted());
    fields.put("duplicated", load.duplicated());
    fields.put("serviceTimeP99Millis", ms(load.serviceTimeAt(99)));
    List<Object> intervals = new ArrayList<>();
    for (LoadInterval i : load.intervals()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("endMillis", i.endNanos() / 1_000_000);
      row.put("targetRate", round(i.targetRate()));
      row.put("started", i.started());
      row.put("completed", i.completed());
      row.put("throughputPerSecond", round(i.throughputPerSecond()));
      row.put("p50Millis", i.p50Nanos() / 1e6);
      row.put("p99Millis", i.p99Nanos() / 1e6);
      row.put("maxMillis", i.maxNanos() / 1e6);
      intervals.add(row);
    }
    fields.put("intervals", intervals);
    Map<String, Object> scenario = new LinkedHashMap<>(ReportFields.scenario(report));
    scenario.put("operations", load.completed());
    scenario.put("throughputPerSecond", round(load.throughputPerSecond()));
    scenario.put("latency", latency);
    scenario.put("load", fields);
    Map<String, Object> out = withScenario(report, scenario);
    List<Series> series = new ArrayList<>();
    for (Series s : ReportFields.series(report)) {
      switch (s.id()) {
        case "throughput" -> series.add(throughput(load));
        case "latency" -> series.add(latency(load, p99Bound));
        default -> series.add(s);
      }
    }
    out.put("series", series);
    return out;
  }

  /** The report with a closed load's percentiles (over the whole run: it records no intervals). */
  static Map<String, Object> withClosed(Map<String, Object> report, ClosedLoad load) {
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("model", "closed");
    for (double p : PERCENTILES) {
      latency.put(key(p), ms(load.latencyAt(p)));
    }
    latency.put("maxMillis", ms(load.latencyAt(100)));
    latency.put("boundP99Millis", null);
    Map<String, Object> scenario = new LinkedHashMap<>(ReportFields.scenario(report));
    scenario.put("latency", latency);
    Map<String, Object> out = withScenario(report, scenario);
    List<Series> series = new ArrayList<>();
    for (Series s : ReportFields.series(report)) {
      series.add(
          "latency".equals(s.id())
              ? Series.notRecorded(
                  s.id(),
                  s.title(),
                  "ms",
                  "closed load: percentiles over the whole run only (see the scenario's latency)")
              : s);
    }
    out.put("series", series);
    return out;
  }

  /** The report with a saturation search's steps and knee. */
  static Map<String, Object> withSaturation(Map<String, Object> report, SaturationResult search) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("percentile", search.percentile());
    fields.put("boundMillis", ms(search.bound()));
    fields.put("knee", search.knee().isPresent() ? round(search.knee().getAsDouble()) : null);
    fields.put(
        "firstFailing",
        search.firstFailing().isPresent() ? round(search.firstFailing().getAsDouble()) : null);
    List<Object> steps = new ArrayList<>();
    for (SaturationResult.Step s : search.steps()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("ratePerSecond", round(s.ratePerSecond()));
      row.put("passed", s.passed());
      row.put("latencyMillis", ms(s.latency()));
      row.put("missing", s.missing());
      row.put("lateStarts", s.lateStarts());
      row.put("throughputPerSecond", round(s.throughputPerSecond()));
      row.put("why", s.why());
      steps.add(row);
    }
    fields.put("steps", steps);
    Map<String, Object> scenario = new LinkedHashMap<>(ReportFields.scenario(report));
    scenario.put("saturation", fields);
    return withScenario(report, scenario);
  }

  /** Completions per second in each interval, at the interval's end. */
  static Series throughput(LoadResult load) {
    List<Series.Point> points = new ArrayList<>();
    for (LoadInterval i : load.intervals()) {
      points.add(new Series.Point(i.endNanos() / 1_000_000, round(i.throughputPerSecond())));
    }
    if (points.isEmpty()) {
      return Series.notRecorded(
          "throughput",
          "Throughput",
          "ops/s",
          "not recorded in this run: the load had no interval");
    }
    return new Series("throughput", "Throughput (completions)", "ops/s", points, null, null, null);
  }

  /**
   * The 99th percentile of each interval with a completion, and its median and maximum as further
   * curves; the bound, when given, as a horizontal threshold.
   */
  static Series latency(LoadResult load, @Nullable Duration p99Bound) {
    List<Series.Point> p99 = new ArrayList<>();
    List<Series.Point> p50 = new ArrayList<>();
    List<Series.Point> max = new ArrayList<>();
    for (LoadInterval i : load.intervals()) {
      if (i.completed() > 0) {
        long at = i.endNanos() / 1_000_000;
        p99.add(new Series.Point(at, i.p99Nanos() / 1e6));
        p50.add(new Series.Point(at, i.p50Nanos() / 1e6));
        max.add(new Series.Point(at, i.maxNanos() / 1e6));
      }
    }
    String title = "Latency percentiles over time (p99; p50 and max lighter)";
    if (p99.isEmpty()) {
      return Series.notRecorded(
          "latency", title, "ms", "not recorded in this run: no operation of the load completed");
    }
    Series.Line threshold = null;
    if (p99Bound != null) {
      double bound = ms(p99Bound);
      threshold =
          new Series.Line(
              "p99 bound " + bound + " ms",
              0,
              bound,
              p99.get(p99.size() - 1).elapsedMillis(),
              bound);
    }
    return new Series(
        "latency",
        title,
        "ms",
        p99,
        null,
        threshold,
        null,
        List.of(new Series.Curve("p50", p50), new Series.Curve("max", max)));
  }

  /** A copy of the report whose one scenario is {@code scenario}. */
  private static Map<String, Object> withScenario(
      Map<String, Object> report, Map<String, Object> scenario) {
    Map<String, Object> out = new LinkedHashMap<>(report);
    List<Object> scenarios = new ArrayList<>();
    scenarios.add(scenario);
    out.put("scenarios", scenarios);
    return out;
  }

  private static String key(double percentile) {
    return "p"
        + (percentile == Math.rint(percentile) ? Long.toString((long) percentile) : "999")
        + "Millis";
  }

  private static double ms(Duration d) {
    return d.toNanos() / 1e6;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
