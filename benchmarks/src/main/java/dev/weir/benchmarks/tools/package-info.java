/**
 * The regression gate of the benchmarks: {@link dev.weir.benchmarks.tools.CompareBaseline} compares
 * a fresh JMH JSON result with the stored {@code benchmarks/baseline.json}, each Weir score
 * normalized by a peer measured in the same run, and updates the baseline on request. Not API.
 *
 * <p>Thread-safety: command-line tools; nothing here is shared between threads.
 */
package dev.weir.benchmarks.tools;
