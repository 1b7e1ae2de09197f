package dev.weir.stress;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Priority;
import dev.weir.stress.SaturatingNodes.EndlessSource;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.junit.Seed;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial fairness: in each of the bands HIGH, NORMAL and LOW, one hot pair (a source and its
 * sink over a {@code BLOCK} edge of capacity 1, so each wakes the other after every message, the
 * pattern a worker-local "run next" slot would keep on one worker forever) against many cold nodes
 * that get one message now and then. Smoke scale: 8 cold nodes per band and 600 cold messages;
 * nightly: 200 per band and 60,000, on 1 and 2 workers.
 *
 * <pre>
 *   per band b in HIGH, NORMAL, LOW:
 *     hot-b ──B(1)──► hotSink-b                       always one of the two ready
 *     in-b-i ──B(4)──► cold-b-i   (i < K)             one message at a time per band
 * </pre>
 *
 * <p>Guards against a band or a node starved, and against skew above the documented bound
 * (docs/architecture.md, "Bands"), counted in activations rather than time so that the verdict does
 * not depend on the machine: on one worker, with every band busy, a cold node that becomes ready
 * runs after at most {@code 4 × ⌈W / w⌉} activations of the hot nodes (W the sum of the busy bands'
 * weights, here 4 + 2 + 1, w its band's weight: 8, 16 and 28 for HIGH, NORMAL and LOW), and the
 * bands' shares of the activations stay within 1% of 4:2:1. On two workers every cold message must
 * still arrive and every hot node must keep running; the waits are reported, not bounded (a worker
 * descheduled by the machine inflates them).
 *
 * <p>Replay a failure with the command its message starts with; the run's folder under {@code
 * target/weir-reports/} holds the seed, the snapshot and the reports.
 */
@WeirTest
class FairnessStressTest {

  private static final List<Priority> BANDS = List.of(Priority.HIGH, Priority.NORMAL, Priority.LOW);
  private static final int[] WEIGHTS = {4, 2, 1};
  private static final int TOTAL_WEIGHT = 7;

  /** A cold message: its ledger id, band index and sequence within the band. */
  record Cold(long id, int band, long seq) {}

  /** What one band's cold actor and nodes share. */
  static final class Band {
    final Semaphore delivered = new Semaphore(0);
    final Histogram waits = new Histogram(3);
    final AtomicLong hotAtDelivery = new AtomicLong();
    long sent;
  }

  @ParameterizedTest(name = "{0} worker(s)")
  @ValueSource(ints = {1, 2})
  void hotPairPerBand_againstManyColdNodes_noneStarvedAndSkewBounded(int workers, Seed seed) {
    SuiteScale scale = StressReports.scale();
    int cold = scale.pick(8, 200);
    long messages = scale.pick(600L, 60_000L);
    ConservationLedger<Cold> ledger = ConservationLedger.of(Cold.class, Cold::id);
    AtomicLong hot = new AtomicLong();
    AtomicLong ids = new AtomicLong();
    Band[] bands = {new Band(), new Band(), new Band()};

    StressTest test =
        StressTest.named("fairness-" + workers + "w")
            .graph(() -> graph(cold, hot, bands, ledger))
            .scheduler(b -> b.workers(workers).deadLetters(ledger.deadLetters()));
    for (int b = 0; b < BANDS.size(); b++) {
      int band = b;
      test.actor(
          "cold-" + BANDS.get(b).name().toLowerCase(Locale.ROOT),
          (env, random) -> {
            Band state = bands[band];
            Cold msg = new Cold(ids.getAndIncrement(), band, state.sent++);
            String ingress = "in-" + band + "-" + random.nextInt(cold);
            OfferResult sent = env.ingress(ingress, Cold.class).offer(msg);
            // Read after the offer returned: a thread descheduled before this read can only make
            // the measured wait smaller, never fail the bound.
            long afterOffer = hot.get();
            if (!ledger.offered(msg, sent)) {
              throw new IllegalStateException(ingress + " refused " + msg + ": " + sent);
            }
            if (!state.delivered.tryAcquire(30, TimeUnit.SECONDS)) {
              throw new IllegalStateException(
                  "cold message " + msg + " starved: not delivered within 30 s");
            }
            state.waits.recordValue(Math.max(0, state.hotAtDelivery.get() - afterOffer));
            return Outcome.COUNTED;
          });
    }
    StressResult result =
        test.operations(messages)
            .duration(Duration.ofMinutes(2))
            .seed(seed.value())
            .ledger(ledger)
            .check("cold waits", waits(bands, workers))
            .check("band shares", shares(cold, workers))
            .check("clean stop", Checkers.cleanShutdown())
            .artifacts(StressReports.root())
            .run();

    StressReports.record(result).assertPassed();
  }

