package dev.weir.testkit;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;

/**
 * An invariant checked while a stress run's safety phase runs, at every sampling interval ({@link
 * StressTest#continuously}), not only once the run is over: a bound that holds at the end but was
 * broken in the middle (an edge deeper than its capacity, a counter that went backwards) is caught
 * when it happens, with the snapshot of that moment.
 *
 * <p>Thread-safety: called on the run's watch thread while actors and workers run, and once more on
 * the run's thread when the safety phase ends; never twice at once. What it reads of the test's own
 * state must be safe to read from another thread.
 */
@FunctionalInterface
public interface LiveInvariant {

  /**
   * Checks the invariant against one sample.
   *
   * @param graph the graph under test, as built by the run's factory (edge capacities, policies)
   * @param snapshot the running graph's snapshot, taken just before
   * @return VALID if it holds; INVALID (naming the edge, node or value) if it is broken; UNKNOWN if
   *     it cannot tell. Throwing counts as UNKNOWN, never as a pass.
   * @throws Exception anything; recorded as UNKNOWN with its stack trace
   */
  CheckResult check(Graph graph, GraphSnapshot snapshot) throws Exception;
}
