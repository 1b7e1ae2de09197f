package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Node;
import dev.weir.core.Nodes;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness phase: once the faults are off, a graph that cannot drain fails the run. The planted
 * bug is a node that stalls forever on its 50th message (it waits for a latch this test releases
 * only in teardown); the injected throws alone would have drained.
 */
class LivenessTest {

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicLong handled = new AtomicLong();

  @AfterEach
  void releaseTheStalledNode() {
    release.countDown();
  }

  private Node stallingAt(long k) {
    return Nodes.map(
        Reading.class,
        Reading.class,
        r -> {
          if (handled.incrementAndGet() == k) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return r;
        });
  }

  @Test
  void nodeThatNeverReturns_failsTheLivenessPhase(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    Fault flaky = Fault.throwAt("throw at 10", 10);
    FaultPlan plan = FaultPlan.of(flaky);

    StressResult result =
        StressTest.named("stalled")
            .graph(FaultGraphs.pipeline(() -> plan.wrap(stallingAt(50)), ledger))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            // 60 accepted puts: past the stall at the node's 51st message, and within what the
            // edges hold behind it, so no put waits on the stall.
            .actor("feeder", FaultGraphs.feeder(ids, ledger))
            .operations(60)
            .faults(plan)
            .liveness(Duration.ofMillis(200))
            .stopTimeout(Duration.ofMillis(500))
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(handled.get()).as("the planted stall was reached").isGreaterThanOrEqualTo(50);
    assertThat(result.check("liveness").verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(result.check("liveness").detail())
        .contains("did not drain within PT0.2S after the faults stopped", "middle");
    assertThat(result.check("faults").verdict()).isEqualTo(Verdict.VALID);
  }
}
