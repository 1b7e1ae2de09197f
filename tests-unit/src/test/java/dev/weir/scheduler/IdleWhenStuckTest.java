package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A graph that can make no more progress leaves its workers idle instead of running activations
 * that achieve nothing. {@link RunningGraph#awaitQuiescence} is what shows it: it returns only when
 * nothing is queued or running, so a graph that spins never gets there.
 */
class IdleWhenStuckTest {

  /**
   * Emits every payload it gets twice into its own feedback loop: the loop's BLOCK edge fills, the
   * node blocks on it, and, blocked, it takes no input, so nothing will ever make room. A loop of
   * full BLOCK edges deadlocks (architecture.md says so); it must not also burn a core.
   */
  private static final class Doubler implements Node {
    final PortSpec<Long> in = PortSpec.of("in", Long.class);
    final PortSpec<Long> again = PortSpec.of("again", Long.class);
    final PortSpec<Long> loop = PortSpec.of("loop", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in, again);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(loop);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      long x = (Long) message.payload();
      ctx.emit(loop, x);
      ctx.emit(loop, x);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void aDeadlockedLoopParks(int workers) throws Exception {
    Graph graph =
        Graph.builder("deadlock-" + workers)
            .add("numbers", Nodes.range(0, 10))
            .add("doubler", new Doubler())
            .connect("numbers.out", "doubler.in", EdgeSpec.blocking(4))
            .connect("doubler.loop", "doubler.again", EdgeSpec.blocking(2).asFeedback())
            .build();
    RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
    try {
      assertThat(running.awaitQuiescence(LONG))
          .as("quiet once deadlocked: %s", running.snapshot().render())
          .isTrue();
      GraphSnapshot.NodeView doubler = SchedulerFixtures.node(running, "doubler");
      assertThat(doubler.blockedOn()).isEqualTo("doubler.loop->doubler.again");
      long activations = doubler.activations();
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(SchedulerFixtures.node(running, "doubler").activations()).isEqualTo(activations);
    } finally {
      ShutdownReport report = running.stop(Duration.ofMillis(200));
      assertThat(report.timedOut()).as("a deadlocked loop cannot drain").isTrue();
    }
  }

  /**
   * An endless source whose only consumer stopped by STOP_NODE is done: it is not pulled to emit
   * into the closed edge, where every message would only become a dead letter.
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void aSourceWhoseConsumersAllStoppedIsDone(int workers) throws Exception {
    DeadLetterLog deadLetters = new DeadLetterLog();
    Probe probe = new Probe().failingOnMessage(x -> x == 3);
    Graph graph =
        Graph.builder("orphaned-source-" + workers)
            .add("numbers", Nodes.range(0, Long.MAX_VALUE))
            .add("probe", probe)
            .add("sink", new CollectingSink())
            .connect("numbers.out", "probe.in", EdgeSpec.blocking(64))
            .connect("probe.out", "sink.in")
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, deadLetters)
            .errorPolicy("probe", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      assertThat(running.awaitQuiescence(LONG))
          .as("quiet once the source has no demand: %s", running.snapshot().render())
          .isTrue();
      assertThat(SchedulerFixtures.node(running, "probe").state()).isEqualTo(NodeState.FAILED);
      assertThat(SchedulerFixtures.node(running, "numbers").state()).isEqualTo(NodeState.FINISHED);
      long deadLettered = deadLetters.all().size();
      // At most what the edge held when the probe stopped, what the source emitted within the
      // demand it saw then, and the failed message itself.
      assertThat(deadLettered).isBetween(1L, 1L + 64 + 64);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(deadLetters.all()).hasSize((int) deadLettered);
    } finally {
      running.stop(LONG);
    }
  }

  /** Takes no input (its gate is paused from the start) and fails on its first tick. */
  private static final class ClosedSink implements Node {
    final PortSpec<Long> in = PortSpec.of("in", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public Duration tickInterval() {
      return Duration.ofMillis(10);
    }

    @Override
    public void onStart(NodeContext ctx) {
      ctx.inputGate().pause();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}

    @Override
    public void onTick(NodeContext ctx) {
      throw new IllegalStateException("the sink's tick fails");
    }
  }

  /**
   * A consumer that stops without having polled (here it fails in onTick) must still wake the
   * source that waits for room on its full input: otherwise the source never learns that its only
   * consumer is gone, and the graph never completes.
   */
  @Test
  void aSourceWaitingOnAConsumerThatStopsWithoutPolling_isWokenAndDone() throws Exception {
    VirtualClock clock = VirtualClock.start();
    DeadLetterLog deadLetters = new DeadLetterLog();
    Graph graph =
        Graph.builder("stops-unpolled")
            .add("numbers", Nodes.range(0, 1_000))
            .add("closed", new ClosedSink())
            .connect("numbers.out", "closed.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(1, deadLetters)
            .clock(clock)
            .errorPolicy("closed", ErrorPolicy.STOP_NODE)
            .build()
            .start(graph);
    try {
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(running.snapshot().edge("numbers.out->closed.in").depth()).isEqualTo(4);

      clock.advance(Duration.ofMillis(10));

      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      assertThat(deadLetters.payloads(DeadLetter.Reason.CONSUMER_STOPPED))
          .containsExactly(0L, 1L, 2L, 3L);
    } finally {
      running.stop(LONG);
    }
  }

  /** Collects what it receives; starts paused and lets the test resume it. */
  private static final class PausedSink implements Node {
    final PortSpec<Long> in = PortSpec.of("in", Long.class);
    final List<Long> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile NodeContext context;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      context = ctx;
      ctx.inputGate().pause();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add((Long) message.payload());
    }
  }

  /**
   * A node blocked on a full edge takes no input, so new input must not wake it: each offer used to
   * cost the worker an activation that found the edge still full. Here the forwarder blocks behind
   * a paused sink (edge capacity 1: 1 queued, 2 parked); the ten offers after that leave its
   * activation count where it was, and once the sink resumes, every payload arrives in order (no
   * wake-up was lost by skipping them).
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2})
  void aBlockedNode_isNotActivatedByNewInput_andLosesNothing(int workers) throws Exception {
    PausedSink sink = new PausedSink();
    Graph graph =
        Graph.builder("blocked-input")
            .add("forward", Nodes.map(Long.class, Long.class, x -> x))
            .add("sink", sink)
            .connect("forward.out", "sink.in", EdgeSpec.blocking(1))
            .ingress("feed", "forward.in", EdgeSpec.blocking(64))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    try {
      Ingress<Long> feed = running.ingress("feed", Long.class);
      assertThat(feed.offer(1L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(feed.offer(2L).status()).isEqualTo(OfferStatus.ACCEPTED);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      GraphSnapshot blocked = running.snapshot();
      assertThat(blocked.node("forward").state()).as(blocked::render).isEqualTo(NodeState.BLOCKED);
      long activations = blocked.node("forward").activations();

      for (long i = 3; i <= 12; i++) {
        assertThat(feed.offer(i).status()).isEqualTo(OfferStatus.ACCEPTED);
        assertThat(running.awaitQuiescence(LONG)).isTrue(); // whatever the offer queued has run
      }

      GraphSnapshot after = running.snapshot();
      assertThat(after.node("forward").activations()).as(after::render).isEqualTo(activations);
      assertThat(after.edge("ingress:feed->forward.in").depth()).as(after::render).isEqualTo(10);

      sink.context.inputGate().resume();
      await().atMost(LONG).until(() -> sink.received.size() == 12);
      assertThat(sink.received)
          .containsExactlyElementsOf(SchedulerFixtures.upTo(13).subList(1, 13));
    } finally {
      running.stop(LONG);
    }
  }
}
