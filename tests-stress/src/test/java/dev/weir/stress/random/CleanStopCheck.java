package dev.weir.stress.random;

import dev.weir.scheduler.ShutdownReport;
import org.jspecify.annotations.Nullable;

/**
 * "clean stop": the case never stalled (the {@link NoProgressDetector} saw counters move until the
 * graph drained), {@code stop} did not time out and reported no stop failure, the graph says it is
 * no longer running, and none of its worker threads is alive. Guards against hangs (lost wake-ups,
 * a deadlock between BLOCK edges and an outbox), a shutdown that gives up, and leaked workers.
 */
final class CleanStopCheck implements CaseCheck {

  @Override
  public String name() {
    return "clean stop";
  }

  @Override
  public @Nullable String violation(CaseRun run) {
    if (run.hang() != null) {
      return "the graph stopped making progress while " + run.hang();
    }
    ShutdownReport report = run.report();
    if (report == null) {
      return "stop() returned no report";
    }
    if (report.timedOut()) {
      return "stop timed out: " + report.stopFailures();
    }
    if (!report.stopFailures().isEmpty()) {
      return "stop reported failures: " + report.stopFailures();
    }
    if (run.stillRunning()) {
      return "the graph says it is still running after stop returned";
    }
    if (!run.threadsLeft().isEmpty()) {
      return "worker threads still alive after stop returned: " + run.threadsLeft();
    }
    return null;
  }
}
