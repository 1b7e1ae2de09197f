package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime allocates nothing per message hop beyond the message itself: a source makes one
 * {@link Message} per payload, and forwarding it through two nodes and into a sink allocates no
 * more. Measured on the single worker thread with {@code getThreadAllocatedBytes} over the second
 * half of a long run (the first half warms the JIT up).
 */
class PipelineAllocationTest {

  private static final int MESSAGES = 2_000_000;

  /**
   * A Message is 40 bytes with compressed oops (12 header + 3 references + 2 longs); measured 39.97
   * per message. 48 leaves room for rounding but not for one extra object per hop.
   */
  private static final long MESSAGE_BYTES_BOUND = 48;

  /** Forwards every message unchanged. */
  private static final class Forward implements Node {
    private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);

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
      ctx.emit(OUT, IN.cast(message));
    }
  }

  /** Reads its own thread's allocation counter when the first half and all messages are in. */
  private static final class MeasuringSink implements Node {
    private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    volatile long atHalf;
    volatile long atEnd;
    private long seen;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      seen++;
      if (seen == MESSAGES / 2) {
        atHalf = threads.getCurrentThreadAllocatedBytes();
      } else if (seen == MESSAGES) {
        atEnd = threads.getCurrentThreadAllocatedBytes();
      }
    }
  }

  @Test
  void forwardingPipeline_allocatesOnlyTheMessagesTheSourceMakes() throws Exception {
    Long payload = 42L; // one boxed payload for every message: only Message objects are new
    MeasuringSink sink = new MeasuringSink();
    Graph graph =
        Graph.builder("allocation")
            .add("source", Nodes.source(Long.class, () -> new RepeatIterator(payload, MESSAGES)))
            .add("a", new Forward())
            .add("b", new Forward())
            .add("sink", sink)
            .connect("source.out", "a.in")
            .connect("a.out", "b.in")
            .connect("b.out", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(1).build().start(graph);
    try {
      assertThat(running.awaitCompletion(Duration.ofMinutes(2)))
          .as("graph completes; %s", running.snapshot().render())
          .isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    double perMessage = (sink.atEnd - sink.atHalf) / (double) (MESSAGES / 2);
    assertThat(perMessage)
        .as("bytes allocated per message over 3 hops (source makes one Message each)")
        .isGreaterThan(0)
        .isLessThanOrEqualTo(MESSAGE_BYTES_BOUND);
  }

  /** Returns the same payload {@code count} times without allocating per element. */
  private static final class RepeatIterator implements java.util.Iterator<Long> {
    private final Long value;
    private int left;

    RepeatIterator(Long value, int count) {
      this.value = value;
      this.left = count;
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public Long next() {
      left--;
      return value;
    }
  }
}
