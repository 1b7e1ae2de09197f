package dev.weir.stress;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.weir.core.EdgeOverflowException;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.RunRecord;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.FaultChecks;
import dev.weir.testkit.junit.Seed;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Overflow paths: every overflow policy under bursts 100 times an edge's capacity, on the ingress
 * edge (answered to the application) and on an edge between two nodes (handled by the engine).
 *
 * <pre>
 *   in ══policy, capacity C══► relay ══policy, capacity C/100══► sink
 *   (one feeder offers bursts of 100·C)   (gated)                  (gated)
 * </pre>
 *
 * <p>Each burst alternates between two shapes. A <em>gated</em> burst pauses the relay's and the
 * sink's input ({@link InputGate}) so the whole burst of 100·C offers meets a full ingress edge,
 * then resumes the relay while the sink is still paused so the relay's C messages meet the full
 * inner edge (again 100 times its capacity), then resumes the sink and waits for the graph to
 * drain: every edge overflows, whatever the timing. A <em>racing</em> burst offers the same amount
 * while both consumers run on two workers, so overflow races with delivery.
 *
 * <p>Guards against counter drift on the overflow paths (an edge counter that disagrees with what
 * the offers returned), an edge whose depth exceeds its capacity (high-water mark), and a message
 * unaccounted for: the conservation ledger must place every message sent as delivered, dropped,
 * evicted, coalesced or dead-lettered (a FAIL edge between nodes dead-letters its overflow, and the
 * relay's CONTINUE policy its failed input: one of each per overflow), the shutdown report's ledger
 * must balance, and a coalescing edge that loses nothing must fold every message sent into exactly
 * one delivered one.
 *
 * <p>Sizes: 6 bursts of 100·C offers per policy, C = 100 at smoke scale and 1,000 at nightly scale
 * (600,000 offers per policy), about 20 s for the eight policies on a loaded 2-core machine.
 *
 * <p>Run at nightly scale: {@code mvn -B -ntp -pl tests-stress -am verify -Djacoco.skip=true
 * -Dtest='OverflowBurstsStressTest' -Dweir.scale=nightly}.
 */
@WeirTest
class OverflowBurstsStressTest {

  private static final int BURST_FACTOR = 100;
  private static final long KEYS = 4;

  /** One payload, or several merged: {@code count} messages whose ids add up to {@code idSum}. */
  record Burst(long id, long key, long count, long idSum) {
    static Burst of(long id) {
      return new Burst(id, id % KEYS, 1, id);
    }
  }

  private static final BinaryOperator<Burst> MERGE =
      (queued, incoming) ->
          new Burst(
              queued.id(),
              queued.key(),
              queued.count() + incoming.count(),
              queued.idSum() + incoming.idSum());

  /** The policies under test, each with the outcome a full ingress edge answers. */
  enum Policy {
    BLOCK(OverflowPolicy.BLOCK, OfferStatus.BLOCKED, true),
    DROP(OverflowPolicy.DROP, OfferStatus.DROPPED, false),
    LATEST(OverflowPolicy.LATEST, OfferStatus.EVICTED, false),
    COALESCE(OverflowPolicy.coalesce(MERGE), OfferStatus.COALESCED, true),
    COALESCE_KEYED(OverflowPolicy.coalesce(MERGE, Burst::key), OfferStatus.COALESCED, true),
    COALESCE_KEYED_LATEST(
        OverflowPolicy.coalesce(MERGE, Burst::key, OverflowPolicy.LATEST),
        OfferStatus.COALESCED,
        false),
    COALESCE_KEYED_DROP(
        OverflowPolicy.coalesce(MERGE, Burst::key, OverflowPolicy.DROP),
        OfferStatus.COALESCED,
        false),
    FAIL(OverflowPolicy.FAIL, OfferStatus.FAILED, false);

    final OverflowPolicy policy;
    final OfferStatus overflow;
    final boolean lossless;

    Policy(OverflowPolicy policy, OfferStatus overflow, boolean lossless) {
      this.policy = policy;
      this.overflow = overflow;
      this.lossless = lossless;
    }
  }

  @ParameterizedTest
  @EnumSource(Policy.class)
  void policy_underBurstsOf100xCapacity_accountsForEveryMessage(Policy policy, Seed seed) {
    // Under FAIL the relay's CONTINUE policy logs every overflow at WARN: thousands of lines that
    // say the same. The checks below count them instead. Every node logs through the one logger
    // dev.weir.node (the node's name is a key/value pair), so this quiets the sink too: it logs
    // nothing here.
    Logger relayLog = (Logger) LoggerFactory.getLogger("dev.weir.node");
    Level level = relayLog.getLevel();
    relayLog.setLevel(policy == Policy.FAIL ? Level.ERROR : level);
    try {
      run(policy, seed);
    } finally {
      relayLog.setLevel(level);
    }
  }

  private static void run(Policy policy, Seed seed) {
    SuiteScale scale = StressReports.scale();
    int capacity = scale.pick(100, 1_000);
    int inner = capacity / BURST_FACTOR;
    int burst = capacity * BURST_FACTOR;
    ConservationLedger<Burst> ledger = ConservationLedger.of(Burst.class, Burst::id);
    Gates gates = new Gates();
    Tally tally = new Tally();
    Map<OfferStatus, Long> answered = new EnumMap<>(OfferStatus.class);
    AtomicLong ids = new AtomicLong();
    AtomicLong bursts = new AtomicLong();

    StressReports.record(
            StressTest.named("overflow-" + policy.name().toLowerCase(Locale.ROOT))
                .graph(
                    () ->
                        Graph.builder("bursts")
                            .add("relay", new GatedRelay(gates.relay))
                            .add("sink", new GatedSink(gates.sink, ledger, tally))
                            .connect("relay.out", "sink.in", EdgeSpec.of(inner, policy.policy))
                            .ingress("in", "relay.in", EdgeSpec.of(capacity, policy.policy))
                            .build())
                .scheduler(
                    b ->
                        b.workers(2)
                            .deadLetters(
                                letter -> {
                                  if (letter.reason() == DeadLetter.Reason.NODE_FAILED
                                      && letter.cause() instanceof EdgeOverflowException) {
                                    tally.inputsFailedByOverflow.incrementAndGet();
                                  } else {
                                    ledger.deadLettered(letter);
                                  }
                                }))
                .actor(
                    "feeder",
                    (env, random) -> {
                      boolean gated = bursts.getAndIncrement() % 2 == 0;
                      if (gated) {
                        gates.pause();
                      }
                      Ingress<Burst> in = env.ingress("in", Burst.class);
                      for (int i = 0; i < burst; i++) {
                        Burst b = Burst.of(ids.getAndIncrement());
                        OfferResult r = in.offer(b);
                        answered.merge(r.status(), 1L, Long::sum);
                        if (ledger.offered(b, r)) {
                          tally.sent(b);
                        }
                      }
                      RunningGraph graph = env.graph();
                      if (gated) {
                        gates.relay().resume();
                        awaitOrFail(
                            graph.awaitQuiescence(Duration.ofMinutes(1)), "relay to go quiet");
                        gates.sink().resume();
                      }
                      awaitOrFail(graph.awaitDrained(Duration.ofMinutes(1)), "graph to drain");
                      return Outcome.COUNTED;
                    })
                .operations(6)
                .duration(Duration.ofMinutes(2))
                .seed(seed.value())
                .ledger(ledger)
                .check("engine ledger", FaultChecks.balancedLedgers())
                .check("clean stop", Checkers.cleanShutdown())
                .check("ingress counters match the offers' answers", ingressCounters(answered))
                .check("depth <= capacity", depthWithinCapacity())
                .check("overflow exercised", overflowExercised(policy))
                .check("coalesced content", coalescedContent(policy, tally))
                .check("one failed input per FAIL overflow", failedInputs(tally))
                .artifacts(StressReports.root())
                .run())
        .assertPassed();
  }

  /**
   * Each overflow of the inner FAIL edge fails the relay's {@code onMessage}: its input is
   * dead-lettered (NODE_FAILED) besides the emitted copy (OVERFLOW). Both carry the same payload,
   * so the conservation ledger takes the OVERFLOW letter and this check pairs the others with them.
   */
  private static Checker failedInputs(Tally tally) {
    return run -> {
      long overflows = innerEdge(run.last().report()).failed();
      long failedInputs = tally.inputsFailedByOverflow.get();
      String figures = failedInputs + " inputs failed by " + overflows + " FAIL overflows";
      return failedInputs == overflows
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ": expected one each");
    };
  }

  private static void awaitOrFail(boolean done, String what) {
    if (!done) {
      throw new AssertionError("gave up after 1 minute waiting for the " + what);
    }
  }

  /** The ingress edge's counters equal the answers its offers got, outcome by outcome. */
  private static Checker ingressCounters(Map<OfferStatus, Long> answered) {
    return run -> {
      EdgeStats s = ingressEdge(run.last().report()).stats();
      long[][] pairs = {
        {
          s.accepted(), count(answered, OfferStatus.ACCEPTED) + count(answered, OfferStatus.EVICTED)
        },
        {s.evicted(), count(answered, OfferStatus.EVICTED)},
        {s.dropped(), count(answered, OfferStatus.DROPPED)},
        {s.coalesced(), count(answered, OfferStatus.COALESCED)},
        {s.blocked(), count(answered, OfferStatus.BLOCKED)},
        {s.failed(), count(answered, OfferStatus.FAILED)},
        {s.rejected() + s.closed(), 0},
      };
      String figures = "edge " + s + " vs answers " + answered;
      for (long[] p : pairs) {
        if (p[0] != p[1]) {
          return CheckResult.invalid("counter drift: " + figures);
        }
      }
      return CheckResult.valid(answered.toString());
    };
  }

  private static long count(Map<OfferStatus, Long> answered, OfferStatus status) {
    return answered.getOrDefault(status, 0L);
  }

  /** No edge ever held more DATA messages than its capacity. */
  private static Checker depthWithinCapacity() {
    return run -> {
      List<String> seen = new ArrayList<>();
      for (RunRecord.Incarnation inc : run.incarnations()) {
        for (var edge : inc.graph().edges()) {
          EdgeStats s =
              inc.report().edges().stream()
                  .filter(e -> e.id().equals(edge.id()))
                  .findFirst()
                  .orElseThrow()
                  .stats();
          if (s.highWaterMark() > edge.spec().capacity()) {
            return CheckResult.invalid(
                "edge "
                    + edge.id()
                    + " held "
                    + s.highWaterMark()
                    + " > "
                    + edge.spec().capacity());
          }
          seen.add(edge.id() + " hwm " + s.highWaterMark() + "/" + edge.spec().capacity());
        }
        ShutdownReport.EdgeOutcome in = ingressEdge(inc.report());
        int capacity = inc.graph().ingresses().get(0).spec().capacity();
        if (in.stats().highWaterMark() > capacity) {
          return CheckResult.invalid(
              "ingress edge held " + in.stats().highWaterMark() + " > " + capacity);
        }
        seen.add("ingress hwm " + in.stats().highWaterMark() + "/" + capacity);
      }
      return CheckResult.valid(String.join(", ", seen));
    };
  }

  /** Both edges overflowed: the run exercised the policy, not only the happy path. */
  private static Checker overflowExercised(Policy policy) {
    return run -> {
      ShutdownReport report = run.last().report();
      EdgeStats in = ingressEdge(report).stats();
      long ingressOverflow =
          switch (policy.overflow) {
            case BLOCKED -> in.blocked();
            case DROPPED -> in.dropped();
            case EVICTED -> in.evicted();
            case COALESCED -> in.coalesced();
            case FAILED -> in.failed();
            default -> 0;
          };
      EdgeStats s = innerEdge(report).stats();
      long innerOverflow = s.blocked() + s.dropped() + s.evicted() + s.coalesced() + s.failed();
      String figures =
          "ingress "
              + policy.overflow
              + " "
              + ingressOverflow
              + ", inner overflows "
              + innerOverflow;
      return ingressOverflow > 0 && innerOverflow > 0
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ": a burst did not overflow both edges");
    };
  }

  /** A lossless policy folds every message sent into exactly one delivered message. */
  private static Checker coalescedContent(Policy policy, Tally tally) {
    return run -> {
      String figures =
          String.format(
              Locale.ROOT,
              "sent %d (id sum %d), delivered content %d (id sum %d) in %d messages",
              tally.sentCount.get(),
              tally.sentIdSum.get(),
              tally.deliveredCount.get(),
              tally.deliveredIdSum.get(),
              tally.deliveredMessages.get());
      if (!policy.lossless) {
        return CheckResult.valid(figures + "; lossy policy: the conservation ledger decides");
      }
      return tally.sentCount.get() == tally.deliveredCount.get()
              && tally.sentIdSum.get() == tally.deliveredIdSum.get()
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ": content lost or duplicated by a lossless policy");
    };
  }

  private static ShutdownReport.EdgeOutcome ingressEdge(ShutdownReport report) {
    return report.edges().stream().filter(e -> e.fromIngress()).findFirst().orElseThrow();
  }

  private static ShutdownReport.EdgeOutcome innerEdge(ShutdownReport report) {
    return report.edges().stream().filter(e -> !e.fromIngress()).findFirst().orElseThrow();
  }

  /** Sums of what was sent and what the sink received, merged messages unfolded. */
  static final class Tally {
    final AtomicLong sentCount = new AtomicLong();
    final AtomicLong sentIdSum = new AtomicLong();
    final AtomicLong deliveredMessages = new AtomicLong();
    final AtomicLong deliveredCount = new AtomicLong();
    final AtomicLong deliveredIdSum = new AtomicLong();
    final AtomicLong inputsFailedByOverflow = new AtomicLong();

    void sent(Burst b) {
      sentCount.incrementAndGet();
      sentIdSum.addAndGet(b.id());
    }

    void delivered(Burst b) {
      deliveredMessages.incrementAndGet();
      deliveredCount.addAndGet(b.count());
      deliveredIdSum.addAndGet(b.idSum());
    }
  }

  /** The input gates of the relay and the sink, published by their {@code onStart}. */
  static final class Gates {
    final AtomicReference<@Nullable InputGate> relay = new AtomicReference<>();
    final AtomicReference<@Nullable InputGate> sink = new AtomicReference<>();

    InputGate relay() {
      return published(relay, "relay");
    }

    InputGate sink() {
      return published(sink, "sink");
    }

    void pause() {
      relay().pause();
      sink().pause();
    }

    private static InputGate published(AtomicReference<@Nullable InputGate> ref, String node) {
      InputGate gate = ref.get();
      if (gate == null) {
        throw new IllegalStateException(node + " has not started: its input gate is unknown");
      }
      return gate;
    }
  }

  /** Forwards each payload; publishes its input gate so the feeder can hold its input back. */
  static final class GatedRelay implements Node {
    static final PortSpec<Burst> IN = PortSpec.of("in", Burst.class);
    static final PortSpec<Burst> OUT = PortSpec.of("out", Burst.class);
    private final AtomicReference<@Nullable InputGate> gate;

    GatedRelay(AtomicReference<@Nullable InputGate> gate) {
      this.gate = gate;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate.set(ctx.inputGate());
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      ctx.emit(OUT, (Burst) message.payload());
    }
  }

  /** Records each delivery; publishes its input gate. */
  static final class GatedSink implements Node {
    static final PortSpec<Burst> IN = PortSpec.of("in", Burst.class);
    private final AtomicReference<@Nullable InputGate> gate;
    private final ConservationLedger<Burst> ledger;
    private final Tally tally;

    GatedSink(
        AtomicReference<@Nullable InputGate> gate, ConservationLedger<Burst> ledger, Tally tally) {
      this.gate = gate;
      this.ledger = ledger;
      this.tally = tally;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate.set(ctx.inputGate());
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Burst b = (Burst) message.payload();
      ledger.delivered(b);
      tally.delivered(b);
    }
  }
}
