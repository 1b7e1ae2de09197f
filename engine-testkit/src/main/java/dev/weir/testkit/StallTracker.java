package dev.weir.testkit;

import dev.weir.core.EdgeStats;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.testkit.internal.ThreadDump;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The watchdog's judgement over successive samples of one graph (a new graph instance starts it
 * afresh). The graph is stuck when it has work pending ({@link GraphSnapshot#hasPendingWork()}) and
 * {@link RunningGraph#progress()} has not moved for the bound; a node is stuck when it had work
 * pending (input queued, or READY, RUNNING or BLOCKED) at every sample for the bound and neither
 * its activations nor its messages moved, even if other nodes went on.
 *
 * <p>Thread-safety: not thread-safe; {@link Watchdog} calls it under its lock.
 */
final class StallTracker {

  private record Track(long activations, long messages, long sinceNanos) {}

  private final long boundNanos;
  private @Nullable RunningGraph graph;
  private long progress;
  private long quietSinceNanos;
  private final Map<String, Track> nodes = new HashMap<>();

  StallTracker(Duration bound) {
    this.boundNanos = bound.toNanos();
  }

  /**
   * Samples the graph at {@code nowNanos}; returns a stall once the bound is reached, else null.
   */
  @Nullable Stall observe(RunningGraph running, long nowNanos) {
    long p = running.progress();
    GraphSnapshot snapshot = running.snapshot();
    if (running != graph) {
      graph = running;
      progress = p;
      quietSinceNanos = nowNanos;
      nodes.clear();
    }
    if (p != progress || !snapshot.hasPendingWork()) {
      progress = p;
      quietSinceNanos = nowNanos;
    }
    Map<String, Integer> queued = queuedPerConsumer(snapshot);
    List<String> stuck = new ArrayList<>();
    long stuckFor = 0;
    for (GraphSnapshot.NodeView n : snapshot.nodes()) {
      boolean pending = isBusy(n.state()) || queued.getOrDefault(n.name(), 0) > 0;
      Track t = nodes.get(n.name());
      if (t == null
          || !pending
          || t.activations() != n.activations()
          || t.messages() != n.messages()) {
        nodes.put(n.name(), new Track(n.activations(), n.messages(), nowNanos));
      } else if (nowNanos - t.sinceNanos() >= boundNanos) {
        stuck.add(n.name());
        stuckFor = Math.max(stuckFor, nowNanos - t.sinceNanos());
      }
    }
    long quiet = nowNanos - quietSinceNanos;
    if (quiet >= boundNanos) {
      return stall(Stall.Kind.NO_PROGRESS, snapshot, pendingNodes(snapshot, queued), queued, quiet);
    }
    if (!stuck.isEmpty()) {
      return stall(Stall.Kind.NODE_STUCK, snapshot, stuck, queued, stuckFor);
    }
    return null;
  }

  private static boolean isBusy(NodeState state) {
    return state == NodeState.READY || state == NodeState.RUNNING || state == NodeState.BLOCKED;
  }

  private static List<String> pendingNodes(GraphSnapshot snapshot, Map<String, Integer> queued) {
    List<String> pending = new ArrayList<>();
    for (GraphSnapshot.NodeView n : snapshot.nodes()) {
      if (isBusy(n.state()) || queued.getOrDefault(n.name(), 0) > 0) {
        pending.add(n.name());
      }
    }
    return pending;
  }

  private Stall stall(
      Stall.Kind kind,
      GraphSnapshot snapshot,
      List<String> named,
      Map<String, Integer> queued,
      long quietNanos) {
    Duration quiet = Duration.ofNanos(quietNanos);
    StringBuilder v = new StringBuilder();
    v.append("graph '").append(snapshot.graph()).append("': ");
    if (kind == Stall.Kind.NO_PROGRESS) {
      v.append("work pending and no progress for ")
          .append(quiet)
          .append(" (progress() stayed at ")
          .append(progress)
          .append("; stall bound ")
          .append(Duration.ofNanos(boundNanos))
          .append(')');
    } else {
      v.append("node(s) with work pending did nothing for ")
          .append(quiet)
          .append(" while the graph went on (progress() at ")
          .append(progress)
          .append(')');
    }
    for (String name : named) {
      GraphSnapshot.NodeView n = snapshot.node(name);
      if (n == null) {
        continue;
      }
      v.append("; node '").append(name).append("' ").append(n.state());
      if (n.state() == NodeState.RUNNING) {
        v.append(
            " (inside a hook that has not returned: see its worker's stack in the thread dump)");
      }
      if (n.blockedOn() != null) {
        v.append(" on edge '").append(n.blockedOn()).append("' (its consumer takes nothing)");
      }
      int q = queued.getOrDefault(name, 0);
      if (q > 0) {
        v.append(" with ").append(q).append(" message(s) queued on its inputs");
      }
    }
    List<String> edges = new ArrayList<>();
    for (GraphSnapshot.EdgeView e : snapshot.edges()) {
      EdgeStats s = e.stats();
      if (s.depth() + s.controlDepth() > 0) {
        edges.add(e.id());
      }
    }
    if (!edges.isEmpty()) {
      v.append("; edges holding messages:");
      for (String id : edges) {
        EdgeStats s = snapshot.edge(id);
        v.append(" '").append(id).append("' ").append(s == null ? 0 : s.depth());
        if (s != null && s.controlDepth() > 0) {
          v.append(" (+").append(s.controlDepth()).append(" CONTROL)");
        }
      }
    }
    return new Stall(kind, v.toString(), named, edges, snapshot, ThreadDump.all(), quiet);
  }

  /**
   * Messages queued per consumer node, from the edge ids' convention {@code producer.port->
   * consumer.port} (ingress edges: {@code ingress:NAME->consumer.port}).
   */
  static Map<String, Integer> queuedPerConsumer(GraphSnapshot snapshot) {
    Map<String, Integer> queued = new HashMap<>();
    for (GraphSnapshot.EdgeView e : snapshot.edges()) {
      int depth = e.stats().depth() + e.stats().controlDepth();
      String consumer = consumerOf(e.id());
      if (depth > 0 && consumer != null) {
        queued.merge(consumer, depth, Integer::sum);
      }
    }
    return queued;
  }

  static @Nullable String consumerOf(String edgeId) {
    int arrow = edgeId.lastIndexOf("->");
    if (arrow < 0) {
      return null;
    }
    String to = edgeId.substring(arrow + 2);
    int port = to.lastIndexOf('.');
    return port <= 0 ? null : to.substring(0, port);
  }
}
