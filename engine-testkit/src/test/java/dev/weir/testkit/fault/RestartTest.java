package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.NodeState;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node kill and restart through the engine's error policies: a node that throws under {@code
 * RESTART} is restarted and the run stays balanced (the testkit's ledger and the engine's shutdown
 * ledger); one that throws under {@code STOP_NODE} stops, and the graph still drains.
 */
class RestartTest {

  @Test
  void throwingNodeUnderRestart_isRestartedAndEveryLedgerBalances(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    Fault crash = Fault.throwWithProbability("crash 2%", 0.02);
    FaultPlan plan = FaultPlan.of(crash);

    StressResult result =
        StressTest.named("restarts")
            .graph(
                FaultGraphs.pipeline(
                    () -> plan.wrap(FaultGraphs.forwarder()),
                    ledger,
                    ErrorPolicy.restart(1_000, Duration.ofMinutes(1))))
            .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
            .actors("feeder", 2, FaultGraphs.feeder(ids, ledger))
            .operations(2_000)
            .ledger(ledger)
            .faults(plan)
            .check("engine ledger", FaultChecks.balancedLedgers())
            .check("restarted", FaultChecks.restarted("middle", 1))
            .check("clean stop", Checkers.cleanShutdown())
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
    GraphSnapshot.NodeView middle = FaultGraphs.middle(result);
    assertThat(middle.restarts()).as("one restart per injected throw").isEqualTo(crash.fired());
    assertThat(ledger.totals(result.run()).deadLettered()).isEqualTo(crash.fired());
  }

  @Test
  void throwingNodeUnderStopNode_stopsAndTheGraphStillDrains(@TempDir Path artifacts) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    Fault kill = Fault.throwAt("kill at 50", 50);
    FaultPlan plan = FaultPlan.of(kill);

    StressResult result =
        StressTest.named("stop-node")
            .graph(
                FaultGraphs.pipeline(
                    () -> plan.wrap(FaultGraphs.forwarder()), ledger, ErrorPolicy.STOP_NODE))
            .scheduler(b -> b.deadLetters(ledger.deadLetters()))
            .actor(
                "feeder",
                (env, random) -> {
                  Reading r = new Reading(ids.getAndIncrement(), random.nextLong());
                  ledger.offered(
                      r, env.ingress("in", Reading.class).put(r, Duration.ofSeconds(10)));
                  return Outcome.COUNTED; // every attempt counts: puts are refused once it stopped
                })
            .operations(500)
            .ledger(ledger)
            .faults(plan)
            .check("engine ledger", FaultChecks.balancedLedgers())
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
    GraphSnapshot.NodeView middle = FaultGraphs.middle(result);
    assertThat(middle.state()).isEqualTo(NodeState.FAILED);
    assertThat(result.check("liveness").verdict()).isEqualTo(Verdict.VALID);
  }
}
