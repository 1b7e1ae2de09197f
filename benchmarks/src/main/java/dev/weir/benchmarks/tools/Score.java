package dev.weir.benchmarks.tools;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One JMH metric: its score, its confidence interval (JMH's 99.9% interval; the score itself when
 * JMH could not compute one, e.g. from a single iteration) and its unit.
 *
 * <p>Thread-safety: immutable.
 *
 * @param score the mean
 * @param low the lower end of the confidence interval
 * @param high the upper end of the confidence interval
 * @param unit JMH's unit, e.g. {@code ops/us} or {@code B/op}
 */
record Score(double score, double low, double high, String unit) {

  /** Reads a JMH metric object ({@code primaryMetric} or one of {@code secondaryMetrics}). */
  static Score of(Map<?, ?> metric) {
    double score = number(metric.get("score"));
    double low = score;
    double high = score;
    if (metric.get("scoreConfidence") instanceof List<?> ci && ci.size() == 2) {
      double l = number(ci.get(0));
      double h = number(ci.get(1));
      if (!Double.isNaN(l) && !Double.isNaN(h)) {
        // Every metric gated here (throughput, time, bytes) is non-negative; a wide interval from a
        // few noisy iterations can reach below zero, which only makes ratios unreadable.
        low = Math.max(0, Math.min(l, score));
        high = Math.max(h, score);
      }
    }
    return new Score(score, low, high, String.valueOf(metric.get("scoreUnit")));
  }

  static double number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      return Double.parseDouble(s);
    }
    return Double.NaN;
  }

  /** This score and its interval multiplied by {@code factor} (positive). */
  Score scaled(double factor) {
    return new Score(score * factor, low * factor, high * factor, unit);
  }

  /**
   * This score divided by a reference. The two are measured independently (different forks, at
   * different moments), so the ratio's relative half-width is the two relative half-widths added in
   * quadrature: first-order error propagation. Adding them outright (the widest interval both allow
   * at once) would be so wide on a noisy machine that no regression could ever show.
   */
  Score ratioTo(Score ref) {
    double ratio = score / ref.score;
    double relative = Math.hypot(halfWidth() / score, ref.halfWidth() / ref.score);
    return new Score(ratio, Math.max(0, ratio * (1 - relative)), ratio * (1 + relative), "ratio");
  }

  private double halfWidth() {
    return (high - low) / 2;
  }

  /** Whether the two intervals share a point. */
  boolean overlaps(Score other) {
    return low <= other.high && other.low <= high;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.4g [%.4g, %.4g] %s", score, low, high, unit);
  }
}
