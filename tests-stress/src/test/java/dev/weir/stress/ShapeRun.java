package dev.weir.stress;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Runs a finite graph (its sources end) to completion and reports what the scheduler did: wall
 * time, activations and messages summed over the nodes. A run that stops making progress fails with
 * the graph's snapshot rather than at a wall-clock deadline.
 *
 * <p>Thread-safety: stateless; each call runs its own graph.
 */
final class ShapeRun {

  /** How long a graph may go without processing a message before the run counts as stuck. */
  static final Duration NO_PROGRESS = Duration.ofSeconds(30);

  /** What one run did. */
  record Result(long nanos, long activations, long messages, ShutdownReport report) {

    /** Items per second, for {@code items} items through the graph. */
    double rate(long items) {
      return items * 1e9 / Math.max(1, nanos);
    }
  }

  private ShapeRun() {}

  /** Runs {@code graph} on {@code workers} workers until every node finished, then stops it. */
  static Result run(Graph graph, int workers, UnaryOperator<Scheduler.Builder> configure)
      throws InterruptedException {
    long started = System.nanoTime();
    RunningGraph running =
        configure.apply(Scheduler.builder().workers(workers)).build().start(graph);
    try {
      long last = -1;
      while (!running.awaitCompletion(NO_PROGRESS)) {
        long now = running.progress();
        if (now == last) {
          throw new AssertionError(
              graph.name()
                  + " on "
                  + workers
                  + " workers made no progress for "
                  + NO_PROGRESS
                  + " (a lost wake-up?):\n"
                  + running.snapshot().render());
        }
        last = now;
      }
      long nanos = System.nanoTime() - started;
      GraphSnapshot snapshot = running.snapshot();
      long activations = 0;
      long messages = 0;
      for (GraphSnapshot.NodeView node : snapshot.nodes()) {
        activations += node.activations();
        messages += node.messages();
      }
      return new Result(nanos, activations, messages, running.stop(Duration.ofSeconds(30)));
    } finally {
      if (running.isRunning()) {
        running.stop(Duration.ofSeconds(30));
      }
    }
  }

  /** The median of some rates. */
  static double median(List<Double> rates) {
    List<Double> sorted = new ArrayList<>(rates);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
