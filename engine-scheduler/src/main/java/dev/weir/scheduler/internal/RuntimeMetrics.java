package dev.weir.scheduler.internal;

/**
 * The runtime's measurement hooks. Without a meter registry the runtime uses {@link #DISABLED},
 * whose methods do nothing and return 0: the JIT inlines them away, so metrics that are off cost
 * nothing on the hot path (Caffeine's disabled stats counter pattern). Counters that already exist
 * (edge and node counters) are not recorded here at all: Micrometer reads them when scraped.
 *
 * <p>Thread-safety: implementations are called from every worker concurrently and must be
 * thread-safe.
 */
interface RuntimeMetrics {

  /** Metrics off. */
  RuntimeMetrics DISABLED = new RuntimeMetrics() {};

  /** A time stamp for a later {@code *Since} call; 0 when disabled. */
  default long now() {
    return 0;
  }

  /** An activation ran from {@code start} (from {@link #now()}) until now. */
  default void busySince(NodeCell cell, long start) {}

  /** A cell waited in a ready queue from {@code queuedAt} (from {@link #now()}) until now. */
  default void queueWaitSince(long queuedAt) {}

  /** A tick fired this late. */
  default void tickLateness(long nanos) {}

  /** A CONTROL message created at {@code createdNanos} (graph clock) reached {@code onMessage}. */
  default void controlDeliveredSince(long createdNanos) {}

  /** Unregisters whatever was registered; called once the graph has stopped. */
  default void close() {}
}
