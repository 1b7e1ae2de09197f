package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.VirtualClock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One worker, a virtual clock and a seed make a run reproducible: many runs of the same graph end
 * with one trace hash, read right after {@code awaitCompletion}.
 *
 * <pre>
 *   a0 ──BLOCK(64)──► s0
 *   a1 ──BLOCK(64)──► s1       200 independent source → sink pairs, 100 messages each
 *   ...
 *   a199 ─BLOCK(64)─► s199
 * </pre>
 *
 * <p>Regression test for two bugs that made such runs differ: the scheduler started its workers
 * before queueing the sources, so a worker could run {@code a0} and queue {@code s0} ahead of
 * {@code a1} (the ready-queue order depended on thread start-up; about 1 run in 15 differed here);
 * and {@code awaitCompletion} returned while the last activation was still recording its events, so
 * a snapshot taken right after it missed the last event about every other run.
 */
class Pairs200DeterminismTest {

  private static final int PAIRS = 200;
  private static final int RUNS = 20;

  @Test
  void oneWorkerVirtualClockAndSeed_manyRuns_haveOneTraceHash() throws Exception {
    Set<String> outcomes = new LinkedHashSet<>();
    for (int run = 0; run < RUNS; run++) {
      RunningGraph running =
          Scheduler.builder().clock(VirtualClock.start()).seed(42).build().start(graph());
      try {
        assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
            .as("run %d completes\n%s", run, running.snapshot().render())
            .isTrue();
        GraphSnapshot s = running.snapshot();
        outcomes.add(Long.toHexString(s.traceHash()) + " after " + s.eventCount() + " events");
      } finally {
        running.stop(Duration.ofSeconds(10));
      }
    }
    assertThat(outcomes).as("trace hashes of %d identical runs", RUNS).hasSize(1);
  }

  private static Graph graph() {
    GraphBuilder builder = Graph.builder("pairs200");
    for (int i = 0; i < PAIRS; i++) {
      builder
          .add("a" + i, Nodes.range(0, 100))
          .add("s" + i, Nodes.sink(Long.class, x -> {}))
          .connect("a" + i + ".out", "s" + i + ".in", EdgeSpec.blocking(64));
    }
    return builder.build();
  }
}
