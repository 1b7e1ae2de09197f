package dev.weir.scheduler;

/**
 * What a node is doing, as shown by {@link GraphSnapshot}.
 *
 * <p>Thread-safety: an enum, immutable.
 */
public enum NodeState {
  /** Started, nothing to do. */
  IDLE,
  /** Waiting in a ready queue. */
  READY,
  /** A worker is running one of its hooks. */
  RUNNING,
  /** Its outbox holds messages a full BLOCK edge refused; it waits for the consumer. */
  BLOCKED,
  /** Its inputs are exhausted and {@code onFinish} has run. */
  FINISHED,
  /** Stopped by shutdown (whether or not it had finished); {@code onStop} has run or will. */
  STOPPED,
  /** Stopped because a hook threw and its error policy said so. */
  FAILED
}
