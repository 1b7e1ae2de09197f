package dev.weir.testkit;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a stress run watches while it runs, at the monitor interval: the {@link Watchdog} (stalls
 * and deadlocked threads, for the whole run until the last stop begins) and the {@link
 * LiveInvariant}s (during the safety phase, and once more when it ends). The first stall or broken
 * invariant fails the run at once through {@code onFailure}, which stops the actors.
 *
 * <p>Thread-safety: {@link #sample} runs on the watch thread, {@link #endSafety} and the readers on
 * the run's thread; all under this object's lock.
 */
final class SafetyWatch implements AutoCloseable {

  /** One live invariant's record over the samples. */
  private static final class Tally {
    int samples;
    @Nullable CheckResult invalid;
    @Nullable String invalidAt;
    @Nullable String invalidSnapshot;
    @Nullable CheckResult unknown;
    @Nullable CheckResult lastValid;
  }

  private final Environment env;
  private final Watchdog watchdog;
  private final Map<String, LiveInvariant> invariants;
  private final Map<String, Tally> records = new LinkedHashMap<>();
  private final Consumer<String> onFailure;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService executor;
  private boolean safety = true;
  private boolean stallReported;

  SafetyWatch(
      String name,
      Environment env,
      Duration stallAfter,
      Duration interval,
      Map<String, LiveInvariant> invariants,
      Consumer<String> onFailure) {
    this.env = env;
    this.invariants = invariants;
    this.onFailure = onFailure;
    for (String check : invariants.keySet()) {
      records.put(check, new Tally());
    }
    this.watchdog =
        Watchdog.builder().stallAfter(stallAfter).interval(interval).manual(env::current);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-stress-" + name + "-watch");
              t.setDaemon(true);
              return t;
            });
    long nanos = interval.toNanos();
    ScheduledFuture<?> unused =
        executor.scheduleWithFixedDelay(this::sampleQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Samples now: the watchdog, and the live invariants while the safety phase runs. */
  synchronized void sample() {
    Optional<Stall> stall = watchdog.sample();
    if (stall.isPresent() && !stallReported) {
      stallReported = true;
      onFailure.accept("the watchdog found a stall: " + stall.get().verdict());
    }
    if (safety) {
      evaluate();
    }
  }

  /** Ends the safety phase with one last evaluation of the live invariants. */
  synchronized void endSafety() {
    if (safety) {
      evaluate();
      safety = false;
    }
  }

  /** Stops sampling (before the last stop: a slow stop is no stall). */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        onFailure.accept("the watch thread did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The {@code watchdog} check: the stall found, or how many samples found none. */
  Checker watchdogChecker() {
    return run -> {
      synchronized (this) {
        Optional<Stall> stall = watchdog.stall();
        if (stall.isPresent()) {
          return CheckResult.invalid(stall.get().kind() + ": " + stall.get().verdict());
        }
        return CheckResult.valid(
            "no stall and no deadlocked threads in "
                + watchdog.samples()
                + " samples (stall bound "
                + watchdog.stallAfter()
                + ")");
      }
    };
  }

  /** The check of one live invariant over every sample. */
  Checker invariantChecker(String check) {
    return run -> {
      synchronized (this) {
        Tally r = records.get(check);
        if (r == null || r.samples == 0) {
          return CheckResult.unknown("never evaluated: no graph was running at any sample");
        }
        if (r.invalid != null) {
          return CheckResult.invalid(r.invalidAt + ": " + r.invalid.detail());
        }
        if (r.unknown != null) {
          return CheckResult.unknown(r.unknown.detail());
        }
        CheckResult last = r.lastValid;
        return CheckResult.valid(
            "held at each of "
                + r.samples
                + " samples"
                + (last == null ? "" : "; " + last.detail()));
      }
    };
  }

  /**
   * The failure folder's files: {@code stall.txt} and {@code threads.txt}, {@code invariants.txt}.
   */
  synchronized Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    watchdog
        .stall()
        .ifPresent(
            s -> {
              files.put("stall.txt", s.render());
              files.put("threads.txt", s.threadDump());
            });
    StringBuilder broken = new StringBuilder();
    for (Map.Entry<String, Tally> e : records.entrySet()) {
      Tally r = e.getValue();
      if (r.invalid != null) {
        broken.append("=== ").append(e.getKey()).append(", ").append(r.invalidAt).append('\n');
        broken.append(r.invalid.detail()).append("\n\n").append(r.invalidSnapshot).append('\n');
      }
    }
    if (broken.length() > 0) {
      files.put("invariants.txt", broken.toString());
    }
    return files;
  }

  private void evaluate() {
    Graph graph = env.currentGraph();
    RunningGraph running = env.current();
    if (graph == null || running == null || invariants.isEmpty()) {
      return;
    }
    GraphSnapshot snapshot = running.snapshot();
    long elapsedMillis = (System.nanoTime() - startNanos) / 1_000_000;
    for (Map.Entry<String, LiveInvariant> e : invariants.entrySet()) {
      Tally r = records.get(e.getKey());
      if (r == null) {
        continue;
      }
      r.samples++;
      CheckResult result;
      try {
        result = e.getValue().check(graph, snapshot);
        if (result == null) {
          result = CheckResult.unknown("the invariant returned null");
        }
      } catch (Exception | Error t) {
        result = CheckResult.unknown("the invariant threw: " + StressTest.stackTrace(t));
      }
      switch (result.verdict()) {
        case VALID -> r.lastValid = result;
        case UNKNOWN -> {
          if (r.unknown == null) {
            r.unknown = result;
          }
        }
        case INVALID -> {
          if (r.invalid == null) {
            r.invalid = result;
            r.invalidAt =
                "broken at sample " + r.samples + ", " + elapsedMillis + " ms into the run";
            r.invalidSnapshot = snapshot.render();
            onFailure.accept(
                "invariant '" + e.getKey() + "' broke during the safety phase: " + result.detail());
          }
        }
      }
    }
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      // A graph stopped between reading it and sampling it: the next sample tries again.
    }
  }
}
