package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic mode: one worker, a virtual clock, the actors driven from one thread in seeded
 * order; the same seed must give the same trace hash and the same ledger.
 */
class DeterminismTest {

  private static StressResult runOnce(long seed, Path artifacts) {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    return StressTest.named("deterministic")
        .graph(Pipelines.through(Pipelines::forwarder, ledger, order))
        .scheduler(b -> b.deadLetters(ledger.deadLetters()))
        .actors("feeder", 3, Pipelines.feeder(ids, ledger))
        .actor("resetter", Pipelines.resetter(100))
        .deterministic(Duration.ofMillis(1))
        .operations(1_500)
        .seed(seed)
        .ledger(ledger)
        .check("fifo", order.fifo())
        .artifacts(artifacts)
        .console(line -> {})
        .run();
  }

  @Test
  void sameSeed_sameTraceHashAndLedger(@TempDir Path one, @TempDir Path two) {
    long seed = Seeds.pick();
    StressResult first = runOnce(seed, one);
    StressResult second = runOnce(seed, two);

    first.assertPassed();
    second.assertPassed();
    assertThat(first.traceHash()).isPresent();
    assertThat(second.traceHash()).as(first.summary()).isEqualTo(first.traceHash());
    assertThat(first.run().incarnations())
        .as("the resetter restarted the graph")
        .hasSizeGreaterThan(1);
    assertThat(second.run().incarnations()).hasSameSizeAs(first.run().incarnations());
    assertThat(second.check("conservation").detail())
        .isEqualTo(first.check("conservation").detail());
  }

  @Test
  void deterministicRun_withoutAnOperationCount_isRefused() {
    StressTest test =
        StressTest.named("no-count")
            .graph(
                Pipelines.through(
                    Pipelines::forwarder,
                    ConservationLedger.of(Item.class, Item::id),
                    DeliveryOrder.create()))
            .actor("idle", (env, random) -> Outcome.NOT_COUNTED)
            .duration(Duration.ofSeconds(1))
            .deterministic(Duration.ZERO);

    org.assertj.core.api.Assertions.assertThatThrownBy(test::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operations(n)");
  }
}