  private static Graph graph(
      int cold, AtomicLong hot, Band[] bands, ConservationLedger<Cold> ledger) {
    GraphBuilder g = Graph.builder("fairness");
    for (int b = 0; b < BANDS.size(); b++) {
      Priority p = BANDS.get(b);
      g.add("hot-" + b, new CountingSource(hot), p)
          .add("hotSink-" + b, Nodes.sink(Long.class, x -> hot.incrementAndGet()), p)
          .connect("hot-" + b + ".out", "hotSink-" + b + ".in", EdgeSpec.blocking(1));
      for (int i = 0; i < cold; i++) {
        String name = "cold-" + b + "-" + i;
        g.add(name, new ColdNode(bands[b], hot, ledger), p)
            .ingress("in-" + b + "-" + i, name + ".in", EdgeSpec.blocking(4));
      }
    }
    return g.build();
  }

  /** On one worker each band's worst wait is within its bound; on two, reported only. */
  private static Checker waits(Band[] bands, int workers) {
    return run -> {
      StringBuilder detail = new StringBuilder("hot activations a cold message waited:");
      boolean within = true;
      long total = 0;
      for (int b = 0; b < BANDS.size(); b++) {
        Histogram h = bands[b].waits;
        long bound = bound(b);
        total += h.getTotalCount();
        detail.append(
            String.format(
                Locale.ROOT,
                " %s n=%d p50=%d p99=%d max=%d%s;",
                BANDS.get(b),
                h.getTotalCount(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getMaxValue(),
                workers == 1 ? " (bound " + bound + ")" : ""));
        within &= workers > 1 || h.getMaxValue() <= bound;
      }
      if (total == 0) {
        return CheckResult.unknown("no cold message was measured");
      }
      if (workers > 1) {
        detail.append(" bounded on one worker only");
      }
      return within
          ? CheckResult.valid(detail.toString())
          : CheckResult.invalid(detail + " a cold node waited longer than its band's bound");
    };
  }

  /**
   * Every band's nodes ran; on one worker, where every band always has a ready node, the bands'
   * activations are within 1% of the weights 4:2:1.
   */
  private static Checker shares(int cold, int workers) {
    return run -> {
      GraphSnapshot s = run.last().beforeStop();
      long[] activations = new long[BANDS.size()];
      long all = 0;
      for (int b = 0; b < BANDS.size(); b++) {
        activations[b] += activations(s, "hot-" + b) + activations(s, "hotSink-" + b);
        for (int i = 0; i < cold; i++) {
          activations[b] += activations(s, "cold-" + b + "-" + i);
        }
        all += activations[b];
      }
      StringBuilder detail = new StringBuilder("activations by band:");
      boolean fair = true;
      for (int b = 0; b < BANDS.size(); b++) {
        double share = (double) activations[b] / all;
        double expected = (double) WEIGHTS[b] / TOTAL_WEIGHT;
        detail.append(
            String.format(
                Locale.ROOT,
                " %s %d (%.2f%%, weight %.2f%%);",
                BANDS.get(b),
                activations[b],
                100 * share,
                100 * expected));
        fair &= activations[b] > 0;
        if (workers == 1) {
          fair &= Math.abs(share - expected) <= 0.01;
        }
      }
      return fair ? CheckResult.valid(detail.toString()) : CheckResult.invalid(detail.toString());
    };
  }

  /**
   * The documented bound for a cold node of band {@code b}: at most two hot entries (the pair's
   * source, re-queued after each pull, and its sink) are queued ahead of it, so it runs by its
   * band's fourth turn after it became ready, and a band of weight w gets a turn at least every ⌈W
   * / w⌉ picks.
   */
  static long bound(int b) {
    return 4L * ((TOTAL_WEIGHT + WEIGHTS[b] - 1) / WEIGHTS[b]);
  }

  private static long activations(GraphSnapshot s, String node) {
    GraphSnapshot.NodeView view = s.node(node);
    return view == null ? 0 : view.activations();
  }

  /** A source always ready while its edge has room; counts each pull as a hot activation. */
  static final class CountingSource implements SourceNode {
    private final EndlessSource inner = new EndlessSource(0);
    private final AtomicLong hot;

    CountingSource(AtomicLong hot) {
      this.hot = hot;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return inner.outputs();
    }

    @Override
    public boolean pull(NodeContext ctx) {
      hot.incrementAndGet();
      return inner.pull(ctx);
    }
  }

  /** Delivers a cold message: records the hot count at delivery and releases its band's actor. */
  static final class ColdNode implements Node {
    private final PortSpec<Cold> in = PortSpec.of("in", Cold.class);
    private final Band band;
    private final AtomicLong hot;
    private final ConservationLedger<Cold> ledger;

    ColdNode(Band band, AtomicLong hot, ConservationLedger<Cold> ledger) {
      this.band = band;
      this.hot = hot;
      this.ledger = ledger;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      band.hotAtDelivery.set(hot.get());
      ledger.delivered(in.cast(message).payload());
      band.delivered.release(); // publishes hotAtDelivery to the band's actor
    }
  }
}
