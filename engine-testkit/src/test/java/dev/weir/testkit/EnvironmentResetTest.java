package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resets while feeders run on their own threads: each reset stops the graph (BLOCK edges drain) and
 * starts a fresh one between operations, so the ledger still balances over every graph.
 */
class EnvironmentResetTest {

  @Test
  void resetsUnderLoad_keepEveryMessageAccountedFor(@TempDir Path artifacts) {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();

    StressResult result =
        StressTest.named("resets")
            .graph(Pipelines.through(Pipelines::forwarder, ledger, order))
            .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
            .actors("feeder", 2, Pipelines.feeder(ids, ledger))
            .actor("resetter", Pipelines.resetter(50))
            .operations(3_000)
            .ledger(ledger)
            .check("fifo", order.fifo())
            .check("clean stops", Checkers.cleanShutdown())
            .check(
                "one graph per reset, plus the first",
                Checkers.invariant(
                    "incarnations are numbered in order",
                    run -> {
                      for (int i = 0; i < run.incarnations().size(); i++) {
                        if (run.incarnations().get(i).index() != i) {
                          return false;
                        }
                      }
                      return true;
                    }))
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
    assertThat(result.run().incarnations()).hasSizeGreaterThan(1);
  }
}
