package dev.weir.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.scheduler.GraphSnapshot;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The error injector: a wrapped node throws at its k-th message exactly once, or on each message
 * with probability p drawn from the run seed, so the same seed fires at the same messages. Each
 * injected throw is dead-lettered by the default CONTINUE policy and the ledger still balances.
 */
class ErrorInjectorTest {

  private static StressResult run(long seed, Path artifacts, Fault fault) {
    ConservationLedger<Reading> ledger = ConservationLedger.of(Reading.class, Reading::id);
    AtomicLong ids = new AtomicLong();
    FaultPlan plan = FaultPlan.of(fault);
    return StressTest.named("error-injector")
        .graph(FaultGraphs.pipeline(() -> plan.wrap(FaultGraphs.forwarder()), ledger))
        .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
        .actor("feeder", FaultGraphs.feeder(ids, ledger))
        .operations(1_000)
        .seed(seed)
        .ledger(ledger)
        .faults(plan)
        .check("clean stop", Checkers.cleanShutdown())
        .artifacts(artifacts)
        .console(line -> {})
        .run();
  }

  @Test
  void throwAt_firesOnTheKthMessageOnly(@TempDir Path artifacts) {
    Fault boom = Fault.throwAt("boom at 100", 100);

    StressResult result = run(Seeds.pick(), artifacts, boom);

    result.assertPassed();
    assertThat(boom.fired()).isEqualTo(1);
    assertThat(boom.firings()).containsExactly(100L);
    GraphSnapshot.NodeView middle = FaultGraphs.middle(result);
    assertThat(middle.errors()).as("the node threw once").isEqualTo(1);
    assertThat(result.check("conservation").detail()).contains("deadLettered=1");
    assertThat(result.check("faults").detail()).isEqualTo("boom at 100 FIRED 1");
    assertThat(result.folder().resolve("report.json"))
        .content()
        .contains("\"verdict\" : \"FIRED\"", "\"fired\" : 1");
  }

  @Test
  void throwWithProbability_sameSeedFiresAtTheSameMessages(
      @TempDir Path one, @TempDir Path two, @TempDir Path three) {
    long seed = Seeds.pick();
    Fault first = Fault.throwWithProbability("flaky", 0.05);
    Fault second = Fault.throwWithProbability("flaky", 0.05);
    Fault other = Fault.throwWithProbability("flaky", 0.05);

    run(seed, one, first).assertPassed();
    run(seed, two, second).assertPassed();
    run(seed + 1, three, other).assertPassed();

    List<Long> pattern = first.firings();
    assertReplays(seed, pattern, second.firings());
    assertThat(other.firings()).as("another seed fires elsewhere").isNotEqualTo(pattern);
    // 1,000 messages at p = 0.05: mean 50, sd 6.9; these bounds are 5 sd wide.
    assertThat(first.fired()).as("seed %d", seed).isBetween(15L, 85L);
    assertThat(pattern).isSorted().doesNotHaveDuplicates().allMatch(op -> op >= 1 && op <= 1_000);
  }

  @Test
  void delayWithProbability_stallsTheHookFromTheSeedAndLosesNothing(
      @TempDir Path one, @TempDir Path two) {
    long seed = Seeds.pick();
    Fault first = Fault.delayWithProbability("stall", 0.02, Duration.ofMillis(1));
    Fault second = Fault.delayWithProbability("stall", 0.02, Duration.ofMillis(1));

    StressResult result = run(seed, one, first);
    run(seed, two, second).assertPassed();

    result.assertPassed();
    assertThat(first.fired()).as("seed %d", seed).isPositive();
    assertReplays(seed, first.firings(), second.firings());
    GraphSnapshot.NodeView middle = FaultGraphs.middle(result);
    assertThat(middle.errors()).as("a delay is not a failure").isZero();
  }

  /**
   * The same seed fires at the same message numbers. Messages still in flight when the actors stop
   * reach the node after the plan was disarmed (the liveness phase), and how many that is depends
   * on the interleaving: so one run's firings are a prefix of the other's.
   */
  private static void assertReplays(long seed, List<Long> one, List<Long> two) {
    List<Long> shorter = one.size() <= two.size() ? one : two;
    List<Long> longer = shorter == one ? two : one;
    assertThat(longer)
        .as("seed %d replays the firings", seed)
        .startsWith(shorter.toArray(Long[]::new));
    assertThat(shorter).as("seed %d", seed).isNotEmpty();
  }
}
