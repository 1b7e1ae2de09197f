package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Starting a graph: every {@code onStart} completes, in topological order on the caller's thread,
 * before anything is delivered; a failing {@code onStart} unwinds what was started and leaves no
 * worker behind.
 */
class GraphStartTest {

  private static final Duration STOP = Duration.ofSeconds(10);
  private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
  private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);

  /** Appends "hook:node" for every hook to a shared journal; forwards what it receives. */
  private static class Recorder implements Node {
    final String name;
    final List<String> journal;
    final List<Thread> startThreads = Collections.synchronizedList(new ArrayList<>());
    private final @Nullable RuntimeException failOnStart;

    Recorder(String name, List<String> journal, @Nullable RuntimeException failOnStart) {
      this.name = name;
      this.journal = journal;
      this.failOnStart = failOnStart;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(IN);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public void onStart(NodeContext ctx) {
      startThreads.add(Thread.currentThread());
      journal.add("start:" + name);
      if (failOnStart != null) {
        throw failOnStart;
      }
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      journal.add("message:" + name);
      ctx.emit(OUT, IN.cast(message));
    }

    @Override
    public void onTick(NodeContext ctx) {
      journal.add("tick:" + name);
    }

    @Override
    public void onStop(NodeContext ctx) {
      journal.add("stop:" + name);
    }
  }

  /** A recorder without input that emits {@code count} messages, then ends. */
  private static final class RecordingSource extends Recorder implements SourceNode {
    private long left;

    RecordingSource(String name, List<String> journal, long count) {
      super(name, journal, null);
      this.left = count;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of();
    }

    @Override
    public boolean pull(NodeContext ctx) {
      journal.add("pull:" + name);
      for (int budget = ctx.demand(OUT); budget > 0 && left > 0; budget--) {
        ctx.emit(OUT, left--);
      }
      return left > 0;
    }
  }

  /** A recorder without input that ticks every millisecond. */
  private static final class RecordingTicker extends Recorder {
    RecordingTicker(String name, List<String> journal) {
      super(name, journal, null);
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of();
    }

    @Override
    public Duration tickInterval() {
      return Duration.ofMillis(1);
    }
  }

  private static List<String> journal() {
    return Collections.synchronizedList(new ArrayList<>());
  }

  private static List<String> weirThreadsOf(String graph) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith("weir-" + graph))
        .collect(Collectors.toList());
  }

  /** Workers made by the default factory are daemons: a graph left running never holds the JVM. */
  @Test
  void start_defaultWorkers_areDaemonThreads() throws Exception {
    List<String> journal = journal();
    Graph graph =
        Graph.builder("daemons")
            .add("sink", new Recorder("sink", journal, null))
            .ingress("in", "sink.in")
            .build();
    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    try {
      List<Thread> workers =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("weir-daemons-worker-"))
              .collect(Collectors.toList());
      assertThat(workers).hasSize(2).allMatch(Thread::isDaemon);
    } finally {
      running.stop(STOP);
    }
  }

  /**
   * What a node emits in onStart is delivered once the workers run, even when nothing else in the
   * graph would ever wake its consumer (no source, no tick, no ingress offer).
   */
  @Test
  void start_nodeEmittingInOnStart_itsConsumerGetsItWithNothingElseHappening() throws Exception {
    List<String> journal = journal();
    Node greeter =
        new Recorder("greeter", journal, null) {
          @Override
          public void onStart(NodeContext ctx) {
            super.onStart(ctx);
            ctx.emit(OUT, 42L);
          }
        };
    Graph graph =
        Graph.builder("start-emits")
            .add("greeter", greeter)
            .add("sink", new Recorder("sink", journal, null))
            .ingress("in", "greeter.in")
            .connect("greeter.out", "sink.in")
            .build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    try {
      assertThat(running.awaitQuiescence(Duration.ofSeconds(30))).isTrue();
      assertThat(running.snapshot().edge("greeter.out->sink.in").delivered()).isEqualTo(1);
    } finally {
      running.stop(STOP);
    }
    assertThat(journal).contains("message:sink");
  }

  @Test
  void start_graphWithMessagesAndTicks_completesEveryOnStartBeforeAnyDelivery() throws Exception {
    List<String> journal = journal();
    Graph graph =
        Graph.builder("start-order")
            .add("source", new RecordingSource("source", journal, 500))
            .add("ticker", new RecordingTicker("ticker", journal))
            .add("relay", new Recorder("relay", journal, null))
            .add("sink", new Recorder("sink", journal, null))
            .connect("source.out", "relay.in")
            .connect("ticker.out", "relay.in")
            .connect("relay.out", "sink.in")
            .build();

    RunningGraph running = Scheduler.builder().workers(2).build().start(graph);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> journal.contains("tick:ticker") && journal.contains("message:sink"));
    } finally {
      running.stop(STOP);
    }

    List<String> copy;
    synchronized (journal) {
      copy = new ArrayList<>(journal);
    }
    List<String> starts = copy.subList(0, 4);
    assertThat(starts)
        .as("the first four entries are the four onStart calls: %s", copy)
        .allMatch(entry -> entry.startsWith("start:"))
        .containsExactlyInAnyOrder("start:source", "start:ticker", "start:relay", "start:sink");
    assertThat(copy.subList(4, copy.size())).noneMatch(entry -> entry.startsWith("start:"));
    assertThat(starts.indexOf("start:source")).isLessThan(starts.indexOf("start:relay"));
    assertThat(starts.indexOf("start:relay")).isLessThan(starts.indexOf("start:sink"));
  }

  @Test
  void start_anyGraph_runsEveryOnStartOnTheCallingThread() {
    List<String> journal = journal();
    Recorder source = new RecordingSource("source", journal, 1);
    Recorder sink = new Recorder("sink", journal, null);
    Graph graph =
        Graph.builder("start-thread")
            .add("source", source)
            .add("sink", sink)
            .connect("source.out", "sink.in")
            .build();

    RunningGraph running = Scheduler.builder().build().start(graph);
    running.stop(STOP);

    assertThat(source.startThreads).containsExactly(Thread.currentThread());
    assertThat(sink.startThreads).containsExactly(Thread.currentThread());
  }

  @Test
  void start_onStartThrows_failsNamingTheNodeAndStopsItAndTheNodesStartedBeforeIt() {
    List<String> journal = journal();
    IllegalStateException boom = new IllegalStateException("boom");
    Graph graph =
        Graph.builder("start-fails")
            .add("first", new RecordingSource("first", journal, 10))
            .add("second", new Recorder("second", journal, null))
            .add("third", new Recorder("third", journal, boom))
            .add("fourth", new Recorder("fourth", journal, null))
            .connect("first.out", "second.in")
            .connect("second.out", "third.in")
            .connect("third.out", "fourth.in")
            .build();

    GraphStartException failure =
        catchThrowableOfType(
            GraphStartException.class, () -> Scheduler.builder().workers(2).build().start(graph));

    assertThat(failure).isNotNull();
    assertThat(failure.node()).isEqualTo("third");
    assertThat(failure).hasMessageContaining("third").hasCause(boom);
    // onStop is "always last": the failing node may hold what it acquired before it threw.
    assertThat(journal)
        .containsExactly(
            "start:first",
            "start:second",
            "start:third",
            "stop:third",
            "stop:second",
            "stop:first");
    assertThat(weirThreadsOf("start-fails")).isEmpty();
  }

  @Test
  void start_firstNodeThrows_stopsOnlyItAndStartsNoOther() {
    List<String> journal = journal();
    IllegalArgumentException boom = new IllegalArgumentException("no config");
    Recorder failing =
        new Recorder("failing", journal, boom) {
          @Override
          public List<PortSpec<?>> inputs() {
            return List.of();
          }
        };
    Graph graph =
        Graph.builder("start-fails-first")
            .add("failing", failing)
            .add("sink", new Recorder("sink", journal, null))
            .connect("failing.out", "sink.in")
            .build();

    GraphStartException failure =
        catchThrowableOfType(
            GraphStartException.class, () -> Scheduler.builder().build().start(graph));

    assertThat(failure).isNotNull();
    assertThat(failure.node()).isEqualTo("failing");
    assertThat(journal).containsExactly("start:failing", "stop:failing");
    assertThat(weirThreadsOf("start-fails-first")).isEmpty();
  }
}
