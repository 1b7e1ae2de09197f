package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.Verdict;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fault that never fired tested nothing: the run reports it NOT_EXERCISED and fails (the {@code
 * faults} check is UNKNOWN), even though every other check passed.
 */
class NotExercisedTest {

  @Test
  void faultBeyondTheRunsLastMessage_isNotExercisedAndFailsTheRun(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    Fault reached = Fault.throwAt("reached", 10);
    Fault unreachable = Fault.throwAt("unreachable", 1_000_000);
    FaultPlan plan = FaultPlan.of(reached, unreachable);

    StressResult result =
        StressTest.named("not-exercised")
            .graph(FaultGraphs.pipeline(() -> plan.wrap(FaultGraphs.forwarder()), ledger))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor("feeder", FaultGraphs.feeder(ids, ledger))
            .operations(200)
            .ledger(ledger)
            .faults(plan)
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    assertThat(result.passed()).as(result.summary()).isFalse();
    assertThat(result.check("faults").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.check("faults").detail())
        .contains("reached FIRED 1", "unreachable NOT_EXERCISED");
    assertThat(result.check("conservation").verdict()).isEqualTo(Verdict.VALID);
    assertThat(result.check("liveness").verdict()).isEqualTo(Verdict.VALID);
    assertThat(plan.verdicts())
        .containsEntry("reached", "FIRED 1")
        .containsEntry("unreachable", "NOT_EXERCISED");
    assertThat(result.folder().resolve("report.json"))
        .content()
        .contains("\"passed\" : false", "\"verdict\" : \"NOT_EXERCISED\"");
  }
}
