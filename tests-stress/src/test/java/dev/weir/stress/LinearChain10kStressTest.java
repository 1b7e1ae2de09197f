package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.DeliveryOrder;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Graph size: a linear chain of 10,000 map nodes (1,000 at smoke scale) between one ingress and one
 * sink, built, started, fed from two application threads and stopped while messages are still on
 * their way down the chain.
 *
 * <pre>
 *   in ──► hop0 ──► hop1 ──► hop2 ──► … ──► hop9999 ──► sink
 *        (every edge BLOCK, capacity 4; two feeders put into "in")
 * </pre>
 *
 * <p>Guards against recursion in wiring, validation, start or shutdown that grows with the length
 * of the chain (a {@link StackOverflowError} in the topological order, the cycle search, the {@code
 * onFinish} cascade or the reverse-order {@code onStop}), and against work per node that grows with
 * the number of nodes (O(n²) validation, start or stop). Every message must reach the sink once and
 * in order per feeder; after the feeders stop the chain must drain (the liveness phase), and the
 * stop, timed on the drained chain, must be clean.
 *
 * <p>Found: starting a graph created one SLF4J logger per node ({@code dev.weir.node.<name>}), and
 * Logback files each under {@code dev.weir.node}, finding a child by a linear scan. Starting n
 * nodes with fresh names cost O(n x node names seen so far): on a loaded 2-core machine a chain of
 * 5,000 fresh nodes took 2.6 s to start in a fresh JVM and 26 s after 35,000 other names; 20,000
 * took 94 s. The {@code loggers} check (a count, so it holds at any scale and load) failed with
 * 1,001 loggers created by a smoke run. Every node now logs through the one logger {@code
 * dev.weir.node}, with its name as the key/value pair {@code node}.
 *
 * <p>Budgets at nightly scale (10,000 nodes, 2 workers, on a loaded 2-core machine): building the
 * graph under {@value #BUILD_BUDGET_MS} ms, starting it under {@value #START_BUDGET_MS} ms,
 * stopping it (draining what is in flight through all 10,000 nodes) under {@value #STOP_BUDGET_MS}
 * ms. A linear-time engine takes a small fraction of each; quadratic work at 10,000 nodes (10⁸
 * steps) does not fit. At smoke scale the same figures are reported in the {@code timings} check
 * but never decide the verdict.
 *
 * <p>Run at nightly scale: {@code mvn -B -ntp -pl tests-stress -am verify -Djacoco.skip=true
 * -Dtest='LinearChain10kStressTest' -Dweir.scale=nightly}.
 */
@WeirTest
class LinearChain10kStressTest {

  private static final long BUILD_BUDGET_MS = 5_000;
  private static final long START_BUDGET_MS = 5_000;
  private static final long STOP_BUDGET_MS = 5_000;

  /** Loggers a run may add whatever the graph's size: the engine's own, the testkit's. */
  private static final int LOGGERS_PER_RUN = 20;

  record Token(long id, String feeder, long seq) {}

  @Test
  void chainOf10kNodes_carriesEveryMessageAndStopsWithinBudget(long seed) {
    SuiteScale scale = StressReports.scale();
    int length = scale.pick(1_000, 10_000);
    ConservationLedger<Token> ledger = ConservationLedger.of(Token.class, Token::id);
    DeliveryOrder order = DeliveryOrder.create();
    AtomicLong ids = new AtomicLong();
    ThreadLocal<long[]> seq = ThreadLocal.withInitial(() -> new long[1]);
    AtomicLong buildNanos = new AtomicLong(-1);
    AtomicLong startedAt = new AtomicLong(-1);
    AtomicLong firstOperationAt = new AtomicLong(-1);
    int loggersBefore = loggers();

    StressResult result =
        StressReports.record(
            StressTest.named("linear-chain-" + length)
                .graph(
                    () -> {
                      long t0 = System.nanoTime();
                      Graph graph = chain(length, ledger, order);
                      buildNanos.set(System.nanoTime() - t0);
                      return graph;
                    })
                .scheduler(
                    b -> {
                      // Called right before Scheduler.start: the start is timed from here to the
                      // first
                      // feeder operation (which also covers starting the feeder threads).
                      startedAt.set(System.nanoTime());
                      return b.workers(2).deadLetters(ledger.deadLetters());
                    })
                .actors(
                    "feeder",
                    2,
                    (env, random) -> {
                      firstOperationAt.compareAndSet(-1, System.nanoTime());
                      Token t =
                          new Token(
                              ids.getAndIncrement(),
                              Thread.currentThread().getName(),
                              seq.get()[0]++);
                      OfferResult sent =
                          env.ingress("in", Token.class).put(t, Duration.ofSeconds(30));
                      return ledger.offered(t, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
                    })
                .operations(scale.pick(300L, 1_000L))
                .duration(Duration.ofMinutes(2))
                .stopTimeout(Duration.ofMinutes(1))
                .liveness(Duration.ofMinutes(1))
                .seed(seed)
                .ledger(ledger)
                .check("fifo", order.fifo())
                .check("clean stop", Checkers.cleanShutdown())
                .check(
                    "timings",
                    timings(
                        scale, length, buildNanos, () -> firstOperationAt.get() - startedAt.get()))
                .check("loggers", loggersCreated(loggersBefore, length))
                .artifacts(StressReports.root())
                .run());

    result.assertPassed();
    assertThat(result.run().last().graph().nodes()).hasSize(length + 1);
  }

  /**
   * A graph's start creates no logger per node: a logger per node name made starting n nodes cost
   * O(n x every node name the JVM had seen), since Logback files each logger under {@code
   * dev.weir.node} and finds a child by a linear scan (and keeps it forever).
   */
  private static Checker loggersCreated(int before, int length) {
    return run -> {
      int created = loggers() - before;
      String figures = created + " loggers created by a run of " + (length + 1) + " nodes";
      return created <= LOGGERS_PER_RUN
          ? CheckResult.valid(figures)
          : CheckResult.invalid(
              figures
                  + " (more than "
                  + LOGGERS_PER_RUN
                  + "): a logger per node makes start time grow with every node name ever seen");
    };
  }

  /** The number of loggers Logback (this module's SLF4J binding) holds. */
  private static int loggers() {
    return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLoggerList().size();
  }

  /** The chain: {@code length} map nodes, then the sink; every edge BLOCK of capacity 4. */
  private static Graph chain(int length, ConservationLedger<Token> ledger, DeliveryOrder order) {
    GraphBuilder b = Graph.builder("chain");
    for (int i = 0; i < length; i++) {
      b.add("hop" + i, Nodes.map(Token.class, Token.class, t -> t));
      if (i > 0) {
        b.connect("hop" + (i - 1) + ".out", "hop" + i + ".in", EdgeSpec.blocking(4));
      }
    }
    return b.add(
            "sink",
            Nodes.sink(
                Token.class,
                t -> {
                  ledger.delivered(t);
                  order.delivered(t.feeder(), t.seq(), false);
                }))
        .connect("hop" + (length - 1) + ".out", "sink.in", EdgeSpec.blocking(4))
        .ingress("in", "hop0.in", EdgeSpec.blocking(16))
        .build();
  }

  /**
   * Reports build, start and stop times; at nightly scale checks them against the budgets, at smoke
   * scale only reports them (valid whatever they are).
   */
  private static Checker timings(
      SuiteScale scale, int length, AtomicLong buildNanos, LongSupplier start) {
    return run -> {
      ShutdownReport stop = run.last().report();
      long buildMs = buildNanos.get() / 1_000_000;
      long startMs = start.getAsLong() / 1_000_000;
      long stopMs = stop.elapsed().toMillis();
      String figures =
          String.format(
              Locale.ROOT,
              "%d nodes: build %d ms (budget %d), start %d ms (budget %d), stop %d ms (budget %d)",
              length + 1,
              buildMs,
              BUILD_BUDGET_MS,
              startMs,
              START_BUDGET_MS,
              stopMs,
              STOP_BUDGET_MS);
      if (scale == SuiteScale.SMOKE) {
        return CheckResult.valid(figures + "; smoke scale: reported, not checked");
      }
      boolean within =
          buildMs <= BUILD_BUDGET_MS && startMs <= START_BUDGET_MS && stopMs <= STOP_BUDGET_MS;
      return within
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ": over budget (quadratic work in the graph's size?)");
    };
  }
}
