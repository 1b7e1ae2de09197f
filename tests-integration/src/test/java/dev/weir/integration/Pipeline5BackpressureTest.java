package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pressure from one slow consumer propagates back through five BLOCK edges to the source: every
 * edge fills to its capacity, the relays are parked on BLOCKED offers, and the source, which emits
 * only within demand, is never refused and never gets ahead of the consumer by more than the
 * pipeline can hold.
 *
 * <pre>
 *   source ─B(8)─► r1 ─B(8)─► r2 ─B(8)─► r3 ─B(8)─► r4 ─B(8)─► slow
 *   emits ≤ demand   (maps: emit one per input, demand ignored)     ~20 µs CPU per message
 * </pre>
 */
class Pipeline5BackpressureTest {

  private static final int MESSAGES = 5_000;
  private static final int CAPACITY = 8;
  private static final String[] NODES = {"source", "r1", "r2", "r3", "r4", "slow"};

  /**
   * Messages the source may have emitted that the consumer has not started: five full edges, one
   * message per relay (in its hook or parked in its outbox: a parked relay takes no input), and one
   * the consumer has polled but not yet counted.
   */
  private static final int MAX_IN_FLIGHT = 5 * CAPACITY + 4 + 1;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void chainOfBlockEdges_withSlowConsumer_propagatesPressureToTheSource(int workers)
      throws Exception {
    SlowCountingSink slow = new SlowCountingSink(20_000);
    DemandSource source = new DemandSource(MESSAGES, slow.started);
    GraphBuilder builder =
        Graph.builder("pipeline5-" + workers).add("source", source).add("slow", slow);
    for (int i = 1; i <= 4; i++) {
      builder.add("r" + i, Nodes.map(Long.class, Long.class, x -> x));
    }
    for (int i = 0; i < NODES.length - 1; i++) {
      builder.connect(NODES[i] + ".out", NODES[i + 1] + ".in", EdgeSpec.blocking(CAPACITY));
    }
    Graph graph = builder.build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as("the pipeline completes\n%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    String context = after.render();

    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(slow.received())
        .as("every message arrives once, in order\n%s", context)
        .containsExactlyElementsOf(LongStream.range(0, MESSAGES).boxed().toList());
    for (int i = 0; i < NODES.length - 1; i++) {
      String id = NODES[i] + ".out->" + NODES[i + 1] + ".in";
      EdgeStats edge = after.edge(id);
      assertThat(edge.highWaterMark())
          .as("edge %s filled up to its capacity: the pressure reached it\n%s", id, context)
          .isEqualTo(CAPACITY);
      assertThat(edge.delivered()).as("edge %s\n%s", id, context).isEqualTo(MESSAGES);
      if (i == 0) {
        assertThat(edge.blocked())
            .as("the source emits within demand, so its edge never refuses it\n%s", context)
            .isZero();
      }
    }
    assertThat(source.violations())
        .as("the source is pulled only with demand and emits within it\n%s", context)
        .isEmpty();
    assertThat(source.maxInFlight())
        .as("the source never gets further ahead of the consumer than the chain holds\n%s", context)
        .isLessThanOrEqualTo(MAX_IN_FLIGHT);
    assertThat(source.maxInFlight())
        .as("... and it did fill the chain\n%s", context)
        .isGreaterThanOrEqualTo(5 * CAPACITY);
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  /** Emits exactly its demand per pull (no helper batch cap) and checks it was asked fairly. */
  static final class DemandSource implements SourceNode {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final long total;
    private final AtomicLong consumerStarted;
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private long next;
    private volatile long maxInFlight;

    DemandSource(long total, AtomicLong consumerStarted) {
      this.total = total;
      this.consumerStarted = consumerStarted;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int demand = ctx.demand(out);
      if (demand <= 0) {
        violations.add("pulled with demand " + demand + " at message " + next);
      }
      for (int i = 0; i < demand && next < total; i++) {
        ctx.emit(out, next++);
      }
      long inFlight = next - consumerStarted.get();
      if (inFlight > maxInFlight) {
        maxInFlight = inFlight;
      }
      return next < total;
    }

    List<String> violations() {
      return List.copyOf(violations);
    }

    long maxInFlight() {
      return maxInFlight;
    }
  }

  /** Counts each message as it starts, then burns CPU on it. */
  static final class SlowCountingSink implements Node {
    final AtomicLong started = new AtomicLong();
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final long workNanos;
    private final List<Long> received = Collections.synchronizedList(new ArrayList<>());

    SlowCountingSink(long workNanos) {
      this.workNanos = workNanos;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      started.incrementAndGet();
      BusyWork.spin(workNanos);
      received.add(in.cast(message).payload());
    }

    List<Long> received() {
      return List.copyOf(received);
    }
  }
}
