package dev.weir.scheduler.flow;

import dev.weir.core.Graph;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The graphs one TCK test class started: each TCK test asks for a fresh publisher or subscriber, so
 * each gets a fresh graph, stopped after the test. Dead letters are collected, not logged: a graph
 * stopped at once after a test may leave input in its edges by design.
 */
final class TckGraphs {

  private final List<RunningGraph> running = new CopyOnWriteArrayList<>();
  final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

  RunningGraph start(Graph graph) {
    RunningGraph r = Scheduler.builder().deadLetters(deadLetters::add).build().start(graph);
    running.add(r);
    return r;
  }

  /** Stops every graph without waiting for a drain: a test's leftovers do not matter. */
  void stopAll() {
    for (RunningGraph r : running) {
      r.stop(Duration.ZERO);
    }
    running.clear();
    deadLetters.clear();
  }
}
