package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package documentation's example (the same lines, plus assertions on what the run printed and
 * wrote), run: two feeders push items through a map node into a sink over BLOCK edges on two
 * workers, and the ledger, FIFO and clean-stop checkers must all pass.
 *
 * <p>Run it: {@code mvn -B -ntp -pl engine-testkit -am verify -Dtest=ExampleStressTest
 * -Dsurefire.failIfNoSpecifiedTests=false [-Dweir.seed=N]}.
 */
class ExampleStressTest {

  @Test
  void pipeline_underTwoFeeders_losesAndReordersNothing(@TempDir Path artifacts) throws Exception {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    ThreadLocal<long[]> seq = ThreadLocal.withInitial(() -> new long[1]); // a stream per feeder
    List<String> lines = new CopyOnWriteArrayList<>();
    StressResult result =
        StressTest.named("pipeline")
            .graph(
                () ->
                    Graph.builder("pipeline")
                        .add("copy", Nodes.map(Item.class, Item.class, item -> item))
                        .add(
                            "sink",
                            Nodes.sink(
                                Item.class,
                                item -> {
                                  ledger.delivered(item);
                                  order.delivered(item.stream(), item.seq(), false);
                                }))
                        .connect("copy.out", "sink.in", EdgeSpec.blocking(8))
                        .ingress("in", "copy.in", EdgeSpec.blocking(16))
                        .build())
            .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
            .actors(
                "feeder",
                2,
                (env, random) -> {
                  Item item =
                      new Item(
                          ids.getAndIncrement(), Thread.currentThread().getName(), seq.get()[0]++);
                  OfferResult sent = env.ingress("in", Item.class).put(item, Duration.ofSeconds(5));
                  return ledger.offered(item, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                })
            .operations(5_000)
            .duration(Duration.ofMinutes(1))
            .ledger(ledger)
            .check("fifo", order.fifo())
            .check("clean stop", Checkers.cleanShutdown())
            .artifacts(artifacts)
            .console(lines::add)
            .run();

    result.assertPassed();
    assertThat(lines.get(0)).startsWith("weir-stress 'pipeline': seed " + result.seed());
    assertThat(result.replayCommand())
        .contains(
            "-pl engine-testkit", "-Dtest='ExampleStressTest#", "-Dweir.seed=" + result.seed());
    assertThat(result.checks().keySet())
        .containsExactly("conservation", "fifo", "clean stop", "watchdog");

    Path report = result.folder().resolve("report.json");
    assertThat(report).exists();
    try (Stream<Path> files = Files.list(result.folder())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("a passing run writes only its reports")
          .containsExactlyInAnyOrder("report.json", "report.md", "report.html");
    }
    Map<String, Object> json = dev.weir.testkit.internal.Artifacts.read(report);
    assertThat(json)
        .containsEntry("seed", result.seed())
        .containsEntry("deterministic", false)
        .containsEntry("passed", true)
        .containsEntry("traceHash", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> totals = (Map<String, Object>) Objects.requireNonNull(json.get("ledger"));
    assertThat(((Number) Objects.requireNonNull(totals.get("sent"))).longValue())
        .isGreaterThanOrEqualTo(5_000);
    assertThat(totals.get("delivered")).isEqualTo(totals.get("sent"));
    assertThat(totals).containsEntry("lost", 0).containsEntry("deadLettered", 0);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> scenarios = (List<Map<String, Object>>) json.get("scenarios");
    assertThat(scenarios)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s).containsEntry("name", "pipeline").containsEntry("passed", true);
              assertThat(
                      ((Map<?, ?>) Objects.requireNonNull(s.get("verdicts"))).keySet().toString())
                  .isEqualTo("[conservation, fifo, clean stop, watchdog]");
            });
  }
}
