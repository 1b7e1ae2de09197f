/**
 * Fault injection for stress runs: {@link dev.weir.testkit.fault.Fault}s (throw at the k-th message
 * or with probability p, delay inside a hook, corrupt a {@link dev.weir.testkit.fault.Checksummed}
 * payload), a {@link dev.weir.testkit.fault.FaultPlan} that wraps nodes to inject them from a seed,
 * and the checkers that prove the faults were survived ({@link
 * dev.weir.testkit.fault.ChecksumVerifier}, {@link dev.weir.testkit.fault.FaultChecks}).
 *
 * <p>Give the plan to {@link dev.weir.testkit.StressTest#faults}: the run then has a safety phase
 * (faults on, the actors run) and a liveness phase (faults off, the graph must drain within a
 * bound), and reports each fault as {@code FIRED n} or {@code NOT_EXERCISED}; a fault that never
 * fired makes the run fail, never pass.
 */
@NullMarked
package dev.weir.testkit.fault;

import org.jspecify.annotations.NullMarked;
