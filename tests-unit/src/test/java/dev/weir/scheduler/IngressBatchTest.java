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
import dev.weir.scheduler.SchedulerFixtures.ValidatingSink;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Ingress#offerAll} and {@link Ingress#putAll}: a batch goes in in order, stops at the first
 * refusal with every payload accounted for (taken and counted by outcome, or refused, or left to
 * the caller), waits for room, times out, closes, and is checked before anything is offered.
 */
class IngressBatchTest {

  private static final String EDGE = "ingress:in->sink.in";

  private static Graph ingressIntoSink(String name, Node sink, EdgeSpec spec) {
    return Graph.builder(name).add("sink", sink).ingress("in", "sink.in", spec).build();
  }

  private static List<Long> values(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long v = from; v < to; v++) {
      values.add(v);
    }
    return values;
  }

  private static EdgeStats edgeStats(RunningGraph running) {
    return Objects.requireNonNull(running.snapshot().edge(EDGE));
  }

  /**
   * Holds the sink inside message 0, which it has taken off the edge, so the ingress edge's
   * capacity is what it can hold from then on.
   */
  private static RunningGraph startHeld(
      String name, int workers, CollectingSink sink, Gate gate, EdgeSpec spec) {
    sink.gatedOn(gate, x -> x == 0);
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink(name, sink, spec));
    assertThat(running.ingress("in", Long.class).offer(0L).status())
        .isEqualTo(OfferStatus.ACCEPTED);
    await().atMost(LONG).until(gate::hasArrivals);
    return running;
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void offerAll_withRoom_takesEveryPayloadInOrder(int workers) {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("batch-room", sink, EdgeSpec.blocking(64)));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);

      BatchOfferResult first = ingress.offerAll(values(0, 40));
      BatchOfferResult second = ingress.offerAll(new LinkedList<>(values(40, 50)));
      BatchOfferResult empty = ingress.offerAll(List.of());

      assertThat(first.isComplete()).isTrue();
      assertThat(first.taken()).isEqualTo(40);
      assertThat(first.count(OfferStatus.ACCEPTED)).isEqualTo(40);
      assertThat(first.refusal()).isNull();
      assertThat(second.taken()).isEqualTo(10);
      assertThat(empty.isComplete()).isTrue();
      assertThat(empty.taken()).isZero();
      await().atMost(LONG).until(() -> sink.count() == 50);
      assertThat(sink.received()).isEqualTo(values(0, 50));
      assertThat(edgeStats(running).accepted()).isEqualTo(50);
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void offerAll_onAFullBlockEdge_stopsAtTheFirstBlockedPayloadAndOffersNoneAfterIt(int workers) {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-blocked", workers, sink, gate, EdgeSpec.blocking(3));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);

      BatchOfferResult r = ingress.offerAll(values(1, 7));

      assertThat(r.taken()).isEqualTo(3);
      assertThat(r.isComplete()).isFalse();
      assertThat(Objects.requireNonNull(r.refusal()).status()).isEqualTo(OfferStatus.BLOCKED);
      assertThat(r)
          .hasToString("BatchOfferResult[taken 3 of 6, 3 accepted, refused at 3: BLOCKED]");
      EdgeStats stats = edgeStats(running);
      assertThat(stats.accepted()).as("message 0 and the three taken").isEqualTo(4);
      assertThat(stats.blocked()).as("only the refused payload was offered").isEqualTo(1);

      gate.open();
      await().atMost(LONG).until(() -> sink.count() == 4);
      assertThat(ingress.offerAll(values(4, 7)).isComplete()).as("the caller's retry").isTrue();
      await().atMost(LONG).until(() -> sink.count() == 7);
      assertThat(sink.received()).isEqualTo(values(0, 7));
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void putAll_onAFullEdge_waitsForRoomAndTakesTheWholeBatchInOrder(int workers) throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-put-waits", workers, sink, gate, EdgeSpec.blocking(2));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      CompletableFuture<BatchOfferResult> put = putAllUntilWaiting(ingress, values(1, 101), LONG);
      assertThat(put).isNotDone();
      assertThat(edgeStats(running).depth()).as("the first two are in").isEqualTo(2);

      gate.open();

      BatchOfferResult r = put.get(30, TimeUnit.SECONDS);
      assertThat(r.isComplete()).isTrue();
      assertThat(r.count(OfferStatus.ACCEPTED)).isEqualTo(100);
      await().atMost(LONG).until(() -> sink.count() == 101);
      assertThat(sink.received()).isEqualTo(values(0, 101));
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  /**
   * Regression: a timeout beyond a long of nanoseconds threw ArithmeticException once the call had
   * to wait, after putAll had already put part of its batch in.
   */
  @Test
  void putAndPutAll_withTimeoutsBeyondALongOfNanos_waitOrReturnInsteadOfThrowing()
      throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-forever", 1, sink, gate, EdgeSpec.blocking(2));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      Duration forever = ChronoUnit.FOREVER.getDuration();
      Duration never = forever.negated();
      CompletableFuture<BatchOfferResult> put = putAllUntilWaiting(ingress, values(1, 6), forever);
      assertThat(ingress.put(9L, never).status()).isEqualTo(OfferStatus.BLOCKED);
      assertThat(ingress.putAll(List.of(9L), never).refusal()).isEqualTo(OfferResult.blocked());

      gate.open();

      assertThat(put.get(30, TimeUnit.SECONDS).isComplete()).isTrue();
      assertThat(ingress.put(6L, forever).status()).isEqualTo(OfferStatus.ACCEPTED);
      await().atMost(LONG).until(() -> sink.count() == 7);
      assertThat(sink.received()).isEqualTo(values(0, 7));
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @Test
  void putAll_whileTheEdgeStaysFull_timesOutWithWhatItTookSoFar() {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-put-times-out", 1, sink, gate, EdgeSpec.blocking(2));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      long started = System.nanoTime();

      BatchOfferResult r = ingress.putAll(values(1, 6), Duration.ofMillis(100));

      assertThat(System.nanoTime() - started)
          .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos());
      assertThat(r.taken()).isEqualTo(2);
      assertThat(Objects.requireNonNull(r.refusal()).status()).isEqualTo(OfferStatus.BLOCKED);
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      gate.open();
      await().atMost(LONG).until(() -> sink.count() == 3);
      assertThat(sink.received())
          .as("nothing after the refusal went in")
          .containsExactly(0L, 1L, 2L);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @Test
  void putAll_interrupted_returnsWhatItTookAndKeepsTheInterruptStatus() throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-put-interrupted", 1, sink, gate, EdgeSpec.blocking(2));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      AtomicReference<Thread> putter = new AtomicReference<>();
      CompletableFuture<Object[]> put =
          SchedulerFixtures.onNewThread(
              "batch-putter",
              () -> {
                putter.set(Thread.currentThread());
                BatchOfferResult r = ingress.putAll(values(1, 6), LONG);
                return new Object[] {r, Thread.currentThread().isInterrupted()};
              });
      await().atMost(LONG).until(() -> isTimedWaiting(putter.get()));

      Objects.requireNonNull(putter.get()).interrupt();

      Object[] outcome = put.get(30, TimeUnit.SECONDS);
      BatchOfferResult r = (BatchOfferResult) outcome[0];
      assertThat(r.taken()).isEqualTo(2);
      assertThat(Objects.requireNonNull(r.refusal()).status()).isEqualTo(OfferStatus.BLOCKED);
      assertThat(outcome[1]).as("interrupt status kept").isEqualTo(true);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void putAll_whenStopBegins_returnsClosedWithWhatItTook(int workers) throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-put-closed", workers, sink, gate, EdgeSpec.blocking(2));
    Ingress<Long> ingress = running.ingress("in", Long.class);
    CompletableFuture<BatchOfferResult> put = putAllUntilWaiting(ingress, values(1, 6), LONG);
    CompletableFuture<ShutdownReport> stop =
        SchedulerFixtures.onNewThread("stopper", () -> running.stop(LONG));

    BatchOfferResult r = put.get(30, TimeUnit.SECONDS);
    gate.open();
    stop.get(30, TimeUnit.SECONDS);

    assertThat(r.taken()).isEqualTo(2);
    OfferResult refusal = Objects.requireNonNull(r.refusal());
    assertThat(refusal.status()).isEqualTo(OfferStatus.CLOSED);
    assertThat(refusal.reason()).contains("the graph is shutting down");
    assertThat(sink.received()).as("BLOCK edges drain at shutdown").containsExactly(0L, 1L, 2L);
  }

  @ParameterizedTest(name = "policy={0}")
  @ValueSource(strings = {"BLOCK", "LATEST"})
  void offerAll_afterStop_isClosedAndTakesNothing(String policy) {
    CollectingSink sink = new CollectingSink();
    EdgeSpec spec =
        EdgeSpec.of(4, policy.equals("BLOCK") ? OverflowPolicy.BLOCK : OverflowPolicy.LATEST);
    RunningGraph running =
        SchedulerFixtures.scheduler(1, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("batch-closed-" + policy, sink, spec));
    Ingress<Long> ingress = running.ingress("in", Long.class);
    running.stop(LONG);

    BatchOfferResult r = ingress.offerAll(values(1, 4));
    BatchOfferResult put = ingress.putAll(values(1, 4), LONG);

    for (BatchOfferResult result : List.of(r, put)) {
      assertThat(result.taken()).isZero();
      OfferResult refusal = Objects.requireNonNull(result.refusal());
      assertThat(refusal.status()).isEqualTo(OfferStatus.CLOSED);
      assertThat(refusal.reason()).contains("ingress 'in' is closed");
    }
    assertThat(edgeStats(running).closed()).as("one offer per call reached the edge").isEqualTo(2);
  }

  /** A lossy policy's batch outcome: the status it counts and what the sink gets after 0. */
  enum Lossy {
    DROP(OverflowPolicy.DROP, OfferStatus.DROPPED, List.of(0L, 1L, 2L)),
    LATEST(OverflowPolicy.LATEST, OfferStatus.EVICTED, List.of(0L, 4L, 5L)),
    COALESCE(OverflowPolicy.<Long>coalesce(Long::sum), OfferStatus.COALESCED, List.of(0L, 1L, 14L));

    final OverflowPolicy policy;
    final OfferStatus counted;
    final List<Long> delivered;

    Lossy(OverflowPolicy policy, OfferStatus counted, List<Long> delivered) {
      this.policy = policy;
      this.counted = counted;
      this.delivered = delivered;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Lossy.class)
  void offerAll_onAFullLossyEdge_appliesThePolicyToEachPayloadWithoutStopping(Lossy lossy) {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running = startHeld("batch-" + lossy, 1, sink, gate, EdgeSpec.of(2, lossy.policy));
    try {
      BatchOfferResult r = running.ingress("in", Long.class).offerAll(values(1, 6));

      assertThat(r.isComplete()).isTrue();
      assertThat(r.count(OfferStatus.ACCEPTED)).as("the two that fit").isEqualTo(2);
      assertThat(r.count(lossy.counted)).isEqualTo(3);
      EdgeStats stats = edgeStats(running);
      assertThat(stats.dropped() + stats.evicted() + stats.coalesced())
          .as("the edge counted them too")
          .isEqualTo(3);
      gate.open();
      await().atMost(LONG).until(() -> sink.count() == 3);
      assertThat(sink.received()).isEqualTo(lossy.delivered);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @Test
  void offerAll_onAFullFailEdge_stopsWithTheOverflowError() {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        startHeld("batch-fail", 1, sink, gate, EdgeSpec.of(2, OverflowPolicy.FAIL));
    try {
      BatchOfferResult r = running.ingress("in", Long.class).offerAll(values(1, 6));

      assertThat(r.taken()).isEqualTo(2);
      OfferResult refusal = Objects.requireNonNull(r.refusal());
      assertThat(refusal.status()).isEqualTo(OfferStatus.FAILED);
      assertThat(Objects.requireNonNull(refusal.cause()).getMessage()).contains("policy is FAIL");
      assertThat(edgeStats(running).failed()).isEqualTo(1);
    } finally {
      gate.open();
      running.stop(LONG);
    }
  }

  @Test
  void offerAll_aPayloadTheValidatorRejects_stopsTheBatchThereAndNamesTheEdge() {
    ValidatingSink sink = new ValidatingSink(x -> x < 0 ? "negative: " + x : null);
    RunningGraph running =
        SchedulerFixtures.scheduler(1, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("batch-rejected", sink, EdgeSpec.blocking(16)));
    try {
      BatchOfferResult r = running.ingress("in", Long.class).offerAll(List.of(1L, 2L, -3L, 4L));

      assertThat(r.taken()).isEqualTo(2);
      OfferResult refusal = Objects.requireNonNull(r.refusal());
      assertThat(refusal.status()).isEqualTo(OfferStatus.REJECTED);
      assertThat(refusal.reason()).contains(EDGE).contains("negative");
      await().atMost(LONG).until(() -> sink.received.size() == 2);
      assertThat(sink.received).containsExactly(1L, 2L);
      assertThat(edgeStats(running).rejected()).isEqualTo(1);
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void offerAll_withANullElement_throwsNamingItsIndexAndOffersNothing() {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(1, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("batch-null", sink, EdgeSpec.blocking(16)));
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      List<Long> withNull = Arrays.asList(1L, 2L, null, 4L);

      assertThatThrownBy(() -> ingress.offerAll(withNull))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("payloads[2] is null")
          .hasMessageContaining("ingress 'in'")
          .hasMessageContaining("nothing of this batch was offered");
      assertThatThrownBy(() -> ingress.putAll(withNull, LONG))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> ingress.putAll(List.of(1L), null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("timeout");
      assertThat(edgeStats(running).accepted()).isZero();
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void offerAll_tracesLikeSingleOffers_andStampsABatchWithOneClockReading() {
    List<Message<?>> batched = traceOf(ingress -> ingress.offerAll(values(0, 5)));
    List<Message<?>> single =
        traceOf(
            ingress -> {
              for (long v = 0; v < 5; v++) {
                ingress.offer(v);
              }
            });

    assertThat(batched)
        .extracting(Message::traceId)
        .as("the same seeded ids, in the same order")
        .isEqualTo(single.stream().map(Message::traceId).toList());
    assertThat(single)
        .extracting(Message::timestampNanos)
        .as("a single offer reads the clock each time")
        .doesNotHaveDuplicates();
    assertThat(batched)
        .extracting(Message::timestampNanos)
        .as("one reading for the whole batch")
        .containsOnly(batched.get(0).timestampNanos());
  }

  /**
   * Feeds a seeded one-worker graph, whose clock advances by one on every reading, through {@code
   * feed}; returns the messages its sink took.
   */
  private static List<Message<?>> traceOf(Consumer<Ingress<Long>> feed) {
    AtomicLong readings = new AtomicLong();
    MessageSink sink = new MessageSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(1, new DeadLetterLog())
            .clock(readings::incrementAndGet)
            .seed(7)
            .build()
            .start(ingressIntoSink("batch-trace", sink, EdgeSpec.blocking(16)));
    try {
      feed.accept(running.ingress("in", Long.class));
      await().atMost(LONG).until(() -> sink.received.size() == 5);
    } finally {
      running.stop(LONG);
    }
    return List.copyOf(sink.received);
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void putAll_fromManyThreads_deliversEveryPayloadOnceInPerThreadOrder(int workers)
      throws Exception {
    int threads = 4;
    int batches = 200;
    int batchSize = 25;
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .build()
            .start(ingressIntoSink("batch-many", sink, EdgeSpec.blocking(16)));
    ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    List<Long> sent = Collections.synchronizedList(new ArrayList<>());
    try {
      Ingress<Long> ingress = running.ingress("in", Long.class);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long base = t * 1_000_000L;
        Thread th =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (int b = 0; b < batches; b++) {
                      List<Long> batch = values(base + b * batchSize, base + (b + 1) * batchSize);
                      BatchOfferResult r = ingress.putAll(batch, LONG);
                      if (!r.isComplete()) {
                        unexpected.add(r.toString());
                      }
                      sent.addAll(batch);
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    unexpected.add("interrupted");
                  }
                },
                "batch-test-" + t);
        started.add(th);
        th.start();
      }
      go.countDown();
      for (Thread th : started) {
        th.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(th.isAlive()).as("%s finished", th.getName()).isFalse();
      }
      assertThat(unexpected).isEmpty();
      await().atMost(LONG).until(() -> sink.count() == threads * batches * batchSize);
    } finally {
      running.stop(LONG);
    }
    List<Long> delivered = sink.received();
    SchedulerFixtures.assertEachExactlyOnce(delivered, List.copyOf(sent), "batched ingress");
    long[] last = new long[threads];
    Arrays.fill(last, -1);
    for (long v : delivered) {
      int thread = (int) (v / 1_000_000L);
      assertThat(v).as("thread %d's order", thread).isGreaterThan(last[thread]);
      last[thread] = v;
    }
  }

  /** Starts {@code putAll} on a new thread and returns once that thread waits for room. */
  private static CompletableFuture<BatchOfferResult> putAllUntilWaiting(
      Ingress<Long> ingress, List<Long> payloads, Duration timeout) {
    AtomicReference<Thread> putter = new AtomicReference<>();
    CompletableFuture<BatchOfferResult> put =
        SchedulerFixtures.onNewThread(
            "batch-putter",
            () -> {
              putter.set(Thread.currentThread());
              return ingress.putAll(payloads, timeout);
            });
    await().atMost(LONG).until(() -> isTimedWaiting(putter.get()));
    return put;
  }

  private static boolean isTimedWaiting(Thread thread) {
    return thread != null && thread.getState() == Thread.State.TIMED_WAITING;
  }

  /** A sink that keeps whole messages. */
  private static final class MessageSink implements Node {
    private final PortSpec<Long> in = SchedulerFixtures.in();
    final List<Message<?>> received = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(message);
    }
  }
}
