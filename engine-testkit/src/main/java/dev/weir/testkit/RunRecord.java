package dev.weir.testkit;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a finished run did: every incarnation of the graph (one per reset, plus the first) with its
 * snapshots and shutdown report, the operations counted and the resource samples. What {@link
 * Checker}s decide on.
 *
 * <p>Thread-safety: an immutable record (the lists are unmodifiable copies).
 *
 * @param name the stress test's name
 * @param seed the run seed
 * @param deterministic whether the run was driven in deterministic mode
 * @param operations the operations counted (outcome {@link Outcome#COUNTED}) over all actors
 * @param elapsed the run's wall-clock duration, from the first operation to the last stop
 * @param incarnations the graphs that ran, in order; the last one ran until the exit criteria
 * @param resources the resource monitor's samples, oldest first
 */
public record RunRecord(
    String name,
    long seed,
    boolean deterministic,
    long operations,
    Duration elapsed,
    List<Incarnation> incarnations,
    List<ResourceSample> resources) {

  /**
   * Copies the lists.
   *
   * @param name the stress test's name
   * @param seed the run seed
   * @param deterministic whether the run was driven in deterministic mode
   * @param operations the operations counted
   * @param elapsed the run's duration
   * @param incarnations the graphs that ran
   * @param resources the resource samples
   * @throws NullPointerException if a reference component is null, naming it
   */
  public RunRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(elapsed, "elapsed");
    incarnations = List.copyOf(Objects.requireNonNull(incarnations, "incarnations"));
    resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
  }

  /**
   * Returns the last incarnation: the graph that ran until the exit criteria.
   *
   * @return the last incarnation
   * @throws IllegalStateException if no graph ran (the first start failed)
   */
  public Incarnation last() {
    if (incarnations.isEmpty()) {
      throw new IllegalStateException("run '" + name + "' started no graph");
    }
    return incarnations.get(incarnations.size() - 1);
  }

  /**
   * One graph's life within the run, from its start to its stop.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param index 0 for the first graph, then one more per reset
   * @param graph the graph that ran
   * @param beforeStop a snapshot taken just before the stop (its {@code traceHash} is the one that
   *     deterministic runs compare)
   * @param afterStop a snapshot taken after the stop returned: final counters
   * @param report what the stop returned
   */
  public record Incarnation(
      int index,
      Graph graph,
      GraphSnapshot beforeStop,
      GraphSnapshot afterStop,
      ShutdownReport report) {

    /**
     * Checks the components.
     *
     * @param index the {@link #index()} component
     * @param graph the {@link #graph()} component
     * @param beforeStop the {@link #beforeStop()} component
     * @param afterStop the {@link #afterStop()} component
     * @param report the {@link #report()} component
     * @throws NullPointerException if a reference component is null, naming it
     */
    public Incarnation {
      Objects.requireNonNull(graph, "graph");
      Objects.requireNonNull(beforeStop, "beforeStop");
      Objects.requireNonNull(afterStop, "afterStop");
      Objects.requireNonNull(report, "report");
    }
  }
}
