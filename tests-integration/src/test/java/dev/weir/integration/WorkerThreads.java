package dev.weir.integration;

import java.util.List;

/** Finds the engine's threads by name: workers are {@code weir-GRAPH-worker-N}. */
final class WorkerThreads {

  private WorkerThreads() {}

  /** Returns the names of the live threads whose name starts with a prefix. */
  static List<String> named(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .toList();
  }
}
