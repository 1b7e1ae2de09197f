package dev.weir.testkit;

import dev.weir.scheduler.GraphSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Watchdog} found: a graph with work pending that stopped making progress, one node
 * that stopped while the rest went on, or threads deadlocked on locks.
 *
 * <p>Thread-safety: an immutable record.
 *
 * @param kind what was found
 * @param verdict one paragraph naming the graph, the stuck nodes and edges (or the deadlocked
 *     threads) and how long nothing moved
 * @param nodes the nodes named in the verdict (empty for a deadlock)
 * @param edges the edges named in the verdict: those holding messages (empty for a deadlock)
 * @param snapshot the watched graph's snapshot when the stall was found, or {@code null} if no
 *     graph was running
 * @param threadDump every live thread's state and full stack when the stall was found
 * @param quietFor how long nothing moved ({@link Duration#ZERO} for a deadlock)
 */
public record Stall(
    Kind kind,
    String verdict,
    List<String> nodes,
    List<String> edges,
    @Nullable GraphSnapshot snapshot,
    String threadDump,
    Duration quietFor) {

  /** What a watchdog found. */
  public enum Kind {
    /** Work pending and {@code RunningGraph.progress()} unchanged for the stall bound. */
    NO_PROGRESS,
    /**
     * One or more nodes had work pending (input queued, inside a hook, ready or blocked) and did
     * nothing for the stall bound, while other nodes still made progress.
     */
    NODE_STUCK,
    /** {@code ThreadMXBean.findDeadlockedThreads} found threads waiting for each other's locks. */
    DEADLOCK
  }

  /**
   * Checks the components.
   *
   * @param kind the {@link #kind()} component
   * @param verdict the {@link #verdict()} component
   * @param nodes the {@link #nodes()} component
   * @param edges the {@link #edges()} component
   * @param snapshot the {@link #snapshot()} component; may be null
   * @param threadDump the {@link #threadDump()} component
   * @param quietFor the {@link #quietFor()} component
   * @throws NullPointerException if a component other than {@code snapshot} is null, naming it
   */
  public Stall {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(verdict, "verdict");
    nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    edges = List.copyOf(Objects.requireNonNull(edges, "edges"));
    Objects.requireNonNull(threadDump, "threadDump");
    Objects.requireNonNull(quietFor, "quietFor");
  }

  /**
   * Renders the verdict and the snapshot, as a failure folder's {@code stall.txt} holds them.
   *
   * @return a multi-line description
   */
  public String render() {
    GraphSnapshot s = snapshot;
    return kind + ": " + verdict + "\n\n" + (s == null ? "(no graph running)\n" : s.render());
  }
}
