package dev.weir.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's CONTROL lane under the toolkit's order checks: feeders mix CONTROL offers into their
 * DATA stream; a CONTROL message may overtake queued DATA, but DATA sent after it must never arrive
 * first, and each plane stays in order. ({@link DeliveryOrderTest} shows that the checks reject the
 * opposite.)
 */
class ControlOrderTest {

  @Test
  void mixedControlAndData_arriveControlFirstAndInOrder(@TempDir Path artifacts) {
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    AtomicLong streams = new AtomicLong();
    ThreadLocal<long[]> state =
        ThreadLocal.withInitial(() -> new long[] {streams.getAndIncrement(), 0});

    StressResult result =
        StressTest.named("control-order")
            .graph(Pipelines.direct(ledger, order))
            .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
            .actors(
                "feeder",
                2,
                (env, random) -> {
                  long[] s = state.get();
                  Item item = new Item(ids.getAndIncrement(), "feeder-" + s[0], s[1]++);
                  var in = env.ingress("in", Item.class);
                  var sent =
                      random.nextInt(8) == 0
                          ? in.offerControl(item)
                          : in.put(item, Duration.ofSeconds(10));
                  return ledger.offered(item, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                })
            .operations(4_000)
            .ledger(ledger)
            .check("fifo per plane", order.fifo())
            .check("control before data", order.controlBeforeData())
            .artifacts(artifacts)
            .console(line -> {})
            .run();

    result.assertPassed();
  }
}
