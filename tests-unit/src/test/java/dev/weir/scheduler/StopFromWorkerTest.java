package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code stop} called on one of the graph's own workers (from a hook, or from a callback the graph
 * completes, such as a {@code thenRun} stage) would wait for its own activation: it would time out
 * and dead-letter what was in flight. It fails at once instead, and the graph runs on.
 */
class StopFromWorkerTest {

  @Test
  void stopOnAWorkerThreadFailsAtOnceAndChangesNothing() throws Exception {
    AtomicReference<RunningGraph> self = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Graph graph =
        Graph.builder("stop-inside")
            .add(
                "sink",
                Nodes.sink(
                    Long.class,
                    x -> {
                      seen.add(x);
                      if (x == 1) {
                        try {
                          self.get().stop(LONG);
                        } catch (RuntimeException e) {
                          thrown.set(e);
                        }
                      }
                    }))
            .ingress("in", "sink.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    self.set(running);
    try {
      SchedulerFixtures.putAll(running, 1, 2, 3);
      assertThat(running.awaitQuiescence(LONG)).isTrue();

      assertThat(thrown.get())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("a worker of graph 'stop-inside'")
          .hasMessageContaining("Call stop() from another thread");
      assertThat(running.isRunning()).isTrue();
      assertThat(seen).containsExactly(1L, 2L, 3L);
    } finally {
      stopQuietly(running);
    }
    ShutdownReport report = running.stop(LONG);
    assertThat(report.timedOut()).isFalse();
    assertThat(report.undelivered()).isZero();
  }
}
