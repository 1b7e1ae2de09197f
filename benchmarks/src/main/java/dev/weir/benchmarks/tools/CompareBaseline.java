package dev.weir.benchmarks.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The regression gate: compares a fresh JMH result with the stored baseline, and updates the
 * baseline on request.
 *
 * <p><b>Rounds.</b> {@code benchmarks/gate.sh} runs the gated rows and their references several
 * times, one fork each time (a <em>round</em>), and {@code merge} joins the rounds into one result.
 * A row's scores over the rounds show the noise a single fork cannot: the JIT's choices differ from
 * fork to fork, and this machine's speed drifts by 10–25% over minutes.
 *
 * <p><b>Normalization.</b> Absolute scores depend on the machine and on whatever else it is doing,
 * so every Weir row is divided by its class's reference rows ({@link References}) measured in the
 * same round. A faster or slower machine moves both and cancels out. See {@link Summary} for the
 * pairing and the intervals.
 *
 * <p><b>Verdict.</b> A row fails only when its ratio is more than the threshold (10%) worse than
 * the baseline's <em>and</em> the two intervals (99% by default) do not overlap; worse but
 * overlapping is reported as noise. Two 99% intervals apart is a stricter test than 99%: with
 * normal noise and ten rounds a side, a row that did not change fails less than once in ten
 * thousand runs. "Worse" is lower for throughput and higher for time-per-operation modes.
 * Allocation per operation ({@code gc.alloc.rate.norm}, present when the run used {@code -prof gc})
 * is compared absolutely, lower is better, with the same threshold plus a slack of {@value
 * #ALLOC_SLACK_BYTES} B/op so that 0.002 vs 0.001 B/op is not a regression. Peer rows are never
 * gated: they are the references.
 *
 * <p>Commands ({@code java -cp benchmarks/target/benchmarks.jar
 * dev.weir.benchmarks.tools.CompareBaseline ...}):
 *
 * <ul>
 *   <li>{@code compare BASELINE RESULT [--threshold 0.10] [--confidence 0.99] [--plant
 *       REGEX=FACTOR]}: exit 0 if no row regressed, 1 if one did, 2 on bad input. {@code --plant}
 *       slows the current rows whose key matches REGEX (references excepted) by the speed factor
 *       FACTOR before comparing, to show the gate firing (FACTOR 0.8 is a 25% slowdown). Every
 *       gated row needs three rounds or more on both sides.
 *   <li>{@code merge OUT ROUND-1.json ROUND-2.json ...}: joins JMH results, one per round, into
 *       one, marking each entry with its round.
 *   <li>{@code update RESULT BASELINE}: writes RESULT, trimmed of raw samples, as the new baseline;
 *       refuses a result the gate could not compare (a reference missing, fewer than three rounds).
 *   <li>{@code includes}: prints the JMH include patterns of one round, one per line.
 *   <li>{@code table RESULT}: prints the rows as a Markdown table with their ratios.
 * </ul>
 *
 * <p>Thread-safety: a command-line tool; the methods are pure functions of their arguments.
 */
public final class CompareBaseline {

  /** How much worse a ratio may get before it can fail: 10%. */
  static final double DEFAULT_THRESHOLD = 0.10;

  /** The confidence of the intervals over rounds. */
  static final double DEFAULT_CONFIDENCE = 0.99;

  /** Absolute allocation slack, bytes per operation. */
  static final double ALLOC_SLACK_BYTES = 1.0;

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
        double confidence = DEFAULT_CONFIDENCE;
        String plant = null;
        for (int i = 3; i < args.length; i += 2) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException("missing value after " + args[i]);
          }
          switch (args[i]) {
            case "--threshold" -> threshold = fraction("--threshold", args[i + 1]);
            case "--confidence" -> confidence = fraction("--confidence", args[i + 1]);
            case "--plant" -> plant = args[i + 1];
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          }
        }
        List<JmhRow> current = read(Path.of(args[2]));
        if (plant != null) {
          current = plant(current, plant, out);
        }
        Report report = compare(read(Path.of(args[1])), current, threshold, confidence);
        out.print(report.render());
        return report.status();
      }
      if (args.length >= 3 && args[0].equals("merge")) {
        return merge(Path.of(args[1]), List.of(args).subList(2, args.length), out);
      }
      if (args.length == 3 && args[0].equals("update")) {
        return update(Path.of(args[1]), Path.of(args[2]), out);
      }
      if (args.length == 1 && args[0].equals("includes")) {
        References.includes().forEach(out::println);
        return PASS;
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
        "usage: CompareBaseline compare BASELINE RESULT [--threshold 0.10] [--confidence 0.99]"
            + " [--plant REGEX=FACTOR]\n"
            + "       CompareBaseline merge OUT ROUND-1.json ROUND-2.json ...\n"
            + "       CompareBaseline update RESULT BASELINE\n"
            + "       CompareBaseline includes\n"
            + "       CompareBaseline table RESULT");
    return BAD_INPUT;
  }

  private static double fraction(String option, String value) {
    double f;
    try {
      f = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option + " wants a number between 0 and 1, got " + value, e);
    }
    if (!(f > 0 && f < 1)) {
      throw new IllegalArgumentException(option + " wants a number between 0 and 1, got " + value);
    }
    return f;
  }

  static List<JmhRow> read(Path file) throws IOException {
    return JmhRow.parse(readText(file));
  }

  /** A file's text; a missing file is bad input that names the file, not a bare exception. */
  private static String readText(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          file + ": no such file (benchmarks/gate.sh writes benchmarks/target/gate-result.json)");
    }
    String text = Files.readString(file, StandardCharsets.UTF_8);
    try {
      JmhRow.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return text;
  }

  /**
   * Slows the rows whose key matches {@code spec}'s regex by a speed factor, every round:
   * throughput times FACTOR, time per operation divided by it (FACTOR 0.8 is a 25% slowdown either
   * way). References are left alone: slowing a reference would hide its rows' slowdown.
   */
  static List<JmhRow> plant(List<JmhRow> rows, String spec, PrintStream out) {
    int eq = spec.lastIndexOf('=');
    if (eq < 1) {
      throw new IllegalArgumentException("--plant wants REGEX=FACTOR, got " + spec);
    }
    Pattern pattern = Pattern.compile(spec.substring(0, eq));
    double factor;
    try {
      factor = Double.parseDouble(spec.substring(eq + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--plant wants REGEX=FACTOR, got " + spec, e);
    }
    if (!(factor > 0)) {
      throw new IllegalArgumentException("--plant wants a positive FACTOR, got " + spec);
    }
    List<JmhRow> planted = new ArrayList<>(rows.size());
    Set<String> reported = new LinkedHashSet<>();
    for (JmhRow r : rows) {
      if (pattern.matcher(r.key()).find() && !References.isReference(r)) {
        double scale = r.higherIsBetter() ? factor : 1 / factor;
        if (reported.add(r.key())) {
          out.printf(Locale.ROOT, "planted: %s score x %.3f%n", r.key(), scale);
        }
        planted.add(r.scaled(scale));
      } else {
        planted.add(r);
      }
    }
    return planted;
  }

  /** Compares a result with a baseline. */
  static Report compare(
      List<JmhRow> baseline, List<JmhRow> current, double threshold, double confidence) {
    Summary base = Summary.of(baseline, confidence);
    Summary cur = Summary.of(current, confidence);
    List<String> problems = new ArrayList<>();
    base.problems().forEach(p -> problems.add("baseline: " + p));
    cur.problems().forEach(p -> problems.add("result: " + p));
    List<String> notes = new ArrayList<>();
    cur.notes().forEach(n -> notes.add("result: " + n));
    Set<String> seen = new LinkedHashSet<>();
    for (JmhRow r : current) {
      if (seen.add(r.key()) && References.of(r).isEmpty() && r.method().startsWith("weir")) {
        notes.add(r.key() + ": its class has no reference rule, so it is not gated");
      }
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (Summary.Entry c : cur.entries().values()) {
      Summary.Entry b = base.entries().get(c.key());
      if (b == null) {
        if (baseline.stream().noneMatch(r -> r.key().equals(c.key()))) {
          notes.add(c.key() + ": not in the baseline (new benchmark?), not gated");
        }
        continue;
      }
      verdicts.add(
          Verdict.of(c, "score/ref", b.ratio(), c.ratio(), c.higherIsBetter(), threshold, 0));
      Score baseAlloc = b.alloc();
      Score curAlloc = c.alloc();
      if (baseAlloc != null && curAlloc != null) {
        verdicts.add(
            Verdict.of(c, "B/op", baseAlloc, curAlloc, false, threshold, ALLOC_SLACK_BYTES));
      } else if (baseAlloc != null) {
        notes.add(c.key() + ": allocation not measured in every round (add -prof gc)");
      }
    }
    for (String key : base.entries().keySet()) {
      if (!cur.entries().containsKey(key) && current.stream().noneMatch(r -> r.key().equals(key))) {
        // A nightly run that lost a row must not pass: the row may have crashed.
        problems.add(
            key
                + ": in the baseline but not in this result; it crashed or was not run (see"
                + " benchmarks/target/gate/round-N.log); a removed benchmark needs a new baseline");
      }
    }
    if (verdicts.isEmpty() && problems.isEmpty()) {
      problems.add("no Weir row of the result is in the baseline: nothing was compared");
    }
    return new Report(verdicts, notes, problems, threshold, confidence);
  }

  /** One compared metric of one row. */
  record Verdict(
      String key,
      String metric,
      Score base,
      Score current,
      int rounds,
      double change,
      boolean worse,
      boolean regression) {

    static Verdict of(
        Summary.Entry row,
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
      return new Verdict(row.key(), metric, base, current, row.rounds(), change, worse, regression);
    }

    String render() {
      String label = regression ? "FAIL " : worse ? "noise" : "ok   ";
      return String.format(
          Locale.ROOT,
          "  %s %-58s %-9s %11.4g [%.4g, %.4g] -> %11.4g [%.4g, %.4g] %3d %+7.1f%%%n",
          label,
          key,
          metric,
          base.score(),
          base.low(),
          base.high(),
          current.score(),
          current.low(),
          current.high(),
          rounds,
          change * 100);
    }
  }

  /** The outcome of a comparison. */
  record Report(
      List<Verdict> verdicts,
      List<String> notes,
      List<String> problems,
      double threshold,
      double confidence) {

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
              "Weir vs baseline: each score divided by its references in the same round;"
                  + " intervals %.0f%% over the rounds;"
                  + " fail = more than %.0f%% worse and intervals apart%n",
              confidence * 100,
              threshold * 100));
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-5s %-58s %-9s %30s    %30s %3s %8s%n",
              "",
              "benchmark",
              "metric",
              "baseline",
              "current",
              "n",
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

  /**
   * Joins JMH results, one per round, into one: every entry of the i-th file gets {@value
   * JmhRow#ROUND_FIELD} i (from 1).
   */
  static int merge(Path out, List<String> rounds, PrintStream log) throws IOException {
    List<Object> merged = new ArrayList<>();
    for (int i = 0; i < rounds.size(); i++) {
      Path file = Path.of(rounds.get(i));
      Object parsed = Json.parse(readText(file));
      if (!(parsed instanceof List<?> entries)) {
        throw new IllegalArgumentException(file + ": not a JMH JSON result (no top-level array)");
      }
      for (Object entry : entries) {
        if (!(entry instanceof Map<?, ?> e)) {
          throw new IllegalArgumentException(
              file + ": not a JMH JSON result (an entry is no object)");
        }
        if (e.containsKey(JmhRow.ROUND_FIELD)) {
          throw new IllegalArgumentException(
              file + " is already a merged result; merge the JMH results of single rounds");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        e.forEach((k, v) -> copy.put(String.valueOf(k), v));
        copy.put(JmhRow.ROUND_FIELD, (long) (i + 1));
        merged.add(copy);
      }
    }
    Files.writeString(out, Json.write(merged), StandardCharsets.UTF_8);
    log.println(
        "merged " + rounds.size() + " round(s), " + merged.size() + " entries, into " + out);
    return PASS;
  }

  /**
   * Writes a result, trimmed of raw samples, as the baseline; refuses one the gate could not
   * compare (a reference missing, fewer than {@value Summary#MIN_ROUNDS} rounds of a gated row).
   */
  static int update(Path result, Path baseline, PrintStream out) throws IOException {
    String json = readText(result);
    List<JmhRow> rows = JmhRow.parse(json);
    Summary summary = Summary.of(rows, DEFAULT_CONFIDENCE);
    List<String> problems = new ArrayList<>(summary.problems());
    if (summary.entries().isEmpty() && problems.isEmpty()) {
      problems.add(result + " has no row the gate compares");
    }
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
          "params",
          JmhRow.ROUND_FIELD);

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

  /**
   * A Markdown table of a result: every row once, its score (the mean over the rounds, with the 99%
   * t half-width; for a one-round result, JMH's own 99.9% half-width), its mean score over the
   * geometric mean of its references' mean scores, and its allocation.
   */
  static String table(List<JmhRow> rows) {
    Map<String, TreeMap<Integer, JmhRow>> byKey = Summary.byKeyAndRound(rows, new ArrayList<>());
    Map<String, Score> means = new LinkedHashMap<>();
    byKey.forEach((key, rounds) -> means.put(key, mean(rounds.values(), JmhRow::primary)));
    StringBuilder sb = new StringBuilder();
    sb.append("| benchmark | score | ± | unit | rounds | / reference | B/op |\n");
    sb.append("|---|---:|---:|---|---:|---:|---:|\n");
    for (Map.Entry<String, TreeMap<Integer, JmhRow>> e : byKey.entrySet()) {
      JmhRow r = e.getValue().firstEntry().getValue();
      Score score = means.get(e.getKey());
      List<String> refs = References.of(r);
      String ratio = "";
      if (!refs.isEmpty() && !References.isReference(r)) {
        double logReference = 0;
        boolean complete = true;
        for (String m : refs) {
          Score ref = means.get(r.siblingKey(m));
          complete &= ref != null;
          logReference += ref == null ? 0 : Math.log(ref.score());
        }
        if (complete) {
          ratio =
              String.format(
                  Locale.ROOT,
                  "%.2f× %s",
                  score.score() / Math.exp(logReference / refs.size()),
                  String.join("·", refs));
        }
      }
      Score alloc =
          e.getValue().values().stream().allMatch(x -> x.alloc() != null)
              ? mean(e.getValue().values(), JmhRow::alloc)
              : null;
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s.%s%s | %.3f | %.3f | %s | %d | %s | %s |%n",
              r.className(),
              r.method(),
              r.params().isEmpty() ? "" : " " + r.params(),
              score.score(),
              (score.high() - score.low()) / 2,
              r.primary().unit(),
              e.getValue().size(),
              ratio,
              alloc == null ? "" : String.format(Locale.ROOT, "%.2f", alloc.score())));
    }
    return sb.toString();
  }

  /** The mean of one metric over rounds: JMH's own score for one round, else a t interval. */
  private static Score mean(Collection<JmhRow> rounds, Function<JmhRow, @Nullable Score> metric) {
    List<Score> scores = new ArrayList<>();
    for (JmhRow r : rounds) {
      scores.add(Objects.requireNonNull(metric.apply(r)));
    }
    if (scores.size() == 1) {
      return scores.get(0);
    }
    double[] values = scores.stream().mapToDouble(Score::score).toArray();
    return Score.ofSample(values, DEFAULT_CONFIDENCE, scores.get(0).unit());
  }
}
