package dev.weir.benchmarks.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds small JMH-shaped JSON results for the comparator's tests: either rounds given one by one
 * ({@link #inRound}), or every row spread over three rounds ({@link #threeRounds}), or a plain
 * one-fork JMH result.
 */
final class JmhJson {

  private final List<String> entries = new ArrayList<>();

  /** How many rounds each row is spread over; 0 writes each row once. */
  private final int spread;

  /** The gate round of the rows added next; 0 writes no round field (a plain JMH result). */
  private int round;

  JmhJson() {
    this(0);
  }

  private JmhJson(int spread) {
    this.spread = spread;
  }

  /**
   * A result in which every row is measured in three rounds, at score − error, score and score +
   * error (the same direction in a round for every row, as a machine that drifts), so a row's
   * per-round ratio to its reference varies only as far as their relative errors differ.
   */
  static JmhJson threeRounds() {
    return new JmhJson(3);
  }

  /** Marks the rows added after this call as measured in gate round {@code k}. */
  JmhJson inRound(int k) {
    round = k;
    return this;
  }

  /** Adds a fan_in4 throughput row: score with a symmetric half-width, optional B/op. */
  JmhJson row(String method, double score, double error, Double allocBytes) {
    return row("FanIn4Benchmark", method, "thrpt", score, error, allocBytes);
  }

  JmhJson row(
      String className, String method, String mode, double score, double error, Double allocBytes) {
    if (spread == 0) {
      entries.add(entry(className, method, mode, score, error, allocBytes, round));
    } else {
      for (int k = 1; k <= spread; k++) {
        double offset = spread == 1 ? 0 : -1.0 + 2.0 * (k - 1) / (spread - 1);
        entries.add(entry(className, method, mode, score + offset * error, error, allocBytes, k));
      }
    }
    return this;
  }

  private static String entry(
      String className,
      String method,
      String mode,
      double score,
      double error,
      Double allocBytes,
      int round) {
    String secondary =
        allocBytes == null
            ? "{}"
            : String.format(
                Locale.ROOT,
                "{ \"gc.alloc.rate.norm\" : { \"score\" : %s, \"scoreError\" : %s,"
                    + " \"scoreConfidence\" : [ %s, %s ], \"scoreUnit\" : \"B/op\" },"
                    + " \"gc.count\" : { \"score\" : 3.0, \"scoreUnit\" : \"counts\" } }",
                allocBytes,
                allocBytes * 0.01,
                allocBytes * 0.99,
                allocBytes * 1.01);
    String roundField = round == 0 ? "" : ", \"" + JmhRow.ROUND_FIELD + "\" : " + round;
    return String.format(
        Locale.ROOT,
        "{ \"jmhVersion\" : \"1.37\", \"benchmark\" : \"dev.weir.benchmarks.%s.%s\","
            + " \"mode\" : \"%s\", \"threads\" : 1, \"forks\" : 1,"
            + " \"primaryMetric\" : { \"score\" : %s, \"scoreError\" : %s,"
            + " \"scoreConfidence\" : [ %s, %s ], \"scoreUnit\" : \"ops/us\","
            + " \"rawData\" : [ [ 1.0, 2.0 ] ] },"
            + " \"secondaryMetrics\" : %s%s }",
        className,
        method,
        mode,
        score,
        error,
        score - error,
        score + error,
        secondary,
        roundField);
  }

  /** A one-fork row whose interval JMH could not compute (one iteration). */
  JmhJson singleIteration(String method, double score) {
    entries.add(
        String.format(
            Locale.ROOT,
            "{ \"benchmark\" : \"dev.weir.benchmarks.FanIn4Benchmark.%s\", \"mode\" : \"thrpt\","
                + " \"primaryMetric\" : { \"score\" : %s, \"scoreError\" : \"NaN\","
                + " \"scoreConfidence\" : [ \"NaN\", \"NaN\" ], \"scoreUnit\" : \"ops/us\" } }",
            method,
            score));
    return this;
  }

  String build() {
    return "[\n" + String.join(",\n", entries) + "\n]\n";
  }

  List<JmhRow> rows() {
    return JmhRow.parse(build());
  }
}
