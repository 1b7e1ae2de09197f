package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A producer that ignores demand overfills a BLOCK edge in front of a slow consumer: it is parked
 * (BLOCKED), the edge never holds more than its capacity, and nothing is lost.
 *
 * <pre>
 *   burst ───BLOCK(8)───► slow
 *   32 per pull,          ~20 µs of CPU per message;
 *   demand ignored        starts with its input paused
 * </pre>
 */
class Pipeline1BackpressureTest {

  private static final int MESSAGES = 4_000;
  private static final int CAPACITY = 8;
  private static final int PER_PULL = 32;
  private static final String EDGE = "burst.out->slow.in";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void blockEdge_whenProducerOverfillsIt_parksProducerAndDeliversEverythingInOrder(int workers)
      throws Exception {
    Burst burst = new Burst(MESSAGES, PER_PULL);
    SlowSink slow = new SlowSink(20_000);
    Graph graph =
        Graph.builder("pipeline1-" + workers)
            .add("burst", burst)
            .add("slow", slow)
            .connect("burst.out", "slow.in", EdgeSpec.blocking(CAPACITY))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      // The consumer's input is paused, so the first pull's 32 messages cannot all fit: the
      // producer keeps 24 in its outbox and must show as BLOCKED on the edge until we resume.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                GraphSnapshot s = running.snapshot();
                assertThat(s.node("burst"))
                    .as("the producer is parked on the full edge\n%s", s.render())
                    .satisfies(
                        n -> {
                          assertThat(n.state()).isEqualTo(NodeState.BLOCKED);
                          assertThat(n.blockedOn()).isEqualTo(EDGE);
                        });
              });
      GraphSnapshot whileBlocked = running.snapshot();
      assertThat(whileBlocked.edge(EDGE).depth())
          .as("a full edge holds exactly its capacity\n%s", whileBlocked.render())
          .isEqualTo(CAPACITY);
      assertThat(burst.pulls()).as("a blocked source is not pulled again").isEqualTo(1);
      slow.gate().resume();
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
    EdgeStats edge = after.edge(EDGE);
    assertThat(edge.blocked()).as("the producer met BLOCKED offers\n%s", context).isPositive();
    assertThat(edge.accepted()).as(context).isEqualTo(MESSAGES);
    assertThat(edge.delivered()).as(context).isEqualTo(MESSAGES);
    assertThat(edge.highWaterMark()).as(context).isEqualTo(CAPACITY);
    assertThat(burst.minDemandAtPull())
        .as("the source is pulled only while its output has demand\n%s", context)
        .isPositive();
    assertThat(burst.pulls())
        .as("one pull per %d messages: never pulled while blocked\n%s", PER_PULL, context)
        .isEqualTo(MESSAGES / PER_PULL);
    assertThat(dead.count()).as(dead.describe()).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  /** Emits a fixed number of messages per pull, whatever the demand: a bursty producer. */
  static final class Burst implements SourceNode {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final long total;
    private final int perPull;
    private long next;
    private volatile int pulls;
    private volatile int minDemand = Integer.MAX_VALUE;

    Burst(long total, int perPull) {
      this.total = total;
      this.perPull = perPull;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      pulls++;
      minDemand = Math.min(minDemand, ctx.demand(out));
      for (int i = 0; i < perPull && next < total; i++) {
        ctx.emit(out, next++);
      }
      return next < total;
    }

    int pulls() {
      return pulls;
    }

    int minDemandAtPull() {
      return minDemand;
    }
  }

  /** Burns CPU per message; its input starts paused so that the test decides when it drains. */
  static final class SlowSink implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final long workNanos;
    private final List<Long> received = Collections.synchronizedList(new ArrayList<>());
    private volatile InputGate gate;

    SlowSink(long workNanos) {
      this.workNanos = workNanos;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
      gate.pause();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      BusyWork.spin(workNanos);
      received.add(in.cast(message).payload());
    }

    InputGate gate() {
      return gate;
    }

    List<Long> received() {
      return List.copyOf(received);
    }
  }
}
