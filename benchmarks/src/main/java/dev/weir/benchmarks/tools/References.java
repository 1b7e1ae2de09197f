package dev.weir.benchmarks.tools;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Which rows the gate compares, and what each is divided by: the reference rows of its class,
 * measured in the same round. With several references a row is divided by their geometric mean,
 * which drifts with the machine as each of them does but varies less from fork to fork than any one
 * of them (their JIT luck is independent).
 *
 * <p>Thread-safety: stateless.
 */
final class References {

  /**
   * The reference methods of each benchmark class the gate compares. Chosen from the ten rounds of
   * the committed baseline (docs/benchmarks.md, "Choosing the references"): a reference must track
   * the machine without adding fork-to-fork noise of its own. JCTools' same-thread row is not one
   * for that reason (±16–21% between forks, against ±6% for ArrayDeque and ABQ), nor is JCTools'
   * MPSC row for fan_in4 (±21%).
   */
  static final Map<String, List<String>> BY_CLASS =
      new TreeMap<>(
          Map.of(
              "EdgeSameThreadBenchmark", List.of("arrayDeque", "arrayBlockingQueue"),
              "EdgeTwoThreadsBenchmark", List.of("jctoolsSpsc"),
              "Pipeline4Benchmark", List.of("abqTwoThreads", "reactorFused"),
              "FanIn4Benchmark", List.of("arrayBlockingQueue"),
              "MetricsOverheadBenchmark", List.of("weirMetricsOff")));

  private References() {}

  /** The reference methods of a row's class; empty if the class is not gated. */
  static List<String> of(JmhRow row) {
    return BY_CLASS.getOrDefault(row.className(), List.of());
  }

  /** Whether the gate compares this row: a Weir row of a class with references, not one of them. */
  static boolean gated(JmhRow row) {
    List<String> refs = of(row);
    return !refs.isEmpty() && row.method().startsWith("weir") && !refs.contains(row.method());
  }

  /** Whether this row is a reference of its class. */
  static boolean isReference(JmhRow row) {
    return of(row).contains(row.method());
  }

  /**
   * The JMH include patterns that select every gated row and its references, one per class, e.g.
   * {@code EdgeTwoThreadsBenchmark\.(weir.*|jctoolsSpsc)$}: what each gate round runs.
   */
  static List<String> includes() {
    return BY_CLASS.entrySet().stream()
        .map(
            e -> {
              StringJoiner alternatives = new StringJoiner("|", "\\.(", ")$");
              alternatives.add("weir.*");
              e.getValue().stream().filter(m -> !m.startsWith("weir")).forEach(alternatives::add);
              return e.getKey() + alternatives;
            })
        .toList();
  }
}
