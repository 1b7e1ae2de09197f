/**
 * Load for stress tests: {@link dev.weir.testkit.load.LoadProfile}s (constant, ramp, step, spike,
 * sine), the open model {@link dev.weir.testkit.load.OpenLoad} (arrivals at a rate, latency from
 * each operation's intended start, so coordinated omission is corrected; HdrHistogram), the closed
 * model's latency {@link dev.weir.testkit.load.ClosedLoad} (N actors of a {@link
 * dev.weir.testkit.StressTest}, each waiting for its answer), and the {@link
 * dev.weir.testkit.load.SaturationSearch} for the highest rate a system sustains.
 */
@NullMarked
package dev.weir.testkit.load;

import org.jspecify.annotations.NullMarked;
