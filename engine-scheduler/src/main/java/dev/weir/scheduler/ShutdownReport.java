package dev.weir.scheduler;

import dev.weir.core.EdgeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RunningGraph#stop} did, with the books of the whole run: per edge, every outcome its
 * messages had (delivered, dropped, evicted, coalesced, failed and rejected with their dead-letter
 * reasons, undelivered), per node its dead letters by reason, and a {@link #ledger() ledger} that
 * checks the accounting equations of docs/architecture.md ("Accounting") on these numbers alone, so
 * a run reconciles without a custom {@link DeadLetterHandler}.
 *
 * <p>When the drain timed out with a node still inside a hook, what that node's edges still hold is
 * counted as undelivered and reported as pending ({@link Ledger#pending()}): it is dead-lettered
 * when the hook returns, after this report.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param graph the graph name
 * @param timedOut whether draining did not finish within the timeout
 * @param elapsed how long the shutdown took on the graph clock; wall-clock time when the graph runs
 *     on a {@link VirtualClock}, which does not move by itself
 * @param edges per edge, ingress edges first
 * @param nodes each node's final state, in topological order
 * @param deadLetters how many dead letters the graph produced in its whole run, up to this report
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

  /** Dead-letter reasons of messages an edge accepted, or its producer parked, but never handed. */
  private static final List<DeadLetter.Reason> UNDELIVERED_REASONS =
      List.of(
          DeadLetter.Reason.CONSUMER_STOPPED,
          DeadLetter.Reason.SHUTDOWN_UNDELIVERED,
          DeadLetter.Reason.PRODUCER_FAILED);

  /**
   * Checks the arguments and copies the lists.
   *
   * @param graph see the record
   * @param timedOut see the record
   * @param elapsed see the record
   * @param edges see the record
   * @param nodes see the record
   * @param deadLetters see the record
   * @param stopFailures see the record
   * @throws NullPointerException if an argument is null, naming it
   */
  public ShutdownReport {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(elapsed, "elapsed");
    edges = List.copyOf(Objects.requireNonNull(edges, "edges"));
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    stopFailures = List.copyOf(Objects.requireNonNull(stopFailures, "stopFailures"));
  }

  /**
   * One edge's books at the end of the run. The edge's own counters are in {@link #stats()}; the
   * dead letters the engine made of its messages are in {@link #deadLetters()}, by reason. The
   * accessors name each outcome; docs/architecture.md ("Accounting") gives the equations that tie
   * them together, and {@link ShutdownReport#ledger()} checks them.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param id the edge id
   * @param producer the producing node's name, or {@code ingress:<name>} for an ingress edge
   * @param consumer the consuming node's name
   * @param fromIngress whether the application feeds this edge through an ingress: then the offers
   *     it failed, rejected or refused as closed were answered to the caller, not dead-lettered
   * @param stats the edge's counters when the report was made
   * @param deadLetters dead letters made of this edge's messages, by reason; reasons with none are
   *     absent
   * @param outboxDeadLettered messages the producer emitted to this edge but still held in its
   *     outbox (the edge had refused them for room) when it stopped by its error policy or the
   *     shutdown gave up: never accepted by the edge, so counted here, and dead-lettered ({@link
   *     DeadLetter.Reason#PRODUCER_FAILED} or {@link DeadLetter.Reason#SHUTDOWN_UNDELIVERED})
   */
  public record EdgeOutcome(
      String id,
      String producer,
      String consumer,
      boolean fromIngress,
      EdgeStats stats,
      Map<DeadLetter.Reason, Long> deadLetters,
      long outboxDeadLettered) {

    /**
     * Checks the arguments and copies the map, keeping only reasons with dead letters.
     *
     * @param id see the record
     * @param producer see the record
     * @param consumer see the record
     * @param fromIngress see the record
     * @param stats see the record
     * @param deadLetters see the record
     * @param outboxDeadLettered see the record
     * @throws NullPointerException if an argument is null, naming it
     */
    public EdgeOutcome {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(producer, "producer");
      Objects.requireNonNull(consumer, "consumer");
      Objects.requireNonNull(stats, "stats");
      deadLetters = nonZero(Objects.requireNonNull(deadLetters, "deadLetters"));
    }

    /**
     * Returns the messages handed to the consumer over the whole run.
     *
     * @return {@link EdgeStats#delivered()}
     */
    public long delivered() {
      return stats.delivered();
    }

    /**
     * Returns the incoming messages a full DROP edge discarded (lost by policy, counted).
     *
     * @return {@link EdgeStats#dropped()}
     */
    public long dropped() {
      return stats.dropped();
    }

    /**
     * Returns the queued messages a full LATEST edge evicted to make room (lost by policy).
     *
     * @return {@link EdgeStats#evicted()}
     */
    public long evicted() {
      return stats.evicted();
    }

    /**
     * Returns the incoming messages a COALESCE edge merged into a queued one: not lost, their
     * content travels on in the merged message.
     *
     * @return {@link EdgeStats#coalesced()}
     */
    public long coalesced() {
      return stats.coalesced();
    }

    /**
     * Returns the offers that failed: a full FAIL edge ({@link DeadLetter.Reason#OVERFLOW}) or a
     * COALESCE merge that failed ({@link DeadLetter.Reason#MERGE_FAILED}); see {@link
     * #deadLetters(DeadLetter.Reason)} for the split.
     *
     * @return {@link EdgeStats#failed()}
     */
    public long failed() {
      return stats.failed();
    }

    /**
     * Returns the offers the consumer's port refused (payload type or validator).
     *
     * @return {@link EdgeStats#rejected()}
     */
    public long rejected() {
      return stats.rejected();
    }

    /**
     * Returns the messages still queued (DATA and CONTROL lanes): after a stop, only on an edge
     * whose consumer is still inside a hook; they are dead-lettered when the hook returns.
     *
     * @return {@code stats.depth() + stats.controlDepth()}
     */
    public long queued() {
      return (long) stats.depth() + stats.controlDepth();
    }

    /**
     * Returns the dead letters made of this edge's messages for one reason.
     *
     * @param reason the reason
     * @return how many, 0 if none
     * @throws NullPointerException if {@code reason} is null
     */
    public long deadLetters(DeadLetter.Reason reason) {
      Objects.requireNonNull(reason, "reason");
      return deadLetters.getOrDefault(reason, 0L);
    }

    /**
     * Returns the messages meant for the consumer that it never got: discarded from the edge
     * because the consumer stopped or the shutdown ended ({@link EdgeStats#discarded()}), refused
     * because the consumer had stopped and closed the edge (node-fed edges: an ingress answers
     * those to its caller), dead-lettered from the producer's outbox ({@link
     * #outboxDeadLettered()}), and still {@link #queued()} for a consumer stuck in a hook.
     *
     * @return {@code discarded + closed (node-fed) + outboxDeadLettered + queued}
     */
    public long undelivered() {
      return stats.discarded() + refusedClosed() + outboxDeadLettered + queued();
    }

    /** Closed offers the engine dead-lettered (a node's emit); an ingress answers its caller. */
    private long refusedClosed() {
      return fromIngress ? 0 : stats.closed();
    }
  }

  /**
   * One node's final state and the dead letters attributed to it ({@link DeadLetter#node()}).
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param name the node name
   * @param state its final state
   * @param unrouted messages it emitted to an output port that has no edge: discarded, and counted
   *     only here and in {@link GraphSnapshot.NodeView#unrouted()} (the first one is logged)
   * @param deadLetters dead letters naming this node, by reason; reasons with none are absent
   * @param stuckIn the hook the node was still inside when the stop gave up waiting for it ({@code
   *     onMessage}, {@code onTick}, {@code onFinish}, {@code pull}, ...), or {@code null}
   */
  public record NodeOutcome(
      String name,
      NodeState state,
      long unrouted,
      Map<DeadLetter.Reason, Long> deadLetters,
      @Nullable String stuckIn) {

    /**
     * Checks the arguments and copies the map, keeping only reasons with dead letters.
     *
     * @param name see the record
     * @param state see the record
     * @param unrouted see the record
     * @param deadLetters see the record
     * @param stuckIn see the record
     * @throws NullPointerException if an argument other than {@code stuckIn} is null, naming it
     */
    public NodeOutcome {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
      deadLetters = nonZero(Objects.requireNonNull(deadLetters, "deadLetters"));
    }

    /**
     * A node that stopped with no dead letters and was not stuck in a hook.
     *
     * @param name the node name
     * @param state its final state
     * @param unrouted messages it emitted to an output port that has no edge
     */
    public NodeOutcome(String name, NodeState state, long unrouted) {
      this(name, state, unrouted, Map.of(), null);
    }

    /**
     * Returns the dead letters naming this node for one reason.
     *
     * @param reason the reason
     * @return how many, 0 if none
     * @throws NullPointerException if {@code reason} is null
     */
    public long deadLetters(DeadLetter.Reason reason) {
      Objects.requireNonNull(reason, "reason");
      return deadLetters.getOrDefault(reason, 0L);
    }
  }

  /**
   * The result of checking the accounting equations (docs/architecture.md, "Accounting") on a
   * report's numbers.
   *
   * <p>Thread-safety: an immutable record.
   *
   * @param discrepancies each equation that does not hold, with its numbers and the difference
   * @param pending counts that are not final yet, and why: a node still inside a hook after a timed
   *     out stop, whose queued input and outbox are dead-lettered when the hook returns
   * @param imbalance the sum of the absolute differences of the failing equations: 0 when balanced
   */
  public record Ledger(List<String> discrepancies, List<String> pending, long imbalance) {

    /**
     * Copies the lists.
     *
     * @param discrepancies see the record
     * @param pending see the record
     * @param imbalance see the record
     * @throws NullPointerException if an argument is null, naming it
     */
    public Ledger {
      discrepancies = List.copyOf(Objects.requireNonNull(discrepancies, "discrepancies"));
      pending = List.copyOf(Objects.requireNonNull(pending, "pending"));
    }

    /**
     * Returns whether every equation holds (counts that are pending included as they stand).
     *
     * @return {@code discrepancies().isEmpty()}
     */
    public boolean balanced() {
      return discrepancies.isEmpty();
    }

    /**
     * Renders the one-line verdict: {@code ledger: balanced}, with what is pending, or {@code
     * ledger: OFF by N} with each failing equation.
     *
     * @return one line, without a line break
     */
    public String render() {
      StringBuilder sb = new StringBuilder("ledger: ");
      if (balanced()) {
        sb.append("balanced");
      } else {
        sb.append("OFF by ").append(imbalance).append(": ");
        sb.append(String.join("; ", discrepancies));
      }
      if (!pending.isEmpty()) {
        sb.append(balanced() ? ", " : "; ").append("pending: ");
        sb.append(String.join("; ", pending));
      }
      return sb.toString();
    }
  }

  /**
   * Returns the total number of messages left undelivered on all edges.
   *
   * @return the sum of {@link EdgeOutcome#undelivered()}
   */
  public long undelivered() {
    return edges.stream().mapToLong(EdgeOutcome::undelivered).sum();
  }

  /**
   * Returns the dead letters of the whole run for one reason, summed over the edges.
   *
   * @param reason the reason
   * @return how many
   * @throws NullPointerException if {@code reason} is null
   */
  public long deadLetters(DeadLetter.Reason reason) {
    Objects.requireNonNull(reason, "reason");
    return edges.stream().mapToLong(e -> e.deadLetters(reason)).sum();
  }

  /**
   * Checks the accounting equations of docs/architecture.md ("Accounting") on this report's
   * numbers, exactly as written there; a failing one is named by its number there:
   *
   * <pre>
   * per edge   accepted = delivered + evicted + discarded + queued
   *            failed   = dead letters OVERFLOW + MERGE_FAILED       (an ingress: 0 dead letters)
   *            rejected = dead letters REJECTED                      (an ingress: 0 dead letters)
   *            dead letters CONSUMER_STOPPED + SHUTDOWN_UNDELIVERED + PRODUCER_FAILED
   *                     = discarded + closed (an ingress: 0) + outboxDeadLettered
   *            dead letters NODE_FAILED &lt;= delivered
   * per graph  dead letters = sum over edges of their dead letters = sum over nodes of theirs
   * </pre>
   *
   * @return the verdict, with every failing equation and every pending count
   */
  public Ledger ledger() {
    List<String> off = new ArrayList<>();
    long imbalance = 0;
    for (EdgeOutcome e : edges) {
      EdgeStats s = e.stats();
      String edge = "edge " + e.id();
      imbalance +=
          check(
              off,
              edge,
              "(1) accepted",
              s.accepted(),
              "delivered + evicted + discarded + queued",
              s.delivered() + s.evicted() + s.discarded() + e.queued());
      imbalance +=
          check(
              off,
              edge,
              e.fromIngress() ? "(2) failed offers dead-lettered by an ingress" : "(2) failed",
              e.fromIngress() ? 0 : s.failed(),
              "dead letters OVERFLOW + MERGE_FAILED",
              e.deadLetters(DeadLetter.Reason.OVERFLOW)
                  + e.deadLetters(DeadLetter.Reason.MERGE_FAILED));
      imbalance +=
          check(
              off,
              edge,
              e.fromIngress() ? "(3) rejected offers dead-lettered by an ingress" : "(3) rejected",
              e.fromIngress() ? 0 : s.rejected(),
              "dead letters REJECTED",
              e.deadLetters(DeadLetter.Reason.REJECTED));
      long undeliveredLetters = 0;
      for (DeadLetter.Reason r : UNDELIVERED_REASONS) {
        undeliveredLetters += e.deadLetters(r);
      }
      imbalance +=
          check(
              off,
              edge,
              e.fromIngress()
                  ? "(4) discarded + outboxDeadLettered"
                  : "(4) discarded + closed + outboxDeadLettered",
              e.undelivered() - e.queued(),
              "dead letters CONSUMER_STOPPED + SHUTDOWN_UNDELIVERED + PRODUCER_FAILED",
              undeliveredLetters);
      long nodeFailed = e.deadLetters(DeadLetter.Reason.NODE_FAILED);
      if (nodeFailed > e.delivered()) {
        off.add(
            String.format(
                Locale.ROOT,
                "%s: (5) dead letters NODE_FAILED %d > delivered %d",
                edge,
                nodeFailed,
                e.delivered()));
        imbalance += nodeFailed - e.delivered();
      }
    }
    long byEdges = edges.stream().mapToLong(e -> sum(e.deadLetters())).sum();
    long byNodes = nodes.stream().mapToLong(n -> sum(n.deadLetters())).sum();
    String where = "graph '" + graph + "'";
    imbalance += check(off, where, "(6) dead letters", deadLetters, "sum over edges", byEdges);
    imbalance += check(off, where, "(6) dead letters", deadLetters, "sum over nodes", byNodes);
    return new Ledger(off, pending(), imbalance);
  }

  /**
   * Returns whether the accounting equations hold on this report's numbers.
   *
   * @return {@code ledger().balanced()}
   */
  public boolean balanced() {
    return ledger().balanced();
  }

  /** One equation: adds a line and returns the absolute difference if it does not hold. */
  private static long check(
      List<String> off, String where, String left, long l, String right, long r) {
    if (l == r) {
      return 0;
    }
    off.add(String.format(Locale.ROOT, "%s: %s %d != %s %d", where, left, l, right, r));
    return Math.abs(l - r);
  }

  /** What is not final yet: the input and outbox of nodes still inside a hook. */
  private List<String> pending() {
    List<String> pending = new ArrayList<>();
    for (NodeOutcome n : nodes) {
      String hook = n.stuckIn();
      if (hook == null) {
        continue;
      }
      long queued = 0;
      long control = 0;
      for (EdgeOutcome e : edges) {
        if (e.consumer().equals(n.name())) {
          queued += e.queued();
          control += e.stats().controlDepth();
        }
      }
      StringBuilder sb = new StringBuilder("node ").append(n.name());
      sb.append(" still in ").append(hook).append("; ");
      if (queued > 0) {
        sb.append("its ").append(queued).append(" queued input");
        sb.append(queued == 1 ? "" : "s");
        if (control > 0) {
          sb.append(" (").append(control).append(" CONTROL)");
        }
        sb.append(" will be dead-lettered (SHUTDOWN_UNDELIVERED) when it returns, with its");
      } else {
        sb.append("when it returns, its");
      }
      sb.append(" outbox, and what it emits until then is dead-lettered (CONSUMER_STOPPED)");
      pending.add(sb.toString());
    }
    return pending;
  }

  /**
   * Renders the report for logs and the console: one line per edge with its non-zero outcomes, one
   * per node, the ledger's verdict and any stop problem.
   *
   * @return a multi-line description
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("shutdown of '").append(graph).append("': ");
    sb.append(timedOut ? "TIMED OUT" : "clean").append(" in ").append(elapsed.toMillis());
    sb.append(" ms, dead letters: ").append(deadLetters);
    Map<DeadLetter.Reason, Long> byReason = new EnumMap<>(DeadLetter.Reason.class);
    for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
      byReason.put(r, deadLetters(r));
    }
    appendReasons(sb, byReason);
    sb.append('\n');
    int idWidth = 1;
    for (EdgeOutcome e : edges) {
      idWidth = Math.max(idWidth, e.id().length()); // nested subgraphs make long ids
    }
    for (EdgeOutcome e : edges) {
      sb.append("  ").append(e.id());
      sb.append(" ".repeat(idWidth - e.id().length() + 2));
      sb.append(renderOutcomes(e)).append('\n');
    }
    for (NodeOutcome n : nodes) {
      sb.append("  node ").append(n.name()).append(": ").append(n.state());
      if (n.stuckIn() != null) {
        sb.append(" (still in ").append(n.stuckIn()).append(')');
      }
      if (n.unrouted() > 0) {
        sb.append(", unrouted ").append(n.unrouted());
      }
      long letters = sum(n.deadLetters());
      if (letters > 0) {
        sb.append(", dead letters ").append(letters);
        appendReasons(sb, n.deadLetters());
      }
      sb.append('\n');
    }
    sb.append("  ").append(ledger().render()).append('\n');
    for (String failure : stopFailures) {
      sb.append("  stop problem: ").append(failure).append('\n');
    }
    return sb.toString();
  }

  /** An edge's non-zero outcomes; delivered always. */
  private static String renderOutcomes(EdgeOutcome e) {
    StringBuilder sb = new StringBuilder("delivered ").append(e.delivered());
    long nodeFailed = e.deadLetters(DeadLetter.Reason.NODE_FAILED);
    if (nodeFailed > 0) {
      sb.append(" (NODE_FAILED ").append(nodeFailed).append(')');
    }
    part(sb, "dropped", e.dropped());
    part(sb, "evicted", e.evicted());
    part(sb, "coalesced", e.coalesced());
    if (e.fromIngress()) {
      part(sb, "failed", e.failed());
      part(sb, "rejected", e.rejected());
      part(sb, "closed", e.stats().closed());
      if (e.failed() + e.rejected() + e.stats().closed() > 0) {
        sb.append(" (answered to the caller)");
      }
    } else {
      if (e.failed() > 0) {
        part(sb, "failed", e.failed());
        appendReasons(
            sb,
            Map.of(
                DeadLetter.Reason.OVERFLOW, e.deadLetters(DeadLetter.Reason.OVERFLOW),
                DeadLetter.Reason.MERGE_FAILED, e.deadLetters(DeadLetter.Reason.MERGE_FAILED)));
      }
      part(sb, "rejected", e.rejected());
    }
    long undelivered = e.undelivered();
    if (undelivered > 0) {
      part(sb, "undelivered", undelivered);
      List<String> why = new ArrayList<>();
      for (DeadLetter.Reason r : UNDELIVERED_REASONS) {
        if (e.deadLetters(r) > 0) {
          why.add(r + " " + e.deadLetters(r));
        }
      }
      if (e.queued() > 0) {
        why.add("pending " + e.queued());
      }
      if (!why.isEmpty()) {
        sb.append(" (").append(String.join(", ", why)).append(')');
      }
    }
    return sb.toString();
  }

  private static void part(StringBuilder sb, String name, long count) {
    if (count > 0) {
      sb.append(", ").append(name).append(' ').append(count);
    }
  }

  /** Appends " (REASON n, ...)" for the non-zero reasons, in declaration order; nothing if none. */
  private static void appendReasons(StringBuilder sb, Map<DeadLetter.Reason, Long> counts) {
    String sep = " (";
    for (DeadLetter.Reason r : DeadLetter.Reason.values()) {
      long n = counts.getOrDefault(r, 0L);
      if (n > 0) {
        sb.append(sep).append(r).append(' ').append(n);
        sep = ", ";
      }
    }
    if (!sep.equals(" (")) {
      sb.append(')');
    }
  }

  private static long sum(Map<DeadLetter.Reason, Long> counts) {
    long total = 0;
    for (long n : counts.values()) {
      total += n;
    }
    return total;
  }

  /** An immutable copy without the zero counts. */
  private static Map<DeadLetter.Reason, Long> nonZero(Map<DeadLetter.Reason, Long> counts) {
    Map<DeadLetter.Reason, Long> copy = new EnumMap<>(DeadLetter.Reason.class);
    counts.forEach(
        (reason, n) -> {
          if (Objects.requireNonNull(n, "a dead-letter count") != 0) {
            copy.put(Objects.requireNonNull(reason, "a dead-letter reason"), n);
          }
        });
    return Map.copyOf(copy);
  }
}
