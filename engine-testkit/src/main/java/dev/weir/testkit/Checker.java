package dev.weir.testkit;

/**
 * Decides whether a finished run kept a property. Checkers run once, after the last graph of the
 * run has stopped, on the {@link RunRecord}. A checker that throws or returns {@code null} is
 * recorded as {@link Verdict#UNKNOWN}, never as a pass.
 *
 * <p>Thread-safety: called from the thread that runs the stress test, after every actor stopped;
 * whatever the checker reads was written before the actors' threads were joined.
 */
@FunctionalInterface
public interface Checker {

  /**
   * Checks the run.
   *
   * @param run what the run did
   * @return the verdict with its explanation
   * @throws Exception if the checker cannot decide: recorded as UNKNOWN with the exception's text
   */
  CheckResult check(RunRecord run) throws Exception;
}
