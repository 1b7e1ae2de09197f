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
 * <p><b>Pairing.</b> A row is divided by its references measured in the <em>same</em> round, a
 * minute or two apart, never by those of another round: the machine's speed drifts by 10–25% over
 * minutes, and a reference measured at the same time drifts with it. With several references, by
 * their geometric mean.
 *
 * <p><b>Intervals.</b> A ratio's interval is the Student's t interval of the geometric mean of the
 * per-round ratios, and an allocation's that of the arithmetic mean, at the requested confidence.
 * That needs at least {@value #MIN_ROUNDS} rounds: a single JMH fork has no spread between forks,
 * and the interval JMH computes from its iterations is narrower than the noise between forks on
 * this machine (±5% against ±20%), so it would fail healthy rows.
 *
 * <p>Thread-safety: immutable once built.
 */
final class Summary {

  /** Fewest rounds a gated row needs: with fewer, t has one degree of freedom or none. */
  static final int MIN_ROUNDS = 3;

  /**
   * One gated row.
   *
   * @param key the row's key ({@link JmhRow#key()})
   * @param higherIsBetter whether a larger score is better (throughput) or worse (time)
   * @param ratio the row's score over its references'
   * @param alloc bytes per operation, or null if not measured in every round
   * @param rounds how many rounds measured the row
   */
  record Entry(
      String key, boolean higherIsBetter, Score ratio, @Nullable Score alloc, int rounds) {}

  private final Map<String, Entry> entries;
  private final List<String> problems;
  private final List<String> notes;

  private Summary(Map<String, Entry> entries, List<String> problems, List<String> notes) {
    this.entries = entries;
    this.problems = problems;
    this.notes = notes;
  }

  /** The gated rows by key, in the order of the result. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** What made a row impossible to summarize: a missing reference, a round measured twice. */
  List<String> problems() {
    return problems;
  }

  /** What the reader should know but does not stop the comparison: rows missing some rounds. */
  List<String> notes() {
    return notes;
  }

  /**
   * Summarizes a result.
   *
   * @param rows every row of every round
   * @param confidence the confidence of the intervals over rounds, e.g. 0.99
   */
  static Summary of(List<JmhRow> rows, double confidence) {
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    Map<String, TreeMap<Integer, JmhRow>> byKey = byKeyAndRound(rows, problems);
    int roundsInResult = rows.stream().mapToInt(JmhRow::round).max().orElse(0);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, TreeMap<Integer, JmhRow>> e : byKey.entrySet()) {
      JmhRow first = e.getValue().firstEntry().getValue();
      if (!References.gated(first)) {
        continue;
      }
      int rounds = e.getValue().size();
      if (rounds < MIN_ROUNDS) {
        problems.add(
            e.getKey()
                + " was measured in "
                + rounds
                + " round(s); the gate needs "
                + MIN_ROUNDS
                + " or more to see the noise between forks: run benchmarks/gate.sh (ten rounds),"
                + " or merge the JMH results of several single-fork runs (CompareBaseline merge)");
        continue;
      }
      if (rounds < roundsInResult) {
        notes.add(
            e.getKey()
                + ": measured in "
                + rounds
                + " of "
                + roundsInResult
                + " rounds; the round-N.log of the others says why");
      }
      Entry entry = summarize(e.getValue(), byKey, confidence, problems);
      if (entry != null) {
        entries.put(e.getKey(), entry);
      }
    }
    return new Summary(entries, problems, notes);
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
    double[] ratios = new double[rounds.size()];
    double[] allocs = new double[rounds.size()];
    boolean allocEveryRound = true;
    int i = 0;
    for (JmhRow row : rounds.values()) {
      double logReference = 0;
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
                  + "; run the references with the row (CompareBaseline includes lists them), and"
                  + " if it ran, benchmarks/target/gate/round-"
                  + row.round()
                  + ".log says why it has no score");
          return null;
        }
        if (!(ref.primary().score() > 0) || Double.isInfinite(ref.primary().score())) {
          problems.add(measuredNothing(ref, "score", "a positive number"));
          return null;
        }
        logReference += Math.log(ref.primary().score());
      }
      double score = row.primary().score();
      if (!(score > 0) || Double.isInfinite(score)) {
        problems.add(measuredNothing(row, "score", "a positive number"));
        return null;
      }
      ratios[i] = score / Math.exp(logReference / referenceMethods.size());
      Score alloc = row.alloc();
      if (alloc == null) {
        allocEveryRound = false;
      } else if (!Double.isFinite(alloc.score()) || alloc.score() < 0) {
        problems.add(measuredNothing(row, "allocation", "a number of bytes"));
        return null;
      } else {
        allocs[i] = alloc.score();
      }
      i++;
    }
    Score ratio = Score.ofLogSample(ratios, confidence, "ratio");
    Score alloc = allocEveryRound ? Score.ofSample(allocs, confidence, "B/op") : null;
    return new Entry(first.key(), first.higherIsBetter(), ratio, alloc, rounds.size());
  }

  private static String measuredNothing(JmhRow row, String metric, String expected) {
    return row.key()
        + ": its "
        + metric
        + " in round "
        + row.round()
        + " is not "
        + expected
        + "; that round measured nothing usable, run the gate again"
        + " (benchmarks/target/gate/round-"
        + row.round()
        + ".log shows what JMH printed)";
  }
}
