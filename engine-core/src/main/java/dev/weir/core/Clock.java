package dev.weir.core;

/**
 * A monotonic time source in nanoseconds. Message timestamps, tick cadence and latency figures all
 * come from the graph's clock, so a run on a virtual clock is reproducible.
 *
 * <p>Values only have meaning relative to each other (like {@link System#nanoTime()}), never as
 * wall-clock time. Thread-safety: implementations must be safe to read from any thread.
 */
@FunctionalInterface
public interface Clock {

  /**
   * Returns the current time of this clock.
   *
   * @return nanoseconds since an arbitrary, fixed origin; never decreases
   */
  long nanoTime();

  /**
   * Returns the clock backed by {@link System#nanoTime()}.
   *
   * @return the shared system clock
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
