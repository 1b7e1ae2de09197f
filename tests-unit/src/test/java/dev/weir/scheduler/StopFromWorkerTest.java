package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code stop} cannot wait where the wait would include itself. Called on one of the graph's own
 * workers (from a hook, or from a callback the graph completes, such as a {@code thenRun} stage) it
 * would wait for its own activation, and called again on the thread already stopping the graph
 * (from {@code onStop} or a dead-letter handler) it would wait for that very stop. Both throw at
 * once with what to do instead; the first still gets the graph stopped, on a thread of its own.
 */
class StopFromWorkerTest {

  @Test
  void stopOnAWorkerThread_throwsAtOnce_andTheGraphStopsOnItsOwnThread() throws Exception {
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
    ShutdownReport report;
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long x = 1; x <= 3; x++) {
        assertThat(in.offer(x).status()).isIn(OfferStatus.ACCEPTED, OfferStatus.CLOSED);
      }
    } finally {
      report = running.stop(LONG);
    }

    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a worker of graph 'stop-inside'")
        .hasMessageContaining("stopping on thread weir-stop-inside-stopper instead");
    assertThat(report.timedOut()).isFalse();
    assertThat(report.undelivered()).isZero();
    long accepted = report.edges().get(0).delivered();
    assertThat(seen).hasSize((int) accepted).startsWith(1L);
  }

  @Test
  void stopCalledAgainFromOnStop_throwsInsteadOfWaitingForItself() throws Exception {
    AtomicReference<RunningGraph> self = new AtomicReference<>();
    AtomicReference<Throwable> inner = new AtomicReference<>();
    Node callsStop =
        new Node() {
          final PortSpec<Long> in = SchedulerFixtures.in();

          @Override
          public List<PortSpec<?>> inputs() {
            return List.of(in);
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}

          @Override
          public void onStop(NodeContext ctx) {
            try {
              self.get().stop(LONG); // e.g. a thenRun on a future this node completes here
            } catch (RuntimeException e) {
              inner.set(e);
            }
          }
        };
    Graph graph =
        Graph.builder("stop-in-onstop")
            .add("n", callsStop)
            .ingress("in", "n.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    self.set(running);

    CompletableFuture<ShutdownReport> stop =
        SchedulerFixtures.onNewThread("stopper", () -> running.stop(LONG));

    assertThat(stop.get(LONG.toMillis(), TimeUnit.MILLISECONDS).timedOut()).isFalse();
    assertThat(inner.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the thread stopping graph 'stop-in-onstop'");
    assertThat(running.stop(LONG)).as("later calls still return the report").isNotNull();
  }
}
