package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import dev.weir.scheduler.SchedulerFixtures.Gate;
import dev.weir.scheduler.SchedulerFixtures.HookLog;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A node object holds its own state, so it runs in one graph at a time: a {@link Graph} started
 * again before its run stopped, or two graphs built from the same node object, would run its hooks
 * on two threads at once. The second start is refused with a message naming the node and the graph
 * that holds it; once that graph has stopped (every {@code onStop} has run), it starts.
 */
class GraphOwnershipTest {

  private static Graph numbersInto(String name, CollectingSink sink) {
    return Graph.builder(name)
        .add("numbers", Nodes.range(0, 100))
        .add("sink", sink)
        .connect("numbers.out", "sink.in")
        .build();
  }

  @Test
  void aGraphStillRunningCannotStartAgain_andStartsOnceStopped() throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("twice")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(16))
            .build();
    Scheduler scheduler = Scheduler.builder().build();
    RunningGraph first = scheduler.start(graph);
    try {
      assertThatThrownBy(() -> scheduler.start(graph))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start graph 'twice'")
          .hasMessageContaining("node sink")
          .hasMessageContaining("still running in graph 'twice'")
          .hasMessageContaining("RunningGraph.stop");
    } finally {
      first.stop(LONG);
    }
    RunningGraph second = scheduler.start(graph);
    try {
      assertThat(second.ingress("in", Long.class).put(7L, LONG).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(second.awaitQuiescence(LONG)).isTrue();
      assertThat(sink.received()).containsExactly(7L);
    } finally {
      second.stop(LONG);
    }
  }

  @Test
  void twoGraphsSharingANodeObjectRunOneAtATime() throws Exception {
    CollectingSink shared = new CollectingSink();
    Scheduler scheduler = Scheduler.builder().build();
    RunningGraph a = scheduler.start(numbersInto("graph-a", shared));
    try {
      assertThatThrownBy(() -> scheduler.start(numbersInto("graph-b", shared)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot start graph 'graph-b'")
          .hasMessageContaining("still running in graph 'graph-a'");
      assertThat(a.awaitCompletion(LONG)).isTrue();
    } finally {
      a.stop(LONG);
    }
    RunningGraph b = scheduler.start(numbersInto("graph-b", shared));
    try {
      assertThat(b.awaitCompletion(LONG)).isTrue();
    } finally {
      b.stop(LONG);
    }
    assertThat(shared.received()).hasSize(200);
  }

  @Test
  void aRefusedStartLeavesTheRunningGraphAlone_andClaimsNothing() throws Exception {
    CollectingSink shared = new CollectingSink();
    CollectingSink other = new CollectingSink();
    Scheduler scheduler = Scheduler.builder().build();
    Graph holder =
        Graph.builder("holder")
            .add("sink", shared)
            .ingress("in", "sink.in", EdgeSpec.blocking(16))
            .build();
    // "other" comes first in the refused graph's order, so a claim that was not rolled back
    // would keep it from starting below.
    Graph refused =
        Graph.builder("refused")
            .add("numbers", Nodes.range(0, 10))
            .add("other", other)
            .add("tee", Nodes.map(Long.class, Long.class, x -> x))
            .add("sink", shared)
            .connect("numbers.out", "other.in")
            .ingress("in", "tee.in", EdgeSpec.blocking(4))
            .connect("tee.out", "sink.in")
            .build();
    RunningGraph running = scheduler.start(holder);
    try {
      assertThatThrownBy(() -> scheduler.start(refused)).isInstanceOf(IllegalStateException.class);
      // The refusal gave back only its own claims: "shared" still belongs to the holder.
      assertThatThrownBy(() -> scheduler.start(refused))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still running in graph 'holder'");
      assertThat(running.ingress("in", Long.class).put(1L, LONG).status())
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(shared.received()).containsExactly(1L);
    } finally {
      running.stop(LONG);
    }
    Graph otherAlone =
        Graph.builder("other-alone")
            .add("numbers", Nodes.range(0, 10))
            .add("other", other)
            .connect("numbers.out", "other.in")
            .build();
    RunningGraph again = scheduler.start(otherAlone);
    try {
      assertThat(again.awaitCompletion(LONG)).isTrue();
    } finally {
      again.stop(LONG);
    }
    assertThat(other.received()).hasSize(10);
  }

  @Test
  void aFailedStartReleasesItsNodes() throws Exception {
    Probe probe = new Probe().failingOnStart(n -> n == 1);
    CollectingSink sink = new CollectingSink();
    Graph graph = SchedulerFixtures.ingressProbeSink("fails-first", probe, sink);
    Scheduler scheduler = Scheduler.builder().build();
    assertThatThrownBy(() -> scheduler.start(graph)).isInstanceOf(GraphStartException.class);
    RunningGraph running = scheduler.start(graph);
    try {
      SchedulerFixtures.putAll(running, 1, 2, 3);
      assertThat(running.awaitQuiescence(LONG)).isTrue();
      assertThat(sink.received()).containsExactly(1L, 2L, 3L);
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A stop that timed out leaves a node stuck in its hook to its worker: the graph is not stopped
   * until that hook returns, so it is still running, cannot start again, and {@code
   * awaitCompletion} does not wait for nodes that will never finish on their own.
   */
  @Test
  void aHookStuckPastATimedOutStopKeepsTheGraphRunningUntilItReturns() throws Exception {
    Gate gate = new Gate();
    CollectingSink sink = new CollectingSink().gatedOn(gate, x -> x == 1);
    Graph graph =
        Graph.builder("stuck")
            .add("sink", sink)
            .ingress("in", "sink.in", EdgeSpec.blocking(16))
            .build();
    Scheduler scheduler = Scheduler.builder().build();
    RunningGraph running = scheduler.start(graph);
    try {
      CompletableFuture<Boolean> completion =
          SchedulerFixtures.onNewThread(
              "await-completion", () -> running.awaitCompletion(Duration.ofMinutes(10)));
      SchedulerFixtures.putAll(running, 1, 2);
      await().atMost(LONG).until(gate::hasArrivals);

      ShutdownReport report = running.stop(Duration.ofMillis(50));

      assertThat(report.timedOut()).isTrue();
      assertThat(report.stopFailures())
          .singleElement()
          .asString()
          .startsWith("sink: ")
          .contains("weir-stuck-worker-0");
      assertThat(report.render())
          .as("a stuck hook is not an onStop failure")
          .contains("stop problem: sink: still inside a hook")
          .doesNotContain("onStop threw");
      // Returns once the stop is over, not after its own ten minutes.
      assertThat(completion.get(LONG.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(running.isRunning()).as("a worker is still inside sink's hook").isTrue();
      assertThatThrownBy(() -> scheduler.start(graph))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("still running in graph 'stuck'");

      gate.open();
      await().atMost(LONG).until(() -> !running.isRunning());
    } finally {
      gate.open();
      stopQuietly(running);
    }
    RunningGraph again = scheduler.start(graph);
    try {
      SchedulerFixtures.putAll(again, 3);
      assertThat(again.awaitQuiescence(LONG)).isTrue();
    } finally {
      again.stop(LONG);
    }
    assertThat(sink.received()).containsExactly(1L, 3L);
  }

  private static Graph ingressIntoSink(String name, CollectingSink sink) {
    return Graph.builder(name)
        .add("sink", sink)
        .ingress("in", "sink.in", EdgeSpec.blocking(16))
        .build();
  }

  /**
   * A start that fails after every onStart ran (here the thread factory throws; in production, no
   * native thread left) returns no RunningGraph to stop: the start itself stops the nodes it
   * started and frees them.
   */
  @Test
  void aStartFailingToMakeWorkers_stopsItsNodes_andFreesThem() throws Exception {
    HookLog hooks = new HookLog();
    CollectingSink sink = new CollectingSink().recordingTo(hooks);
    Graph graph = ingressIntoSink("no-threads", sink);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler failing =
        Scheduler.builder()
            .meterRegistry(registry)
            .threadFactory(
                r -> {
                  throw new IllegalStateException("no more threads");
                })
            .build();

    assertThatThrownBy(() -> failing.start(graph)).hasMessage("no more threads");

    assertThat(hooks.hooksOf("sink")).containsExactly("onStart", "onStop");
    assertThat(registry.getMeters()).as("no meter outlives the failed start").isEmpty();
    RunningGraph again = Scheduler.builder().build().start(graph);
    again.stop(LONG);
  }

  /** A start refused because a node is taken registers no meters (they would outlive it). */
  @Test
  void aRefusedStart_leavesNoMetersBehind() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Scheduler scheduler = Scheduler.builder().meterRegistry(registry).build();
    CollectingSink shared = new CollectingSink();
    RunningGraph a = scheduler.start(ingressIntoSink("meters-a", shared));
    try {
      assertThatThrownBy(() -> scheduler.start(ingressIntoSink("meters-b", shared)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(registry.find("weir.node.messages").tag("graph", "meters-b").meters()).isEmpty();
    } finally {
      a.stop(LONG);
    }
    RunningGraph b = scheduler.start(ingressIntoSink("meters-b", shared));
    try {
      SchedulerFixtures.putAll(b, 1, 2, 3);
      assertThat(b.awaitQuiescence(LONG)).isTrue();
      assertThat(
              registry
                  .get("weir.node.messages")
                  .tags("graph", "meters-b", "node", "sink")
                  .functionCounter()
                  .count())
          .as("the live graph's counter, not a refused start's")
          .isEqualTo(3.0);
    } finally {
      b.stop(LONG);
    }
  }

  /** A node's onStop throwing an Error the runtime must not absorb still frees the other nodes. */
  @Test
  void aFatalErrorInOnStop_stillFreesTheNodes() throws Exception {
    AtomicBoolean failed = new AtomicBoolean();
    Node fatalOnce =
        new Node() {
          final PortSpec<Long> in = SchedulerFixtures.in();

          @Override
          public List<PortSpec<?>> inputs() {
            return List.of(in);
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}

          @Override
          public void onStop(NodeContext ctx) {
            if (failed.compareAndSet(false, true)) {
              throw new InternalError("boom in onStop");
            }
          }
        };
    Graph graph =
        Graph.builder("fatal-stop")
            .add("first", new CollectingSink())
            .add("fatal", fatalOnce)
            .ingress("a", "first.in", EdgeSpec.blocking(4))
            .ingress("b", "fatal.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);

    assertThatThrownBy(() -> running.stop(LONG)).isInstanceOf(InternalError.class);

    assertThat(running.isRunning()).isFalse();
    RunningGraph again = Scheduler.builder().build().start(graph);
    assertThat(again.stop(LONG).timedOut()).isFalse();
  }

  private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
  private static final PortSpec<Long> FB = PortSpec.of("fb", Long.class);
  private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);

  /** A loop member that records its finish and stop, and optionally waits at a gate to finish. */
  private static Node loopMember(
      String name, List<PortSpec<?>> inputs, PortSpec<Long> output, HookLog hooks, Gate gate) {
    return new Node() {
      @Override
      public List<PortSpec<?>> inputs() {
        return inputs;
      }

      @Override
      public List<PortSpec<?>> outputs() {
        return List.of(output);
      }

      @Override
      public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
        if (input.name().equals("in") && output == OUT) {
          ctx.emit(OUT, (Long) message.payload());
        }
      }

      @Override
      public void onFinish(NodeContext ctx) {
        hooks.record(name, "onFinish");
        gate.pass();
      }

      @Override
      public void onStop(NodeContext ctx) {
        hooks.record(name, "onStop");
      }
    };
  }

  /**
   * A loop finishes as a whole (every member claimed at once). If the stop times out while one
   * member's onFinish is stuck, every member is stopped when that hook returns, not just the one
   * whose activation it was; only then is the graph not running.
   */
  @Test
  void aStopTimingOutWhileALoopFinishes_stopsEveryMemberWhenTheHookReturns() throws Exception {
    Gate gate = new Gate();
    Gate open = new Gate();
    open.open();
    HookLog hooks = new HookLog();
    Graph graph =
        Graph.builder("loop-stuck")
            .add("head", loopMember("head", List.of(IN, FB), OUT, hooks, gate))
            .add("tail", loopMember("tail", List.of(IN), FB, hooks, open))
            .connect("head.out", "tail.in", EdgeSpec.blocking(4))
            .connect("tail.fb", "head.fb", EdgeSpec.blocking(4).asFeedback())
            .ingress("in", "head.in", EdgeSpec.blocking(4))
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      SchedulerFixtures.putAll(running, 1);
      assertThat(running.awaitQuiescence(LONG)).isTrue();

      ShutdownReport report = running.stop(Duration.ofMillis(200));

      assertThat(report.timedOut()).isTrue();
      gate.open();
      await().atMost(LONG).until(() -> !running.isRunning());
      assertThat(hooks.hooksOf("head")).containsExactly("onFinish", "onStop");
      assertThat(hooks.hooksOf("tail")).containsExactly("onFinish", "onStop");
    } finally {
      gate.open();
      stopQuietly(running);
    }
    RunningGraph again = Scheduler.builder().build().start(graph);
    again.stop(Duration.ofMillis(200));
  }
}
