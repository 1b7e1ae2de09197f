package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resource limiter's memory-hungry neighbour: the plan's actor takes heap at its k-th operation
 * and holds it through the safety phase; the graph still delivers everything, and the memory is let
 * go when the faults stop.
 */
class MemoryHogTest {

  @Test
  void memoryHog_holdsHeapDuringSafetyAndReleasesItAfter(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    long bytes = 32L << 20;
    Fault hog = Fault.memoryHogAt("32 MiB neighbour", 1, bytes);
    FaultPlan plan = FaultPlan.of(hog);

    StressResult result =
        StressTest.named("memory-hog")
            .graph(FaultGraphs.pipeline(FaultGraphs::forwarder, ledger))
            .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
            .actor("feeder", FaultGraphs.feeder(ids, ledger))
            .actor("faults", plan.actor())
            .operations(1_000)
            .ledger(ledger)
            .faults(plan)
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
    assertThat(hog.fired()).isEqualTo(1);
    assertThat(hog.firings()).containsExactly(1L);
    assertThat(plan.heldBytes()).as("let go when the plan was disarmed").isZero();
  }
}
