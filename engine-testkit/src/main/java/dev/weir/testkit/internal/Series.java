package dev.weir.testkit.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One time series of a run, as {@code report.json} holds it and the HTML report draws it: the same
 * object is serialized to JSON and rendered, so a number in one equals the number in the other. A
 * series the run did not record has no points and says why ({@link #notRecorded}); the chart then
 * says so rather than drawing nothing.
 *
 * @param id a stable key: {@code throughput}, {@code latency}, {@code heapAfterGc}, {@code threads}
 * @param title the chart's title
 * @param unit the values' unit
 * @param points one per sample, oldest first; empty when not recorded
 * @param notRecorded why there are no points, or null when recorded
 * @param threshold a limit drawn in (horizontal, or the steepest growth allowed), or null
 * @param trend a fitted line drawn in (the heap's least-squares slope), or null
 * @param more further curves drawn in the same chart (the latency chart's median and maximum next
 *     to its 99th percentile), each on the same time axis; empty for a single curve
 */
public record Series(
    String id,
    String title,
    String unit,
    List<Point> points,
    @Nullable String notRecorded,
    @Nullable Line threshold,
    @Nullable Line trend,
    List<Curve> more) {

  /**
   * Copies the points.
   *
   * @param id the key
   * @param title the chart's title
   * @param unit the values' unit
   * @param points one per sample, oldest first
   * @param notRecorded why there are no points, or null
   * @param threshold a limit drawn in, or null
   * @param trend a fitted line drawn in, or null
   * @param more further curves, or empty
   */
  public Series {
    points = List.copyOf(points);
    more = List.copyOf(more);
  }

  /**
   * A series of one curve.
   *
   * @param id the key
   * @param title the chart's title
   * @param unit the values' unit
   * @param points one per sample, oldest first
   * @param notRecorded why there are no points, or null
   * @param threshold a limit drawn in, or null
   * @param trend a fitted line drawn in, or null
   */
  public Series(
      String id,
      String title,
      String unit,
      List<Point> points,
      @Nullable String notRecorded,
      @Nullable Line threshold,
      @Nullable Line trend) {
    this(id, title, unit, points, notRecorded, threshold, trend, List.of());
  }

  /**
   * A series the run did not record.
   *
   * @param id the key
   * @param title the title
   * @param unit the unit it would have
   * @param reason why it is missing
   * @return a series without points
   */
  public static Series notRecorded(String id, String title, String unit, String reason) {
    return new Series(id, title, unit, List.of(), reason, null, null);
  }

  /**
   * One value at one time.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param elapsedMillis time since the run's monitor started
   * @param value the value, in the series' unit
   */
  public record Point(long elapsedMillis, double value) {}

  /**
   * A further curve of a series, drawn in the same chart.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param label what it is (e.g. {@code p50}), drawn at its last point
   * @param points its values, oldest first
   */
  public record Curve(String label, List<Point> points) {
    /**
     * Copies the points.
     *
     * @param label what it is
     * @param points its values
     */
    public Curve {
      points = List.copyOf(points);
    }
  }

  /**
   * A straight line between two points in data coordinates.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param label what it is, as drawn beside it
   * @param fromMillis start time
   * @param from start value
   * @param toMillis end time
   * @param to end value
   */
  public record Line(String label, long fromMillis, double from, long toMillis, double to) {}
}
