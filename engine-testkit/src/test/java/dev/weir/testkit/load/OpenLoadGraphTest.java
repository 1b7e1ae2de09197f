package dev.weir.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.load.LoadOperation.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A short open-load run against a real graph, on the system clock. It checks the accounting only
 * (every intended operation ends up completed, failed, lost or not started, and the sink saw each
 * completion once); how fast this machine is decides no verdict.
 *
 * <pre>
 *   ingress "in" ──BLOCK(256)──► stamp (map) ──BLOCK(64)──► sink: load.complete(intended)
 * </pre>
 */
class OpenLoadGraphTest {

  /** What travels through the graph: the operation's number and its intended start. */
  record Timed(long seq, long intendedStartNanos) {}

  @Test
  void openLoad_throughAPipeline_accountsForEveryIntendedOperation() {
    LoadProfile profile = LoadProfile.constant(2_000, Duration.ofMillis(500));
    OpenLoad load = OpenLoad.of(profile).interval(Duration.ofMillis(100));
    AtomicLong delivered = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    Graph graph =
        Graph.builder("open-load")
            .add("stamp", Nodes.map(Timed.class, Timed.class, t -> t))
            .add(
                "sink",
                Nodes.sink(
                    Timed.class,
                    t -> {
                      delivered.incrementAndGet();
                      load.complete(t.intendedStartNanos());
                    }))
            .connect("stamp.out", "sink.in", EdgeSpec.blocking(64))
            .ingress("in", "stamp.in", EdgeSpec.blocking(256))
            .build();
    RunningGraph running = Scheduler.builder().workers(1).build().start(graph);
    Ingress<Timed> in = running.ingress("in", Timed.class);

    LoadResult result =
        load.run(
            (seq, intended) -> {
              if (in.offer(new Timed(seq, intended)).status().isEnqueued()) {
                accepted.incrementAndGet();
                return Status.PENDING;
              }
              return Status.FAILED;
            });
    ShutdownReport stop = running.stop(Duration.ofSeconds(10));

    assertThat(result.intended()).isEqualTo(profile.intendedOperations()).isEqualTo(1_000);
    assertThat(result.balanced()).as(result.summary()).isTrue();
    assertThat(result.completed() + result.failed() + result.lost() + result.notStarted())
        .isEqualTo(result.intended());
    assertThat(result.completed()).isEqualTo(delivered.get());
    assertThat(result.completed() + result.lost()).isEqualTo(accepted.get());
    assertThat(result.intervals()).isNotEmpty();
    assertThat(result.intervals().stream().mapToLong(LoadInterval::started).sum())
        .isEqualTo(result.started());
    assertThat(result.intervals().stream().mapToLong(LoadInterval::completed).sum())
        .isEqualTo(result.completed());
    assertThat(stop.timedOut()).isFalse();
  }
}
