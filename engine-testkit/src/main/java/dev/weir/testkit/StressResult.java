package dev.weir.testkit;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a stress run: whether it passed, every checker's verdict, the run seed and the
 * command that replays it, and where its artifacts are.
 *
 * <p>Thread-safety: immutable.
 */
public final class StressResult {

  private final RunRecord run;
  private final Map<String, CheckResult> checks;
  private final @Nullable String failure;
  private final @Nullable Long traceHash;
  private final Path folder;
  private final String replayCommand;
  // Set once by StressTest.run before the result is returned (and so published): the map
  // report.json was written from.
  private Map<String, Object> report = Map.of();
  private Map<String, String> attachments = Map.of();

  StressResult(
      RunRecord run,
      Map<String, CheckResult> checks,
      @Nullable String failure,
      @Nullable Long traceHash,
      Path folder,
      String replayCommand) {
    this.run = run;
    this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    this.failure = failure;
    this.traceHash = traceHash;
    this.folder = folder;
    this.replayCommand = replayCommand;
  }

  /**
   * Returns whether the run passed: no actor failed and every checker said VALID.
   *
   * @return whether the run passed
   */
  public boolean passed() {
    return failure == null && checks.values().stream().allMatch(CheckResult::passed);
  }

  /**
   * Returns the run seed.
   *
   * @return the seed
   */
  public long seed() {
    return run.seed();
  }

  /**
   * Returns what the run did.
   *
   * @return the run record the checkers saw
   */
  public RunRecord run() {
    return run;
  }

  /**
   * Returns each checker's result by name.
   *
   * @return an unmodifiable map
   */
  public Map<String, CheckResult> checks() {
    return checks;
  }

  /**
   * Returns one checker's result.
   *
   * @param checkName the name the checker was added under
   * @return its result
   * @throws IllegalArgumentException if no checker has that name; the message lists the names
   */
  public CheckResult check(String checkName) {
    CheckResult result = checks.get(Objects.requireNonNull(checkName, "checkName"));
    if (result == null) {
      throw new IllegalArgumentException(
          "no checker named '" + checkName + "'; the run has " + checks.keySet());
    }
    return result;
  }

  /**
   * Returns the failure that stopped the run early, if any: an actor that threw, a graph that did
   * not start or stop.
   *
   * @return the failure's description with its stack trace
   */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the trace hash of a deterministic run: equal for two runs with the same seed.
   *
   * @return the last graph's trace hash before its stop; empty for a run on several threads
   */
  public OptionalLong traceHash() {
    return traceHash == null ? OptionalLong.empty() : OptionalLong.of(traceHash);
  }

  /**
   * Returns the run's folder: {@code report.json}, {@code report.md} and {@code report.html}
   * always, and on failure the other artifacts.
   *
   * @return the folder
   */
  public Path folder() {
    return folder;
  }

  /**
   * Returns the command that replays this run.
   *
   * @return a shell command, runnable from the repository's root
   */
  public String replayCommand() {
    return replayCommand;
  }

  /** The map {@code report.json} was written from; set by the run before it returns this. */
  Map<String, Object> report() {
    return report;
  }

  void report(Map<String, Object> written) {
    this.report = written;
  }

  /**
   * Returns the banner printed at the end of the run: verdict, seed, checks and replay command.
   *
   * @return a multi-line summary
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("stress test '")
        .append(run.name())
        .append("' ")
        .append(passed() ? "PASSED" : "FAILED")
        .append(" (seed ")
        .append(run.seed())
        .append(", ")
        .append(run.operations())
        .append(" operations in ")
        .append(run.elapsed().toMillis())
        .append(" ms, ")
        .append(run.incarnations().size())
        .append(" graphs)\n");
    if (failure != null) {
      sb.append("  failure: ").append(failure.strip().replace("\n", "\n    ")).append('\n');
    }
    for (Map.Entry<String, CheckResult> check : checks.entrySet()) {
      sb.append("  ")
          .append(check.getValue().verdict())
          .append(' ')
          .append(check.getKey())
          .append(": ")
          .append(check.getValue().detail())
          .append('\n');
    }
    sb.append("  artifacts: ").append(folder.toAbsolutePath()).append('\n');
    sb.append("  replay: ").append(replayCommand);
    return sb.toString();
  }

  /**
   * Throws unless the run passed, with the {@link #summary} as message: the line a test ends with.
   *
   * @throws AssertionError if the run failed
   */
  public void assertPassed() {
    if (!passed()) {
      throw new AssertionError(summary());
    }
  }

  @Override
  public String toString() {
    return summary();
  }

  /** Sets the failure folder's extra files (watchdog, invariants, log tail); run's thread only. */
  void attach(Map<String, String> files) {
    this.attachments = Map.copyOf(files);
  }

  /** The failure folder's extra files, name to content. */
  Map<String, String> attachments() {
    return attachments;
  }
}
