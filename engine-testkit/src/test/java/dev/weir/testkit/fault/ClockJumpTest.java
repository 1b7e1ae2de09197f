package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing disruptor's clock jumps: the plan's actor moves the deterministic run's virtual clock
 * ahead at seeded moments, the graph still delivers everything, and the jumps show on the graph
 * clock.
 */
class ClockJumpTest {

  @Test
  void clockJumps_moveTheVirtualClockAndLoseNothing(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    Fault leap = Fault.clockJumpWithProbability("leap 1 h", 0.2, Duration.ofHours(1));
    FaultPlan plan = FaultPlan.of(leap);

    StressResult result =
        StressTest.named("clock-jumps")
            .graph(FaultGraphs.pipeline(FaultGraphs::forwarder, ledger))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor("feeder", FaultGraphs.feeder(ids, ledger))
            .actor("faults", plan.actor())
            .deterministic(Duration.ofMillis(1))
            .operations(300)
            .ledger(ledger)
            .faults(plan)
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
    assertThat(leap.fired()).isPositive();
    assertThat(result.run().last().afterStop().clockNanos())
        .as("the graph clock moved by at least every jump")
        .isGreaterThanOrEqualTo(leap.fired() * Duration.ofHours(1).toNanos());
  }
}
