package dev.weir.testkit;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.GraphEdge;
import dev.weir.core.GraphIngress;
import dev.weir.testkit.internal.ShutdownReading;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Ready-made checkers that need no recorder. The ledger and order checkers come from {@link
 * ConservationLedger#checker()} and {@link DeliveryOrder}; resource growth from {@link
 * LeakDetector#checker()}.
 *
 * <p>Thread-safety: stateless factories; the checkers they return are immutable.
 */
public final class Checkers {

  private Checkers() {}

  /**
   * Returns a checker of a custom invariant of the run.
   *
   * @param description what must hold, in words: the detail of the verdict
   * @param holds the invariant
   * @return a checker: VALID if {@code holds} returns {@code true}, INVALID if {@code false},
   *     UNKNOWN if it throws
   */
  public static Checker invariant(String description, Predicate<RunRecord> holds) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(holds, "holds");
    return run ->
        holds.test(run)
            ? CheckResult.valid(description)
            : CheckResult.invalid("broken: " + description);
  }

  /**
   * Returns a checker that every stop of the run (each reset's and the last) was clean: it did not
   * time out and reported no stop failure.
   *
   * @return the checker
   */
  public static Checker cleanShutdown() {
    return run -> {
      List<String> problems = new ArrayList<>();
      for (RunRecord.Incarnation inc : run.incarnations()) {
        problems.addAll(ShutdownReading.problems(inc.report()));
      }
      if (run.incarnations().isEmpty()) {
        return CheckResult.unknown("no graph was stopped");
      }
      return problems.isEmpty()
          ? CheckResult.valid(run.incarnations().size() + " stops, all clean")
          : CheckResult.invalid(String.join("; ", problems));
    };
  }

  /**
   * Returns a live invariant that every edge's depth stays within its capacity: DATA depth and the
   * high-water mark at most the edge's capacity, CONTROL depth at most its CONTROL lane's. Add it
   * with {@code continuously("bounded depth", Checkers.boundedDepth())}.
   *
   * <p>Capacity is a hard bound on every policy, COALESCE included: a merged DATA message its
   * consumer holds back so that a CONTROL message goes first keeps its slot until it is delivered
   * (docs/architecture.md, "CONTROL before DATA"), so any reading over capacity is INVALID.
   *
   * @return the invariant
   */
  public static LiveInvariant boundedDepth() {
    return (graph, snapshot) -> {
      List<String> broken = new ArrayList<>();
      int edges = 0;
      for (GraphEdge e : graph.edges()) {
        EdgeStats stats = snapshot.edge(e.id());
        if (stats != null) {
          edges++;
          depthProblems(e.id(), e.spec(), stats, broken);
        }
      }
      for (GraphIngress i : graph.ingresses()) {
        EdgeStats stats = snapshot.edge(i.id());
        if (stats != null) {
          edges++;
          depthProblems(i.id(), i.spec(), stats, broken);
        }
      }
      if (edges == 0) {
        return CheckResult.unknown("no edge of graph '" + graph.name() + "' in the snapshot");
      }
      if (!broken.isEmpty()) {
        return CheckResult.invalid(String.join("; ", broken));
      }
      return CheckResult.valid(edges + " edges within capacity");
    };
  }

  /** Adds what is wrong with one edge's reading to {@code broken}. */
  private static void depthProblems(String id, EdgeSpec spec, EdgeStats s, List<String> broken) {
    int capacity = spec.capacity();
    if (s.depth() > capacity) {
      broken.add(
          "edge '"
              + id
              + "' ("
              + spec.policy().kind()
              + ", capacity "
              + capacity
              + ") read depth "
              + s.depth());
    }
    if (s.highWaterMark() > capacity) {
      broken.add(
          "edge '" + id + "' (capacity " + capacity + ") has high-water mark " + s.highWaterMark());
    }
    if (s.controlDepth() > spec.controlCapacity()) {
      broken.add(
          "edge '"
              + id
              + "' (CONTROL lane "
              + spec.controlCapacity()
              + ") read CONTROL depth "
              + s.controlDepth());
    }
  }
}
