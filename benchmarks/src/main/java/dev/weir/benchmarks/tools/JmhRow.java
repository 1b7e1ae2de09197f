package dev.weir.benchmarks.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One benchmark of a JMH JSON result: its name, mode and parameters, its primary score and, when
 * the run used {@code -prof gc}, its allocation per operation ({@code gc.alloc.rate.norm}), and the
 * gate round it was measured in.
 *
 * <p>A plain JMH result is one round. The gate runs JMH several times, one fork per row each time,
 * and {@code CompareBaseline merge} concatenates the results, marking every entry with its round in
 * the field {@value #ROUND_FIELD}; a row then appears once per round.
 *
 * <p>Thread-safety: immutable.
 *
 * @param benchmark the fully qualified benchmark method, {@code package.Class.method}
 * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param params the {@code @Param} values, sorted by name
 * @param primary the primary metric
 * @param alloc bytes allocated per operation, or null if not measured
 * @param round the gate round, from 1; 1 for a plain JMH result
 */
record JmhRow(
    String benchmark,
    String mode,
    Map<String, String> params,
    Score primary,
    @Nullable Score alloc,
    int round) {

  /** The secondary metric written by JMH's GC profiler. */
  static final String ALLOC_METRIC = "gc.alloc.rate.norm";

  /** The field {@code merge} adds to each entry: the round it was measured in. */
  static final String ROUND_FIELD = "weirRound";

  /** Reads every row of a JMH JSON result (an array of benchmark objects). */
  static List<JmhRow> parse(String json) {
    if (!(Json.parse(json) instanceof List<?> entries)) {
      throw new IllegalArgumentException("not a JMH JSON result: the top level is not an array");
    }
    List<JmhRow> rows = new ArrayList<>(entries.size());
    for (Object entry : entries) {
      if (!(entry instanceof Map<?, ?> e) || !(e.get("primaryMetric") instanceof Map<?, ?> pm)) {
        throw new IllegalArgumentException("not a JMH JSON result: an entry has no primaryMetric");
      }
      Map<String, String> params = new TreeMap<>();
      if (e.get("params") instanceof Map<?, ?> p) {
        p.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
      }
      Score alloc = null;
      if (e.get("secondaryMetrics") instanceof Map<?, ?> sm
          && sm.get(ALLOC_METRIC) instanceof Map<?, ?> a) {
        alloc = Score.of(a);
      }
      int round = 1;
      if (e.get(ROUND_FIELD) instanceof Number n) {
        round = n.intValue();
        if (round < 1) {
          throw new IllegalArgumentException(
              e.get("benchmark") + ": " + ROUND_FIELD + " must be 1 or more, was " + round);
        }
      }
      rows.add(
          new JmhRow(
              String.valueOf(e.get("benchmark")),
              String.valueOf(e.get("mode")),
              params,
              Score.of(pm),
              alloc,
              round));
    }
    return rows;
  }

  /** The benchmark class's simple name. */
  String className() {
    String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
    return owner.substring(owner.lastIndexOf('.') + 1);
  }

  /** The benchmark method's name. */
  String method() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** Identifies the row across runs: class, method, parameters and mode. */
  String key() {
    return className() + "." + method() + (params.isEmpty() ? "" : params.toString()) + " " + mode;
  }

  /** The key of another method of the same class, with the same parameters and mode. */
  String siblingKey(String otherMethod) {
    return className()
        + "."
        + otherMethod
        + (params.isEmpty() ? "" : params.toString())
        + " "
        + mode;
  }

  /** This row with its primary score (and its interval) multiplied by {@code factor}. */
  JmhRow scaled(double factor) {
    return new JmhRow(benchmark, mode, params, primary.scaled(factor), alloc, round);
  }

  /** Whether a larger score is better: throughput yes; time per operation no. */
  boolean higherIsBetter() {
    return mode.equals("thrpt");
  }
}
