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
 */
public record ResourceSample(
    long elapsedNanos,
    long heapAfterGcBytes,
    long heapUsedBytes,
    long gcCount,
    long gcTimeMillis,
    int liveThreads,
    long processCpuNanos,
    long openFileDescriptors) {}
