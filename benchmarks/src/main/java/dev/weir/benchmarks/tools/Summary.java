package dev.weir.benchmarks.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A result reduced to what the gate compares: for every gated row, its score divided by its
 * reference's, and its allocation per operation, each over the result's rounds.
 *
 * <p><b>Pairing.</b> A row is divided by its reference measured in the <em>same</em> round, a
 * minute or two apart, never by the reference of another round: the machine's speed drifts by
 * 10–25% over minutes, and a reference measured at the same time drifts with it.
 *
 * <p><b>Intervals.</b> With two rounds or more, a ratio's interval is the Student's t interval of
 * the geometric mean of the per-round ratios, and an allocation's that of the arithmetic mean, at
 * the requested confidence. A single round (a plain JMH result) has no spread between rounds, so it
 * falls back to JMH's 99.9% interval over the iterations of its one fork, the row's and its
 * reference's combined in quadrature ({@link Score#ratioTo}); that interval does not see the
 * fork-to-fork noise, so verdicts on one round are weaker.
 *
 * <p>Thread-safety: immutable once built.
 */
final class Summary {

  /**
   * One gated row.
   *
   * @param key the row's key ({@link JmhRow#key()})
   * @param higherIsBetter whether a larger score is better (throughput) or worse (time)
   * @param ratio the row's score over its reference's
   * @param alloc bytes per operation, or null if not measured in every round
   * @param rounds how many rounds measured the row
   */
  record Entry(
      String key, boolean higherIsBetter, Score ratio, @Nullable Score alloc, int rounds) {}

  private final Map<String, Entry> entries;
  private final List<String> problems;

  private Summary(Map<String, Entry> entries, List<String> problems) {
    this.entries = entries;
    this.problems = problems;
  }

  /** The gated rows by key, in the order of the result. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** What made a row impossible to summarize: a missing reference, a round measured twice. */
  List<String> problems() {
    return problems;
  }

  /**
   * Summarizes a result.
   *
   * @param rows every row of every round
   * @param confidence the confidence of the intervals over rounds, e.g. 0.99
   */
  static Summary of(List<JmhRow> rows, double confidence) {
    List<String> problems = new ArrayList<>();
    Map<String, TreeMap<Integer, JmhRow>> byKey = byKeyAndRound(rows, problems);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, TreeMap<Integer, JmhRow>> e : byKey.entrySet()) {
      JmhRow first = e.getValue().firstEntry().getValue();
      if (!References.gated(first)) {
        continue;
      }
      Entry entry = summarize(e.getValue(), byKey, confidence, problems);
      if (entry != null) {
        entries.put(e.getKey(), entry);
      }
    }
    return new Summary(entries, problems);
  }

  static Map<String, TreeMap<Integer, JmhRow>> byKeyAndRound(
      List<JmhRow> rows, List<String> problems) {
    Map<String, TreeMap<Integer, JmhRow>> byKey = new LinkedHashMap<>();
    for (JmhRow r : rows) {
      JmhRow previous = byKey.computeIfAbsent(r.key(), k -> new TreeMap<>()).put(r.round(), r);
      if (previous != null) {
        problems.add(
            r.key()
                + " appears twice in round "
                + r.round()
                + "; merge each round's JMH result once (CompareBaseline merge)");
      }
    }
    return byKey;
  }

  private static @Nullable Entry summarize(
      TreeMap<Integer, JmhRow> rounds,
      Map<String, TreeMap<Integer, JmhRow>> byKey,
      double confidence,
      List<String> problems) {
    JmhRow first = rounds.firstEntry().getValue();
    List<String> referenceMethods = References.of(first);
    List<Score> ratios = new ArrayList<>(rounds.size());
    double[] allocs = new double[rounds.size()];
    boolean allocEveryRound = true;
    for (JmhRow row : rounds.values()) {
      List<Score> references = new ArrayList<>(referenceMethods.size());
      for (String method : referenceMethods) {
        TreeMap<Integer, JmhRow> refRounds = byKey.get(row.siblingKey(method));
        JmhRow ref = refRounds == null ? null : refRounds.get(row.round());
        if (ref == null) {
          problems.add(
              row.key()
                  + ": its reference "
                  + row.siblingKey(method)
                  + " is not in round "
                  + row.round()
                  + " of the same result; run the reference too");
          return null;
        }
        references.add(ref.primary());
      }
      Score alloc = row.alloc();
      if (alloc != null) {
        allocs[ratios.size()] = alloc.score();
      } else {
        allocEveryRound = false;
      }
      if (!(row.primary().score() > 0) || references.stream().anyMatch(r -> !(r.score() > 0))) {
        problems.add(
            row.key()
                + ": a score of 0 (or not a number) in round "
                + row.round()
                + ", for the row or a reference; the run measured nothing, run it again");
        return null;
      }
      ratios.add(row.primary().ratioTo(Score.geometricMean(references)));
    }
    Score ratio;
    Score alloc;
    if (ratios.size() == 1) {
      ratio = ratios.get(0);
      alloc = first.alloc();
    } else {
      double[] values = ratios.stream().mapToDouble(Score::score).toArray();
      ratio = Score.ofLogSample(values, confidence, "ratio");
      alloc = allocEveryRound ? Score.ofSample(allocs, confidence, "B/op") : null;
    }
    return new Entry(first.key(), first.higherIsBetter(), ratio, alloc, rounds.size());
  }
}
