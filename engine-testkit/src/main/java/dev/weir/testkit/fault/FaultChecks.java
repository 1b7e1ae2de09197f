package dev.weir.testkit.fault;

import dev.weir.scheduler.GraphSnapshot;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checkers for runs with faults: the engine's own books must balance after every stop however many
 * nodes failed and restarted, and a restart policy must actually have restarted.
 *
 * <p>Thread-safety: stateless factories; the checkers they return are immutable.
 */
public final class FaultChecks {

  private FaultChecks() {}

  /**
   * Returns a checker that every stop's {@link dev.weir.scheduler.ShutdownReport#ledger()}
   * balanced: the engine accounted for every message its edges accepted (delivered, dropped,
   * evicted, coalesced, failed, dead-lettered or undelivered), through every failure and restart.
   *
   * @return INVALID naming the failing equations of the first unbalanced stop; UNKNOWN if no graph
   *     stopped
   */
  public static Checker balancedLedgers() {
    return run -> {
      if (run.incarnations().isEmpty()) {
        return CheckResult.unknown("no graph was stopped");
      }
      for (RunRecord.Incarnation inc : run.incarnations()) {
        if (!inc.report().balanced()) {
          return CheckResult.invalid(
              "graph "
                  + inc.index()
                  + "'s shutdown ledger does not balance: "
                  + inc.report().ledger().render());
        }
      }
      return CheckResult.valid(run.incarnations().size() + " shutdown ledgers, all balanced");
    };
  }

  /**
   * Returns a checker that a node was restarted by its error policy at least {@code atLeast} times
   * over the run's graphs (from their final snapshots).
   *
   * @param node the node's qualified name
   * @param atLeast the fewest restarts that pass; positive
   * @return INVALID with the count if fewer; UNKNOWN if no graph had such a node
   */
  public static Checker restarted(String node, long atLeast) {
    Objects.requireNonNull(node, "node");
    if (atLeast < 1) {
      throw new IllegalArgumentException("restarts to expect must be positive, was " + atLeast);
    }
    return run -> {
      long restarts = 0;
      List<String> seen = new ArrayList<>();
      for (RunRecord.Incarnation inc : run.incarnations()) {
        GraphSnapshot.NodeView view = inc.afterStop().node(node);
        if (view != null) {
          restarts += view.restarts();
          seen.add(inc.index() + ":" + view.state());
        }
      }
      if (seen.isEmpty()) {
        return CheckResult.unknown("no graph of the run has a node named '" + node + "'");
      }
      String detail =
          "'" + node + "' restarted " + restarts + " times (graph:final state " + seen + ")";
      return restarts >= atLeast
          ? CheckResult.valid(detail)
          : CheckResult.invalid(detail + ", expected at least " + atLeast);
    };
  }
}
