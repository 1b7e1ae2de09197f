package dev.weir.stress;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.DeliveryOrder;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.FaultChecks;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * External concurrency: 64 application threads feed four ingresses at once, each operation a random
 * choice of {@code offer}, {@code put}, {@code offerAll} and {@code putAll} (batches of 1 to 16)
 * into a random ingress, over small BLOCK edges so that the threads contend for room all the time.
 *
 * <pre>
 *   64 feeders ──► in0 ══BLOCK(8)══► hop0 ──┐
 *              ──► in1 ══BLOCK(8)══► hop1 ──┤
 *              ──► in2 ══BLOCK(8)══► hop2 ──┼──► sink   (2 workers)
 *              ──► in3 ══BLOCK(8)══► hop3 ──┘
 * </pre>
 *
 * <p>Guards against races in the ingress: an offer answered ACCEPTED that never reaches the sink,
 * one delivered twice, a batch that reports taking k payloads but enqueued another number, a
 * thread's offers to one ingress delivered out of order, or a waiting {@code put}/{@code putAll}
 * that is never woken. The ledger is exact: every payload an answer said was taken is delivered
 * once, the ingress edges' {@code accepted} counters equal the answers, and the shutdown report's
 * ledger balances.
 *
 * <p>Sizes: 10,000 operations at smoke scale; 150,000 (about 700,000 payloads) at nightly scale,
 * about 5 s on a loaded 2-core machine.
 *
 * <p>Run at nightly scale: {@code mvn -B -ntp -pl tests-stress -am verify -Djacoco.skip=true
 * -Dtest='IngressFeeders64StressTest' -Dweir.scale=nightly}.
 */
@WeirTest
class IngressFeeders64StressTest {

  private static final int FEEDERS = 64;
  private static final int INGRESSES = 4;
  private static final int MAX_BATCH = 16;
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** One payload: {@code stream} is the feeding thread and ingress, {@code seq} its order there. */
  record Item(long id, String stream, long seq) {}

  /** The four ways to feed an ingress. */
  enum Method {
    OFFER,
    PUT,
    OFFER_ALL,
    PUT_ALL
  }

  @Test
  void sixtyFourThreads_feedingFourIngresses_loseNothing(long seed) {
    SuiteScale scale = StressReports.scale();
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    AtomicLongArray acceptedPerIngress = new AtomicLongArray(INGRESSES);
    AtomicLongArray takenPerMethod = new AtomicLongArray(Method.values().length);
    ThreadLocal<long[]> seqs = ThreadLocal.withInitial(() -> new long[INGRESSES]);

    StressReports.record(
            StressTest.named("ingress-feeders-" + FEEDERS)
                .graph(() -> graph(ledger, order))
                .scheduler(b -> b.workers(2).deadLetters(ledger.deadLetters()))
                .actors(
                    "feeder",
                    FEEDERS,
                    (env, random) -> {
                      int ingress = random.nextInt(INGRESSES);
                      Method method = Method.values()[random.nextInt(Method.values().length)];
                      int size =
                          method == Method.OFFER || method == Method.PUT
                              ? 1
                              : 1 + random.nextInt(MAX_BATCH);
                      List<Item> batch = items(ids, seqs.get(), ingress, size);
                      Ingress<Item> in = env.ingress("in" + ingress, Item.class);
                      int taken = feed(in, method, batch, ledger);
                      acceptedPerIngress.addAndGet(ingress, taken);
                      takenPerMethod.addAndGet(method.ordinal(), taken);
                      return taken > 0 ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                    })
                .operations(scale.pick(10_000L, 150_000L))
                .duration(Duration.ofMinutes(2))
                .seed(seed)
                .ledger(ledger)
                .check("fifo", order.fifo())
                .check("engine ledger", FaultChecks.balancedLedgers())
                .check("clean stop", Checkers.cleanShutdown())
                .check("ingress counters match the answers", ingressCounters(acceptedPerIngress))
                .check("every method fed", everyMethod(takenPerMethod))
                .artifacts(StressReports.root())
                .run())
        .assertPassed();
  }

  private static Graph graph(ConservationLedger<Item> ledger, DeliveryOrder order) {
    GraphBuilder b =
        Graph.builder("feeders")
            .add(
                "sink",
                Nodes.sink(
                    Item.class,
                    item -> {
                      ledger.delivered(item);
                      order.delivered(item.stream(), item.seq(), false);
                    }));
    for (int i = 0; i < INGRESSES; i++) {
      b.add("hop" + i, Nodes.map(Item.class, Item.class, item -> item))
          .connect("hop" + i + ".out", "sink.in", EdgeSpec.blocking(8))
          .ingress("in" + i, "hop" + i + ".in", EdgeSpec.blocking(8));
    }
    return b.build();
  }

  /** The next {@code size} payloads of this thread's stream into {@code ingress}. */
  private static List<Item> items(AtomicLong ids, long[] seqs, int ingress, int size) {
    String stream = Thread.currentThread().getName() + "/in" + ingress;
    List<Item> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(new Item(ids.getAndIncrement(), stream, seqs[ingress]++));
    }
    return batch;
  }

  /**
   * Feeds the batch by one method and records in the ledger what the answer says was taken; on a
   * BLOCK edge every payload taken was accepted. Returns how many were taken.
   */
  private static int feed(
      Ingress<Item> in, Method method, List<Item> batch, ConservationLedger<Item> ledger)
      throws InterruptedException {
    switch (method) {
      case OFFER, PUT -> {
        Item item = batch.get(0);
        OfferResult r = method == Method.OFFER ? in.offer(item) : in.put(item, WAIT);
        return ledger.offered(item, r) ? 1 : 0;
      }
      default -> {
        BatchOfferResult r =
            method == Method.OFFER_ALL ? in.offerAll(batch) : in.putAll(batch, WAIT);
        if (r.count(OfferStatus.ACCEPTED) != r.taken()) {
          throw new AssertionError("a BLOCK ingress answered " + r + " for a batch");
        }
        for (int i = 0; i < r.taken(); i++) {
          ledger.offered(batch.get(i), OfferResult.accepted());
        }
        return r.taken();
      }
    }
  }

  /** Each ingress edge accepted exactly what its answers said it took. */
  private static Checker ingressCounters(AtomicLongArray answered) {
    return run -> {
      StringBuilder figures = new StringBuilder();
      boolean match = true;
      for (int i = 0; i < INGRESSES; i++) {
        String producer = "ingress:in" + i;
        ShutdownReport.EdgeOutcome edge =
            run.last().report().edges().stream()
                .filter(e -> e.producer().equals(producer))
                .findFirst()
                .orElseThrow();
        long accepted = edge.stats().accepted();
        figures.append(
            String.format(
                Locale.ROOT, "in%d accepted %d answered %d; ", i, accepted, answered.get(i)));
        match &= accepted == answered.get(i);
      }
      return match
          ? CheckResult.valid(figures.toString())
          : CheckResult.invalid("an ingress counter disagrees with its answers: " + figures);
    };
  }

  /** Each of the four methods got payloads in: the run exercised them all. */
  private static Checker everyMethod(AtomicLongArray taken) {
    return run -> {
      StringBuilder figures = new StringBuilder();
      boolean all = true;
      for (Method m : Method.values()) {
        figures.append(m).append(' ').append(taken.get(m.ordinal())).append("; ");
        all &= taken.get(m.ordinal()) > 0;
      }
      return all
          ? CheckResult.valid(figures.toString())
          : CheckResult.invalid("a method took no payload: " + figures);
    };
  }
}
