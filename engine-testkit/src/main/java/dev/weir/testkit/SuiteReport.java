package dev.weir.testkit;

import dev.weir.testkit.internal.Artifacts;
import dev.weir.testkit.internal.ReportFields;
import dev.weir.testkit.internal.SuiteHtml;
import dev.weir.testkit.internal.SuiteMarkdown;
import dev.weir.testkit.load.ClosedLoad;
import dev.weir.testkit.load.LoadResult;
import dev.weir.testkit.load.SaturationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One report over several stress runs (a suite, or every scenario of the {@code weir-stress}
 * command): {@code report.json}, {@code report.md} and {@code report.html} in one folder, each run
 * keeping its own folder (its own three reports and, if it failed, its artifacts) wherever its
 * {@link StressTest#artifacts} root put it; give the runs the suite's folder as root to keep them
 * below it.
 *
 * <pre>{@code
 * SuiteReport suite = SuiteReport.in(Path.of("target", "weir-reports")).name("my-suite");
 * suite.add(StressTest.named("a")...artifacts(suite.folder()).run());
 * suite.add(runOfB, openLoadResultOfB, Duration.ofMillis(50)); // with its latency over time
 * suite.write();                                               // at the end, e.g. in @AfterAll
 * }</pre>
 *
 * <p>A load result added with a run goes into that run's scenario (latency percentiles, the load's
 * accounting, throughput and latency over time drawn from its intervals) and the run's own folder
 * is rewritten with it. Adding the same {@link StressResult} again (e.g. with its saturation search
 * after its open load) updates its scenario rather than adding another.
 *
 * <p>{@code report.json} holds {@code name}, {@code seed}, {@code deterministic}, {@code passed},
 * {@code traceHash} (every run deterministic: the runs' trace hashes combined in name order),
 * {@code elapsedMillis}, {@code ledger} (the runs' ledgers summed), {@code replay} and {@code
 * scenarios[]}: each run's scenario with its {@code seed}, {@code traceHash}, {@code folder},
 * {@code elapsedMillis}, {@code ledger}, {@code replay} and {@code series}.
 *
 * <p>Thread-safety: thread-safe; {@link #add} may be called from concurrent tests (every method
 * locks this object), and {@link #write} any number of times (each writes every run added so far).
 */
public final class SuiteReport {

  private static final String[] LEDGER_KEYS = {
    "sent", "delivered", "dropped", "evicted", "coalesced", "deadLettered", "lost", "duplicated"
  };

  private final Path folder;
  private String name = "suite";
  private @Nullable Long seed;
  private @Nullable Boolean deterministic;
  private @Nullable String replay;
  private final List<Entry> entries = new ArrayList<>();

  /** One run and its (possibly load-enriched) report map. */
  private static final class Entry {
    final StressResult result;
    Map<String, Object> report;

    Entry(StressResult result, Map<String, Object> report) {
      this.result = result;
      this.report = report;
    }
  }

  private SuiteReport(Path folder) {
    this.folder = folder;
  }

  /**
   * Starts a suite report written to {@code folder}.
   *
   * @param folder where {@link #write} puts {@code report.json}, {@code report.md} and {@code
   *     report.html}
   * @return an empty suite report
   */
  public static SuiteReport in(Path folder) {
    return new SuiteReport(Objects.requireNonNull(folder, "folder"));
  }

  /**
   * Returns the suite's folder: give it to {@link StressTest#artifacts} to keep the runs below it.
   *
   * @return the folder
   */
  public Path folder() {
    return folder;
  }

  /**
   * Names the suite (default {@code suite}).
   *
   * @param suiteName the name in the reports' titles
   * @return this report
   */
  public synchronized SuiteReport name(String suiteName) {
    Objects.requireNonNull(suiteName, "suiteName");
    if (suiteName.isBlank()) {
      throw new IllegalArgumentException("a suite needs a non-blank name");
    }
    this.name = suiteName;
    return this;
  }

  /**
   * Sets the suite's seed (the one its runs' seeds derive from); by default the runs' common seed,
   * or {@code null} when they differ.
   *
   * @param suiteSeed the seed
   * @return this report
   */
  public synchronized SuiteReport seed(long suiteSeed) {
    this.seed = suiteSeed;
    return this;
  }

  /**
   * Says whether the suite ran deterministically; by default, whether every run did.
   *
   * @param value whether the suite ran deterministically
   * @return this report
   */
  public synchronized SuiteReport deterministic(boolean value) {
    this.deterministic = value;
    return this;
  }

  /**
   * Sets the command that replays the whole suite (default: none; each run has its own).
   *
   * @param command a shell command
   * @return this report
   */
  public synchronized SuiteReport replay(String command) {
    this.replay = Objects.requireNonNull(command, "command");
    return this;
  }

  /**
   * Adds a run.
   *
   * @param result the run's result
   * @return this report
   */
  public SuiteReport add(StressResult result) {
    Objects.requireNonNull(result, "result");
    return update(result, r -> r);
  }

  /**
   * Adds a run with the open load it drove: latency percentiles from each operation's intended
   * start, late starts and the load's accounting, and throughput and latency over time from its
   * intervals. Rewrites the run's folder with them.
   *
   * @param result the run's result
   * @param load what the open load saw
   * @return this report
   */
  public SuiteReport add(StressResult result, LoadResult load) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(load, "load");
    return update(result, r -> LoadReport.withOpen(r, load, null));
  }

  /**
   * Adds a run with the open load it drove and the p99 bound it was held to (drawn in the latency
   * chart as a threshold). Rewrites the run's folder.
   *
   * @param result the run's result
   * @param load what the open load saw
   * @param p99Bound the bound on the 99th percentile latency
   * @return this report
   */
  public SuiteReport add(StressResult result, LoadResult load, Duration p99Bound) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(load, "load");
    Objects.requireNonNull(p99Bound, "p99Bound");
    return update(result, r -> LoadReport.withOpen(r, load, p99Bound));
  }

  /**
   * Adds a run with its closed-model latency (percentiles over the whole run). Rewrites the run's
   * folder.
   *
   * @param result the run's result
   * @param load the closed load its actors were timed by
   * @return this report
   */
  public SuiteReport add(StressResult result, ClosedLoad load) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(load, "load");
    return update(result, r -> LoadReport.withClosed(r, load));
  }

  /**
   * Adds a run with the saturation search it ran: every step and the knee. Rewrites the run's
   * folder.
   *
   * @param result the run's result
   * @param search what the search found
   * @return this report
   */
  public SuiteReport add(StressResult result, SaturationResult search) {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(search, "search");
    return update(result, r -> LoadReport.withSaturation(r, search));
  }

  private synchronized SuiteReport update(
      StressResult result, UnaryOperator<Map<String, Object>> change) {
    Entry entry = null;
    for (Entry e : entries) {
      if (e.result == result) {
        entry = e;
      }
    }
    if (entry == null) {
      entry = new Entry(result, result.report());
      entries.add(entry);
    }
    Map<String, Object> before = entry.report;
    entry.report = change.apply(before);
    if (entry.report != before) {
      RunReport.render(result.folder(), entry.report, Map.of());
    }
    return this;
  }

  /**
   * Returns whether the suite passed: at least one run, and every run passed.
   *
   * @return whether every run passed
   */
  public synchronized boolean passed() {
    return !entries.isEmpty() && entries.stream().allMatch(e -> e.result.passed());
  }

  /**
   * Returns the runs added so far, in order.
   *
   * @return a copy
   */
  public synchronized List<StressResult> results() {
    return entries.stream().map(e -> e.result).toList();
  }

  /**
   * Returns the suite's trace hash: the runs' trace hashes combined in the order of their names.
   *
   * @return the combined hash; empty unless every run added was deterministic
   */
  public synchronized OptionalLong traceHash() {
    if (entries.isEmpty() || entries.stream().anyMatch(e -> e.result.traceHash().isEmpty())) {
      return OptionalLong.empty();
    }
    long h = 0xcbf29ce484222325L;
    for (Entry e :
        entries.stream()
            .sorted(
                Comparator.comparing((Entry x) -> x.result.run().name())
                    .thenComparingLong(x -> x.result.seed()))
            .toList()) {
      h = (h ^ e.result.traceHash().getAsLong()) * 0x100000001b3L;
    }
    return OptionalLong.of(h);
  }

  /**
   * Writes {@code report.json}, {@code report.md} and {@code report.html} into the suite's folder,
   * over the runs added so far.
   *
   * @return the folder
   * @throws java.io.UncheckedIOException if the folder cannot be written
   */
  public synchronized Path write() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("name", name);
    report.put("seed", seed != null ? seed : commonSeed());
    report.put(
        "deterministic",
        deterministic != null
            ? deterministic
            : !entries.isEmpty() && entries.stream().allMatch(e -> e.result.run().deterministic()));
    report.put("passed", passed());
    OptionalLong hash = traceHash();
    report.put("traceHash", hash.isPresent() ? hash.getAsLong() : null);
    report.put(
        "elapsedMillis",
        entries.stream().mapToLong(e -> e.result.run().elapsed().toMillis()).sum());
    report.put("ledger", ledger());
    report.put("replay", replay);
    List<Object> scenarios = new ArrayList<>();
    for (Entry e : entries) {
      scenarios.add(scenario(e));
    }
    report.put("scenarios", scenarios);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("report.md", SuiteMarkdown.render(report));
    files.put("report.html", SuiteHtml.render(report));
    Artifacts.write(folder, report, files);
    return folder;
  }

  private Map<String, Object> scenario(Entry e) {
    StressResult r = e.result;
    Map<String, Object> s = new LinkedHashMap<>(ReportFields.scenario(e.report));
    s.put("name", r.run().name());
    s.put("passed", r.passed());
    s.put("seed", r.seed());
    s.put("traceHash", r.traceHash().isPresent() ? r.traceHash().getAsLong() : null);
    s.put("folder", relative(r.folder()));
    s.put("elapsedMillis", r.run().elapsed().toMillis());
    s.put("ledger", e.report.get("ledger"));
    s.put("replay", r.replayCommand());
    s.put("series", e.report.get("series"));
    return s;
  }

  private @Nullable Map<String, Long> ledger() {
    Map<String, Long> sum = null;
    for (Entry e : entries) {
      Map<String, Object> one = ReportFields.map(e.report, "ledger");
      if (one == null) {
        continue;
      }
      if (sum == null) {
        sum = new LinkedHashMap<>();
      }
      for (String key : LEDGER_KEYS) {
        long value = one.get(key) instanceof Number n ? n.longValue() : 0;
        sum.merge(key, value, Long::sum);
      }
    }
    return sum;
  }

  private @Nullable Long commonSeed() {
    Long common = null;
    for (Entry e : entries) {
      if (common == null) {
        common = e.result.seed();
      } else if (common != e.result.seed()) {
        return null;
      }
    }
    return common;
  }

  private String relative(Path run) {
    Path base = folder.toAbsolutePath().normalize();
    Path abs = run.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }
}
