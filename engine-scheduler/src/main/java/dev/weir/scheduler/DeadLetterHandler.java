package dev.weir.scheduler;

/**
 * Receives every {@link DeadLetter}. The default handler logs each at WARN and counts it.
 *
 * <p>Thread-safety: called from worker threads and from the thread calling {@code stop}, possibly
 * concurrently; implementations must be thread-safe and should be fast. An exception thrown here is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface DeadLetterHandler {

  /**
   * Handles one dead letter.
   *
   * @param deadLetter the undeliverable message with its context
   */
  void accept(DeadLetter deadLetter);
}
