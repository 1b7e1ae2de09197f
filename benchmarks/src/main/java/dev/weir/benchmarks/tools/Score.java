package dev.weir.benchmarks.tools;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A score with its confidence interval and unit: either one JMH metric as JMH wrote it (its 99.9%
 * interval over the iterations of its forks; the score itself when JMH could not compute one), or
 * the mean of one metric over the gate's rounds with a Student's t interval, which is what the gate
 * compares.
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

  /**
   * The mean of per-round values with the Student's t interval of that mean at {@code confidence}.
   * Each round is a fresh fork, so the spread between rounds includes what the iterations of one
   * fork cannot show: the JIT's choices, which differ from fork to fork, and the machine's speed,
   * which drifts over minutes.
   *
   * @param values one value per round, at least two
   */
  static Score ofSample(double[] values, double confidence, String unit) {
    double mean = mean(values);
    double half = halfWidth(values, mean, confidence);
    return new Score(mean, Math.max(0, mean - half), mean + half, unit);
  }

  /**
   * The geometric mean of positive per-round values, with the t interval of their mean logarithm
   * mapped back: ratios spread multiplicatively (0.5 and 2 are equally far from 1), so their
   * interval is symmetric in the logarithm, not in the ratio.
   *
   * @param values one positive value per round, at least two
   */
  static Score ofLogSample(double[] values, double confidence, String unit) {
    double[] logs = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      logs[i] = Math.log(values[i]);
    }
    double mean = mean(logs);
    double half = halfWidth(logs, mean, confidence);
    return new Score(Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half), unit);
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }

  private static double halfWidth(double[] values, double mean, double confidence) {
    int n = values.length;
    if (n < 2) {
      throw new IllegalArgumentException("an interval over rounds needs two rounds or more");
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    double standardError = Math.sqrt(squares / (n - 1) / n);
    double t = new TDistribution(n - 1).inverseCumulativeProbability((1 + confidence) / 2);
    return t * standardError;
  }

  /** This score and its interval multiplied by {@code factor} (positive). */
  Score scaled(double factor) {
    return new Score(score * factor, low * factor, high * factor, unit);
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
