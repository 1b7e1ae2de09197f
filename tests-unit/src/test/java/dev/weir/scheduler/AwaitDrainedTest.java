package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.node;
import static dev.weir.scheduler.SchedulerFixtures.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RunningGraph#awaitDrained}: every edge empty, nothing queued, running or blocked, at one
 * instant after the call began; future ticks ignored. Regression for issue 14, point 13: the
 * README's {@code awaitQuiescence} ("edges drained") never returned while a ticking node kept a
 * slower consumer busy for most of its interval, and returned while input still waited for a paused
 * or blocked node.
 */
class AwaitDrainedTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  /**
   * The ticker's next tick falls due soon after its consumer goes idle: the graph drains between
   * two ticks, but a tick is usually due again by the time a thread woken by the idle scheduler
   * looks, which kept {@code awaitQuiescence} waiting.
   *
   * <pre>
   * ticker (every 1 ms) ──► slow (busy for 0.8 ms of it)
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void awaitDrained_tickerFeedingASlowConsumer_returnsTrueBetweenTwoTicks(int workers)
      throws Exception {
    SlowSink slow = new SlowSink(Duration.ofNanos(800_000));
    Graph graph =
        Graph.builder("drained-ticking")
            .add("ticker", Nodes.ticker(Duration.ofMillis(1)))
            .add("slow", slow)
            .connect("ticker.out", "slow.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      await().atMost(LONG).until(() -> slow.received.get() >= 20);

      assertThat(running.awaitDrained(LONG)).as(() -> running.snapshot().render()).isTrue();
    } finally {
      stopQuietly(running);
    }
  }

  /**
   * Input queued for a paused node leaves the scheduler idle, so {@code awaitQuiescence} returns;
   * the graph is not drained, so {@code awaitDrained} waits, until the node resumes and takes it.
   */
  @Test
  void awaitDrained_inputQueuedForAPausedNode_returnsFalseUntilTheNodeResumes() throws Exception {
    PausingSink sink = new PausingSink();
    Graph graph =
        Graph.builder("drained-paused")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long v = 0; v < 5; v++) {
        assertThat(in.offer(v).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      assertThat(running.awaitQuiescence(LONG)).as("the scheduler is idle").isTrue();
      assertThat(sink.received.get()).as("paused after the first").isEqualTo(1);

      assertThat(running.awaitDrained(SHORT)).as("4 messages still queued").isFalse();

      sink.resume();
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(sink.received.get()).isEqualTo(5);
    } finally {
      stopQuietly(running);
    }
  }

  /**
   * A node blocked on a full edge to a paused consumer, with a message parked in its outbox: not
   * drained, although nothing is queued or running.
   *
   * <pre>
   * ingress ──► forward ──BLOCK(1)──► sink (pauses after its first message)
   * </pre>
   */
  @Test
  void awaitDrained_nodeBlockedWithAParkedOutbox_returnsFalseUntilItFlushes() throws Exception {
    PausingSink sink = new PausingSink();
    Graph graph =
        Graph.builder("drained-blocked")
            .add("forward", new Probe())
            .add("sink", sink)
            .connect("forward.out", "sink.in", EdgeSpec.blocking(1))
            .ingress("in", "forward.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long v = 0; v < 3; v++) {
        assertThat(in.offer(v).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      // 0 reached the sink, which paused; 1 fills the edge; 2 is parked in forward's outbox.
      await().atMost(LONG).until(() -> node(running, "forward").state() == NodeState.BLOCKED);
      assertThat(running.awaitQuiescence(LONG)).as("the scheduler is idle").isTrue();

      assertThat(running.awaitDrained(SHORT)).as(() -> running.snapshot().render()).isFalse();

      sink.resume();
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(sink.received.get()).isEqualTo(3);
      assertThat(node(running, "forward").state()).isNotEqualTo(NodeState.BLOCKED);
    } finally {
      stopQuietly(running);
    }
  }

  /** A consumer inside a hook with more input queued: not drained until it has taken all of it. */
  @Test
  void awaitDrained_whileAConsumerRunsWithInputQueued_waitsForIt() throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 0);
    Graph graph =
        Graph.builder("drained-running").add("sink", sink).ingress("in", "sink.in").build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long v = 0; v < 3; v++) {
        assertThat(in.offer(v).status()).isEqualTo(OfferStatus.ACCEPTED);
      }
      await().atMost(LONG).until(gate::hasArrivals);

      assertThat(running.awaitDrained(SHORT)).isFalse();

      gate.open();
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(sink.received()).containsExactly(0L, 1L, 2L);
    } finally {
      gate.open();
      stopQuietly(running);
    }
  }

  /**
   * What the caller offered before the call is part of what must drain, even while a ticker makes
   * the graph go idle and busy again all the time: a quiet point from before the call never answers
   * it.
   *
   * <pre>
   * ticker (every 1 ms) ──► ticks
   * ingress ──────────────► sink
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void awaitDrained_afterEachOffer_seesThatOfferDelivered(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    SlowSink ticks = new SlowSink(Duration.ZERO);
    Graph graph =
        Graph.builder("drained-offers")
            .add("ticker", Nodes.ticker(Duration.ofMillis(1)))
            .add("ticks", ticks)
            .add("sink", sink)
            .connect("ticker.out", "ticks.in")
            .ingress("in", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long v = 0; v < 300; v++) {
        assertThat(in.offer(v).status()).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(running.awaitDrained(LONG)).isTrue();
        assertThat(sink.count()).as("after offer %d", v).isEqualTo((int) v + 1);
      }
    } finally {
      stopQuietly(running);
    }
  }

  @Test
  void awaitDrained_afterStop_returnsTrue() throws Exception {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        Scheduler.builder()
            .build()
            .start(
                Graph.builder("drained-stopped")
                    .add("sink", sink)
                    .ingress("in", "sink.in")
                    .build());
    running.ingress("in", Long.class).offer(1L);
    running.stop(LONG);

    assertThat(running.awaitDrained(SHORT)).isTrue();
  }

  @Test
  void awaitDrained_nullTimeout_throwsNamingIt() {
    CollectingSink sink = new CollectingSink();
    RunningGraph running =
        Scheduler.builder()
            .build()
            .start(
                Graph.builder("drained-null").add("sink", sink).ingress("in", "sink.in").build());
    try {
      assertThatThrownBy(() -> running.awaitDrained(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessageContaining("timeout");
    } finally {
      stopQuietly(running);
    }
  }

  /** A sink that stays busy for a while on every message, as a slow dashboard would. */
  private static final class SlowSink implements Node {
    static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    final AtomicLong received = new AtomicLong();
    private final long busyNanos;

    SlowSink(Duration busy) {
      this.busyNanos = busy.toNanos();
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      long until = System.nanoTime() + busyNanos;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      received.incrementAndGet();
    }
  }

  /** A sink that pauses its input after the first message, until the test resumes it. */
  private static final class PausingSink implements Node {
    static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    final AtomicLong received = new AtomicLong();
    private volatile @Nullable InputGate gate;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (received.incrementAndGet() == 1) {
        ctx.inputGate().pause();
      }
    }

    void resume() {
      InputGate g = gate;
      assertThat(g).isNotNull();
      g.resume();
    }
  }
}
