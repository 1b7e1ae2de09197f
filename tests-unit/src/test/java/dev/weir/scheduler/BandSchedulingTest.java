package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scheduling seen from the nodes on one worker: busy nodes of one band take turns within a bounded
 * skew, bands share the worker by weight without starving the lowest, and CONTROL messages overtake
 * queued data.
 */
class BandSchedulingTest {

  private static final Duration STOP = Duration.ofSeconds(10);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ConditionFactory waiting() {
    return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  /**
   * A source that is always ready: every pull emits one message to its output, which is left
   * unconnected (counted as unrouted), so it has demand and is pulled again at once.
   */
  private static final class SpinningSource implements SourceNode {
    static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);
    final AtomicLong pulls = new AtomicLong();
    private final Runnable onPull;

    SpinningSource(Runnable onPull) {
      this.onPull = onPull;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      ctx.emit(OUT, pulls.incrementAndGet());
      onPull.run();
      return true;
    }
  }

  /** Emits {@code count} messages to each of its outputs "a" and "b" in one pull, then ends. */
  static final class TwoOutputBurst implements SourceNode {
    static final PortSpec<Long> A = PortSpec.of("a", Long.class);
    static final PortSpec<Long> B = PortSpec.of("b", Long.class);
    private final int count;

    TwoOutputBurst(int count) {
      this.count = count;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(A, B);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      for (long i = 0; i < count; i++) {
        ctx.emit(A, i);
        ctx.emit(B, i);
      }
      return false;
    }
  }

  @Test
  void start_twoAlwaysReadySourcesInOneBand_takeTurnsWithinOneActivation() throws Exception {
    AtomicLong maxSkew = new AtomicLong();
    SpinningSource[] sources = new SpinningSource[2];
    Runnable measure =
        () -> {
          long skew = Math.abs(sources[0].pulls.get() - sources[1].pulls.get());
          maxSkew.accumulateAndGet(skew, Math::max);
        };
    sources[0] = new SpinningSource(measure);
    sources[1] = new SpinningSource(measure);
    Graph graph =
        Graph.builder("skew-sources").add("left", sources[0]).add("right", sources[1]).build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      waiting().until(() -> sources[0].pulls.get() >= 20_000 && sources[1].pulls.get() >= 20_000);
    } finally {
      running.stop(STOP);
    }

