package dev.weir.scheduler;

import dev.weir.core.EdgeStats;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time view of a running graph: what a test attaches to a failure and what a user reads
 * when a graph looks stuck. Values are read one by one while the graph runs, so they are each
 * recent but not mutually atomic.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param graph the graph name
 * @param clockNanos the graph clock's reading when the snapshot was taken
 * @param nodes per node, in topological order
 * @param edges per edge, ingress edges first
 * @param readyDepth ready-queue depth per band
 * @param traceHash a hash of every engine event so far: equal for two runs with one worker, a
 *     virtual clock and the same seed, graph and inputs
 * @param eventCount how many engine events were recorded
 * @param recentEvents the latest engine events, oldest first, one line each
 */
public record GraphSnapshot(
    String graph,
    long clockNanos,
    List<NodeView> nodes,
    List<EdgeView> edges,
    Map<Priority, Integer> readyDepth,
    long traceHash,
    long eventCount,
    List<String> recentEvents) {

  /**
   * Makes a snapshot value; the engine makes these, tests may too.
   *
   * @param graph the {@link #graph()} component
   * @param clockNanos the {@link #clockNanos()} component
   * @param nodes the {@link #nodes()} component
   * @param edges the {@link #edges()} component
   * @param readyDepth the {@link #readyDepth()} component
   * @param traceHash the {@link #traceHash()} component
   * @param eventCount the {@link #eventCount()} component
   * @param recentEvents the {@link #recentEvents()} component
   * @throws NullPointerException if a reference component is null, naming it
   */
  public GraphSnapshot {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(nodes, "nodes");
    Objects.requireNonNull(edges, "edges");
    Objects.requireNonNull(readyDepth, "readyDepth");
    Objects.requireNonNull(recentEvents, "recentEvents");
  }

  /**
   * One node's state and counters.
   *
   * @param name the qualified node name
   * @param state what it is doing
   * @param blockedOn the edge its outbox waits for when BLOCKED, else {@code null}
   * @param activations how many times it ran
   * @param messages how many messages it processed
   * @param errors how many times a hook threw
   * @param restarts how many times it was restarted
   * @param unrouted messages it emitted to an output with no edge (they go nowhere; counted so that
   *     nothing disappears unseen)
   * @param ticks how many times its {@code onTick} was called
   * @param missedTicks interval boundaries of its tick that passed without a tick of their own (it
   *     was busy, blocked or waiting for a worker, the clock jumped, or it stopped with a tick
   *     due): {@code ticks + missedTicks} is the number of boundaries from its start to its last
   *     tick, or to its end once it stopped
   */
  public record NodeView(
      String name,
      NodeState state,
      @Nullable String blockedOn,
      long activations,
      long messages,
      long errors,
      long restarts,
      long unrouted,
      long ticks,
      long missedTicks) {

    /**
     * Makes a snapshot value; the engine makes these, tests may too.
     *
     * @param name the {@link #name()} component
     * @param state the {@link #state()} component
     * @param blockedOn the {@link #blockedOn()} component; may be null
     * @param activations the {@link #activations()} component
     * @param messages the {@link #messages()} component
     * @param errors the {@link #errors()} component
     * @param restarts the {@link #restarts()} component
     * @param unrouted the {@link #unrouted()} component
     * @param ticks the {@link #ticks()} component
     * @param missedTicks the {@link #missedTicks()} component
     * @throws NullPointerException if a component other than {@code blockedOn} is null, naming it
     */
    public NodeView {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
    }
  }

  /**
   * One edge's counters.
   *
   * @param id the edge id
   * @param stats the counters
   */
  public record EdgeView(String id, EdgeStats stats) {

    /**
     * Makes a snapshot value; the engine makes these, tests may too.
     *
     * @param id the {@link #id()} component
     * @param stats the {@link #stats()} component
     * @throws NullPointerException if a reference component is null, naming it
     */
    public EdgeView {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(stats, "stats");
    }
  }

  /**
   * Returns a node's view by name.
   *
   * @param name the qualified node name
   * @return the view, or {@code null} if there is no such node
   */
  public @Nullable NodeView node(String name) {
    for (NodeView view : nodes) {
      if (view.name().equals(name)) {
        return view;
      }
    }
    return null;
  }

  /**
   * Returns an edge's counters by id.
   *
   * @param id the edge id
   * @return the counters, or {@code null} if there is no such edge
   */
  public @Nullable EdgeStats edge(String id) {
    for (EdgeView view : edges) {
      if (view.id().equals(id)) {
        return view.stats();
      }
    }
    return null;
  }

  /**
   * Returns whether the graph had work pending when the snapshot was taken: an edge held a DATA or
   * CONTROL message, a ready queue was not empty, or a node was {@link NodeState#READY}, {@link
   * NodeState#RUNNING} (inside a hook) or {@link NodeState#BLOCKED} (its outbox waiting for room).
   * A graph that has work pending and whose {@link RunningGraph#progress()} does not move for a
   * while is stuck: a node inside a hook that does not return, a loop of full BLOCK edges, or a
   * node whose input is paused ({@link dev.weir.core.InputGate}) while messages wait for it.
   *
   * @return whether anything was queued, running or blocked
   */
  public boolean hasPendingWork() {
    for (EdgeView e : edges) {
      if (e.stats().depth() > 0 || e.stats().controlDepth() > 0) {
        return true;
      }
    }
    for (Integer depth : readyDepth.values()) {
      if (depth != null && depth > 0) {
        return true;
      }
    }
    for (NodeView n : nodes) {
      NodeState s = n.state();
      if (s == NodeState.READY || s == NodeState.RUNNING || s == NodeState.BLOCKED) {
        return true;
      }
    }
    return false;
  }

  /**
   * Renders the snapshot for a log or a test failure message.
   *
   * @return a multi-line description
   */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append("graph '").append(graph).append("' at ").append(clockNanos).append("ns\n");
    sb.append("ready queues: ").append(readyDepth).append('\n');
    for (NodeView n : nodes) {
      sb.append("  node ").append(n.name()).append(' ').append(n.state());
      if (n.blockedOn() != null) {
        sb.append(" on ").append(n.blockedOn());
      }
      sb.append(" activations=").append(n.activations());
      sb.append(" messages=").append(n.messages());
      sb.append(" errors=").append(n.errors());
      sb.append(" restarts=").append(n.restarts());
      if (n.unrouted() > 0) {
        sb.append(" unrouted=").append(n.unrouted());
      }
      if (n.ticks() + n.missedTicks() > 0) {
        sb.append(" ticks=").append(n.ticks()).append(" missedTicks=").append(n.missedTicks());
      }
      sb.append('\n');
    }
    for (EdgeView e : edges) {
      sb.append("  edge ").append(e.id()).append(' ').append(e.stats()).append('\n');
    }
    sb.append("trace hash ").append(Long.toHexString(traceHash));
    sb.append(" after ").append(eventCount).append(" events; recent:\n");
    for (String event : recentEvents) {
      sb.append("    ").append(event).append('\n');
    }
    return sb.toString();
  }
}
