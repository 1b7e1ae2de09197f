package dev.weir.scheduler;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What {@link RunningGraph#stop} did: per edge, what was delivered, discarded and left undelivered,
 * and whether the timeout fired. Messages counted as undelivered were passed to the dead-letter
 * handler with reason {@link DeadLetter.Reason#SHUTDOWN_UNDELIVERED} (left at the timeout), {@link
 * DeadLetter.Reason#CONSUMER_STOPPED} (their consumer stopped by its error policy) or {@link
 * DeadLetter.Reason#PRODUCER_FAILED} (still in a failed producer's outbox): see {@link
 * EdgeOutcome#undelivered()}.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param graph the graph name
 * @param timedOut whether draining did not finish within the timeout
 * @param elapsed how long the shutdown took on the graph clock; wall-clock time when the graph runs
 *     on a {@link VirtualClock}, which does not move by itself
 * @param edges per edge, ingress edges first
 * @param nodes each node's final state, in topological order
 * @param deadLetters how many dead letters the graph produced in its whole run
 * @param stopFailures what went wrong during the stop, one line each, starting with the node's
 *     name: a node whose {@code onStop} threw ("onStop threw", with the exception's text); a node
 *     still inside a hook when the timeout and a short grace ran out ("still inside a hook"): such
 *     a node takes no more input, what is queued for it is counted here as undelivered, and is
 *     dead-lettered (and its {@code onStop} called, on its own worker) when the hook returns; and a
 *     worker that ended with a fatal error
 */
public record ShutdownReport(
    String graph,
    boolean timedOut,
    Duration elapsed,
    List<EdgeOutcome> edges,
    List<NodeOutcome> nodes,
    long deadLetters,
    List<String> stopFailures) {

  /**
   * One edge's totals at the end of the run.
   *
   * @param id the edge id
   * @param delivered messages handed to the consumer over the whole run
   * @param droppedByPolicy messages the edge's overflow policy took out: dropped, evicted or
   *     coalesced (not {@link dev.weir.core.EdgeStats#discarded()}, which counts queued messages
   *     removed at shutdown or when the consumer stopped: those are in {@code undelivered})
   * @param undelivered messages left undelivered and dead-lettered: still queued or parked when the
   *     run ended, or discarded because their consumer (or producer) stopped by its error policy,
   *     including those emitted to the edge after its consumer stopped; for a consumer stuck in a
   *     hook after a timeout, what its edge still holds
   */
  public record EdgeOutcome(String id, long delivered, long droppedByPolicy, long undelivered) {}

  /**
   * One node's final state.
   *
   * @param name the node name
   * @param state its final state
   * @param unrouted messages it emitted to an output port that has no edge: discarded, and counted
   *     only here and in {@link GraphSnapshot.NodeView#unrouted()} (the first one is logged)
   */
  public record NodeOutcome(String name, NodeState state, long unrouted) {}

  /**
   * Returns the total number of messages left undelivered on all edges.
   *
   * @return the sum of {@link EdgeOutcome#undelivered()}
   */
  public long undelivered() {
    return edges.stream().mapToLong(EdgeOutcome::undelivered).sum();
  }

  /**
   * Renders the report for logs and the console.
   *
   * @return a multi-line description
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("shutdown of '").append(graph).append("': ");
    sb.append(timedOut ? "TIMED OUT" : "clean").append(" in ").append(elapsed.toMillis());
    sb.append(" ms, dead letters: ").append(deadLetters).append('\n');
    int idWidth = 1;
    for (EdgeOutcome e : edges) {
      idWidth = Math.max(idWidth, e.id().length()); // nested subgraphs make long ids
    }
    for (EdgeOutcome e : edges) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-" + idWidth + "s  delivered=%d droppedByPolicy=%d undelivered=%d%n",
              e.id(),
              e.delivered(),
              e.droppedByPolicy(),
              e.undelivered()));
    }
    for (NodeOutcome n : nodes) {
      sb.append("  node ").append(n.name()).append(": ").append(n.state());
      if (n.unrouted() > 0) {
        sb.append(", unrouted=").append(n.unrouted());
      }
      sb.append('\n');
    }
    for (String failure : stopFailures) {
      sb.append("  stop problem: ").append(failure).append('\n');
    }
    return sb.toString();
  }
}
