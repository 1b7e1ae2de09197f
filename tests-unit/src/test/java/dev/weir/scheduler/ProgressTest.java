package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@link RunningGraph#progress()}, the count a watchdog samples, and {@link
 * GraphSnapshot#hasPendingWork()}, which tells it whether the graph still has work to do.
 */
class ProgressTest {

  @Test
  void progress_countsEveryMessageEachNodeProcessedAndEveryTick() throws Exception {
    VirtualClock clock = VirtualClock.start();
    Graph graph =
        Graph.builder("progress")
            .add("copy", Nodes.map(Long.class, Long.class, x -> x))
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .add("ticks", Nodes.ticker(Duration.ofSeconds(1)))
            .add("tick-sink", Nodes.sink(Long.class, x -> {}))
            .connect("copy.out", "sink.in", EdgeSpec.blocking(4))
            .connect("ticks.out", "tick-sink.in", EdgeSpec.blocking(4))
            .ingress("in", "copy.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running = Scheduler.builder().clock(clock).build().start(graph);
    try {
      assertThat(running.progress()).isZero();
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < 10; i++) {
        assertThat(in.offer(i).status().isEnqueued()).isTrue();
      }
      assertThat(running.awaitDrained(LONG)).isTrue();
      assertThat(running.progress()).as("10 messages through copy, 10 into sink").isEqualTo(20);

      clock.advance(Duration.ofSeconds(3));
      assertThat(running.awaitDrained(LONG)).isTrue();
      // Each tick counts once at the ticker and once at its sink, which takes what it emitted.
      assertThat(running.progress())
          .isEqualTo(20 + 2 * running.snapshot().node("tick-sink").messages());
      assertThat(running.snapshot().node("tick-sink").messages()).isPositive();
      assertThat(running.snapshot().hasPendingWork()).isFalse();
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A node stuck in the second message of a batch: progress counts the first one (it is counted per
   * message, not when the batch ends), then stays still, and the snapshot shows work pending.
   */
  @Test
  void progress_nodeStuckMidBatch_countsWhatItFinishedAndShowsWorkPending() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean stuck = new AtomicBoolean();
    Graph graph =
        Graph.builder("stuck")
            .add("numbers", Nodes.source(Long.class, LongStream.range(0, 5).boxed().toList()))
            .add(
                "slow",
                Nodes.sink(
                    Long.class,
                    x -> {
                      if (x == 1) {
                        stuck.set(true);
                        hold(release);
                      }
                    }))
            .connect("numbers.out", "slow.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      await().atMost(LONG).untilTrue(stuck);
      assertThat(running.progress()).as("message 0 processed, message 1 in its hook").isEqualTo(1);
      GraphSnapshot snapshot = running.snapshot();
      assertThat(snapshot.hasPendingWork()).isTrue();
      assertThat(snapshot.node("slow").state()).isEqualTo(NodeState.RUNNING);
      assertThat(running.progress()).isEqualTo(1);

      release.countDown();
      assertThat(running.awaitCompletion(LONG)).isTrue();
      assertThat(running.progress()).isEqualTo(5);
      assertThat(running.snapshot().hasPendingWork()).isFalse();
    } finally {
      release.countDown();
      running.stop(LONG);
    }
  }

  /** Read from another thread while two workers run, it never goes down and ends at the total. */
  @Test
  void progress_readWhileTwoWorkersRun_neverDecreases() throws Exception {
    int items = 20_000;
    Graph graph =
        Graph.builder("monotonic")
            .add("a", Nodes.map(Long.class, Long.class, x -> x))
            .add("b", Nodes.map(Long.class, Long.class, x -> x))
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .connect("a.out", "b.in", EdgeSpec.blocking(8))
            .connect("b.out", "sink.in", EdgeSpec.blocking(8))
            .ingress("in", "a.in", EdgeSpec.blocking(64))
            .build();
    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong decreases = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              long last = 0;
              while (!done.get()) {
                long now = running.progress();
                if (now < last) {
                  decreases.incrementAndGet();
                }
                last = now;
                reads.incrementAndGet();
              }
            },
            "progress-reader");
    reader.start();
    try {
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < items; i++) {
        assertThat(in.put(i, LONG).status().isEnqueued()).isTrue();
      }
      assertThat(running.awaitDrained(LONG)).isTrue();
    } finally {
      done.set(true);
      reader.join();
      running.stop(LONG);
    }
    assertThat(decreases.get()).isZero();
    assertThat(reads.get()).isPositive();
    assertThat(running.progress()).isEqualTo(3L * items);
  }

  private static void hold(CountDownLatch latch) {
    try {
      if (!latch.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the node");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
