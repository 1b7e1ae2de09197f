/**
 * The stress toolkit: write a stress test for your own graph in about thirty lines, with a
 * replayable seed, a status line, checkers and failure artifacts.
 *
 * <p>A run is an {@link dev.weir.testkit.Environment} (the graph under test, restarted on demand,
 * and what outlives a restart) worked on by {@link dev.weir.testkit.Actor}s, each on its own
 * thread, until the exit criteria (a duration and/or a number of counted operations). Each
 * operation returns an {@link dev.weir.testkit.Outcome}; anything thrown stops the run. Afterwards
 * each {@link dev.weir.testkit.Checker} gives a {@link dev.weir.testkit.Verdict}, and the run
 * writes {@code report.json} (and, when it failed, its artifacts) to {@code
 * target/weir-stress/NAME-seedN}.
 *
 * <pre>{@code
 * record Item(long id, long seq) {}
 *
 * @Test
 * void pipeline_underTwoFeeders_losesAndReordersNothing() {
 *   ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
 *   DeliveryOrder order = DeliveryOrder.create();
 *   AtomicLong ids = new AtomicLong();
 *   StressTest.named("pipeline")
 *       .graph(() -> Graph.builder("pipeline")
 *           .add("double", Nodes.map(Item.class, Item.class, i -> i))
 *           .add("sink", Nodes.sink(Item.class, item -> {
 *             ledger.delivered(item);
 *             order.delivered("feeder-" + (item.id() & 1), item.seq(), false);
 *           }))
 *           .connect("double.out", "sink.in", EdgeSpec.blocking(8))
 *           .ingress("in", "double.in", EdgeSpec.blocking(16))
 *           .build())
 *       .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
 *       .actors("feeder", 2, (env, random) -> {
 *         long id = ids.getAndIncrement();
 *         Item item = new Item(id, id >> 1);
 *         return ledger.offered(item, env.ingress("in", Item.class).offer(item))
 *             ? Outcome.COUNTED : Outcome.NOT_COUNTED;
 *       })
 *       .operations(20_000)
 *       .duration(Duration.ofMinutes(1))
 *       .ledger(ledger)
 *       .check("fifo", order.fifo())
 *       .check("clean stop", Checkers.cleanShutdown())
 *       .run()
 *       .assertPassed();
 * }
 * }</pre>
 *
 * <p>(The feeders above share one id counter, so their sequence numbers interleave across streams;
 * a real test gives each feeder its own stream. {@code ExampleStressTest} in this module's tests
 * runs a complete version.)
 *
 * <p>Replay a run with the command its banner prints: the same test with {@code -Dweir.seed=N}.
 * Runs on several workers replay the same choices (actor draws, scheduler seed), not the same
 * interleaving; {@link dev.weir.testkit.StressTest#deterministic} replays the run itself.
 */
@NullMarked
package dev.weir.testkit;

import org.jspecify.annotations.NullMarked;
