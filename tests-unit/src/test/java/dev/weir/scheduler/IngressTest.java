package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.flow.GraphFlows;
import dev.weir.scheduler.flow.GraphSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Application threads feeding a running graph through {@link Ingress}: concurrent offers and puts,
 * waiting for room, timing out, closing at shutdown, and the lookup errors.
 */
class IngressTest {

  private static final String EDGE = "ingress:in->sink.in";

  /** Payload of thread {@code t}'s message {@code seq}: per-thread order is readable back. */
  private static long payload(int thread, int seq) {
    return thread * 1_000_000L + seq;
  }

  private static Graph ingressIntoSink(String name, CollectingSink sink, int capacity) {
    return Graph.builder(name)
        .add("sink", sink)
        .ingress("in", "sink.in", EdgeSpec.blocking(capacity))
        .build();
  }

  private static void assertPerThreadFifo(List<Long> delivered) {
    Map<Long, Long> lastSeqOfThread = new HashMap<>();
    for (long value : delivered) {
      long thread = value / 1_000_000L;
      long seq = value % 1_000_000L;
      Long last = lastSeqOfThread.put(thread, seq);
      assertThat(last == null || last < seq)
          .as("thread %d: seq %d delivered after %d", thread, seq, last)
          .isTrue();
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void offerAndPut_fromManyThreads_deliverEveryAcceptedMessageOnceInPerThreadOrder(int workers)
      throws Exception {
    int offerThreads = 3;
    int putThreads = 3;
    int perThread = 4_000;
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("ingress-many", sink, 16));
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < offerThreads + putThreads; t++) {
        int thread = t;
        boolean puts = t >= offerThreads;
        Thread th =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (int seq = 0; seq < perThread; seq++) {
                      long value = payload(thread, seq);
                      OfferResult r = puts ? ingress.put(value, LONG) : ingress.offer(value);
                      if (r.status() == OfferStatus.ACCEPTED) {
                        accepted.add(value);
                      } else if (puts || r.status() != OfferStatus.BLOCKED) {
                        unexpected.add(value + ": " + r);
                      }
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unexpected.add("interrupted");
                  }
                },
                "ingress-test-" + t);
        threads.add(th);
        th.start();
      }
      go.countDown();
      for (Thread th : threads) {
        th.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(th.isAlive()).as("%s finished", th.getName()).isFalse();
      }
      assertThat(unexpected).as("puts always succeed; offers succeed or block").isEmpty();
      await().atMost(LONG).untilAsserted(() -> assertThat(sink.count()).isEqualTo(accepted.size()));
    } finally {
      running.stop(LONG);
    }
    List<Long> delivered = sink.received();
    SchedulerFixtures.assertEachExactlyOnce(delivered, List.copyOf(accepted), "ingress");
    assertPerThreadFifo(delivered);
    assertThat(delivered.size())
        .as("every put was accepted")
        .isGreaterThanOrEqualTo(putThreads * perThread);
    EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(EDGE));
    assertThat(stats.accepted()).isEqualTo(accepted.size());
    assertThat(stats.delivered()).isEqualTo(accepted.size());
  }

  private static boolean isWaiting(@Nullable Thread thread) {
    return thread != null && thread.getState() == Thread.State.TIMED_WAITING;
  }

  /** Holds the sink inside message 0, then fills the ingress edge (capacity 2) with 1 and 2. */
  private static RunningGraph startFullIngress(
      String name, int workers, CollectingSink sink, Gate gate) {
    sink.gatedOn(gate, x -> x == 0);
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink(name, sink, 2));
    Ingress<Long> ingress = running.ingress("in", Long.class);
    assertThat(ingress.offer(0L).status()).isEqualTo(OfferStatus.ACCEPTED);
    await().atMost(LONG).until(gate::hasArrivals);
    assertThat(ingress.offer(1L).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(ingress.offer(2L).status()).isEqualTo(OfferStatus.ACCEPTED);
    assertThat(ingress.offer(3L).status()).as("the edge is full").isEqualTo(OfferStatus.BLOCKED);
    return running;
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void put_whileTheEdgeIsFull_waitsAndSucceedsOnceTheConsumerMakesRoom(int workers)
      throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startFullIngress("ingress-put-waits", workers, sink, gate);
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      AtomicReference<Thread> putter = new AtomicReference<>();
      CompletableFuture<OfferResult> put =
          SchedulerFixtures.onNewThread(
              "putter",
              () -> {
                putter.set(Thread.currentThread());
                return ingress.put(3L, LONG);
              });
      await().atMost(LONG).until(() -> isWaiting(putter.get()));
      assertThat(put).isNotDone();
      assertThat(Objects.requireNonNull(running.snapshot().edge(EDGE)).depth()).isEqualTo(2);

      gate.open();

      assertThat(put.get(30, TimeUnit.SECONDS).status()).isEqualTo(OfferStatus.ACCEPTED);
      await().atMost(LONG).until(() -> sink.count() == 4);
      assertThat(sink.received()).containsExactly(0L, 1L, 2L, 3L);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void put_whileTheEdgeStaysFull_timesOutWithBlocked(int workers) throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startFullIngress("ingress-put-times-out", workers, sink, gate);
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      Duration timeout = Duration.ofMillis(150);
      long started = System.nanoTime();

      OfferResult result = ingress.put(3L, timeout);

      assertThat(result.status()).isEqualTo(OfferStatus.BLOCKED);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("waited at least the timeout")
          .isGreaterThanOrEqualTo(timeout);
      gate.open();
      await().atMost(LONG).until(() -> sink.count() == 3);
    } finally {
      gate.open();
      ShutdownReport report = running.stop(LONG);
      assertThat(report.undelivered()).isZero();
    }
    assertThat(sink.received())
        .as("the timed-out payload was never enqueued")
        .containsExactly(0L, 1L, 2L);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void offerAndPut_afterStop_returnClosed(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("ingress-closed", sink, 4));
    Ingress<Long> ingress = running.ingress("in", Long.class);
    assertThat(ingress.offer(1L).status()).isEqualTo(OfferStatus.ACCEPTED);

    running.stop(LONG);

    assertThat(ingress.offer(2L))
        .satisfies(r -> assertThat(r.status()).isEqualTo(OfferStatus.CLOSED))
        .satisfies(r -> assertThat(r.reason()).contains("the graph is shutting down"));
    assertThat(ingress.offerControl(3L).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(ingress.put(4L, Duration.ofSeconds(5)).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(running.ingress("in", Long.class).offer(5L).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(sink.received()).containsExactly(1L);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void put_waitingWhenStopBegins_returnsClosed(int workers) throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startFullIngress("ingress-put-closed", workers, sink, gate);
    Ingress<Long> ingress = running.ingress("in", Long.class);
    AtomicReference<Thread> putter = new AtomicReference<>();
    CompletableFuture<OfferResult> put =
        SchedulerFixtures.onNewThread(
            "putter",
            () -> {
              putter.set(Thread.currentThread());
              return ingress.put(3L, LONG);
            });
    await().atMost(LONG).until(() -> isWaiting(putter.get()));
    CompletableFuture<ShutdownReport> stop =
        SchedulerFixtures.onNewThread("stopper", () -> running.stop(LONG));
    try {
      assertThat(put.get(30, TimeUnit.SECONDS).status()).isEqualTo(OfferStatus.CLOSED);
    } finally {
      gate.open();
    }
    ShutdownReport report = stop.get(30, TimeUnit.SECONDS);
    assertThat(report.timedOut()).isFalse();
    assertThat(sink.received()).as("what was accepted still drains").containsExactly(0L, 1L, 2L);
  }

  /**
   * A put waiting for room returns CLOSED once its consumer is stopped by its policy without having
   * made room (a consumer that takes a message first makes room, and the put is ACCEPTED).
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void put_waitingWhenItsConsumerFails_returnsClosed(int workers) throws Exception {
    Gate gate = new Gate();
    SchedulerFixtures.Probe probe =
        new SchedulerFixtures.Probe().gatedOn(gate, x -> x == 0).failingOnMessage(x -> x == 0);
    Graph graph =
        Graph.builder("ingress-put-consumer-fails")
            .add("probe", probe)
            .add("sink", new CollectingSink())
            .ingress("in", "probe.in", EdgeSpec.blocking(2))
            .connect("probe.out", "sink.in")
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      assertThat(ingress.offer(0L).status()).isEqualTo(OfferStatus.ACCEPTED);
      await().atMost(LONG).until(gate::hasArrivals);
      assertThat(ingress.offer(1L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(ingress.offer(2L).status()).isEqualTo(OfferStatus.ACCEPTED);
      AtomicReference<Thread> putter = new AtomicReference<>();
      CompletableFuture<OfferResult> put =
          SchedulerFixtures.onNewThread(
              "putter",
              () -> {
                putter.set(Thread.currentThread());
                return ingress.put(3L, LONG);
              });
      await().atMost(LONG).until(() -> isWaiting(putter.get()));

      gate.open();

      OfferResult closed = put.get(30, TimeUnit.SECONDS);
      assertThat(closed.status()).isEqualTo(OfferStatus.CLOSED);
      assertThat(closed.reason())
          .as("the graph still runs: the reason names the node that stopped")
          .contains("its node probe stopped by its error policy");
      assertThat(ingress.offer(4L).reason()).contains("its node probe stopped");
      assertThat(deadLetters.payloads(DeadLetter.Reason.NODE_FAILED)).containsExactly(0L);
      assertThat(deadLetters.payloads(DeadLetter.Reason.CONSUMER_STOPPED)).containsExactly(1L, 2L);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  /** Offers racing with stop: whatever was accepted before the ingress closed is delivered. */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void offer_racingWithStop_everyAcceptedMessageIsDeliveredAndLaterOnesAreClosed(int workers)
      throws Exception {
    CollectingSink sink = new CollectingSink();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .build()
            .start(ingressIntoSink("ingress-race-stop", sink, 64));
    Ingress<Long> ingress = running.ingress("in", Long.class);
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                boolean closed = false;
                for (int seq = 0; seq < 900_000; seq++) {
                  OfferResult r = ingress.offer(payload(thread, seq));
                  if (r.status() == OfferStatus.ACCEPTED) {
                    if (closed) {
                      violations.add("accepted after CLOSED: " + payload(thread, seq));
                    }
                    accepted.add(payload(thread, seq));
                  } else if (r.status() == OfferStatus.CLOSED) {
                    if (closed) {
                      return;
                    }
                    closed = true;
                  }
                }
              },
              "ingress-race-" + t);
      threads.add(th);
      th.start();
    }
    await().atMost(LONG).until(() -> accepted.size() > 1_000);

    ShutdownReport report = running.stop(LONG);

    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(1));
    }
    assertThat(violations).isEmpty();
    assertThat(report.timedOut()).isFalse();
    List<Long> delivered = sink.received();
    SchedulerFixtures.assertEachExactlyOnce(delivered, List.copyOf(accepted), report.render());
    assertPerThreadFifo(delivered);
    assertThat(deadLetters.all()).isEmpty();
  }

  /** A sink of Numbers: an ingress to it may be typed as any subtype of Number. */
  static final class NumberSink implements Node {
    private final PortSpec<Number> in = PortSpec.of("in", Number.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
  }

  @Test
  void ingress_lookups_checkNameAndType() {
    Graph graph =
        Graph.builder("ingress-lookup")
            .add("sink", new NumberSink())
            .ingress("numbers", "sink.in")
            .ingress("more", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      assertThat(running.ingress("numbers", Number.class).name()).isEqualTo("numbers");
      assertThat(running.ingress("numbers", Long.class).name()).isEqualTo("numbers");

      assertThatThrownBy(() -> running.ingress("nope", Number.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'nope'")
          .hasMessageContaining("ingress-lookup")
          .hasMessageContaining("numbers")
          .hasMessageContaining("more");
      assertThatThrownBy(() -> running.ingress("numbers", String.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'numbers'")
          .hasMessageContaining("java.lang.Number")
          .hasMessageContaining("java.lang.String");
      assertThatThrownBy(() -> running.ingress("numbers", Object.class))
          .as("a wider type would let callers offer what the port rejects")
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("java.lang.Object");
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A LATEST or COALESCE ingress edge is single-producer, so IngressGate still serializes its
   * application threads with its lock (only BLOCK, DROP and FAIL ingress edges get the lock-free
   * multi-producer ring): concurrent DATA and CONTROL offers, a Flow subscriber (which reads the
   * remaining capacity under the lock) and offers after the stop, with the edge's ledger balanced.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"LATEST", "COALESCE"})
  void offer_onLatestOrCoalesceIngressFromManyThreads_takesTheLockAndBalancesTheLedger(
      String policyName) throws Exception {
    OverflowPolicy policy =
        policyName.equals("LATEST")
            ? OverflowPolicy.LATEST
            : OverflowPolicy.<Long>coalesce((queued, incoming) -> incoming);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("ingress-locked-" + policyName)
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.of(4, policy))
            .build();
    RunningGraph running = SchedulerFixtures.scheduler(2, new DeadLetterLog()).build().start(graph);
    Ingress<Long> ingress = running.ingress("in", Long.class);
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    long[] offers = new long[3];
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < offers.length; t++) {
      int thread = t;
      Thread th =
          new Thread(
              () -> {
                for (int seq = 0; seq < 2_000; seq++) {
                  long value = payload(thread, seq);
                  OfferResult r =
                      seq % 100 == 0 ? ingress.offerControl(value) : ingress.offer(value);
                  offers[thread]++;
                  if (!r.isEnqueued() && r.status() != OfferStatus.COALESCED) {
                    if (r.status() != OfferStatus.BLOCKED || seq % 100 != 0) {
                      unexpected.add(value + ": " + r);
                    }
                  }
                }
              },
              "ingress-locked-" + t);
      threads.add(th);
      th.start();
    }
    GraphSubscriber<Long> subscriber = GraphFlows.subscriber(running, "in", Long.class);
    try (SubmissionPublisher<Long> publisher = new SubmissionPublisher<>()) {
      publisher.subscribe(subscriber);
      for (long i = 0; i < 50; i++) {
        publisher.submit(9_000_000L + i);
      }
    }
    subscriber.completion().toCompletableFuture().get(1, TimeUnit.MINUTES);
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(1));
      assertThat(th.isAlive()).as("%s finished", th.getName()).isFalse();
    }
    running.stop(LONG);
    assertThat(ingress.offer(1L).status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(ingress.offerControl(2L).status()).isEqualTo(OfferStatus.CLOSED);

    assertThat(unexpected).as("LATEST and COALESCE take every DATA offer").isEmpty();
    EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(EDGE));
    long offered = offers[0] + offers[1] + offers[2] + 50 + 2;
    assertThat(stats.offered()).isEqualTo(offered);
    assertThat(stats.closed()).isEqualTo(2);
    assertThat(stats.unaccounted()).isZero();
    assertThat(stats.delivered()).isEqualTo(sink.count());
  }
}
