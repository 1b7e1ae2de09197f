package dev.weir.testkit;

/**
 * What one operation of an {@link Actor} amounted to. Anything an operation throws is not an
 * outcome but a failure: it stops the run and writes the failure artifacts.
 *
 * <p>Thread-safety: an enum.
 */
public enum Outcome {
  /** The operation did work that counts towards the run's operation budget. */
  COUNTED,
  /** The operation did nothing worth counting (e.g. an offer refused as BLOCKED, a no-op roll). */
  NOT_COUNTED,
  /**
   * The operation asks for the system under test to be reset: the runner stops the running graph
   * and starts a fresh one before any actor performs its next operation.
   */
  RESET
}
