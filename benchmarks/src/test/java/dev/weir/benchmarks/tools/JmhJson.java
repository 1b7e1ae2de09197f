package dev.weir.benchmarks.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds small JMH-shaped JSON results for the comparator's tests. */
final class JmhJson {

  private final List<String> entries = new ArrayList<>();

  /** The gate round of the rows added next; 0 writes no round field (a plain JMH result). */
  private int round;

  /** Marks the rows added after this call as measured in gate round {@code k}. */
  JmhJson inRound(int k) {
    round = k;
    return this;
  }

  private String roundField() {
    return round == 0 ? "" : ", \"" + JmhRow.ROUND_FIELD + "\" : " + round;
  }

  /** Adds a throughput row: score with a symmetric 99.9% half-width, optional B/op. */
  JmhJson row(String method, double score, double error, Double allocBytes) {
    return row("FanIn4Benchmark", method, "thrpt", score, error, allocBytes);
  }

  JmhJson row(
      String className, String method, String mode, double score, double error, Double allocBytes) {
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
    entries.add(
        String.format(
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
            roundField()));
    return this;
  }

  /** A row whose interval JMH could not compute (one iteration). */
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
