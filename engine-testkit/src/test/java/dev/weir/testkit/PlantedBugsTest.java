package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bugs planted in a graph or a run that the checkers must catch: a message lost under BLOCK, a
 * reordered edge, a checker that throws, an actor that throws. Each run is seeded ({@code
 * -Dweir.seed} replays it) and bounded by an operation count.
 */
class PlantedBugsTest {

  private final ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
  private final DeliveryOrder order = DeliveryOrder.create();
  private final AtomicLong ids = new AtomicLong();

  private StressTest pipeline(
      Path artifacts, String name, java.util.function.Supplier<dev.weir.core.Node> middle) {
    return StressTest.named(name)
        .graph(Pipelines.through(middle, ledger, order))
        .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
        .actors("feeder", 2, Pipelines.feeder(ids, ledger))
        .operations(2_000)
        .ledger(ledger)
        .check("fifo", order.fifo())
        .artifacts(artifacts)
        .console(line -> {});
  }

  @Test
  void forwarder_keepsEveryCheckValid(@TempDir Path artifacts) {
    StressResult result = pipeline(artifacts, "forwarder", Pipelines::forwarder).run();

    result.assertPassed();
  }

  @Test
  void nodeSwallowingMessagesUnderBlock_isCaughtByTheLedger(@TempDir Path artifacts) {
    AtomicLong swallowed = new AtomicLong();
    StressResult result =
        pipeline(artifacts, "swallowing", () -> Pipelines.swallowing(swallowed)).run();

    assertThat(result.passed()).isFalse();
    CheckResult conservation = result.check("conservation");
    assertThat(conservation.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(conservation.detail()).contains("lost, e.g. ids");
    assertThat(swallowed.get()).as("the planted bug fired").isPositive();
    assertThat(ledger.totals(result.run()).lost())
        .as("exactly the swallowed messages are lost")
        .isEqualTo(swallowed.get());
    assertThat(result.check("fifo").verdict()).isEqualTo(Verdict.VALID);
    assertThat(result.folder().resolve("seed.txt")).hasContent(Long.toString(result.seed()));
    assertThat(result.folder().resolve("replay.txt"))
        .content()
        .contains("-Dweir.seed=" + result.seed(), "PlantedBugsTest#");
    assertThat(result.folder().resolve("snapshot.txt")).content().contains("middle.out->sink.in");
    assertThat(result.folder().resolve("resources.csv"))
        .content()
        .startsWith("elapsedMillis,heapAfterGcBytes");
    assertThat(result.folder().resolve("report.json")).content().contains("\"passed\" : false");
  }

  @Test
  void nodeSwappingNeighbours_isCaughtByTheFifoCheck(@TempDir Path artifacts) {
    StressResult result = pipeline(artifacts, "swapping", Pipelines::swapping).run();

    assertThat(result.passed()).isFalse();
    CheckResult fifo = result.check("fifo");
    assertThat(fifo.verdict()).as(result.summary()).isEqualTo(Verdict.INVALID);
    assertThat(fifo.detail()).contains("out of order", "DATA #");
    assertThat(result.check("conservation").verdict())
        .as("swapping loses nothing: only the order check may object\n%s", result.summary())
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void checkerThatThrows_isUnknownAndFailsTheRun(@TempDir Path artifacts) {
    StressResult result =
        pipeline(artifacts, "throwing-checker", Pipelines::forwarder)
            .check(
                "broken",
                run -> {
                  throw new IllegalStateException("cannot decide");
                })
            .check("silent", run -> nothing())
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(result.check("broken").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.check("broken").detail()).contains("cannot decide");
    assertThat(result.check("silent").verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.check("conservation").verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void actorThatThrows_stopsTheRunWithItsStackTrace(@TempDir Path artifacts) {
    StressResult result =
        pipeline(artifacts, "throwing-actor", Pipelines::forwarder)
            .actor(
                "saboteur",
                (env, random) -> {
                  if (env.operations() >= 100) {
                    throw new IllegalStateException("planted failure");
                  }
                  return Outcome.NOT_COUNTED;
                })
            .operations(Long.MAX_VALUE - 1)
            .duration(Duration.ofMinutes(5))
            .run();

    assertThat(result.passed()).isFalse();
    assertThat(result.failure())
        .hasValueSatisfying(
            f -> assertThat(f).contains("actor 'saboteur' threw", "planted failure"));
    assertThat(result.run().operations()).isLessThan(Long.MAX_VALUE - 1);
    assertThat(result.folder().resolve("summary.txt")).content().contains("planted failure");
  }

  /** What a careless checker returns, hidden from NullAway: the run must treat it as UNKNOWN. */
  @SuppressWarnings("NullAway")
  private static CheckResult nothing() {
    return null;
  }
}
