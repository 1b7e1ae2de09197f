package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.ValidatingSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An edge that refuses what a node emits for a reason of its own (the consumer port's validator, a
 * throwing COALESCE merge) dead-letters that message with the cause and counts it; the producer is
 * not failed, so its error policy does not fire, its input is not dead-lettered as well, and the
 * output's other edges keep what they got. Every producer here runs under STOP_NODE, which would
 * stop it at the first refusal if the refusal reached it.
 */
class EmitRefusalTest {

  /** A sink that pauses its input at start and never takes anything. */
  private static final class StalledSink implements Node {
    final PortSpec<Long> in = PortSpec.of("in", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      ctx.inputGate().pause();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}
  }

  /** STOP_NODE everywhere: a refusal that reached the producer would stop it at once. */
  private static RunningGraph startStoppingAtFirstError(Graph graph, DeadLetterLog deadLetters) {
    return Scheduler.builder()
        .deadLetters(deadLetters)
        .defaultErrorPolicy(ErrorPolicy.STOP_NODE)
        .build()
        .start(graph);
  }

  @Test
  void aValidatorRejectionIsDeadLetteredOnce_andTheProducerGoesOn() throws Exception {
    DeadLetterLog deadLetters = new DeadLetterLog();
    ValidatingSink sink = new ValidatingSink(x -> x % 5 == 0 ? "multiple of 5" : null);
    Graph graph =
        Graph.builder("picky")
            .add("numbers", Nodes.range(1, 21))
            .add("twice", Nodes.map(Long.class, Long.class, x -> x * 2))
            .add("sink", sink)
            .connect("numbers.out", "twice.in")
            .connect("twice.out", "sink.in")
            .build();
    RunningGraph running = startStoppingAtFirstError(graph, deadLetters);
    try {
      assertThat(running.awaitCompletion(LONG)).isTrue();
      GraphSnapshot snapshot = running.snapshot();
      assertThat(SchedulerFixtures.node(running, "twice").errors()).isZero();
      EdgeStats edge = snapshot.edge("twice.out->sink.in");
      assertThat(edge.rejected()).isEqualTo(4);
      assertThat(edge.delivered()).isEqualTo(16);
    } finally {
      running.stop(LONG);
    }
    assertThat(List.copyOf(sink.received)).hasSize(16).noneMatch(x -> x % 5 == 0);
    assertThat(deadLetters.all())
        .as("%s", deadLetters)
        .hasSize(4)
        .allSatisfy(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.REJECTED);
              assertThat(d.edgeId()).isEqualTo("twice.out->sink.in");
              assertThat(d.cause())
                  .isNotNull()
                  .hasMessageContaining("node twice emitted a message that port in of sink")
                  .hasMessageContaining("multiple of 5");
            });
    assertThat(deadLetters.payloads(DeadLetter.Reason.REJECTED))
        .containsExactlyInAnyOrder(10L, 20L, 30L, 40L);
  }

  @Test
  void aThrowingMergeFailsOneEdge_notTheProducer_norItsOtherEdges() throws Exception {
    DeadLetterLog deadLetters = new DeadLetterLog();
    List<Long> main = Collections.synchronizedList(new ArrayList<>());
    OverflowPolicy brokenMerge =
        OverflowPolicy.<Long>coalesce(
            (queued, incoming) -> {
              throw new ArithmeticException("merge broke on " + incoming);
            });
    Graph graph =
        Graph.builder("broken-merge")
            .add("numbers", Nodes.range(0, 50))
            .add("fan", Nodes.map(Long.class, Long.class, x -> x))
            .add("main", Nodes.sink(Long.class, main::add))
            .add("stalled", new StalledSink())
            .connect("numbers.out", "fan.in")
            .connect("fan.out", "main.in")
            .connect("fan.out", "stalled.in", EdgeSpec.of(1, brokenMerge))
            .build();
    RunningGraph running = startStoppingAtFirstError(graph, deadLetters);
    try {
      // The stalled sink never finishes on its own; everything else is done once quiet.
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(SchedulerFixtures.node(running, "fan").errors()).isZero();
      assertThat(SchedulerFixtures.node(running, "fan").state()).isNotEqualTo(NodeState.FAILED);
      EdgeStats coalescing = running.snapshot().edge("fan.out->stalled.in");
      assertThat(coalescing.accepted()).isEqualTo(1);
      assertThat(coalescing.failed()).isEqualTo(49);
    } finally {
      // The stalled sink never drains its one message: the stop times out and dead-letters it.
      running.stop(Duration.ofMillis(300));
    }
    assertThat(main).hasSize(50);
    assertThat(deadLetters.count(DeadLetter.Reason.NODE_FAILED)).isZero();
    assertThat(deadLetters.withReason(DeadLetter.Reason.MERGE_FAILED))
        .hasSize(49)
        .allSatisfy(d -> assertThat(d.cause()).hasRootCauseInstanceOf(ArithmeticException.class));
  }
}
