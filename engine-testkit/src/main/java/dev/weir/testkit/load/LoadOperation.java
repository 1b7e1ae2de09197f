package dev.weir.testkit.load;

/**
 * One operation of an {@link OpenLoad}: called by the load's driver thread at (or, when the system
 * under test fell behind, after) the operation's intended start time.
 *
 * <p>Thread-safety: called from the driver thread only, one operation at a time.
 */
@FunctionalInterface
public interface LoadOperation {

  /**
   * What an operation amounted to when it returned.
   *
   * <p>Thread-safety: an enum.
   */
  enum Status {
    /** Finished: its latency is taken now, from its intended start. */
    DONE,
    /**
     * Handed on (e.g. offered to an ingress): it finishes when something, typically a sink, calls
     * {@link OpenLoad#complete(long)} with its intended start; one that never does is lost.
     */
    PENDING,
    /** Failed (e.g. an offer refused): counted as failed, no latency recorded. */
    FAILED
  }

  /**
   * Performs the operation. Anything thrown counts the operation as {@link Status#FAILED} (the
   * first such exception is kept in the result) and the load goes on.
   *
   * @param sequence the operation's number, from zero
   * @param intendedStartNanos when the operation should have started, on the load's clock ({@link
   *     System#nanoTime()} unless the load runs on a virtual clock); carry it to the sink for a
   *     {@link Status#PENDING} operation
   * @return what the operation amounted to
   * @throws Exception a failed operation
   */
  Status perform(long sequence, long intendedStartNanos) throws Exception;
}
