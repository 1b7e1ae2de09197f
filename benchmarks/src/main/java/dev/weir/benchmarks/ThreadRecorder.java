package dev.weir.benchmarks;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the names of the threads that run each stage of a workload, for {@link StageThreads}: it
 * tells whether a peer's idiom really ran on two threads or silently collapsed onto one. Used only
 * in verification runs, never inside a measured benchmark.
 *
 * <p>Thread-safety: thread-safe.
 */
final class ThreadRecorder {

  private final Map<String, Set<String>> threads = new ConcurrentHashMap<>();

  /** Notes that the calling thread ran {@code stage}. */
  void saw(String stage) {
    threads
        .computeIfAbsent(stage, s -> ConcurrentHashMap.newKeySet())
        .add(Thread.currentThread().getName());
  }

  /** Returns the threads seen per stage, sorted. */
  Map<String, Set<String>> snapshot() {
    Map<String, Set<String>> copy = new TreeMap<>();
    threads.forEach((stage, names) -> copy.put(stage, new TreeSet<>(names)));
    return copy;
  }
}
