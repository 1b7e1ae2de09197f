package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a node's context promises when the node misuses it or an output is left unconnected. */
class NodeContextContractTest {

  private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
  private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);
  private static final PortSpec<Long> SPARE = PortSpec.of("spare", Long.class);

  /** Forwards every message; what it does beyond that is up to each test. */
  private abstract static class Relay implements Node {
    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }
  }

  private static Graph through(Node relay, String name) {
    return Graph.builder(name)
        .add("numbers", Nodes.range(0, 10))
        .add("relay", relay)
        .add("sink", Nodes.sink(Long.class, x -> {}))
        .connect("numbers.out", "relay.in")
        .connect("relay.out", "sink.in")
        .build();
  }

  @Test
  void emit_toAPortTheNodeDoesNotDeclare_failsTheHookNamingTheNodeAndItsOutputs() throws Exception {
    List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    Node relay =
        new Relay() {
          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            ctx.emit(PortSpec.of("nope", Long.class), 1L);
          }
        };
    RunningGraph running =
        Scheduler.builder()
            .deadLetters(deadLetters::add)
            .build()
            .start(through(relay, "undeclared"));
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(deadLetters).hasSize(10);
    assertThat(deadLetters.get(0).cause())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node relay has no output port 'nope'; its outputs are [out]");
  }

  @Test
  void emit_withAnEqualPortInstance_isRoutedByName() throws Exception {
    List<Long> received = new CopyOnWriteArrayList<>();
    Node relay =
        new Relay() {
          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            ctx.emit(PortSpec.of("out", Long.class), IN.cast(message).payload() + 100);
          }
        };
    Graph graph =
        Graph.builder("by-name")
            .add("numbers", Nodes.range(0, 3))
            .add("relay", relay)
            .add("sink", Nodes.sink(Long.class, received::add))
            .connect("numbers.out", "relay.in")
            .connect("relay.out", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(received).containsExactly(100L, 101L, 102L);
  }

  @Test
  void emit_fromOnStop_isRefusedAndReportedAsAStopFailure() throws Exception {
    Node relay =
        new Relay() {
          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            ctx.emit(OUT, IN.cast(message));
          }

          @Override
          public void onStop(NodeContext ctx) {
            ctx.emit(OUT, -1L);
          }
        };
    RunningGraph running = Scheduler.builder().build().start(through(relay, "emit-in-stop"));
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(5));
    }
    assertThat(report.stopFailures())
        .singleElement()
        .asString()
        .contains("relay")
        .contains("emitted from onStop; emit in onFinish instead");
  }

  @Test
  void unconnectedOutput_hasUnlimitedDemand_andItsEmitsAreCountedInTheSnapshot() throws Exception {
    List<Integer> demands = new CopyOnWriteArrayList<>();
    Node splitter =
        new Relay() {
          @Override
          public List<PortSpec<?>> outputs() {
            return List.of(OUT, SPARE);
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            demands.add(ctx.demand(SPARE));
            ctx.emit(OUT, IN.cast(message));
            ctx.emit(SPARE, IN.cast(message).payload());
          }
        };
    RunningGraph running = Scheduler.builder().build().start(through(splitter, "spare"));
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
      GraphSnapshot.NodeView view = running.snapshot().node("relay");
      assertThat(view.unrouted()).isEqualTo(10);
      assertThat(running.snapshot().render()).contains("unrouted=10");
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(demands).hasSize(10).containsOnly(Integer.MAX_VALUE);
  }

  /**
   * A CONTROL lane of one slot, its consumer paused: further CONTROL messages park in the
   * producer's CONTROL outbox, ahead of its parked DATA, and all arrive in order on resume.
   */
  @Test
  void emitControl_whenTheControlLaneIsFull_parksThenDeliversEveryCommandInOrderBeforeData()
      throws Exception {
    PortSpec<String> cmdIn = PortSpec.of("in", String.class);
    PortSpec<String> cmdOut = PortSpec.of("out", String.class);
    List<String> received = new CopyOnWriteArrayList<>();
    CountDownLatch paused = new CountDownLatch(1);
    AtomicReference<InputGate> receiverGate = new AtomicReference<>();
    Node commander =
        new SourceNode() {
          private int step;

          @Override
          public List<PortSpec<?>> outputs() {
            return List.of(cmdOut);
          }

          @Override
          public boolean pull(NodeContext ctx) throws Exception {
            assertThat(paused.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
              ctx.emit(cmdOut, "data-" + i);
            }
            for (int i = 0; i < 3; i++) {
              ctx.emitControl(cmdOut, "cmd-" + i);
            }
            return ++step < 1;
          }
        };
    Node receiver =
        new Node() {
          @Override
          public List<PortSpec<?>> inputs() {
            return List.of(cmdIn);
          }

          @Override
          public void onStart(NodeContext ctx) {
            receiverGate.set(ctx.inputGate());
            ctx.inputGate().pause();
            paused.countDown();
          }

          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
            received.add(cmdIn.cast(message).payload());
          }
        };
    Graph graph =
        Graph.builder("control-outbox")
            .add("commander", commander)
            .add("receiver", receiver)
            .connect("commander.out", "receiver.in", EdgeSpec.blocking(1).withControlCapacity(1))
            .build();
    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    try {
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
      GraphSnapshot parked = running.snapshot();
      assertThat(parked.node("commander").state()).isEqualTo(NodeState.BLOCKED);
      assertThat(parked.edge("commander.out->receiver.in").controlDepth()).isEqualTo(1);
      assertThat(received).isEmpty();

      receiverGate.get().resume(); // from the test thread, as an application would
      assertThat(running.awaitCompletion(Duration.ofSeconds(10)))
          .as("%s", running.snapshot().render())
          .isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    // Nothing lost, each plane in order, and each command ahead of the data parked with it: the
    // CONTROL outbox is flushed first, and the lane's cmd-0 overtakes the queued data-0.
    assertThat(received)
        .containsExactlyInAnyOrder("data-0", "data-1", "data-2", "cmd-0", "cmd-1", "cmd-2");
    assertThat(received.stream().filter(p -> p.startsWith("cmd")))
        .containsExactly("cmd-0", "cmd-1", "cmd-2");
    assertThat(received.stream().filter(p -> p.startsWith("data")))
        .containsExactly("data-0", "data-1", "data-2");
    for (int k = 0; k < 3; k++) {
      assertThat(received.indexOf("cmd-" + k))
          .as("cmd-%d before data-%d in %s", k, k, received)
          .isLessThan(received.indexOf("data-" + k));
    }
  }

  @Test
  void awaitQuiescence_whileAHookIsBusy_returnsFalseWhenTheTimeoutPasses() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Node busy =
        new Relay() {
          @Override
          public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message)
              throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            ctx.emit(OUT, IN.cast(message));
          }
        };
    RunningGraph running = Scheduler.builder().build().start(through(busy, "busy"));
    try {
      assertThat(running.awaitQuiescence(Duration.ofMillis(100))).isFalse();
      assertThat(running.awaitCompletion(Duration.ofMillis(50))).isFalse();
      release.countDown();
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
    } finally {
      release.countDown();
      running.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void awaitCompletion_withAnOpenIngress_returnsFalseUntilStopped() throws Exception {
    Graph graph =
        Graph.builder("open-ingress")
            .add("sink", Nodes.sink(Long.class, x -> {}))
            .ingress("in", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      assertThat(running.ingress("in", Long.class).offer(1L).isEnqueued()).isTrue();
      assertThat(running.awaitQuiescence(Duration.ofSeconds(10))).isTrue();
      assertThat(running.awaitCompletion(Duration.ofMillis(100)))
          .as("an ingress stays open until stop")
          .isFalse();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }
    assertThat(running.awaitCompletion(Duration.ofMillis(100))).isTrue();
    assertThat(running.isRunning()).isFalse();
  }

  @Test
  void demand_insideAPull_isAtMostWhatIsLeftOfTheBatchLimit() throws Exception {
    int batchLimit = 8;
    int total = 100;
    List<int[]> pulls = new CopyOnWriteArrayList<>(); // {demand at start, demand after 3 emits}
    Node source =
        new SourceNode() {
          private long next;

          @Override
          public List<PortSpec<?>> outputs() {
            return List.of(OUT);
          }

          @Override
          public boolean pull(NodeContext ctx) {
            int atStart = ctx.demand(OUT);
            int emitted = 0;
            int afterThree = -1;
            while (ctx.demand(OUT) > 0 && next < total) {
              ctx.emit(OUT, next++);
              if (++emitted == 3) {
                afterThree = ctx.demand(OUT);
              }
            }
            pulls.add(new int[] {atStart, afterThree});
            return next < total;
          }
        };
    List<Long> received = new CopyOnWriteArrayList<>();
    Graph graph =
        Graph.builder("pull-budget")
            .add("numbers", source)
            .add("sink", Nodes.sink(Long.class, received::add))
            .connect("numbers.out", "sink.in", EdgeSpec.blocking(1024))
            .build();
    RunningGraph running = Scheduler.builder().batchLimit(batchLimit).build().start(graph);
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(10))).isTrue();
    } finally {
      running.stop(Duration.ofSeconds(5));
    }

    assertThat(received).hasSize(total);
    assertThat(pulls).hasSizeGreaterThanOrEqualTo(total / batchLimit);
    // The edge has room for 1024: only the batch limit holds each pull to 8.
    assertThat(pulls.get(0)).containsExactly(batchLimit, batchLimit - 3);
    assertThat(pulls).allSatisfy(p -> assertThat(p[0]).isLessThanOrEqualTo(batchLimit));
  }
}
