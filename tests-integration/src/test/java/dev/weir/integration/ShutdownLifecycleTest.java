package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphEdge;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.GraphStartException;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.WorkerThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Start and stop of a graph as a user sees them: every {@code onStart} before any work; {@code
 * onFinish} upstream-first, with a batching node flushing its tail; {@code onStop} in reverse
 * topological order; a failed start that stops what it started; and no worker thread left behind
 * after 50 start/stop cycles.
 *
 * <pre>
 *   lifecycle:  numbers ──┬──► batcher (64 per batch; onFinish flushes the tail) ──► collector
 *               (1000)    └──► audit
 *
 *   cycles:     ingress "in" ──► double ──► sum          (started and stopped 50 times)
 *
 *   failed:     numbers ──► broken (onStart throws) ──► audit
 * </pre>
 */
class ShutdownLifecycleTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void lifecycle_ofACompletingGraph_startsFirstFinishesUpstreamFirstStopsInReverse(int workers)
      throws Exception {
    Journal journal = new Journal();
    Batcher batcher = new Batcher(64, journal);
    Collector collector = new Collector(journal);
    Graph graph =
        Graph.builder("lifecycle-" + workers)
            .add("numbers", new JournaledSource(1_000, journal))
            .add("batcher", batcher)
            .add("collector", collector)
            .add("audit", new JournaledSink(journal))
            .connect("numbers.out", "batcher.in", EdgeSpec.blocking(16))
            .connect("numbers.out", "audit.in", EdgeSpec.blocking(16))
            .connect("batcher.out", "collector.in", EdgeSpec.blocking(4))
            .build();
    DeadLetterRecorder dead = new DeadLetterRecorder();
    RunningGraph running =
        Scheduler.builder().workers(workers).deadLetters(dead).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(Duration.ofSeconds(60)))
          .as("the graph completes on its own\n%s", running.snapshot().render())
          .isTrue();
    } finally {
      report = running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot after = running.snapshot();
    List<String> j = journal.entries();
    String context = after.render() + "journal: " + j;

    List<String> nodes = graph.topologicalOrder();
    int lastStart = nodes.stream().mapToInt(n -> j.indexOf(n + ":onStart")).max().orElseThrow();
    int firstWork =
        nodes.stream()
            .mapToInt(n -> j.indexOf(n + ":work"))
            .filter(i -> i >= 0)
            .min()
            .orElseThrow();
    assertThat(nodes)
        .as("every node started\n%s", context)
        .allSatisfy(n -> assertThat(j).contains(n + ":onStart"));
    assertThat(lastStart).as("every onStart before any work\n%s", context).isLessThan(firstWork);
    for (GraphEdge edge : graph.edges()) {
      assertThat(j.indexOf(edge.producer() + ":onFinish"))
          .as("%s finishes before %s\n%s", edge.producer(), edge.consumer(), context)
          .isGreaterThanOrEqualTo(0)
          .isLessThan(j.indexOf(edge.consumer() + ":onFinish"));
    }
    List<String> stops = j.stream().filter(e -> e.endsWith(":onStop")).toList();
    List<String> reversed = new ArrayList<>(nodes);
    Collections.reverse(reversed);
    assertThat(stops)
        .as("onStop in reverse topological order\n%s", context)
        .containsExactlyElementsOf(reversed.stream().map(n -> n + ":onStop").toList());
    assertThat(j.indexOf(reversed.get(0) + ":onStop"))
        .as("onStop after every onFinish\n%s", context)
        .isGreaterThan(j.indexOf(nodes.get(nodes.size() - 1) + ":onFinish"));

    List<Batch> batches = collector.batches();
    assertThat(batches).as(context).hasSize(16);
    assertThat(batches.subList(0, 15)).allSatisfy(b -> assertThat(b.items()).hasSize(64));
    assertThat(batches.get(15).items())
        .as("the tail flushed by the batcher's onFinish\n%s", context)
        .hasSize(1_000 - 15 * 64);
    assertThat(batches.stream().flatMap(b -> b.items().stream()).toList())
        .as(context)
        .containsExactlyElementsOf(LongStream.range(0, 1_000).boxed().toList());
    assertThat(j.indexOf("collector:tail")).as(context).isLessThan(j.indexOf("collector:onFinish"));
    assertThat(report.timedOut()).as(context).isFalse();
    assertThat(report.undelivered()).as(context).isZero();
    Ledger.assertClosed(graph, after, report, dead, 0);
  }

  @WorkerCounts
  void startAndStop_repeatedFiftyTimes_leavesNoWorkerThread(int workers) throws Exception {
    for (int cycle = 0; cycle < 50; cycle++) {
      String name = "cycle-" + workers + "-" + cycle;
      AtomicLong sum = new AtomicLong();
      Graph graph =
          Graph.builder(name)
              .add("double", Nodes.map(Long.class, Long.class, x -> 2 * x))
              .add("sum", Nodes.sink(Long.class, sum::addAndGet))
              .connect("double.out", "sum.in", EdgeSpec.blocking(8))
              .ingress("in", "double.in", EdgeSpec.blocking(8))
              .build();
      RunningGraph running = Scheduler.builder().workers(workers).build().start(graph);
      ShutdownReport report;
      try {
        Ingress<Long> in = running.ingress("in", Long.class);
        for (long i = 1; i <= 10; i++) {
          assertThat(in.put(i, Duration.ofSeconds(10)).isEnqueued()).isTrue();
        }
      } finally {
        report = running.stop(Duration.ofSeconds(10));
      }
      assertThat(report.timedOut()).isFalse();
      assertThat(sum.get()).as("cycle %d", cycle).isEqualTo(110);
      assertThat(running.isRunning()).isFalse();
      assertThat(WorkerThreads.named("weir-" + name + "-"))
          .as("stop joins the workers of cycle %d", cycle)
          .isEmpty();
    }
  }

  @WorkerCounts
  void start_whenAnOnStartThrows_stopsTheStartedNodesAndLeavesNoThread(int workers) {
    Journal journal = new Journal();
    Graph graph =
        Graph.builder("failed-start-" + workers)
            .add("numbers", new JournaledSource(10, journal))
            .add("broken", new BrokenOnStart(journal))
            .add("audit", new JournaledSink(journal))
            .connect("numbers.out", "broken.in")
            .connect("broken.out", "audit.in")
            .build();
    assertThatThrownBy(() -> Scheduler.builder().workers(workers).build().start(graph))
        .isInstanceOf(GraphStartException.class)
        .hasMessageContaining("broken")
        .hasMessageContaining("onStart");
    assertThat(journal.entries())
        .as(
            "the failing node and those started before it are stopped, in reverse; later ones"
                + " never start")
        .containsExactly("numbers:onStart", "broken:onStart", "broken:onStop", "numbers:onStop");
    assertThat(WorkerThreads.named("weir-failed-start-" + workers + "-")).isEmpty();
  }

  /** The order in which hooks ran, across nodes and threads. */
  static final class Journal {
    private final List<String> entries = Collections.synchronizedList(new ArrayList<>());

    void record(String node, String what) {
      entries.add(node + ":" + what);
    }

    List<String> entries() {
      synchronized (entries) {
        return List.copyOf(entries);
      }
    }
  }

  /** A batch of longs, the batcher's output payload. */
  record Batch(List<Long> items) {}

  /** Emits {@code total} longs within demand; journals its hooks. */
  static final class JournaledSource implements SourceNode {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final long total;
    private final Journal journal;
    private long next;

    JournaledSource(long total, Journal journal) {
      this.total = total;
      this.journal = journal;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onStart(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStart");
    }

    @Override
    public boolean pull(NodeContext ctx) {
      if (next == 0) {
        journal.record(ctx.nodeName(), "work");
      }
      int demand = ctx.demand(out);
      for (int i = 0; i < demand && next < total; i++) {
        ctx.emit(out, next++);
      }
      return next < total;
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onFinish");
    }

    @Override
    public void onStop(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStop");
    }
  }

  /** Collects longs into batches of {@code size}; onFinish flushes the partial tail batch. */
  static final class Batcher implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Batch> out = PortSpec.of("out", Batch.class);
    private final int size;
    private final Journal journal;
    private List<Long> pending = new ArrayList<>();
    private boolean working;

    Batcher(int size, Journal journal) {
      this.size = size;
      this.journal = journal;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onStart(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStart");
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (!working) {
        working = true;
        journal.record(ctx.nodeName(), "work");
      }
      pending.add(in.cast(message).payload());
      if (pending.size() == size) {
        ctx.emit(out, new Batch(List.copyOf(pending)));
        pending = new ArrayList<>();
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onFinish");
      if (!pending.isEmpty()) {
        ctx.emit(out, new Batch(List.copyOf(pending)));
        pending = new ArrayList<>();
      }
    }

    @Override
    public void onStop(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStop");
    }
  }

  /** Receives batches; journals the arrival of a partial (tail) batch. */
  static final class Collector implements Node {
    private final PortSpec<Batch> in = PortSpec.of("in", Batch.class);
    private final Journal journal;
    private final List<Batch> batches = Collections.synchronizedList(new ArrayList<>());

    Collector(Journal journal) {
      this.journal = journal;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStart");
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (batches.isEmpty()) {
        journal.record(ctx.nodeName(), "work");
      }
      Batch batch = in.cast(message).payload();
      batches.add(batch);
      if (batch.items().size() < 64) {
        journal.record(ctx.nodeName(), "tail");
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onFinish");
    }

    @Override
    public void onStop(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStop");
    }

    List<Batch> batches() {
      synchronized (batches) {
        return List.copyOf(batches);
      }
    }
  }

  /** A sink that journals its hooks. */
  static class JournaledSink implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final Journal journal;
    private boolean working;

    JournaledSink(Journal journal) {
      this.journal = journal;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStart");
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (!working) {
        working = true;
        journal.record(ctx.nodeName(), "work");
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onFinish");
    }

    @Override
    public void onStop(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStop");
    }
  }

  /** Passes longs on, but its onStart throws. */
  static final class BrokenOnStart extends JournaledSink {
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final Journal journal;

    BrokenOnStart(Journal journal) {
      super(journal);
      this.journal = journal;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onStart(NodeContext ctx) {
      journal.record(ctx.nodeName(), "onStart");
      throw new IllegalStateException("cannot open the database");
    }
  }
}
