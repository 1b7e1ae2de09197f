package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link Nodes#ticker}: one message per tick of the graph clock, driven deterministically by a
 * {@link VirtualClock} on one worker, and bounded by backpressure.
 */
class NodesTickerTest {

  private static final Duration PERIOD = Duration.ofMillis(10);
  private static final long PERIOD_NANOS = PERIOD.toNanos();

  /** Records what it receives; with {@code paused}, its input gate starts closed. */
  private static final class Recorder implements Node {
    final PortSpec<Object> in = PortSpec.of("in", Object.class);
    final List<Message<?>> received = Collections.synchronizedList(new ArrayList<>());
    private final boolean paused;
    volatile InputGate gate;

    Recorder(boolean paused) {
      this.paused = paused;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
      if (paused) {
        gate.pause();
      }
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(message);
    }

    List<Object> payloads() {
      synchronized (received) {
        return received.stream().<Object>map(Message::payload).toList();
      }
    }
  }

  private static RunningGraph start(
      String name, Node ticker, Recorder recorder, VirtualClock clock) {
    return start(name, ticker, recorder, Scheduler.builder().clock(clock));
  }

  private static RunningGraph start(
      String name, Node ticker, Recorder recorder, Scheduler.Builder scheduler) {
    Graph graph =
        Graph.builder(name)
            .add("ticker", ticker)
            .add("recorder", recorder)
            .connect("ticker.out", "recorder.in", EdgeSpec.blocking(1))
            .build();
    return scheduler.workers(1).build().start(graph);
  }

  /** Advances the clock one period at a time, letting the graph settle after each step. */
  private static void tick(VirtualClock clock, RunningGraph running, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      clock.advance(PERIOD);
      assertThat(running.awaitQuiescence(LONG)).as(() -> running.snapshot().render()).isTrue();
    }
  }

  @Test
  void ticker_eachPeriodOnAVirtualClock_emitsTheTickNumberStampedWithTheTickTime()
      throws Exception {
    VirtualClock clock = VirtualClock.start();
    Recorder recorder = new Recorder(false);
    RunningGraph running = start("ticker-counter", Nodes.ticker(PERIOD), recorder, clock);
    try {
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(recorder.received).as("nothing before the first period").isEmpty();

      tick(clock, running, 4);

      assertThat(recorder.payloads()).containsExactly(0L, 1L, 2L, 3L);
      assertThat(recorder.received)
          .extracting(Message::timestampNanos)
          .containsExactly(PERIOD_NANOS, 2 * PERIOD_NANOS, 3 * PERIOD_NANOS, 4 * PERIOD_NANOS);
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void ticker_withSupplier_emitsItsValueOnEachTickOnATypedPort() throws Exception {
    VirtualClock clock = VirtualClock.start();
    AtomicLong readings = new AtomicLong(100);
    Node ticker = Nodes.ticker(PERIOD, Long.class, readings::incrementAndGet);
    assertThat(ticker.outputs()).containsExactly(PortSpec.of(Nodes.OUT, Long.class));
    Recorder recorder = new Recorder(false);
    RunningGraph running = start("ticker-supplier", ticker, recorder, clock);
    try {
      tick(clock, running, 3);

      assertThat(recorder.payloads()).containsExactly(101L, 102L, 103L);
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A consumer that takes nothing: the first tick fills the capacity-1 edge, the second waits in
   * the ticker's outbox, and the eight after it merge into one pending tick instead of queueing:
   * seven of them are counted as missed.
   *
   * <p>Regression (issue 14, point 16): a tick that fell due while one was already pending was
   * merged without being counted.
   */
  @Test
  void ticker_consumerNotTaking_holdsAtMostOneTickPerEdgeAndMergesTheRest() throws Exception {
    VirtualClock clock = VirtualClock.start();
    Recorder recorder = new Recorder(true);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RunningGraph running =
        start(
            "ticker-blocked",
            Nodes.ticker(PERIOD),
            recorder,
            Scheduler.builder().clock(clock).meterRegistry(registry));
    try {
      tick(clock, running, 10);

      GraphSnapshot blocked = running.snapshot();
      assertThat(blocked.node("ticker").state()).as(blocked::render).isEqualTo(NodeState.BLOCKED);
      assertThat(recorder.received).isEmpty();
      assertThat(registry.get("weir.node.ticks.missed").tag("node", "ticker").functionCounter())
          .extracting(FunctionCounter::count)
          .isEqualTo(7.0);

      Objects.requireNonNull(recorder.gate).resume();
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      // 0 from the edge, 1 from the outbox, 2 from the one tick the ten periods merged into.
      assertThat(recorder.payloads()).containsExactly(0L, 1L, 2L);

      tick(clock, running, 1);
      assertThat(recorder.payloads()).containsExactly(0L, 1L, 2L, 3L);
      GraphSnapshot after = running.snapshot();
      assertThat(after.edge("ticker.out->recorder.in").highWaterMark())
          .as(after::render)
          .isEqualTo(1);
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void ticker_supplierReturningNull_failsTheNodeNamingIt() throws Exception {
    VirtualClock clock = VirtualClock.start();
    Recorder recorder = new Recorder(false);
    RunningGraph running =
        Scheduler.builder()
            .clock(clock)
            .build()
            .start(
                Graph.builder("ticker-null")
                    .add(
                        "ticker",
                        Nodes.ticker(PERIOD, String.class, () -> null),
                        ErrorPolicy.STOP_NODE)
                    .add("recorder", recorder)
                    .connect("ticker.out", "recorder.in")
                    .build());
    try {
      tick(clock, running, 1);

      assertThat(running.snapshot().node("ticker").state()).isEqualTo(NodeState.FAILED);
      assertThat(recorder.received).isEmpty();
    } finally {
      running.stop(LONG);
    }
  }

  @Test
  void ticker_nonPositivePeriod_isRejectedNamingTheFix() {
    assertThatThrownBy(() -> Nodes.ticker(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a ticker's period must be positive, was PT0S");
    assertThatThrownBy(() -> Nodes.ticker(Duration.ofMillis(-1), String.class, () -> "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
