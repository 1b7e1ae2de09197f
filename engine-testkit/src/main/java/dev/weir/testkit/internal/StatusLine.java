package dev.weir.testkit.internal;

import dev.weir.scheduler.GraphSnapshot;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Formats the status line a run prints at a steady interval. */
public final class StatusLine {

  private static final double MIB = 1024.0 * 1024.0;

  private StatusLine() {}

  /**
   * Formats one status line.
   *
   * @param name the stress test
   * @param elapsed time since the run started
   * @param operations operations counted so far
   * @param operationsPerSecond the rate over the last interval
   * @param heapAfterGc bytes, or negative when no collection was seen yet
   * @param errors hook errors of the running graph plus actor failures
   * @param snapshot the running graph's snapshot, or null between graphs
   */
  public static String format(
      String name,
      Duration elapsed,
      long operations,
      double operationsPerSecond,
      long heapAfterGc,
      long errors,
      @Nullable GraphSnapshot snapshot) {
    String heap =
        heapAfterGc < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", heapAfterGc / MIB);
    return String.format(
        Locale.ROOT,
        "[%s] %s ops=%d (%.0f/s) heapAfterGc=%s errors=%d deepest=%s",
        name,
        clock(elapsed),
        operations,
        operationsPerSecond,
        heap,
        errors,
        deepest(snapshot));
  }

  /** Hook errors of the nodes in a snapshot. */
  public static long errors(@Nullable GraphSnapshot snapshot) {
    if (snapshot == null) {
      return 0;
    }
    long errors = 0;
    for (GraphSnapshot.NodeView node : snapshot.nodes()) {
      errors += node.errors();
    }
    return errors;
  }

  /** The edge holding the most DATA messages now, with its depth and high-water mark. */
  static String deepest(@Nullable GraphSnapshot snapshot) {
    if (snapshot == null) {
      return "(no graph)";
    }
    GraphSnapshot.EdgeView deepest = null;
    for (GraphSnapshot.EdgeView edge : snapshot.edges()) {
      if (deepest == null || edge.stats().depth() > deepest.stats().depth()) {
        deepest = edge;
      }
    }
    if (deepest == null) {
      return "(no edge)";
    }
    return deepest.id()
        + " depth="
        + deepest.stats().depth()
        + " hwm="
        + deepest.stats().highWaterMark();
  }

  private static String clock(Duration elapsed) {
    long s = elapsed.toSeconds();
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
