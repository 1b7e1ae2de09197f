package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.GraphEdge;
import dev.weir.core.GraphIngress;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.ShutdownReport;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conservation ledger of a run, checked edge by edge and for the whole graph: every message
 * offered to an edge was delivered, dropped, evicted, coalesced, is still queued, or went to the
 * dead-letter handler, and none was counted twice.
 *
 * <pre>
 * per edge     offered  = accepted + dropped + coalesced + blocked + failed + rejected + closed
 *              accepted = delivered + evicted + discarded + depth + controlDepth  (unaccounted == 0)
 *              highWaterMark &lt;= capacity
 * per graph    dead letters = sum over edges of (undelivered - left in place by a stuck consumer)
 *                           + sum over node-fed edges of (failed + rejected)
 *                           + messages whose processing threw (NODE_FAILED)
 * </pre>
 *
 * <p>Failure messages carry the snapshot (and the report and dead letters when given), so a broken
 * ledger shows which edge lost or duplicated what.
 */
final class Ledger {

  private Ledger() {}

  /**
   * Checks every edge's own ledger and bounds: what can be checked of a graph at quiescence or
   * after it stopped.
   */
  static void assertBalanced(Graph graph, GraphSnapshot snapshot) {
    Map<String, EdgeSpec> specs = specsById(graph);
    String context = snapshot.render();
    assertThat(snapshot.edges().stream().map(GraphSnapshot.EdgeView::id))
        .as("the snapshot lists every edge and ingress of the graph\n%s", context)
        .containsExactlyInAnyOrderElementsOf(specs.keySet());
    for (GraphSnapshot.EdgeView view : snapshot.edges()) {
      EdgeStats s = view.stats();
      EdgeSpec spec = specs.get(view.id());
      assertThat(s.unaccounted())
          .as(
              "edge %s: accepted - (delivered + evicted + discarded + depth + controlDepth) must be"
                  + " 0 (a message was lost or counted twice)\n%s",
              view.id(), context)
          .isZero();
      assertThat(s.highWaterMark())
          .as(
              "edge %s: high-water mark within capacity %d\n%s",
              view.id(), spec.capacity(), context)
          .isLessThanOrEqualTo(spec.capacity());
      assertThat(s.depth())
          .as("edge %s: depth within capacity\n%s", view.id(), context)
          .isBetween(0, spec.capacity());
      assertThat(s.controlDepth())
          .as("edge %s: CONTROL depth within the lane\n%s", view.id(), context)
          .isBetween(0, spec.controlCapacity());
    }
  }

  /**
   * Closes the books of a stopped graph: every edge balances, the report agrees with the final
   * snapshot, and the dead letters are exactly what the edges and the failed hooks account for,
   * each message at most once per edge.
   *
   * @param graph the graph that ran
   * @param after a snapshot taken after {@code stop} returned
   * @param report what {@code stop} returned
   * @param dead the recorder given to the scheduler
   * @param hookFailures how many messages a node hook threw on (each is dead-lettered NODE_FAILED)
   */
  static void assertClosed(
      Graph graph,
      GraphSnapshot after,
      ShutdownReport report,
      DeadLetterRecorder dead,
      long hookFailures) {
    assertBalanced(graph, after);
    String context = after.render() + report.render() + dead.describe();
    Set<String> ingressIds = new HashSet<>();
    for (GraphIngress ingress : graph.ingresses()) {
      ingressIds.add(ingress.id());
    }
    assertThat(report.edges().stream().map(ShutdownReport.EdgeOutcome::id))
        .as("the report lists the same edges as the snapshot\n%s", context)
        .containsExactlyElementsOf(after.edges().stream().map(GraphSnapshot.EdgeView::id).toList());
    boolean allClaimed = report.stopFailures().stream().noneMatch(f -> f.contains("still"));
    long expectedDeadLetters = hookFailures;
    for (ShutdownReport.EdgeOutcome outcome : report.edges()) {
      EdgeStats s = after.edge(outcome.id());
      assertThat(s).as("edge %s in the snapshot", outcome.id()).isNotNull();
      assertThat(outcome.delivered())
          .as("edge %s: the report's delivered count\n%s", outcome.id(), context)
          .isEqualTo(s.delivered());
      // An application may still offer to a closed ingress after the report: closed may grow.
      assertThat(outcome.stats())
          .as("edge %s: the report's counters are the edge's final ones\n%s", outcome.id(), context)
          .usingRecursiveComparison()
          .ignoringFields("closed")
          .isEqualTo(s);
      if (allClaimed) {
        assertThat(s.depth() + s.controlDepth())
            .as("edge %s: nothing is left queued after stop\n%s", outcome.id(), context)
            .isZero();
      }
      // A consumer stuck in a hook past the timeout keeps what its edge holds: counted as
      // undelivered, left in place, not dead-lettered. Every other edge is empty by now.
      expectedDeadLetters += outcome.undelivered() - (s.depth() + s.controlDepth());
      if (!ingressIds.contains(outcome.id())) {
        // An ingress hands these outcomes back to its caller; a node's context dead-letters them
        // (CLOSED ones are in undelivered already: the consumer had stopped).
        expectedDeadLetters += s.failed() + s.rejected();
      }
    }
    assertThat(report.deadLetters())
        .as("the report counts every dead letter the handler received\n%s", context)
        .isEqualTo(dead.count());
    assertThat(report.ledger().discrepancies())
        .as("the report's own ledger (docs/architecture.md, Accounting)\n%s", context)
        .isEmpty();
    assertThat((long) dead.count())
        .as(
            "dead letters = undelivered + failed/rejected offers of nodes + %d failed hooks\n%s",
            hookFailures, context)
        .isEqualTo(expectedDeadLetters);
    assertNoneTwice(dead.all(), context);
  }

  /**
   * No message is dead-lettered twice on the same edge (a fan-out shares instances across edges).
   */
  private static void assertNoneTwice(List<DeadLetter> letters, String context) {
    Map<String, Set<Object>> seen = new HashMap<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (DeadLetter d : letters) {
      Set<Object> onEdge =
          seen.computeIfAbsent(
              String.valueOf(d.edgeId()), e -> Collections.newSetFromMap(new IdentityHashMap<>()));
      if (!onEdge.add(d.message())) {
        duplicates.add(d.reason() + " " + d.edgeId() + " " + d.message());
      }
    }
    assertThat(duplicates).as("messages dead-lettered twice\n%s", context).isEmpty();
  }

  private static Map<String, EdgeSpec> specsById(Graph graph) {
    Map<String, EdgeSpec> specs = new HashMap<>();
    for (GraphEdge edge : graph.edges()) {
      specs.put(edge.id(), edge.spec());
    }
    for (GraphIngress ingress : graph.ingresses()) {
      specs.put(ingress.id(), ingress.spec());
    }
    return specs;
  }
}
