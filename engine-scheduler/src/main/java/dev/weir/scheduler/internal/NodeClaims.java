package dev.weir.scheduler.internal;

import dev.weir.core.Node;
import java.util.IdentityHashMap;

/**
 * Which running graph each {@link Node} instance belongs to, across the whole JVM. A node object
 * holds its own state (a source's iterator, a sink's sum), so the same instance in two running
 * graphs, or one {@link dev.weir.core.Graph} started twice, would run its hooks on two threads at
 * once. Starting a graph claims its node instances; a node's claim ends when its graph is done with
 * it: after its final {@code onStop}, or when the start failed.
 *
 * <p>Thread-safety: thread-safe (one monitor; touched twice per node per run, never on a hot path).
 */
final class NodeClaims {

  private static final IdentityHashMap<Node, GraphRuntime> OWNERS = new IdentityHashMap<>();

  private NodeClaims() {}

  /**
   * Claims every cell's node for {@code graph}, all or none.
   *
   * @param graph the runtime starting the nodes
   * @throws IllegalStateException naming the node and the graph that still runs it
   */
  static void claimAll(GraphRuntime graph, NodeCell[] cells) {
    synchronized (OWNERS) {
      for (int i = 0; i < cells.length; i++) {
        GraphRuntime owner = OWNERS.get(cells[i].node);
        if (owner != null) {
          for (int j = 0; j < i; j++) {
            OWNERS.remove(cells[j].node);
          }
          throw new IllegalStateException(
              "cannot start graph '"
                  + graph.name()
                  + "': its node "
                  + cells[i].name
                  + " ("
                  + cells[i].node.getClass().getName()
                  + ") is still running in graph '"
                  + owner.name()
                  + "', and a node instance runs in one graph at a time (its hooks would run on"
                  + " two threads at once). Stop that graph first (RunningGraph.stop), or build"
                  + " this graph from new node instances");
        }
      }
      for (NodeCell cell : cells) {
        OWNERS.put(cell.node, graph);
      }
    }
  }

  /**
   * Ends {@code graph}'s claim on a node, which may then start in a graph again. Idempotent, and a
   * no-op if another graph holds the node.
   */
  static void release(GraphRuntime graph, Node node) {
    synchronized (OWNERS) {
      OWNERS.remove(node, graph);
    }
  }
}
