package dev.weir.testkit;

import java.util.List;
import java.util.Objects;

/**
 * Finds live threads by name, e.g. a graph's workers ({@code weir-GRAPH-worker-N}) or a stress
 * run's actors ({@code weir-stress-NAME-ACTOR}): what a test checks to prove that a stopped graph
 * left no thread behind.
 *
 * <p>Thread-safety: stateless; safe from any thread. The answer is a moment's view.
 */
public final class WorkerThreads {

  private WorkerThreads() {}

  /**
   * Returns the names of the live threads whose name starts with a prefix.
   *
   * @param prefix the name prefix, e.g. {@code "weir-pipeline-worker-"}
   * @return the names, in no particular order
   * @throws NullPointerException if {@code prefix} is null
   */
  public static List<String> named(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .toList();
  }
}
