/**
 * The stress toolkit: write a stress test for your own graph in about thirty lines, with a
 * replayable seed, a status line, checkers and failure artifacts.
 *
 * <p>A run is an {@link dev.weir.testkit.Environment} (the graph under test, restarted on demand,
 * and what outlives a restart) worked on by {@link dev.weir.testkit.Actor}s, each on its own
 * thread, until the exit criteria (a duration and/or a number of counted operations). Each
 * operation returns an {@link dev.weir.testkit.Outcome}; anything thrown stops the run. While it
 * runs, a {@link dev.weir.testkit.Watchdog} stops it when the graph stalls or threads deadlock, and
 * each {@link dev.weir.testkit.LiveInvariant} is checked at every sample. Afterwards each {@link
 * dev.weir.testkit.Checker} gives a {@link dev.weir.testkit.Verdict}, and the run writes {@code
 * report.json}, {@code report.md} and {@code report.html} (charts of throughput, heap after GC and
 * threads over time) and, when it failed, its artifacts to {@code target/weir-stress/NAME-seedN}.
 *
 * <pre>{@code
 * record Item(long id, String stream, long seq) {}
 *
 * @Test
 * void pipeline_underTwoFeeders_losesAndReordersNothing() {
 *   ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
 *   DeliveryOrder order = DeliveryOrder.create();
 *   AtomicLong ids = new AtomicLong();
 *   ThreadLocal<long[]> seq = ThreadLocal.withInitial(() -> new long[1]); // a stream per feeder
 *   StressTest.named("pipeline")
 *       .graph(() -> Graph.builder("pipeline")
 *           .add("copy", Nodes.map(Item.class, Item.class, item -> item))
 *           .add("sink", Nodes.sink(Item.class, item -> {
 *             ledger.delivered(item);
 *             order.delivered(item.stream(), item.seq(), false);
 *           }))
 *           .connect("copy.out", "sink.in", EdgeSpec.blocking(8))
 *           .ingress("in", "copy.in", EdgeSpec.blocking(16))
 *           .build())
 *       .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
 *       .actors("feeder", 2, (env, random) -> {
 *         Item item = new Item(ids.getAndIncrement(), Thread.currentThread().getName(), seq.get()[0]++);
 *         OfferResult sent = env.ingress("in", Item.class).put(item, Duration.ofSeconds(5));
 *         return ledger.offered(item, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
 *       })
 *       .operations(5_000)
 *       .duration(Duration.ofMinutes(1))
 *       .ledger(ledger)
 *       .check("fifo", order.fifo())
 *       .check("clean stop", Checkers.cleanShutdown())
 *       .run()
 *       .assertPassed();
 * }
 * }</pre>
 *
 * <p>{@code ExampleStressTest} in this module's tests runs these lines.
 *
 * <p>Replay a run with the command its banner prints: the same test with {@code -Dweir.seed=N}.
 * Runs on several workers replay the same choices (actor draws, scheduler seed), not the same
 * interleaving; {@link dev.weir.testkit.StressTest#deterministic} replays the run itself.
 */
@NullMarked
package dev.weir.testkit;

import org.jspecify.annotations.NullMarked;
