package dev.weir.testkit;

import dev.weir.testkit.fault.FaultPlan;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The second phase of a run with faults: after the actors stopped, the faults are turned off and
 * the graph must drain (every edge empty, nothing running or blocked) within a bound. Its verdict
 * is the run's {@code liveness} check.
 *
 * <p>Thread-safety: {@link #run} and the checker are called by the run's own thread, one after the
 * other.
 */
final class LivenessPhase {

  private final Duration bound;
  private final @Nullable FaultPlan faults;
  private CheckResult result = CheckResult.unknown("the liveness phase did not run");

  LivenessPhase(Duration bound, @Nullable FaultPlan faults) {
    this.bound = bound;
    this.faults = faults;
  }

  /** Turns the faults off and waits for the graph to drain. */
  void run(Environment env) {
    if (faults != null) {
      faults.disarm();
    }
    long start = System.nanoTime();
    try {
      boolean drained = env.graph().awaitDrained(bound);
      long millis = (System.nanoTime() - start) / 1_000_000;
      result =
          drained
              ? CheckResult.valid(
                  "drained " + millis + " ms after the faults stopped (bound " + bound + ")")
              : CheckResult.invalid(
                  "the graph did not drain within "
                      + bound
                      + " after the faults stopped; its snapshot:\n"
                      + env.graph().snapshot().render());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      result = CheckResult.unknown("interrupted while waiting for the graph to drain");
    } catch (IllegalStateException e) {
      result = CheckResult.unknown("no graph ran when the liveness phase began: " + e.getMessage());
    }
  }

  Checker checker() {
    return run -> result;
  }
}
