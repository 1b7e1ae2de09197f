package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.WorkerThreads;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An error the JVM may not survive ({@code OutOfMemoryError}, {@code InternalError}, {@code
 * UnknownError}) escaping a node's hook is not absorbed by the node's error policy: its worker
 * thread ends with it. The graph does not stall silently behind that worker (with one worker, it
 * would never run again): it stops, as under STOP_GRAPH, without waiting for a drain no worker is
 * left to do, the message in hand is dead-lettered with the error, and the report names the error.
 * (Found by a seeded graph fuzzer's probes.)
 *
 * <pre>
 *   ingress "bad"  ──► bad (throws InternalError)
 *   ingress "good" ──► good
 * </pre>
 */
class FatalErrorStopsGraphTest {

  @WorkerCounts
  void aFatalErrorInAHook_stopsTheGraph_andAccountsForTheMessageInHand(int workers)
      throws Exception {
    ConcurrentLinkedQueue<DeadLetter> dead = new ConcurrentLinkedQueue<>();
    String name = "fatal-" + workers;
    Graph graph =
        Graph.builder(name)
            .add(
                "bad",
                Nodes.sink(
                    Long.class,
                    x -> {
                      throw new InternalError("planted on " + x);
                    }))
            .add("good", Nodes.sink(Long.class, x -> {}))
            .ingress("bad", "bad.in", EdgeSpec.blocking(8))
            .ingress("good", "good.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .deadLetters(dead::add)
            .stopGraphTimeout(Duration.ofSeconds(30))
            .build()
            .start(graph);
    Ingress<Long> bad = running.ingress("bad", Long.class);
    bad.offer(7L);

    // Well before the 30 s drain timeout: the stop does not wait for workers that are gone.
    // (The worker thread dies with the error, as intended: Awaitility must not fail on it.)
    await()
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !running.isRunning());
    ShutdownReport report = running.stop(Duration.ofSeconds(5));

    String context = report.render() + "dead letters: " + dead;
    assertThat(report.stopFailures())
        .as(context)
        .anySatisfy(f -> assertThat(f).contains("fatal error").contains("InternalError"));
    assertThat(dead)
        .as(context)
        .anySatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.NODE_FAILED);
              assertThat(d.message().payload()).isEqualTo(7L);
              assertThat(d.cause()).isInstanceOf(InternalError.class);
            });
    assertThat(WorkerThreads.named("weir-" + name + "-")).as(context).isEmpty();
  }
}
