package dev.weir.stress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.testkit.junit.SuiteScale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Park/wake churn: 10,000,000 messages (200,000 at smoke scale) through four stages over {@code
 * BLOCK} edges of capacity 1, on 1, 2 and 4 workers. Every emit after the first fills an edge, so
 * every message blocks and wakes each producer once: the scheduler's hand-over path runs about five
 * times per message.
 *
 * <p>Guards against lost wake-ups (the run stops making progress: it fails with the snapshot),
 * lost, duplicated or reordered messages (the sink checks the exact sequence), and a second worker
 * that makes the graph slower. That last bug was real: every cell a worker's activation made ready
 * went to one locked queue, so two workers ran the stages alternately, passed every message between
 * the two cores at every edge and re-ran cells the other had just run: 5.5 to 5.7 activations per
 * message instead of 5, and 0.6x the one-worker throughput on a quiet machine (0.1x with both cores
 * busy). Now a worker keeps the cells its own activations wake in a ring of its own
 * (LockedReadyQueues), and the checks below hold:
 *
 * <ul>
 *   <li>both scales: wasted activations (beyond the one-worker run's 5 per message) at most {@value
 *       #WASTED_PER_MESSAGE} per message on 2 and 4 workers (the old queue: 0.5 to 0.7);
 *   <li>nightly scale: the throughput floor, measured in three interleaved rounds inside this JVM
 *       and compared by median: 2 workers at least {@value #FLOOR_TWO} of 1 worker, 4 workers
 *       (oversubscribed on 2 cores) at least {@value #FLOOR_FOUR}. The floors catch a collapse (the
 *       bug above: 0.1x with both cores busy) with room for a machine that other work loads: 0.68x
 *       was measured at a load average of 25, against 0.75 to 1.33x on a quieter one.
 * </ul>
 */
class PipelineBlockChurnStressTest {

  /** Activations per message on one worker: the source's pull and one per stage and sink. */
  static final double ACTIVATIONS_ONE_WORKER = 5.0;

  static final double WASTED_PER_MESSAGE = 0.3;
  static final double FLOOR_TWO = 0.5;
  static final double FLOOR_FOUR = 0.4;
  static final int[] WORKERS = {1, 2, 4};
  static final int ROUNDS = 3;

  /** Checks the exact sequence 3, 4, 5, ... (each stage adds one). */
  static final class SequenceSink {
    final AtomicLong next = new AtomicLong(3);
    final AtomicLong firstGap = new AtomicLong(-1);

    void accept(long value) {
      long expected = next.getAndIncrement();
      if (value != expected) {
        firstGap.compareAndSet(-1, expected);
      }
    }
  }

  static Graph pipeline(long messages, SequenceSink sink) {
    return Graph.builder("pipeline-block1")
        .add("source", Nodes.range(0, messages))
        .add("stage1", Nodes.map(Long.class, Long.class, x -> x + 1))
        .add("stage2", Nodes.map(Long.class, Long.class, x -> x + 1))
        .add("stage3", Nodes.map(Long.class, Long.class, x -> x + 1))
        .add("sink", Nodes.sink(Long.class, sink::accept))
        .connect("source.out", "stage1.in", EdgeSpec.blocking(1))
        .connect("stage1.out", "stage2.in", EdgeSpec.blocking(1))
        .connect("stage2.out", "stage3.in", EdgeSpec.blocking(1))
        .connect("stage3.out", "sink.in", EdgeSpec.blocking(1))
        .build();
  }

  @Test
  void tenMillionMessagesOverCapacityOneBlockEdges_arriveInOrderWithoutWastedActivations()
      throws InterruptedException {
    SuiteScale scale = StressReports.scale();
    long total = scale.pick(200_000L, 10_000_000L);
    long perRun = total / ROUNDS;
    Map<Integer, List<Double>> rates = new TreeMap<>();
    Map<Integer, Long> activations = new TreeMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      for (int workers : WORKERS) {
        SequenceSink sink = new SequenceSink();
        ShapeRun.Result r = ShapeRun.run(pipeline(perRun, sink), workers, b -> b);
        assertThat(sink.firstGap.get())
            .as("first missing or out-of-order message on %d workers", workers)
            .isEqualTo(-1);
        assertThat(sink.next.get() - 3)
            .as("messages delivered on %d workers", workers)
            .isEqualTo(perRun);
        assertThat(r.report().undelivered()).as("undelivered messages").isZero();
        rates.computeIfAbsent(workers, w -> new ArrayList<>()).add(r.rate(perRun));
        activations.merge(workers, r.activations(), Long::sum);
      }
    }
    long delivered = perRun * ROUNDS;
    StringBuilder figures = new StringBuilder("pipeline-block1, " + delivered + " messages each:");
    for (int workers : WORKERS) {
      figures.append(
          String.format(
              " | %d workers: %.3f M/s median, %.3f activations/message",
              workers,
              ShapeRun.median(rates.get(workers)) / 1e6,
              activations.get(workers) / (double) delivered));
    }
    System.out.println(figures);
    for (int workers : WORKERS) {
      double wasted = activations.get(workers) / (double) delivered - ACTIVATIONS_ONE_WORKER;
      assertThat(wasted)
          .as("wasted activations per message on %d workers (%s)", workers, figures)
          .isLessThanOrEqualTo(WASTED_PER_MESSAGE);
    }
    if (scale == SuiteScale.NIGHTLY) {
      double one = ShapeRun.median(rates.get(1));
      assertThat(ShapeRun.median(rates.get(2)) / one)
          .as("2-worker throughput relative to 1 worker (%s)", figures)
          .isGreaterThanOrEqualTo(FLOOR_TWO);
      assertThat(ShapeRun.median(rates.get(4)) / one)
          .as("4-worker throughput relative to 1 worker (%s)", figures)
          .isGreaterThanOrEqualTo(FLOOR_FOUR);
    }
  }
}