    GraphSnapshot snapshot = running.snapshot();
    // Strict alternation shows a skew of at most 1 between the two pulls of a round; allow 2.
    assertThat(maxSkew.get()).as(snapshot::render).isLessThanOrEqualTo(2);
    assertThat(snapshot.node("left").activations())
        .as(snapshot::render)
        .isCloseTo(snapshot.node("right").activations(), within(3L));
  }

  @ParameterizedTest(name = "batchLimit {0}")
  @ValueSource(ints = {1, 10, 64})
  void batchLimit_twoBusyConsumersInOneBand_skewBoundedByTheBatch(int batchLimit) throws Exception {
    int perConsumer = 2_000;
    List<String> deliveries = Collections.synchronizedList(new ArrayList<>());
    Graph graph =
        Graph.builder("skew-consumers")
            .add("burst", new TwoOutputBurst(perConsumer))
            .add("left", Nodes.sink(Long.class, x -> deliveries.add("left")))
            .add("right", Nodes.sink(Long.class, x -> deliveries.add("right")))
            .connect("burst.a", "left.in", EdgeSpec.blocking(perConsumer))
            .connect("burst.b", "right.in", EdgeSpec.blocking(perConsumer))
            .build();

    RunningGraph running = Scheduler.builder().batchLimit(batchLimit).build().start(graph);
    try {
      assertThat(running.awaitCompletion(WAIT)).as(() -> running.snapshot().render()).isTrue();
    } finally {
      running.stop(STOP);
    }

    long left = 0;
    long right = 0;
    long maxSkew = 0;
    synchronized (deliveries) {
      for (String d : deliveries) {
        if (d.equals("left")) {
          left++;
        } else {
          right++;
        }
        maxSkew = Math.max(maxSkew, Math.abs(left - right));
      }
    }
    GraphSnapshot snapshot = running.snapshot();
    assertThat(left).as(snapshot::render).isEqualTo(perConsumer);
    assertThat(right).as(snapshot::render).isEqualTo(perConsumer);
    assertThat(maxSkew).as(snapshot::render).isLessThanOrEqualTo(batchLimit);
    long leftRuns = snapshot.node("left").activations();
    long rightRuns = snapshot.node("right").activations();
    assertThat(leftRuns).as(snapshot::render).isGreaterThanOrEqualTo(perConsumer / batchLimit);
    assertThat(Math.abs(leftRuns - rightRuns)).as(snapshot::render).isLessThanOrEqualTo(2);
  }

  @Test
  void bandWeights_highAndLowSaturatedOnOneWorker_highRunsFourTimesAsOftenAndLowIsNotStarved()
      throws Exception {
    long[] highAtLowMilestone = {-1};
    SpinningSource[] sources = new SpinningSource[2];
    sources[0] = new SpinningSource(() -> {});
    sources[1] =
        new SpinningSource(
            () -> {
              if (sources[1].pulls.get() == 2_000) {
                highAtLowMilestone[0] = sources[0].pulls.get();
              }
            });
    Graph graph = Graph.builder("bands").add("high", sources[0]).add("low", sources[1]).build();

    RunningGraph running =
        Scheduler.builder()
            .priority("high", Priority.HIGH)
            .priority("low", Priority.LOW)
            .build()
            .start(graph);
    try {
      waiting().until(() -> sources[1].pulls.get() >= 2_000);
    } finally {
      running.stop(STOP);
    }

    GraphSnapshot snapshot = running.snapshot();
    double ratio = highAtLowMilestone[0] / 2_000.0;
    assertThat(ratio).as(snapshot::render).isBetween(3.6, 4.4);
    assertThat(snapshot.node("low").activations()).as(snapshot::render).isPositive();
  }

  @Test
  void bandWeights_custom_setTheRatioBetweenBands() throws Exception {
    long[] highAtLowMilestone = {-1};
    SpinningSource[] sources = new SpinningSource[2];
    sources[0] = new SpinningSource(() -> {});
    sources[1] =
        new SpinningSource(
            () -> {
              if (sources[1].pulls.get() == 3_000) {
                highAtLowMilestone[0] = sources[0].pulls.get();
              }
            });
    Graph graph = Graph.builder("weights").add("high", sources[0]).add("low", sources[1]).build();

    RunningGraph running =
        Scheduler.builder()
            .bandWeights(8, 1, 1, 3)
            .priority("high", Priority.HIGH)
            .priority("low", Priority.LOW)
            .build()
            .start(graph);
    try {
      waiting().until(() -> sources[1].pulls.get() >= 3_000);
    } finally {
      running.stop(STOP);
    }

    // LOW weighted 3, HIGH weighted 1: LOW now gets three turns for each of HIGH's.
    assertThat(highAtLowMilestone[0]).as(() -> running.snapshot().render()).isBetween(900L, 1100L);
  }

  /**
   * Records every payload it receives (prefixed with its port when it has several inputs); holds
   * the worker inside its first message until let go.
   */
  private static final class GatedRecorder implements Node {
    static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    final List<String> received = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final List<PortSpec<?>> inputs;

    GatedRecorder() {
      this(List.of(IN));
    }

    GatedRecorder(List<PortSpec<?>> inputs) {
      this.inputs = inputs;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return inputs;
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message)
        throws InterruptedException {
      String port = inputs.size() > 1 ? input.name() + ':' : "";
      received.add(port + (message.isControl() ? "C" : "D") + message.payload());
      if (entered.getCount() > 0) {
        entered.countDown();
        assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  @Test
  void offerControl_toNodeWithSaturatedDataInput_isDeliveredBeforeTheQueuedData() throws Exception {
    int capacity = 32;
    GatedRecorder recorder = new GatedRecorder();
    Graph graph =
        Graph.builder("control-first")
            .add("recorder", recorder)
            .ingress("feed", "recorder.in", EdgeSpec.blocking(capacity))
            .build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    List<String> expected = new ArrayList<>(List.of("D0", "C100", "C101"));
    try {
      Ingress<Long> feed = running.ingress("feed", Long.class);
      assertThat(feed.offer(0L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(recorder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (long i = 1; i <= capacity; i++) {
        assertThat(feed.offer(i).status()).isEqualTo(OfferStatus.ACCEPTED);
        expected.add("D" + i);
      }
      assertThat(feed.offer(999L).status()).isEqualTo(OfferStatus.BLOCKED);

      assertThat(feed.offerControl(100L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(feed.offerControl(101L).status()).isEqualTo(OfferStatus.ACCEPTED);
      recorder.release.countDown();

      assertThat(running.awaitQuiescence(WAIT)).isTrue();
    } finally {
      recorder.release.countDown();
      running.stop(STOP);
    }

    assertThat(recorder.received).as(() -> running.snapshot().render()).isEqualTo(expected);
  }

  /**
   * CONTROL first across inputs, not only within one edge: after a message from input a, round
   * robin would poll b next; a CONTROL message queued on a must still come before b's data.
   */
  @Test
  void offerControl_onTheInputRoundRobinServesLast_isDeliveredBeforeTheOtherInputsData()
      throws Exception {
    GatedRecorder recorder =
        new GatedRecorder(List.of(PortSpec.of("a", Long.class), PortSpec.of("b", Long.class)));
    Graph graph =
        Graph.builder("control-first-across-inputs")
            .add("recorder", recorder)
            .ingress("a", "recorder.a", EdgeSpec.blocking(8))
            .ingress("b", "recorder.b", EdgeSpec.blocking(8))
            .build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      Ingress<Long> a = running.ingress("a", Long.class);
      Ingress<Long> b = running.ingress("b", Long.class);
      assertThat(a.offer(0L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(recorder.entered.await(30, TimeUnit.SECONDS)).isTrue();
      for (long i = 1; i <= 3; i++) {
        assertThat(b.offer(i).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      assertThat(a.offerControl(100L).status()).isEqualTo(OfferStatus.ACCEPTED);
      recorder.release.countDown();

      assertThat(running.awaitQuiescence(WAIT)).isTrue();
    } finally {
      recorder.release.countDown();
      running.stop(STOP);
    }

    assertThat(recorder.received)
        .as(() -> running.snapshot().render())
        .containsExactly("a:D0", "a:C100", "b:D1", "b:D2", "b:D3");
  }

  /** Appends its name, the plane and the payload of every message to a shared log. */
  private static Node logTo(List<String> log, String name) {
    return new Node() {
      @Override
      public List<PortSpec<?>> inputs() {
        return List.of(GatedRecorder.IN);
      }

      @Override
      public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
        log.add(name + ':' + (message.isControl() ? "C" : "D") + message.payload());
      }
    };
  }

  /**
   * An ingress CONTROL offer queues its node in the CONTROL band, a DATA offer in the node's own:
   * with the one worker held, a DATA offer to a and then a CONTROL offer to b; b runs first.
   */
  @Test
  void ingressControlOffer_queuesItsNodeAheadOfOneQueuedByAnEarlierDataOffer() throws Exception {
    GatedRecorder gate = new GatedRecorder();
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    Graph graph =
        Graph.builder("ingress-bands")
            .add("gate", gate)
            .add("a", logTo(log, "a"))
            .add("b", logTo(log, "b"))
            .ingress("g", "gate.in")
            .ingress("a", "a.in")
            .ingress("b", "b.in")
            .build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      assertThat(running.ingress("g", Long.class).offer(0L).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(gate.entered.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(running.ingress("a", Long.class).offer(1L).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(running.ingress("b", Long.class).offerControl(2L).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      gate.release.countDown();

      assertThat(running.awaitQuiescence(WAIT)).isTrue();
    } finally {
      gate.release.countDown();
      running.stop(STOP);
    }

    assertThat(log).as(() -> running.snapshot().render()).containsExactly("b:C2", "a:D1");
  }

  /** Forwards DATA to its output "out"; logs the CONTROL messages it receives and keeps them. */
  private static Node forwarderLoggingControl(List<String> log, String name) {
    PortSpec<Long> out = PortSpec.of("out", Long.class);
    return new Node() {
      @Override
      public List<PortSpec<?>> inputs() {
        return List.of(GatedRecorder.IN);
      }

      @Override
      public List<PortSpec<?>> outputs() {
        return List.of(out);
      }

      @Override
      public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
        if (message.isControl()) {
          log.add(name + ":C" + message.payload());
        } else {
          ctx.emit(out, (Long) message.payload());
        }
      }
    };
  }

  /**
   * The scene of the next two tests, on the one worker: gates g0, g1, ... (each holds the worker
   * inside its first message until released), producer p (forwards DATA to c over a BLOCK edge of
   * capacity 1, logs the CONTROL it gets), and c and "a", which log what they get; each node has an
   * ingress of its own name.
   */
  private static final class BlockedProducerScene implements AutoCloseable {
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<GatedRecorder> gates = new ArrayList<>();
    final RunningGraph running;

    BlockedProducerScene(int gateCount) {
      GraphBuilder builder =
          Graph.builder("blocked-producer")
              .add("p", forwarderLoggingControl(log, "p"))
              .add("c", logTo(log, "c"))
              .add("a", logTo(log, "a"))
              .connect("p.out", "c.in", EdgeSpec.blocking(1))
              .ingress("p", "p.in")
              .ingress("a", "a.in");
      for (int i = 0; i < gateCount; i++) {
        GatedRecorder gate = new GatedRecorder();
        gates.add(gate);
        builder.add("g" + i, gate).ingress("g" + i, "g" + i + ".in");
      }
      running = Scheduler.builder().build().start(builder.build());
    }

    void offer(String ingress, long payload) {
      assertThat(running.ingress(ingress, Long.class).offer(payload).status())
          .isEqualTo(OfferStatus.ACCEPTED);
    }

    void offerControl(String ingress, long payload) {
      assertThat(running.ingress(ingress, Long.class).offerControl(payload).status())
          .isEqualTo(OfferStatus.ACCEPTED);
    }

    void awaitHeldBy(int gate) throws InterruptedException {
      assertThat(gates.get(gate).entered.await(30, TimeUnit.SECONDS)).isTrue();
    }

    void release(int gate) {
      gates.get(gate).release.countDown();
    }

    /**
     * Blocks p: while g0 holds the worker, p gets 1 and 2 and g1 a message; released, p emits 1
     * (the edge to c is then full) and parks 2, then g1 holds the worker (c is queued behind it).
     */
    void blockP() throws InterruptedException {
      offer("g0", 0);
      awaitHeldBy(0);
      offer("p", 1);
      offer("p", 2);
      offer("g1", 0);
      release(0);
      awaitHeldBy(1);
      GraphSnapshot held = running.snapshot();
      assertThat(held.node("p").state()).as(held::render).isEqualTo(NodeState.BLOCKED);
    }

    void awaitQuiet() throws InterruptedException {
      assertThat(running.awaitQuiescence(WAIT)).isTrue();
    }

    @Override
    public void close() {
      gates.forEach(gate -> gate.release.countDown());
      running.stop(STOP);
    }
  }

  /**
   * A node blocked on a full edge when a CONTROL message reaches it cannot take the message in the
   * CONTROL-band activation it gets for it; once its consumer makes room, it must be queued in the
   * CONTROL band again, ahead of data work queued earlier (here node "a"), not at its own band.
   *
   * <p>With p blocked and g1 holding the worker (blockP), p gets CONTROL 9 (p queued in the CONTROL
   * band) and "a" gets DATA 7 (queued behind c). p's CONTROL-band activation finds the edge still
   * full; c takes 1, which wakes p; p must run before "a". That run flushes 2 to c before it takes
   * CONTROL 9, which is why c's 2 comes last.
   */
  @Test
  void blockedNodeHoldingControl_wokenByItsConsumer_runsInTheControlBand() throws Exception {
    BlockedProducerScene scene = new BlockedProducerScene(2);
    try (scene) {
      scene.blockP();
      scene.offerControl("p", 9);
      scene.offer("a", 7);
      scene.release(1);
      scene.awaitQuiet();
    }

    assertThat(scene.log)
        .as(() -> scene.running.snapshot().render())
        .containsExactly("c:D1", "p:C9", "a:D7", "c:D2");
  }

  /**
   * The other order: a blocked node already queued at its own band (its consumer's progress woke
   * it) is then offered a CONTROL message; it must be lifted to the CONTROL band, although it is
   * still blocked, ahead of data work queued before it.
   *
   * <p>With p blocked and g1 holding the worker (blockP), g2 and then "a" (DATA 7) are queued
   * behind c. c takes 1, which wakes p (queued last in NORMAL); g2 holds the worker while p, still
   * blocked, gets CONTROL 9. p must run before "a".
   */
  @Test
  void blockedNodeQueuedByItsConsumer_thenOfferedControl_isLiftedToTheControlBand()
      throws Exception {
    BlockedProducerScene scene = new BlockedProducerScene(3);
    try (scene) {
      scene.blockP();
      scene.offer("g2", 0);
      scene.offer("a", 7);
      scene.release(1); // c takes 1 and wakes p, then g2 holds the worker
      scene.awaitHeldBy(2);
      GraphSnapshot held = scene.running.snapshot();
      assertThat(held.node("p").state()).as(held::render).isEqualTo(NodeState.BLOCKED);
      assertThat(held.readyDepth().get(Priority.NORMAL)).as(held::render).isEqualTo(2);
      scene.offerControl("p", 9);
      scene.release(2);
      scene.awaitQuiet();
    }

    assertThat(scene.log)
        .as(() -> scene.running.snapshot().render())
        .containsExactly("c:D1", "p:C9", "a:D7", "c:D2");
  }
}
