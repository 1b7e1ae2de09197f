package dev.weir.scheduler;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Feedback loops finish as a whole: every message that goes round the loop is processed before any
 * member finishes, then the members' onFinish run in topological order.
 *
 * <pre>
 * numbers ──► head ──► tail ──exit──► sink
 *              ▲         │
 *              └── fb ◄──┘   (feedback edge: each item goes round ROUNDS times)
 * </pre>
 */
class FeedbackLoopTest {

  private static final int ROUNDS = 3;
  private static final PortSpec<int[]> IN = PortSpec.of("in", int[].class);
  private static final PortSpec<int[]> FB = PortSpec.of("fb", int[].class);
  private static final PortSpec<int[]> OUT = PortSpec.of("out", int[].class);
  private static final PortSpec<int[]> EXIT = PortSpec.of("exit", int[].class);

  /** Journal of hook calls shared by the loop's nodes. */
  private final List<String> journal = new CopyOnWriteArrayList<>();

  /** Passes everything from its two inputs on. */
  private final class Head implements Node {
    private int seen;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN, FB);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      seen++;
      ctx.emit(OUT, (int[]) message.payload());
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.add("finish:head after " + seen);
    }
  }

  /** Sends an item round again until it has done ROUNDS rounds, then out of the loop. */
  private final class Tail implements Node {
    private final int failOn;
    private int seen;

    Tail(int failOn) {
      this.failOn = failOn;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT, EXIT);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      seen++;
      int[] item = (int[]) message.payload();
      if (item[0] == failOn) {
        throw new IllegalStateException("tail fails on item " + failOn);
      }
      if (++item[1] < ROUNDS) {
        ctx.emit(OUT, item);
      } else {
        ctx.emit(EXIT, item);
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.add("finish:tail after " + seen);
    }
  }

  private Graph retryLoop(int items, int capacity, AtomicLong exited, int failOn) {
    List<int[]> payloads = new ArrayList<>();
    IntStream.range(0, items).forEach(i -> payloads.add(new int[] {i, 0}));
    GraphBuilder builder =
        Graph.builder("retry-loop")
            .add("numbers", Nodes.source(int[].class, payloads))
            .add("head", new Head())
            .add("tail", new Tail(failOn))
            .add("sink", Nodes.sink(int[].class, item -> exited.incrementAndGet()))
            .connect("numbers.out", "head.in", EdgeSpec.blocking(capacity))
            .connect("head.out", "tail.in", EdgeSpec.blocking(capacity))
            // Room for everything that can circulate: a loop of full BLOCK edges deadlocks.
            .connect("tail.out", "head.fb", EdgeSpec.blocking(items * ROUNDS).asFeedback())
            .connect("tail.exit", "sink.in", EdgeSpec.blocking(capacity));
    return builder.build();
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void retryLoop_whenSourceEnds_processesEveryRoundThenFinishesOnItsOwn(int workers)
      throws Exception {
    int items = 200;
    AtomicLong exited = new AtomicLong();
    RunningGraph running =
        Scheduler.builder()
            .workers(workers)
            .batchLimit(3)
            .build()
            .start(retryLoop(items, 2, exited, -1));
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
          .as("the loop finishes by itself; %s", running.snapshot().render())
          .isTrue();
      GraphSnapshot done = running.snapshot();
      assertThat(done.node("head").state()).isEqualTo(NodeState.FINISHED);
      assertThat(done.node("tail").state()).isEqualTo(NodeState.FINISHED);
      EdgeStats feedback = done.edge("tail.out->head.fb");
      assertThat(feedback.delivered()).isEqualTo((long) items * (ROUNDS - 1));
      assertThat(feedback.unaccounted()).isZero();
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(exited).hasValue(items);
    assertThat(report.timedOut()).isFalse();
    assertThat(report.deadLetters()).isZero();
    assertThat(report.undelivered()).isZero();
    // Both members finish only after every round went through them, head first (topological).
    assertThat(journal)
        .containsExactly(
            "finish:head after " + items * ROUNDS, "finish:tail after " + items * ROUNDS);
  }

  @Test
  void retryLoop_memberStoppedByItsErrorPolicy_loopStillFinishesAndAccountsForEverything()
      throws Exception {
    int items = 50;
    AtomicLong exited = new AtomicLong();
    List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    RunningGraph running =
        Scheduler.builder()
            .workers(2)
            .errorPolicy("tail", ErrorPolicy.STOP_NODE)
            .deadLetters(deadLetters::add)
            .build()
            .start(retryLoop(items, 2, exited, 25));
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
          .as("the loop finishes without its stopped member; %s", running.snapshot().render())
          .isTrue();
      assertThat(running.snapshot().node("tail").state()).isEqualTo(NodeState.FAILED);
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(report.timedOut()).isFalse();
    assertThat(deadLetters).isNotEmpty();
    assertThat(deadLetters.get(0).reason()).isEqualTo(DeadLetter.Reason.NODE_FAILED);
    // Every item either left the loop or was dead-lettered on the way; none vanished.
    long itemsDeadLettered =
        deadLetters.stream().map(d -> ((int[]) d.message().payload())[0]).distinct().count();
    assertThat(exited.get() + itemsDeadLettered).isEqualTo(items);
  }

  /**
   * A node feeding itself: counts each payload down to zero through a self-loop.
   *
   * <pre>
   * numbers ──► countdown ──done──► sink
   *               ▲    │
   *               └────┘  (feedback)
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void selfLoop_countsDownEveryItemAndCompletes(int workers) throws Exception {
    PortSpec<Long> in = PortSpec.of("in", Long.class);
    PortSpec<Long> again = PortSpec.of("again", Long.class);
    PortSpec<Long> loop = PortSpec.of("loop", Long.class);
    PortSpec<Long> done = PortSpec.of("done", Long.class);
    Node countdown =
        new Node() {
          @Override
          public List<PortSpec<?>> inputs() {
            return List.of(in, again);
          }

          @Override
          public List<PortSpec<?>> outputs() {
            return List.of(loop, done);
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            long left = (Long) message.payload();
            if (left > 0) {
              ctx.emit(loop, left - 1);
            } else {
              ctx.emit(done, left);
            }
          }
        };
    AtomicLong finished = new AtomicLong();
    Graph graph =
        Graph.builder("self-loop")
            .add("numbers", Nodes.range(0, 20))
            .add("countdown", countdown)
            .add("sink", Nodes.sink(Long.class, x -> finished.incrementAndGet()))
            .connect("numbers.out", "countdown.in", EdgeSpec.blocking(4))
            .connect("countdown.loop", "countdown.again", EdgeSpec.blocking(64).asFeedback())
            .connect("countdown.done", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(30)))
          .as("%s", running.snapshot().render())
          .isTrue();
      // 0..19 each go round their own value's number of times: 0+1+...+19 = 190.
      assertThat(running.snapshot().edge("countdown.loop->countdown.again").delivered())
          .isEqualTo(190);
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(finished).hasValue(20);
  }
}
