package dev.weir.testkit.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed model: N actors of a {@link StressTest}, each timed by {@link ClosedLoad}. Checks that
 * every counted operation, and only those, lands in the histogram (no timing verdict).
 *
 * <pre>
 *   ingress "in" ──BLOCK(16)──► sink
 * </pre>
 */
class ClosedLoadTest {

  @Test
  @SuppressWarnings("NullAway") // passes null on purpose
  void timedActors_recordEveryCountedOperation_andNothingElse(@TempDir Path artifacts) {
    ClosedLoad clients = ClosedLoad.create();
    AtomicLong delivered = new AtomicLong();
    AtomicLong calls = new AtomicLong();
    StressResult run =
        StressTest.named("closed-load")
            .graph(
                () ->
                    Graph.builder("closed")
                        .add("sink", Nodes.sink(Long.class, x -> delivered.incrementAndGet()))
                        .ingress("in", "sink.in", EdgeSpec.blocking(16))
                        .build())
            .actors(
                "client",
                3,
                clients.timed(
                    (env, random) -> {
                      if (calls.incrementAndGet() % 4 == 0) {
                        return Outcome.NOT_COUNTED; // not workload: not recorded
                      }
                      env.ingress("in", Long.class).put(1L, Duration.ofSeconds(10));
                      return Outcome.COUNTED;
                    }))
            .operations(600)
            .duration(Duration.ofMinutes(1))
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    run.assertPassed();
    assertThat(clients.operations()).isEqualTo(run.run().operations());
    assertThat(clients.latency().getTotalCount()).isEqualTo(clients.operations());
    assertThat(clients.operations()).isGreaterThanOrEqualTo(600);
    assertThat(clients.throughputPerSecond()).isPositive();
    assertThat(clients.summary())
        .startsWith("closed load: " + clients.operations() + " operations");
    assertThatThrownBy(() -> clients.timed(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("actor");
  }
}
