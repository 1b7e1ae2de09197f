package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A source with two outputs that emits within the demand of each keeps feeding its live output
 * after every consumer of the other stopped by STOP_NODE: a dead output holds nothing back (its
 * demand is that of an unconnected output), what is emitted to it is dead-lettered, and the graph
 * completes. (Found by a seeded graph fuzzer: the dead output used to report no demand, so the
 * source stalled for good.)
 *
 * <pre>
 *   numbers ──a──► keep  (a sink)
 *           └─b──► fragile (STOP_NODE; throws on its first message)
 * </pre>
 */
class DeadOutputSourceTest {

  @RepeatedTest(3)
  void sourceRespectingDemand_withOneOutputWhoseConsumerStopped_feedsTheOtherAndCompletes()
      throws Exception {
    AtomicLong kept = new AtomicLong();
    Graph graph =
        Graph.builder("dead-output")
            .add("numbers", new TwoOutputSource(1_000))
            .add("keep", Nodes.sink(Long.class, x -> kept.incrementAndGet()))
            .add(
                "fragile",
                Nodes.sink(
                    Long.class,
                    x -> {
                      throw new IllegalStateException("planted failure on " + x);
                    }))
            .connect("numbers.a", "keep.in", EdgeSpec.blocking(16))
            .connect("numbers.b", "fragile.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running =
        Scheduler.builder().errorPolicy("fragile", ErrorPolicy.STOP_NODE).build().start(graph);
    boolean completed;
    String snapshot;
    ShutdownReport report;
    try {
      completed = running.awaitCompletion(Duration.ofSeconds(5));
      snapshot = running.snapshot().render();
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(completed)
        .as(
            "the source had 1000 items and a live consumer on output a; kept %d\n%s%s",
            kept.get(), snapshot, report.render())
        .isTrue();
    assertThat(kept.get()).isEqualTo(1_000);
  }

  /** Emits 0..total-1 to both outputs, within the demand of each (the smaller of the two). */
  static final class TwoOutputSource implements SourceNode {
    private final PortSpec<Long> a = PortSpec.of("a", Long.class);
    private final PortSpec<Long> b = PortSpec.of("b", Long.class);
    private final long total;
    private long next;

    TwoOutputSource(long total) {
      this.total = total;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(a, b);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int n = Math.min(ctx.demand(a), ctx.demand(b));
      for (int i = 0; i < n && next < total; i++, next++) {
        ctx.emit(a, next);
        ctx.emit(b, next);
      }
      return next < total;
    }
  }
}
