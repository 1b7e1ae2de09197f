package dev.weir.testkit.load;

/**
 * What one reporting interval of an {@link OpenLoad} saw. Offsets are from the start of the run;
 * latencies are from each operation's intended start (corrected for coordinated omission).
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param startNanos where the interval starts, nanoseconds after the start of the run
 * @param endNanos where it ends
 * @param targetRate the profile's rate at the interval's start, operations per second
 * @param started operations started in the interval
 * @param completed operations that finished in the interval (latency recorded)
 * @param p50Nanos the median latency of those, 0 when none finished
 * @param p99Nanos their 99th percentile latency
 * @param maxNanos their largest latency
 */
public record LoadInterval(
    long startNanos,
    long endNanos,
    double targetRate,
    long started,
    long completed,
    long p50Nanos,
    long p99Nanos,
    long maxNanos) {

  /**
   * The completions per second over the interval.
   *
   * @return throughput, operations per second
   */
  public double throughputPerSecond() {
    long length = endNanos - startNanos;
    return length <= 0 ? 0 : completed * 1e9 / length;
  }
}
