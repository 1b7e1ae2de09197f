package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weir.core.internal.Edges;
import java.lang.management.ManagementFactory;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hot path allocates nothing: {@code offer} and {@code poll} in the steady state, measured with
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()} on the test thread over
 * {@value #MEASURED} operations after {@value #WARM_UP} warm-up operations (enough for C2 to
 * compile the loop), reusing pre-made messages. The bound is a fixed {@value #SLACK_BYTES} bytes in
 * total, not per operation: a single allocating path would cost megabytes.
 *
 * <p>BLOCK, DROP and FAIL (the SPSC ring, and the multi-producer ring of ingress edges) allocate
 * nothing on any path that returns a shared result: accepted, blocked, dropped, and CONTROL
 * messages. LATEST and COALESCE allocate by design when they overflow (an EVICTED result carries
 * the evicted message; a merge creates the merged message), and FAIL allocates its exception, so
 * for those only the non-overflowing path is measured.
 */
class EdgeAllocationTest {

  static final int WARM_UP = 200_000;
  static final int MEASURED = 1_000_000;
  static final long SLACK_BYTES = 1024;

  private static com.sun.management.ThreadMXBean threads;

  private final Message<?>[] messages = new Message<?>[64];

  private final Message<Long> control = Message.control(-1L);

  {
    for (int i = 0; i < messages.length; i++) {
      messages[i] = Message.of((long) i);
    }
  }

  /** An edge on the single-producer ring of its policy, or on the multi-producer ring. */
  private static Edge<Long> edge(EdgeSpec spec, boolean multiProducer) {
    PortSpec<Long> in = PortSpec.of("in", Long.class);
    return multiProducer
        ? Edges.createMultiProducer("a.out->b.in", in, spec)
        : Edge.create("a.out->b.in", in, spec);
  }

  @BeforeAll
  static void allocationCountingIsAvailable() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no com.sun.management");
    threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported(), "allocation counting unsupported");
    threads.setThreadAllocatedMemoryEnabled(true);
  }

  /** A loop of edge operations whose allocation is measured. */
  interface Workload {
    /** Runs {@code ops} operations; returns a checksum so the JIT cannot drop the work. */
    long run(int ops);
  }

  private static long allocatedBy(Workload workload) {
    workload.run(WARM_UP);
    long before = threads.getCurrentThreadAllocatedBytes();
    long baseline = threads.getCurrentThreadAllocatedBytes() - before;
    long start = threads.getCurrentThreadAllocatedBytes();
    long checksum = workload.run(MEASURED);
    long allocated = threads.getCurrentThreadAllocatedBytes() - start - baseline;
    assertThat(checksum).as("work was done").isNotZero();
    return allocated;
  }

  @ParameterizedTest(name = "{0} multi-producer {1}")
  @CsvSource({"BLOCK, false", "DROP, false", "BLOCK, true", "DROP, true"})
  void offerAndPoll_steadyStateIncludingFullEdge_allocateNothing(
      OverflowPolicy.Kind kind, boolean multiProducer) {
    OverflowPolicy policy =
        kind == OverflowPolicy.Kind.BLOCK ? OverflowPolicy.BLOCK : OverflowPolicy.DROP;
    Edge<Long> edge = edge(EdgeSpec.of(8, policy), multiProducer);
    long[] outcomes = new long[OfferStatus.values().length];

    // Two offers per poll: the edge fills up and then alternates between accepting and refusing.
    long allocated =
        allocatedBy(
            ops -> {
              long sum = 0;
              for (int i = 0; i < ops; i++) {
                outcomes[edge.offer(messages[i & 63]).status().ordinal()]++;
                outcomes[edge.offer(messages[(i + 7) & 63]).status().ordinal()]++;
                if ((i & 15) == 0) {
                  outcomes[edge.offer(control).status().ordinal()]++;
                }
                Message<Long> m = edge.poll();
                sum += m == null ? 0 : m.payload();
              }
              return sum + 1;
            });

    assertThat(outcomes[OfferStatus.ACCEPTED.ordinal()]).isPositive();
    assertThat(
            outcomes[
                (kind == OverflowPolicy.Kind.BLOCK ? OfferStatus.BLOCKED : OfferStatus.DROPPED)
                    .ordinal()])
        .as("the full path ran")
        .isPositive();
    assertThat(allocated).as("bytes allocated by %d operations", MEASURED).isLessThan(SLACK_BYTES);
  }

  @ParameterizedTest(name = "{0} multi-producer {1}")
  @CsvSource({
    "BLOCK, false",
    "DROP, false",
    "LATEST, false",
    "COALESCE, false",
    "FAIL, false",
    "BLOCK, true",
    "DROP, true",
    "FAIL, true"
  })
  void offerAndPoll_steadyStateBelowCapacity_allocateNothing(
      OverflowPolicy.Kind kind, boolean multiProducer) {
    BinaryOperator<Long> sum = Long::sum;
    OverflowPolicy policy =
        switch (kind) {
          case BLOCK -> OverflowPolicy.BLOCK;
          case DROP -> OverflowPolicy.DROP;
          case LATEST -> OverflowPolicy.LATEST;
          case COALESCE -> OverflowPolicy.coalesce(sum, x -> x & 3);
          case FAIL -> OverflowPolicy.FAIL;
        };
    Edge<Long> edge = edge(EdgeSpec.of(8, policy), multiProducer);

    // Depth cycles 0..4..0: every offer is accepted, every poll finds a message.
    long allocated =
        allocatedBy(
            ops -> {
              long total = 0;
              for (int i = 0; i < ops; i += 4) {
                for (int j = 0; j < 4; j++) {
                  if (!edge.offer(messages[(i + j) & 63]).isEnqueued()) {
                    throw new AssertionError("overflowed below capacity");
                  }
                }
                if ((i & 63) == 0) {
                  edge.offer(control);
                  total += edge.poll().payload();
                }
                for (int j = 0; j < 4; j++) {
                  total += edge.poll().payload() + 1;
                }
              }
              return total;
            });

    assertThat(allocated).as("bytes allocated by %d operations", MEASURED).isLessThan(SLACK_BYTES);
  }

  @Test
  void allocatedBy_anAllocatingWorkload_isMeasured() {
    // The meter itself must see allocation, or the tests above would pass vacuously.
    long allocated =
        allocatedBy(
            ops -> {
              long sum = 0;
              for (int i = 0; i < ops; i++) {
                sum += Message.of((long) i).traceId() | 1;
              }
              return sum;
            });

    assertThat(allocated).isGreaterThan(16L * MEASURED);
  }
}
