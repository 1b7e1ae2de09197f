package dev.weir.soak;

import java.util.List;
import java.util.Locale;

/**
 * A least-squares line through points: the soak judges every quantity by its trend over all the
 * samples after the warm-up, never one window against another (on a shared machine one window's
 * throughput or heap says more about the neighbours than about the engine).
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param slope units of y per unit of x
 * @param intercept y at x = 0
 * @param fromX the first point's x
 * @param toX the last point's x
 * @param mean the mean of y
 * @param points how many points the line was fitted to
 */
record Trend(double slope, double intercept, double fromX, double toX, double mean, int points) {

  /** One point. */
  record Point(double x, double y) {}

  /**
   * Fits a line; with fewer than 3 points or a single x, returns a line of slope {@link
   * Double#NaN}.
   */
  static Trend fit(List<Point> points) {
    int n = points.size();
    double meanX = 0;
    double meanY = 0;
    for (Point p : points) {
      meanX += p.x();
      meanY += p.y();
    }
    meanX /= Math.max(1, n);
    meanY /= Math.max(1, n);
    double sxy = 0;
    double sxx = 0;
    for (Point p : points) {
      sxy += (p.x() - meanX) * (p.y() - meanY);
      sxx += (p.x() - meanX) * (p.x() - meanX);
    }
    double slope = n < 3 || sxx == 0 ? Double.NaN : sxy / sxx;
    double from = n == 0 ? 0 : points.get(0).x();
    double to = n == 0 ? 0 : points.get(n - 1).x();
    return new Trend(slope, meanY - slope * meanX, from, to, meanY, n);
  }

  /** Whether there was enough to fit a line. */
  boolean fitted() {
    return !Double.isNaN(slope);
  }

  /** The line's value at the first point. */
  double start() {
    return intercept + slope * fromX;
  }

  /** The line's value at the last point. */
  double end() {
    return intercept + slope * toX;
  }

  /** How much the line rises from the first point to the last (negative: it falls). */
  double growth() {
    return end() - start();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "trend %.1f -> %.1f over %d samples (mean %.1f)",
        start(),
        end(),
        points,
        mean);
  }
}
