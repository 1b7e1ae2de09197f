package dev.weir.stress;

import dev.weir.testkit.junit.SuiteScale;
import java.nio.file.Path;

/**
 * Where the scenarios of this module write their reports, and the scale they run at.
 *
 * <p>Every scenario's {@code StressTest} writes {@code report.json}, {@code report.md} and {@code
 * report.html} into its own folder under {@code tests-stress/target/weir-reports/}; a failed run
 * adds its artifacts (seed, replay command, snapshot, samples) beside them.
 *
 * <p>Thread-safety: stateless.
 */
final class StressReports {

  private StressReports() {}

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
