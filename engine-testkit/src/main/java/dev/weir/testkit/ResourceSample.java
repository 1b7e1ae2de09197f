package dev.weir.testkit;

/**
 * One reading of the process's resources by a {@link ResourceMonitor}.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param elapsedNanos time since the monitor started
 * @param heapAfterGcBytes heap in use right after the latest garbage collection (from the GC's own
 *     report of each heap pool after it ran), or {@code -1} before the first collection; unlike
 *     used heap, this is what a leak makes grow
 * @param heapUsedBytes heap in use now, garbage included
 * @param gcCount collections so far, over all collectors
 * @param gcTimeMillis time spent collecting so far, over all collectors
 * @param liveThreads live threads now
 * @param processCpuNanos CPU time the process used so far, or {@code -1} where the JVM does not say
 * @param openFileDescriptors open file descriptors now, or {@code -1} where the JVM does not say
 *     (non-Unix systems)
 * @param allocatedBytes heap allocated since the monitor started, over every thread (including
 *     threads that have ended), from the collectors' accounting: the growth of the heap between one
 *     collection's end and the next one's start, plus the growth since the last collection; {@code
 *     -1} where unknown. Never decreases from one sample to the next.
 */
public record ResourceSample(
    long elapsedNanos,
    long heapAfterGcBytes,
    long heapUsedBytes,
    long gcCount,
    long gcTimeMillis,
    int liveThreads,
    long processCpuNanos,
    long openFileDescriptors,
    long allocatedBytes) {

  /**
   * Makes a sample without an allocation reading ({@link #allocatedBytes()} is {@code -1}).
   *
   * @param elapsedNanos the {@link #elapsedNanos()} component
   * @param heapAfterGcBytes the {@link #heapAfterGcBytes()} component
   * @param heapUsedBytes the {@link #heapUsedBytes()} component
   * @param gcCount the {@link #gcCount()} component
   * @param gcTimeMillis the {@link #gcTimeMillis()} component
   * @param liveThreads the {@link #liveThreads()} component
   * @param processCpuNanos the {@link #processCpuNanos()} component
   * @param openFileDescriptors the {@link #openFileDescriptors()} component
   */
  public ResourceSample(
      long elapsedNanos,
      long heapAfterGcBytes,
      long heapUsedBytes,
      long gcCount,
      long gcTimeMillis,
      int liveThreads,
      long processCpuNanos,
      long openFileDescriptors) {
    this(
        elapsedNanos,
        heapAfterGcBytes,
        heapUsedBytes,
        gcCount,
        gcTimeMillis,
        liveThreads,
        processCpuNanos,
        openFileDescriptors,
        -1);
  }

  /**
   * Returns the allocation rate between an earlier sample and this one.
   *
   * @param earlier a sample taken before this one by the same monitor
   * @return bytes allocated per second in between, or {@code -1} if either reading is unknown or no
   *     time passed
   */
  public double allocationRateSince(ResourceSample earlier) {
    long nanos = elapsedNanos - earlier.elapsedNanos;
    if (allocatedBytes < 0 || earlier.allocatedBytes < 0 || nanos <= 0) {
      return -1;
    }
    return (allocatedBytes - earlier.allocatedBytes) * 1e9 / nanos;
  }
}
