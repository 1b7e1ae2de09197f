package dev.weir.scheduler;

/**
 * Receives every {@link DeadLetter}. The default handler logs each at WARN on the logger {@code
 * dev.weir.deadletters}: one line naming the node and its role (consumer, or producer for {@link
 * DeadLetter.Reason#PRODUCER_FAILED}), the edge and the edge's other end, with SLF4J key/value
 * pairs ({@code graph}, {@code node}, {@code edge}, {@code producer}, {@code consumer}, {@code
 * reason}, {@code traceId}). Whatever the handler, the engine counts every dead letter by edge,
 * node and reason before calling it, for {@link ShutdownReport}.
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
