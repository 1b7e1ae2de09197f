package dev.weir.benchmarks.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The regression gate: compares a fresh JMH JSON result with the stored baseline, and updates the
 * baseline on request.
 *
 * <p><b>Normalization.</b> Absolute scores depend on the machine and on whatever else it is doing,
 * so every Weir row is divided by a reference row of the same class measured in the same run
 * ({@link #REFERENCES}: Weir edges by JCTools SPSC, pipeline4 by the two-thread ABQ baseline,
 * fan_in4 by ABQ, metrics-on by metrics-off). A faster or slower machine moves both and cancels
 * out. The ratio's interval combines the two 99.9% intervals in quadrature ({@link Score#ratioTo}).
 *
 * <p><b>Verdict.</b> A row fails only when its ratio is more than the threshold (10%) worse than
 * the baseline's <em>and</em> the two ratio intervals do not overlap; worse but overlapping is
 * reported as noise. "Worse" is lower for throughput and higher for time-per-operation modes.
 * Allocation per operation ({@code gc.alloc.rate.norm}, present when the run used {@code -prof gc})
 * is compared absolutely, lower is better, with the same threshold plus a slack of {@value
 * #ALLOC_SLACK_BYTES} B/op so that 0.002 vs 0.001 B/op is not a regression. Peer rows are never
 * gated: they are the references.
 *
 * <p>Commands ({@code java -cp benchmarks/target/benchmarks.jar
 * dev.weir.benchmarks.tools.CompareBaseline ...}):
 *
 * <ul>
 *   <li>{@code compare BASELINE RESULT [--threshold 0.10] [--plant REGEX=FACTOR]}: exit 0 if no row
 *       regressed, 1 if one did, 2 on bad input. {@code --plant} multiplies the current scores of
 *       the rows whose key matches REGEX by FACTOR before comparing, to show the gate firing
 *       (FACTOR 0.8 is a 25% slowdown).
 *   <li>{@code update RESULT BASELINE}: writes RESULT, trimmed of raw samples, as the new baseline;
 *       refuses a result that lacks a reference row.
 *   <li>{@code table RESULT}: prints the rows as a Markdown table with their ratios.
 * </ul>
 *
 * <p>Thread-safety: a command-line tool; the methods are pure functions of their arguments.
 */
public final class CompareBaseline {

  /** How much worse a ratio may get before it can fail: 10%. */
  static final double DEFAULT_THRESHOLD = 0.10;

  /** Absolute allocation slack, bytes per operation. */
  static final double ALLOC_SLACK_BYTES = 1.0;

  /** The reference method of each benchmark class. */
  static final Map<String, String> REFERENCES =
      Map.of(
          "EdgeSameThreadBenchmark", "jctoolsSpsc",
          "EdgeTwoThreadsBenchmark", "jctoolsSpsc",
          "Pipeline4Benchmark", "abqTwoThreads",
          "FanIn4Benchmark", "arrayBlockingQueue",
          "MetricsOverheadBenchmark", "weirMetricsOff");

  /** Exit status: no regression. */
  public static final int PASS = 0;

  /** Exit status: at least one regression. */
  public static final int REGRESSION = 1;

  /** Exit status: unusable input or arguments. */
  public static final int BAD_INPUT = 2;

  private CompareBaseline() {}

  /**
   * Runs a command; see the class comment.
   *
   * @param args the command and its arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs a command, printing to {@code out}.
   *
   * @param args the command and its arguments
   * @param out where the report goes
   * @return {@link #PASS}, {@link #REGRESSION} or {@link #BAD_INPUT}
   */
  public static int run(String[] args, PrintStream out) {
    try {
      if (args.length >= 3 && args[0].equals("compare")) {
        double threshold = DEFAULT_THRESHOLD;
        String plant = null;
        for (int i = 3; i < args.length; i += 2) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[i]);
          }
          switch (args[i]) {
            case "--threshold" -> threshold = Double.parseDouble(args[i + 1]);
            case "--plant" -> plant = args[i + 1];
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          }
        }
        List<JmhRow> current = read(Path.of(args[2]));
        if (plant != null) {
          current = plant(current, plant, out);
        }
        Report report = compare(read(Path.of(args[1])), current, threshold);
        out.print(report.render());
        return report.status();
      }
      if (args.length == 3 && args[0].equals("update")) {
        return update(Path.of(args[1]), Path.of(args[2]), out);
      }
      if (args.length == 2 && args[0].equals("table")) {
        out.print(table(read(Path.of(args[1]))));
        return PASS;
      }
    } catch (IOException | IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    out.println(
        "usage: CompareBaseline compare BASELINE RESULT [--threshold 0.10] [--plant REGEX=FACTOR]\n"
            + "       CompareBaseline update RESULT BASELINE\n"
            + "       CompareBaseline table RESULT");
    return BAD_INPUT;
  }

  static List<JmhRow> read(Path file) throws IOException {
    try {
      return JmhRow.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Scales the primary score of the rows whose key matches {@code spec}'s regex. */
  static List<JmhRow> plant(List<JmhRow> rows, String spec, PrintStream out) {
    int eq = spec.lastIndexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException("--plant wants REGEX=FACTOR, got " + spec);
    }
    Pattern pattern = Pattern.compile(spec.substring(0, eq));
    double factor = Double.parseDouble(spec.substring(eq + 1));
    List<JmhRow> planted = new ArrayList<>(rows.size());
    for (JmhRow r : rows) {
      if (pattern.matcher(r.key()).find()) {
        out.printf(Locale.ROOT, "planted: %s score x %.3f%n", r.key(), factor);
        planted.add(
            new JmhRow(r.benchmark(), r.mode(), r.params(), r.primary().scaled(factor), r.alloc()));
      } else {
        planted.add(r);
      }
    }
    return planted;
  }

  /** Whether the gate compares this row (a Weir row of a class with a reference, not the ref). */
  static boolean gated(JmhRow row) {
    String ref = REFERENCES.get(row.className());
    return ref != null && row.method().startsWith("weir") && !row.method().equals(ref);
  }

  /** Each gated row's score divided by its reference's; problems lists rows without one. */
  static Map<String, Score> ratios(List<JmhRow> rows, List<String> problems) {
    Map<String, JmhRow> byKey = new LinkedHashMap<>();
    for (JmhRow r : rows) {
      byKey.put(r.key(), r);
    }
    Map<String, Score> ratios = new LinkedHashMap<>();
    for (JmhRow r : rows) {
      if (!gated(r)) {
        continue;
      }
      JmhRow ref = byKey.get(r.siblingKey(REFERENCES.get(r.className())));
      if (ref == null) {
        problems.add(
            r.key()
                + ": its reference "
                + r.siblingKey(REFERENCES.get(r.className()))
                + " is not in the same result; run the reference too");
      } else {
        ratios.put(r.key(), r.primary().ratioTo(ref.primary()));
      }
    }
    return ratios;
  }

  /** Compares a result with a baseline. */
  static Report compare(List<JmhRow> baseline, List<JmhRow> current, double threshold) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, Score> baseRatios = ratios(baseline, problems);
    Map<String, Score> curRatios = ratios(current, problems);
    Map<String, JmhRow> baseRows = new LinkedHashMap<>();
    for (JmhRow r : baseline) {
      baseRows.put(r.key(), r);
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (JmhRow cur : current) {
      if (!gated(cur)) {
        if (!REFERENCES.containsKey(cur.className()) && cur.method().startsWith("weir")) {
          notes.add(cur.key() + ": its class has no reference rule, so it is not gated");
        }
        continue;
      }
      JmhRow base = baseRows.get(cur.key());
      if (base == null) {
        notes.add(cur.key() + ": not in the baseline (new benchmark?), not gated");
        continue;
      }
      Score b = baseRatios.get(cur.key());
      Score c = curRatios.get(cur.key());
      if (b != null && c != null) {
        verdicts.add(Verdict.of(cur.key(), "score/ref", b, c, cur.higherIsBetter(), threshold, 0));
      }
      if (base.alloc() != null && cur.alloc() != null) {
        verdicts.add(
            Verdict.of(
                cur.key(), "B/op", base.alloc(), cur.alloc(), false, threshold, ALLOC_SLACK_BYTES));
      } else if (base.alloc() != null) {
        notes.add(cur.key() + ": allocation not measured in this run (add -prof gc)");
      }
    }
    for (JmhRow base : baseline) {
      if (gated(base) && current.stream().noneMatch(r -> r.key().equals(base.key()))) {
        notes.add(base.key() + ": in the baseline but not in this run, not compared");
      }
    }
    if (verdicts.isEmpty() && problems.isEmpty()) {
      problems.add("no Weir row of the result is in the baseline: nothing was compared");
    }
    return new Report(verdicts, notes, problems, threshold);
  }

  /** One compared metric of one row. */
  record Verdict(
      String key,
      String metric,
      Score base,
      Score current,
      double change,
      boolean worse,
      boolean regression) {

    static Verdict of(
        String key,
        String metric,
        Score base,
        Score current,
        boolean higherIsBetter,
        double threshold,
        double slack) {
      double change =
          base.score() == 0
              ? (current.score() == 0 ? 0 : Double.POSITIVE_INFINITY)
              : current.score() / base.score() - 1;
      boolean worse;
      if (higherIsBetter) {
        worse = current.score() < base.score() * (1 - threshold) - slack;
      } else {
        worse = current.score() > base.score() * (1 + threshold) + slack;
      }
      boolean regression = worse && !current.overlaps(base);
      return new Verdict(key, metric, base, current, change, worse, regression);
    }

    String render() {
      String label = regression ? "FAIL " : worse ? "noise" : "ok   ";
      return String.format(
          Locale.ROOT,
          "  %s %-58s %-9s %11.4g [%.4g, %.4g] -> %11.4g [%.4g, %.4g] %+7.1f%%%n",
          label,
          key,
          metric,
          base.score(),
          base.low(),
          base.high(),
          current.score(),
          current.low(),
          current.high(),
          change * 100);
    }
  }

  /** The outcome of a comparison. */
  record Report(
      List<Verdict> verdicts, List<String> notes, List<String> problems, double threshold) {

    int status() {
      if (!problems.isEmpty()) {
        return BAD_INPUT;
      }
      return verdicts.stream().anyMatch(Verdict::regression) ? REGRESSION : PASS;
    }

    long regressions() {
      return verdicts.stream().filter(Verdict::regression).count();
    }

    String render() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "Weir vs baseline (each score divided by its reference in the same run; fail ="
                  + " more than %.0f%% worse and intervals apart)%n",
              threshold * 100));
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-5s %-58s %-9s %30s    %30s %8s%n",
              "",
              "benchmark",
              "metric",
              "baseline",
              "current",
              "change"));
      verdicts.forEach(v -> sb.append(v.render()));
      notes.forEach(n -> sb.append("  note: ").append(n).append('\n'));
      problems.forEach(p -> sb.append("  error: ").append(p).append('\n'));
      int status = status();
      sb.append(
          status == PASS
              ? "PASS: " + verdicts.size() + " metrics compared, no regression\n"
              : status == REGRESSION
                  ? "FAIL: " + regressions() + " regression(s)\n"
                  : "ERROR: the comparison could not be made\n");
      return sb.toString();
    }
  }

  /** Writes a result, trimmed of raw samples, as the baseline; refuses one lacking references. */
  static int update(Path result, Path baseline, PrintStream out) throws IOException {
    String json = Files.readString(result, StandardCharsets.UTF_8);
    List<JmhRow> rows = JmhRow.parse(json);
    List<String> problems = new ArrayList<>();
    ratios(rows, problems);
    if (!problems.isEmpty()) {
      problems.forEach(p -> out.println("error: " + p));
      out.println("baseline NOT updated");
      return BAD_INPUT;
    }
    List<Object> trimmed = new ArrayList<>();
    for (Object entry : (List<?>) Json.parse(json)) {
      trimmed.add(trim((Map<?, ?>) entry));
    }
    Files.writeString(baseline, Json.write(trimmed), StandardCharsets.UTF_8);
    out.println("baseline " + baseline + " updated from " + result + ": " + rows.size() + " rows");
    return PASS;
  }

  private static final List<String> KEPT =
      List.of(
          "jmhVersion",
          "benchmark",
          "mode",
          "threads",
          "forks",
          "jdkVersion",
          "vmName",
          "vmVersion",
          "warmupIterations",
          "warmupTime",
          "measurementIterations",
          "measurementTime",
          "params");

  private static Map<String, Object> trim(Map<?, ?> entry) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : KEPT) {
      if (entry.containsKey(k)) {
        out.put(k, entry.get(k));
      }
    }
    out.put("primaryMetric", trimMetric((Map<?, ?>) entry.get("primaryMetric")));
    Map<String, Object> secondary = new LinkedHashMap<>();
    if (entry.get("secondaryMetrics") instanceof Map<?, ?> sm
        && sm.get(JmhRow.ALLOC_METRIC) instanceof Map<?, ?> alloc) {
      secondary.put(JmhRow.ALLOC_METRIC, trimMetric(alloc));
    }
    out.put("secondaryMetrics", secondary);
    return out;
  }

  private static Map<String, Object> trimMetric(Map<?, ?> metric) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("score", "scoreError", "scoreConfidence", "scoreUnit")) {
      if (metric.containsKey(k)) {
        out.put(k, metric.get(k));
      }
    }
    return out;
  }

  /** A Markdown table of a result: every row, its reference ratio and its allocation. */
  static String table(List<JmhRow> rows) {
    Map<String, JmhRow> byKey = new LinkedHashMap<>();
    rows.forEach(r -> byKey.put(r.key(), r));
    StringBuilder sb = new StringBuilder();
    sb.append("| benchmark | score | ± 99.9% | unit | / reference | B/op |\n");
    sb.append("|---|---:|---:|---|---:|---:|\n");
    for (JmhRow r : rows) {
      String refName = REFERENCES.get(r.className());
      JmhRow ref = refName == null ? null : byKey.get(r.siblingKey(refName));
      String ratio =
          ref == null || ref == r
              ? ""
              : String.format(
                  Locale.ROOT, "%.2f× %s", r.primary().score() / ref.primary().score(), refName);
      Score a = r.alloc();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s.%s%s | %.3f | %.3f | %s | %s | %s |%n",
              r.className(),
              r.method(),
              r.params().isEmpty() ? "" : " " + r.params(),
              r.primary().score(),
              (r.primary().high() - r.primary().low()) / 2,
              r.primary().unit(),
              ratio,
              a == null ? "" : String.format(Locale.ROOT, "%.2f", a.score())));
    }
    return sb.toString();
  }
}
