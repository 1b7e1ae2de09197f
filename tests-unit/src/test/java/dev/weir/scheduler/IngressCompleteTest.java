package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.assertEachExactlyOnce;
import static dev.weir.scheduler.SchedulerFixtures.ingressProbeSink;
import static dev.weir.scheduler.SchedulerFixtures.node;
import static dev.weir.scheduler.SchedulerFixtures.onNewThread;
import static dev.weir.scheduler.SchedulerFixtures.putAll;
import static dev.weir.scheduler.SchedulerFixtures.range;
import static dev.weir.scheduler.SchedulerFixtures.stopQuietly;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.HookLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.scheduler.SchedulerFixtures.ProbeSource;
import dev.weir.testkit.junit.Seed;
import dev.weir.testkit.junit.WeirTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link Ingress#complete()}: an ingress's end of stream. A node fed by ingresses finishes once
 * they are completed and its other upstreams have ended, exactly as when its sources are exhausted,
 * so a graph fed only by ingresses completes on its own. Regression for issue 14, point 14: an
 * ingress had no end of stream, and {@code awaitCompletion} never returned for such a graph.
 */
@WeirTest
class IngressCompleteTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  @Test
  void complete_graphFedOnlyByAnIngress_finishesWithEveryPayloadDelivered() throws Exception {
    HookLog hooks = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(hooks);
    Graph graph = ingressProbeSink("complete-only", new Probe().recordingTo(hooks), sink);
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      putAll(running, range(0, 500));
      running.ingress("in", Long.class).complete();

      assertThat(running.awaitCompletion(LONG)).as(() -> running.snapshot().render()).isTrue();
      assertThat(sink.received()).containsExactlyElementsOf(upTo(500));
      assertThat(hooks.nodesCalling("onFinish")).containsExactly("probe", "sink");
      assertThat(node(running, "probe").state()).isEqualTo(NodeState.FINISHED);
      assertThat(node(running, "sink").state()).isEqualTo(NodeState.FINISHED);
      ShutdownReport report = running.stop(LONG);
      assertThat(report.timedOut()).isFalse();
      assertThat(report.undelivered()).isZero();
      assertThat(report.deadLetters()).isZero();
    } finally {
      stopQuietly(running);
    }
  }

  @Test
  void offers_afterComplete_areRefusedClosed_namingComplete() throws Exception {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        Scheduler.builder().build().start(ingressProbeSink("complete-refuses", new Probe(), sink));
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      assertThat(in.offer(1L).status()).isEqualTo(OfferStatus.ACCEPTED);
      in.complete();
      in.complete(); // idempotent

      List<OfferResult> refusals = new ArrayList<>();
      refusals.add(in.offer(2L));
      refusals.add(in.offerControl(3L));
      refusals.add(in.put(4L, SHORT));
      refusals.add(Objects.requireNonNull(in.offerAll(List.of(5L, 6L)).refusal()));
      refusals.add(Objects.requireNonNull(in.putAll(List.of(7L), SHORT).refusal()));
      assertThat(refusals)
          .allSatisfy(
              r -> {
                assertThat(r.status()).isEqualTo(OfferStatus.CLOSED);
                assertThat(r.reason()).contains("ingress 'in'").contains("Ingress.complete()");
              });
      assertThat(in.offerAll(List.of(5L, 6L)).count(OfferStatus.ACCEPTED)).isZero();

      assertThat(running.awaitCompletion(LONG)).isTrue();
      assertThat(sink.received()).containsExactly(1L);
    } finally {
      stopQuietly(running);
    }
  }

  /** A put that waits for room when the ingress completes is refused at once, not left waiting. */
  @Test
  void complete_whileAPutWaitsForRoom_refusesThatPut_andDeliversWhatWasAccepted() throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 0);
    Graph graph =
        Graph.builder("complete-waiting-put")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(1))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      assertThat(in.put(0L, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      await().atMost(LONG).until(gate::hasArrivals); // the sink holds 0; the edge is empty again
      assertThat(in.put(1L, LONG).status()).isEqualTo(OfferStatus.ACCEPTED); // fills the edge
      CompletableFuture<OfferResult> waiting = onNewThread("waiting-put", () -> in.put(2L, LONG));
      await().atMost(LONG).until(() -> threadState("waiting-put") == Thread.State.TIMED_WAITING);

      in.complete();
      OfferResult refused = waiting.get(LONG.toSeconds(), TimeUnit.SECONDS);
      assertThat(refused.status()).isEqualTo(OfferStatus.CLOSED);

      gate.open();
      assertThat(running.awaitCompletion(LONG)).as(() -> running.snapshot().render()).isTrue();
      assertThat(sink.received()).containsExactly(0L, 1L);
    } finally {
      gate.open();
      stopQuietly(running);
    }
  }

  /**
   * A node fed by a source and an ingress on the same port finishes when both have ended, in either
   * order: the ingress counts as one upstream, like the source.
   *
   * <pre>
   * source ──┐
   *          ├──► merge ──► sink
   * ingress ─┘
   * </pre>
   */
  @Test
  void complete_nodeAlsoFedByASource_finishesOnlyOnceBothHaveEnded() throws Exception {
    HookLog hooks = new HookLog();
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("complete-with-source")
            .add("source", new ProbeSource(100))
            .add("merge", new Probe().recordingTo(hooks))
            .add("sink", sink)
            .connect("source.out", "merge.in")
            .connect("merge.out", "sink.in")
            .ingress("in", "merge.in")
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      putAll(running, range(1_000, 1_010));
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(node(running, "source").state()).isEqualTo(NodeState.FINISHED);
      assertThat(hooks.nodesCalling("onFinish")).as("the ingress is still open").isEmpty();
      assertThat(running.awaitCompletion(SHORT)).isFalse();

      running.ingress("in", Long.class).complete();
      assertThat(running.awaitCompletion(LONG)).isTrue();
      List<Long> expected = new ArrayList<>(upTo(100));
      for (long v : range(1_000, 1_010)) {
        expected.add(v);
      }
      assertEachExactlyOnce(sink.received(), expected, "source and ingress into one port");
    } finally {
      stopQuietly(running);
    }
  }

  /** A node with two input ports, each fed by its own ingress: it finishes after both complete. */
  @Test
  void complete_nodeFedByIngressesOnTwoPorts_finishesAfterTheLastOneCompletes() throws Exception {
    TwoPortSink sink = new TwoPortSink();
    Graph graph =
        Graph.builder("complete-two-ports")
            .add("sink", sink)
            .ingress("left", "sink.left")
            .ingress("right", "sink.right")
            .build();
    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    try {
      Ingress<Long> left = running.ingress("left", Long.class);
      Ingress<Long> right = running.ingress("right", Long.class);
      assertThat(left.put(1L, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      left.complete();
      assertThat(right.put(2L, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(sink.finished.getCount()).as("the right ingress is still open").isEqualTo(1);

      right.complete();
      assertThat(running.awaitCompletion(LONG)).isTrue();
      assertThat(sink.received).containsExactlyInAnyOrder("left:1", "right:2");
      assertThat(sink.finished.getCount()).isZero();
    } finally {
      stopQuietly(running);
    }
  }

  /**
   * Four producer threads offer and put while the test thread completes the ingress at a seeded
   * point: every payload is either accepted and delivered exactly once or refused with CLOSED, and
   * once a thread has been refused it is never accepted again.
   */
  @Test
  void complete_racingWithFourProducers_losesNothing(Seed seed) throws Exception {
    SplittableRandom random = seed.random();
    int producers = 4;
    int perProducer = 20_000;
    long completeAfter = random.nextLong(1, (long) producers * perProducer);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("complete-race")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(1 + random.nextInt(64)))
            .build();
    RunningGraph running = Scheduler.builder().workers(1 + random.nextInt(2)).build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      AtomicLong offered = new AtomicLong();
      CountDownLatch reachedPoint = new CountDownLatch(1);
      List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
      List<CompletableFuture<String>> threads = new ArrayList<>();
      for (int p = 0; p < producers; p++) {
        long base = (long) p * perProducer;
        long producerSeed = random.nextLong();
        threads.add(
            onNewThread(
                "producer-" + p,
                () ->
                    produce(
                        in,
                        base,
                        perProducer,
                        producerSeed,
                        offered,
                        completeAfter,
                        reachedPoint,
                        accepted)));
      }
      assertThat(reachedPoint.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
      in.complete();
      for (CompletableFuture<String> thread : threads) {
        assertThat(thread.get(LONG.toSeconds(), TimeUnit.SECONDS)).isEmpty();
      }

      assertThat(running.awaitCompletion(LONG)).as(() -> running.snapshot().render()).isTrue();
      assertEachExactlyOnce(sink.received(), List.copyOf(accepted), "seeded complete() race");
      assertThat(in.offer(-1L).status()).isEqualTo(OfferStatus.CLOSED);
    } finally {
      stopQuietly(running);
    }
  }

  /**
   * One producer: offers its payloads by offer, put or a small batch (seeded) until all are in or
   * the ingress refuses CLOSED, and checks that nothing is accepted after a CLOSED. Returns "" or
   * what went wrong.
   */
  private static String produce(
      Ingress<Long> in,
      long base,
      int count,
      long seed,
      AtomicLong offered,
      long completeAfter,
      CountDownLatch reachedPoint,
      List<Long> accepted)
      throws InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    boolean refused = false;
    int i = 0;
    while (i < count) {
      if (offered.get() >= completeAfter) {
        reachedPoint.countDown();
      }
      int kind = random.nextInt(3);
      List<Long> batch = new ArrayList<>();
      for (int b = 0; b < (kind == 2 ? 1 + random.nextInt(8) : 1) && i + b < count; b++) {
        batch.add(base + i + b);
      }
      List<OfferResult> results = new ArrayList<>();
      if (kind == 0) {
        results.add(in.offer(batch.get(0)));
      } else if (kind == 1) {
        results.add(in.put(batch.get(0), LONG));
      } else {
        BatchOfferResult r = in.putAll(batch, LONG);
        for (int b = 0; b < r.count(OfferStatus.ACCEPTED); b++) {
          results.add(OfferResult.accepted());
        }
        OfferResult refusal = r.refusal();
        if (refusal != null) {
          results.add(refusal);
        }
      }
      for (OfferResult r : results) {
        if (r.status() == OfferStatus.ACCEPTED) {
          if (refused) {
            return "payload " + (base + i) + " accepted after a CLOSED refusal";
          }
          accepted.add(base + i);
          i++;
          offered.incrementAndGet();
        } else if (r.status() == OfferStatus.CLOSED) {
          refused = true;
          reachedPoint.countDown();
          i = count; // this producer's stream is over; keep probing once more below
        } else if (r.status() != OfferStatus.BLOCKED) {
          return "unexpected " + r;
        }
      }
    }
    reachedPoint.countDown();
    if (refused && in.offer(base + count).status() != OfferStatus.CLOSED) {
      return "an offer after a CLOSED refusal was not refused";
    }
    return "";
  }

  @Test
  void complete_afterStop_doesNothing_andOffersStayRefusedByTheStop() throws Exception {
    RunningGraph running =
        Scheduler.builder()
            .build()
            .start(ingressProbeSink("complete-after-stop", new Probe(), new CollectingSink()));
    Ingress<Long> in = running.ingress("in", Long.class);
    ShutdownReport report = running.stop(LONG);
    assertThat(report.timedOut()).isFalse();

    in.complete();
    OfferResult refused = in.offer(1L);
    assertThat(refused.status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(refused.reason()).contains("shutting down");
    assertThat(running.awaitCompletion(SHORT)).isTrue();
  }

  /** The state of the live thread with that name, or null. */
  private static Thread.State threadState(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return t.getState();
      }
    }
    return null;
  }

  /** A sink with two Long input ports; records {@code port:payload} and its finish. */
  private static final class TwoPortSink implements Node {
    static final PortSpec<Long> LEFT = PortSpec.of("left", Long.class);
    static final PortSpec<Long> RIGHT = PortSpec.of("right", Long.class);
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch finished = new CountDownLatch(1);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(LEFT, RIGHT);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(input.name() + ":" + message.payload());
    }

    @Override
    public void onFinish(NodeContext ctx) {
      finished.countDown();
    }
  }
}
