package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shutdown report reconciles a run on its own, with the default dead-letter handler: every
 * edge's outcomes, every dead letter by edge, node and reason, and the ledger's verdict
 * (docs/architecture.md, "Accounting").
 *
 * <pre>
 *   losses:  ingress:in ──► burst ──┬─DROP(2)──────────► dropSink
 *            (3 items per input,    ├─LATEST(2)────────► latestSink
 *             a FAIL overflow       ├─COALESCE(1)──────► coalesceSink   (merge throws on item 2)
 *             throws out of it)     ├─FAIL(2)──────────► failSink
 *                                   ├─BLOCK────────────► thrower        (throws on x % 3 == 0)
 *                                   └─BLOCK────────────► stopper        (throws once: STOP_NODE)
 *
 *   stuck:   ingress:in ──► stuck   (holds its first message on a latch past stop's timeout)
 * </pre>
 *
 * <p>Regression test for issue 14 point 11: the report lumped coalesced with dropped and evicted
 * messages, had no dead letters by reason, showed MERGE_FAILED on no edge, and a user needed a
 * handler of their own to make the counts add up.
 */
class ShutdownLedgerTest {

  private static final Duration LONG = Duration.ofSeconds(30);

  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  void stop_afterEveryKindOfLoss_reportBalancesWithoutACustomHandler() throws Exception {
    Counter drop = new Counter();
    Counter latest = new Counter();
    Counter coalesce = new Counter();
    Counter fail = new Counter();
    Counter thrower = new Counter();
    Counter stopper = new Counter();
    Graph graph =
        Graph.builder("ledger")
            .add(
                "burst",
                Nodes.flatMap(Long.class, Long.class, x -> List.of(x * 10, x * 10 + 1, x * 10 + 2)))
            .add("dropSink", Nodes.sink(Long.class, drop::accept))
            .add("latestSink", Nodes.sink(Long.class, latest::accept))
            .add("coalesceSink", Nodes.sink(Long.class, coalesce::accept))
            .add("failSink", Nodes.sink(Long.class, fail::accept))
            .add("thrower", Nodes.sink(Long.class, thrower.thenThrowIf(x -> x % 3 == 0)))
            .add("stopper", Nodes.sink(Long.class, stopper.thenThrowIf(x -> true)))
            .ingress("in", "burst.in")
            .connect("burst.out", "dropSink.in", EdgeSpec.of(2, OverflowPolicy.DROP))
            .connect("burst.out", "latestSink.in", EdgeSpec.of(2, OverflowPolicy.LATEST))
            .connect(
                "burst.out",
                "coalesceSink.in",
                EdgeSpec.of(
                    1,
                    OverflowPolicy.<Long>coalesce(
                        (queued, incoming) -> {
                          if (incoming % 10 == 2) {
                            throw new IllegalStateException("cannot merge " + incoming);
                          }
                          return queued + incoming;
                        })))
            .connect("burst.out", "failSink.in", EdgeSpec.of(2, OverflowPolicy.FAIL))
            .connect("burst.out", "thrower.in")
            .connect("burst.out", "stopper.in")
            .build();
    // One worker: burst's whole activation runs before any consumer takes a message, so every
    // lossy edge overflows on every input.
    RunningGraph running =
        Scheduler.builder()
            .workers(1)
            .errorPolicy("stopper", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long x = 1; x <= 30; x++) {
        assertThat(in.put(x, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      assertThat(running.awaitQuiescence(LONG)).as(running.snapshot().render()).isTrue();
    } finally {
      report = running.stop(LONG);
    }
    String context = report.render() + logs.describe();
    Map<String, ShutdownReport.EdgeOutcome> edges = byId(report);

    // The verdict: every equation of docs/architecture.md holds on the report's own numbers.
    assertThat(report.ledger().discrepancies()).as(context).isEmpty();
    assertThat(report.balanced()).isTrue();
    assertThat(report.render()).as(context).contains("  ledger: balanced\n");

    // Every kind of loss happened, each in its own column.
    ShutdownReport.EdgeOutcome toDrop = edges.get("burst.out->dropSink.in");
    ShutdownReport.EdgeOutcome toLatest = edges.get("burst.out->latestSink.in");
    ShutdownReport.EdgeOutcome toCoalesce = edges.get("burst.out->coalesceSink.in");
    ShutdownReport.EdgeOutcome toFail = edges.get("burst.out->failSink.in");
    ShutdownReport.EdgeOutcome toStopper = edges.get("burst.out->stopper.in");
    assertThat(toDrop.dropped()).as(context).isPositive();
    assertThat(toLatest.evicted()).as(context).isPositive();
    assertThat(toCoalesce.coalesced()).as(context).isPositive();
    assertThat(toCoalesce.deadLetters(DeadLetter.Reason.MERGE_FAILED))
        .as("MERGE_FAILED is counted on its edge\n%s", context)
        .isPositive()
        .isEqualTo(toCoalesce.failed());
    assertThat(toFail.deadLetters(DeadLetter.Reason.OVERFLOW))
        .as(context)
        .isPositive()
        .isEqualTo(toFail.failed());
    assertThat(toStopper.deadLetters(DeadLetter.Reason.CONSUMER_STOPPED))
        .as(context)
        .isPositive()
        .isEqualTo(toStopper.undelivered());
    assertThat(node(report, "stopper").state()).isEqualTo(NodeState.FAILED);
    assertThat(node(report, "thrower").deadLetters(DeadLetter.Reason.NODE_FAILED))
        .as(context)
        .isEqualTo(thrower.failures.get())
        .isPositive();
    assertThat(node(report, "burst").deadLetters(DeadLetter.Reason.NODE_FAILED))
        .as("burst's FAIL overflows threw out of its hook\n%s", context)
        .isPositive();
    assertThat(report.render())
        .as(context)
        .contains(
            "coalesced "
                + toCoalesce.coalesced()
                + ", failed "
                + toCoalesce.failed()
                + " (MERGE_FAILED "
                + toCoalesce.failed()
                + ")");

    // Checked against what the consumers saw, and against the default handler's log lines.
    assertThat(toDrop.delivered()).isEqualTo(drop.seen.get());
    assertThat(toLatest.delivered()).isEqualTo(latest.seen.get());
    assertThat(toCoalesce.delivered()).isEqualTo(coalesce.seen.get());
    assertThat(toFail.delivered()).isEqualTo(fail.seen.get());
    assertThat(edges.get("burst.out->thrower.in").delivered()).isEqualTo(thrower.seen.get());
    assertThat(toStopper.delivered()).isEqualTo(stopper.seen.get()).isEqualTo(1);
    Map<String, Map<DeadLetter.Reason, Long>> logged = deadLetterLinesByEdge();
    for (ShutdownReport.EdgeOutcome e : report.edges()) {
      assertThat(logged.getOrDefault(e.id(), Map.of()))
          .as("edge %s: one dead-letter line per dead letter, by reason\n%s", e.id(), context)
          .isEqualTo(e.deadLetters());
    }
    assertThat(logged.values().stream().flatMap(m -> m.values().stream()).mapToLong(n -> n).sum())
        .isEqualTo(report.deadLetters());
  }

  @Test
  void stop_withANodeStuckInItsHook_saysItsQueuedInputIsPendingAndWhy() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Graph graph =
        Graph.builder("stuck")
            .add(
                "stuck",
                Nodes.sink(
                    Long.class,
                    x -> {
                      entered.countDown();
                      awaitUninterruptibly(release);
                    }))
            .ingress("in", "stuck.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(1).build().start(graph);
    ShutdownReport report;
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      assertThat(in.offer(0L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(entered.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
      for (long x = 1; x <= 3; x++) {
        assertThat(in.offer(x).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      report = running.stop(Duration.ofMillis(50));
    } finally {
      release.countDown();
    }
    String context = report.render();
    ShutdownReport.EdgeOutcome edge = report.edges().get(0);
    ShutdownReport.Ledger ledger = report.ledger();

    assertThat(report.timedOut()).isTrue();
    assertThat(node(report, "stuck").stuckIn()).isEqualTo("onMessage");
    assertThat(edge.queued()).as(context).isEqualTo(3);
    assertThat(edge.undelivered()).as(context).isEqualTo(3);
    assertThat(ledger.balanced()).as(context).isTrue();
    assertThat(ledger.pending())
        .as(context)
        .containsExactly(
            "node stuck still in onMessage; its 3 queued inputs will be dead-lettered"
                + " (SHUTDOWN_UNDELIVERED) when it returns, with its outbox, and what it emits until"
                + " then is dead-lettered (CONSUMER_STOPPED)");
    assertThat(context)
        .contains("ingress:in->stuck.in  delivered 1, undelivered 3 (pending 3)")
        .contains("node stuck: RUNNING (still in onMessage)")
        .contains("ledger: balanced, pending: node stuck still in onMessage; its 3 queued inputs");

    // Released, the hook returns and its worker dead-letters what the report said was pending.
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(deadLetterLinesByEdge())
                    .isEqualTo(
                        Map.of(
                            "ingress:in->stuck.in",
                            Map.of(DeadLetter.Reason.SHUTDOWN_UNDELIVERED, 3L))));
    await().atMost(LONG).until(() -> !running.isRunning());
  }

  /**
   * Regression: a stop that gave up on a node stuck in {@code onStop} during a restart reported it
   * "still in onMessage" (the last hook tagged), since restarts did not tag onStop and onStart.
   */
  @Test
  void stop_withANodeStuckInOnStopWhileRestarting_namesOnStop() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    PortSpec<Long> in = PortSpec.of("in", Long.class);
    Node failsThenHangsInStop =
        new Node() {
          @Override
          public List<PortSpec<?>> inputs() {
            return List.of(in);
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> port, Message<?> message) {
            throw new IllegalStateException("planted failure");
          }

          @Override
          public void onStop(NodeContext ctx) {
            entered.countDown();
            awaitUninterruptibly(release);
          }
        };
    Graph graph =
        Graph.builder("stuck-in-stop")
            .add("restarting", failsThenHangsInStop, ErrorPolicy.restart(3, Duration.ofMinutes(1)))
            .ingress("in", "restarting.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(1).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.ingress("in", Long.class).offer(0L).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(entered.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
      report = running.stop(Duration.ofMillis(50));
    } finally {
      release.countDown();
    }

    assertThat(report.timedOut()).isTrue();
    assertThat(node(report, "restarting").stuckIn()).as(report.render()).isEqualTo("onStop");
    await().atMost(LONG).until(() -> !running.isRunning());
  }

  /** The default handler's dead-letter lines, counted by their edge and reason key/values. */
  private Map<String, Map<DeadLetter.Reason, Long>> deadLetterLinesByEdge() {
    Map<String, Map<DeadLetter.Reason, Long>> out = new HashMap<>();
    for (ILoggingEvent e : logs.events(e -> e.getLoggerName().equals("dev.weir.deadletters"))) {
      Map<String, Object> kv = LogCapture.keyValues(e);
      out.computeIfAbsent(
              String.valueOf(kv.get("edge")), k -> new EnumMap<>(DeadLetter.Reason.class))
          .merge(DeadLetter.Reason.valueOf(String.valueOf(kv.get("reason"))), 1L, Long::sum);
    }
    return out;
  }

  private static Map<String, ShutdownReport.EdgeOutcome> byId(ShutdownReport report) {
    Map<String, ShutdownReport.EdgeOutcome> out = new HashMap<>();
    report.edges().forEach(e -> out.put(e.id(), e));
    return out;
  }

  private static ShutdownReport.NodeOutcome node(ShutdownReport report, String name) {
    return report.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        latch.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Counts what a sink saw (and what it threw on); written by one worker, read after stop. */
  private static final class Counter {
    final AtomicLong seen = new AtomicLong();
    final AtomicLong failures = new AtomicLong();

    void accept(Long x) {
      seen.incrementAndGet();
    }

    Consumer<Long> thenThrowIf(LongPredicate fails) {
      return x -> {
        seen.incrementAndGet();
        if (fails.test(x)) {
          failures.incrementAndGet();
          throw new IllegalArgumentException("refusing " + x);
        }
      };
    }
  }
}
