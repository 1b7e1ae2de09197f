package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors that used to kill a worker and leave its node RUNNING forever (found by the scheduler's
 * concurrency review): a StackOverflowError from a hook, and a dead-letter handler that throws an
 * Error. Both are now contained and the graph completes.
 */
class EscapingErrorsTest {

  private static long recurse(long depth) {
    return depth == Long.MAX_VALUE ? depth : recurse(depth + 1) + 1;
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void stackOverflowInAHook_goesThroughTheErrorPolicy_andTheGraphCompletes(int workers)
      throws Exception {
    List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    AtomicInteger delivered = new AtomicInteger();
    Graph graph =
        Graph.builder("overflow-" + workers)
            .add("numbers", Nodes.range(0, 100))
            .add("buggy", Nodes.map(Long.class, Long.class, x -> x == 42 ? recurse(0) : x))
            .add("sink", Nodes.sink(Long.class, x -> delivered.incrementAndGet()))
            .connect("numbers.out", "buggy.in", EdgeSpec.blocking(8))
            .connect("buggy.out", "sink.in", EdgeSpec.blocking(8))
            .build();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(deadLetters::add).build().start(graph);
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
          .as("%s", running.snapshot().render())
          .isTrue();
      assertThat(running.snapshot().node("buggy").errors()).isEqualTo(1);
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(delivered).hasValue(99);
    assertThat(deadLetters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.reason()).isEqualTo(DeadLetter.Reason.NODE_FAILED);
              assertThat(d.cause()).isInstanceOf(StackOverflowError.class);
              assertThat(d.message().payload()).isEqualTo(42L);
            });
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void deadLetterHandlerThrowingAnError_isLoggedAndTheGraphCompletes(int workers) throws Exception {
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger delivered = new AtomicInteger();
    Graph graph =
        Graph.builder("bad-handler-" + workers)
            .add("numbers", Nodes.range(0, 50))
            .add(
                "picky",
                Nodes.map(
                    Long.class,
                    Long.class,
                    x -> {
                      if (x % 10 == 0) {
                        throw new IllegalArgumentException("no multiples of ten: " + x);
                      }
                      return x;
                    }))
            .add("sink", Nodes.sink(Long.class, x -> delivered.incrementAndGet()))
            .connect("numbers.out", "picky.in")
            .connect("picky.out", "sink.in")
            .build();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .deadLetters(
                d -> {
                  handled.incrementAndGet();
                  throw new AssertionError("a broken dead-letter handler");
                })
            .build()
            .start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
          .as("%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(delivered).hasValue(45);
    assertThat(handled).hasValue(5);
    assertThat(report.deadLetters()).isEqualTo(5);
    assertThat(report.timedOut()).isFalse();
    assertThat(report.nodes()).allSatisfy(n -> assertThat(n.state()).isEqualTo(NodeState.STOPPED));
  }
}
