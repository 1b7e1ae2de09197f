package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How messages are stamped with the graph clock: one reading per activation for a node's DATA
 * messages, a fresh reading for every CONTROL message. A virtual clock moved inside the activation
 * shows which reading each message got.
 */
class MessageStampTest {

  private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
  private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);

  /** On each message: emits DATA, moves the clock 5 ms, emits DATA and CONTROL. */
  private static final class Stamper implements Node {
    private final VirtualClock clock;

    Stamper(VirtualClock clock) {
      this.clock = clock;
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
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      ctx.emit(OUT, 1L);
      clock.advance(Duration.ofMillis(5));
      ctx.emit(OUT, 2L);
      ctx.emitControl(OUT, 3L);
    }
  }

  /** Keeps every message it gets. */
  private static final class Recorder implements Node {
    private final List<Message<?>> received;

    Recorder(List<Message<?>> received) {
      this.received = received;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(message);
    }
  }

  @Test
  void emit_severalInOneActivation_shareOneClockReading_controlReadsItsOwn() throws Exception {
    VirtualClock clock = VirtualClock.start();
    List<Message<?>> received = new CopyOnWriteArrayList<>();
    Graph graph =
        Graph.builder("stamps")
            .add("stamper", new Stamper(clock))
            .add("sink", new Recorder(received))
            .ingress("in", "stamper.in")
            .connect("stamper.out", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().clock(clock).build().start(graph);
    try {
      long first = clock.nanoTime();
      running.ingress("in", Long.class).offer(0L);
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
      clock.advance(Duration.ofMillis(1));
      long second = clock.nanoTime();
      running.ingress("in", Long.class).offer(0L);
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();

      assertThat(received).hasSize(6);
      // Each activation's DATA messages carry the reading of its first one ...
      assertThat(stampsOf(received, false)).containsExactly(first, first, second, second);
      // ... and the next activation reads the clock again; CONTROL reads it every time.
      assertThat(second).isEqualTo(first + 6_000_000);
      assertThat(stampsOf(received, true)).containsExactly(first + 5_000_000, second + 5_000_000);
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
  }

  private static List<Long> stampsOf(List<Message<?>> messages, boolean control) {
    return messages.stream()
        .filter(m -> m.isControl() == control)
        .map(Message::timestampNanos)
        .toList();
  }
}
