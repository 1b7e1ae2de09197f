package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;

/**
 * CONTROL before DATA holds when the CONTROL lane is full. A CONTROL message emitted to a full lane
 * is parked in the producer's outbox; DATA the producer emits after it must park behind it rather
 * than go straight into the data lane, or the consumer would see DATA overtake a CONTROL message
 * emitted before it. (Found by a seeded graph fuzzer: only lanes smaller than what one activation
 * emits hit it.)
 *
 * <pre>
 *   src ──BLOCK(64), CONTROL lane 1──► sink
 *   one pull: emitControl(c1), emitControl(c2), emit(d1), emit(d2)
 * </pre>
 */
class ControlLaneFullOrderTest {

  @RepeatedTest(5)
  void controlParkedOnAFullLane_staysAheadOfLaterData() throws Exception {
    Recorder sink = new Recorder();
    Graph graph =
        Graph.builder("ctl-reorder")
            .add("src", new Emitter())
            .add("sink", sink)
            .connect("src.out", "sink.in", EdgeSpec.blocking(64).withControlCapacity(1))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(report.timedOut()).isFalse();
    List<String> seen = sink.seen();
    assertThat(seen).containsExactlyInAnyOrder("CONTROL c1", "CONTROL c2", "DATA d1", "DATA d2");
    assertThat(seen.indexOf("CONTROL c2"))
        .as("c2 was emitted before d1 and d2: %s", seen)
        .isLessThan(seen.indexOf("DATA d1"));
  }

  static final class Emitter implements SourceNode {
    private final PortSpec<String> out = PortSpec.of("out", String.class);

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      ctx.emitControl(out, "c1");
      ctx.emitControl(out, "c2"); // the lane (capacity 1) is full: parked in the outbox
      ctx.emit(out, "d1"); // the data lane has room: enqueued at once
      ctx.emit(out, "d2");
      return false;
    }
  }

  static final class Recorder implements Node {
    private final PortSpec<String> in = PortSpec.of("in", String.class);
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      seen.add(message.plane() + " " + message.payload());
    }

    List<String> seen() {
      synchronized (seen) {
        return List.copyOf(seen);
      }
    }
  }
}
