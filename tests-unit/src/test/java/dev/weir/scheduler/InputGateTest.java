package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A node can pause its own input and be resumed from another thread, losing nothing. */
class InputGateTest {

  /** Takes {@code quota} messages, then pauses until the test resumes it. */
  private static final class QuotaSink implements Node {
    static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    final List<Long> received = new CopyOnWriteArrayList<>();
    final int quota;
    volatile InputGate gate;
    private int sinceResume;

    QuotaSink(int quota) {
      this.quota = quota;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    volatile boolean pausedAtStart = true;

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
      pausedAtStart = gate.isPaused();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(IN.cast(message).payload());
      if (++sinceResume == quota) {
        sinceResume = 0;
        ctx.inputGate().pause();
      }
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void pause_stopsDeliveryAndBackpressuresUpstream_resumeDeliversTheRest(int workers)
      throws Exception {
    QuotaSink sink = new QuotaSink(10);
    Graph graph =
        Graph.builder("gated")
            .add("numbers", Nodes.range(0, 100))
            .add("sink", sink)
            .connect("numbers.out", "sink.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      assertThat(sink.pausedAtStart).as("a gate starts open").isFalse();
      for (int round = 1; round <= 10; round++) {
        int expected = round * 10;
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> sink.received.size() >= expected && sink.gate.isPaused());
        assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
        assertThat(sink.received)
            .as("paused after exactly %d; %s", expected, running.snapshot().render())
            .hasSize(expected);
        if (round < 10) {
          GraphSnapshot paused = running.snapshot();
          assertThat(paused.edge("numbers.out->sink.in").depth())
              .as("the edge fills up while the sink is paused")
              .isEqualTo(4);
          assertThat(paused.node("numbers").state()).isIn(NodeState.IDLE, NodeState.BLOCKED);
        }
        sink.gate.resume(); // from the test thread, as a Flow subscriber's request would
      }
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(sink.received)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 100).boxed().toList());
  }
}
