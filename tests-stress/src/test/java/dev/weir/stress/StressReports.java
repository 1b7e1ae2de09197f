package dev.weir.stress;

import dev.weir.testkit.StressResult;
import dev.weir.testkit.SuiteReport;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.load.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where the scenarios of this module write their reports, and the scale they run at.
 *
 * <p>Every scenario's {@code StressTest} writes {@code report.json}, {@code report.md} and {@code
 * report.html} into its own folder under {@code tests-stress/target/weir-reports/}; a failed run
 * adds its artifacts (seed, replay command, snapshot, samples) beside them.
 *
 * <p>{@link #record} also adds the run to the suite's own report, {@code
 * target/weir-reports/report.{json,md,html}}: one line per scenario run in this JVM, rewritten
 * after every run so that it is current even if a later scenario kills the JVM.
 *
 * <p>Thread-safety: thread-safe ({@link SuiteReport} locks itself).
 */
final class StressReports {

  private static final SuiteReport SUITE =
      SuiteReport.in(root()).name("tests-stress, " + SuiteScale.current() + " scale");

  private StressReports() {}

  /**
   * Adds a finished run to the suite report and rewrites it.
   *
   * @param result the run, passed or failed
   * @return {@code result}, to chain {@code assertPassed()}
   */
  static StressResult record(StressResult result) {
    SUITE.add(result);
    SUITE.write();
    return result;
  }

  /**
   * Adds a finished run with the open load it drove (latency percentiles from each operation's
   * intended start, and latency over time) to the suite report, rewrites the run's folder and the
   * suite report.
   *
   * @param result the run, passed or failed
   * @param load what the open load saw, or null if it never finished (the run is added alone)
   * @param p99Bound the p99 budget drawn in the latency chart, or null when none is checked
   * @return {@code result}, to chain {@code assertPassed()}
   */
  static StressResult record(
      StressResult result, @Nullable LoadResult load, @Nullable Duration p99Bound) {
    if (load == null) {
      SUITE.add(result);
    } else if (p99Bound == null) {
      SUITE.add(result, load);
    } else {
      SUITE.add(result, load, p99Bound);
    }
    SUITE.write();
    return result;
  }

  /**
   * Returns the reports root: {@code target/weir-reports}, relative to the module (Surefire runs
   * tests in the module's folder).
   */
  static Path root() {
    return Path.of("target", "weir-reports");
  }

  /** Returns the scale of this run; see {@link SuiteScale} for how the build decides it. */
  static SuiteScale scale() {
    return SuiteScale.current();
  }
}
