package dev.weir.scheduler;

import static dev.weir.scheduler.SchedulerFixtures.LONG;
import static dev.weir.scheduler.SchedulerFixtures.upTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.scheduler.SchedulerFixtures.CollectingSink;
import dev.weir.scheduler.SchedulerFixtures.DeadLetterLog;
import dev.weir.scheduler.SchedulerFixtures.FirehoseSource;
import dev.weir.scheduler.SchedulerFixtures.Probe;
import dev.weir.scheduler.SchedulerFixtures.ProbeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cooperative backpressure: BLOCK edges park what does not fit in the producer's outbox and mark it
 * BLOCKED until the consumer makes room; nothing is lost, nothing waits on a thread, depth never
 * exceeds capacity. Lossy edges under the same overload keep an exact ledger.
 */
class BackpressureTest {

  private static final int CAPACITY = 4;

  /**
   * A sink that, for each message, looks at a snapshot of the running graph and records which of
   * the watched producers were BLOCKED on the expected edge at that moment. Taking a snapshot per
   * message also makes it much slower than the producers, which is the point.
   */
  static final class WatchingSink implements Node {
    private final PortSpec<Long> in = SchedulerFixtures.in();
    private final AtomicReference<RunningGraph> graph;
    private final Map<String, String> watched;
    private final Set<String> seenBlocked = ConcurrentHashMap.newKeySet();
    private final List<Long> received = new ArrayList<>();

    /**
     * @param graph set by the test once started
     * @param watched producer name to the edge id it is expected to block on
     */
    WatchingSink(AtomicReference<RunningGraph> graph, Map<String, String> watched) {
      this.graph = graph;
      this.watched = watched;
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      RunningGraph running = graph.get();
      if (running != null && seenBlocked.size() < watched.size()) {
        GraphSnapshot snapshot = running.snapshot();
        watched.forEach(
            (producer, edge) -> {
              GraphSnapshot.NodeView view = Objects.requireNonNull(snapshot.node(producer));
              if (view.state() == NodeState.BLOCKED && edge.equals(view.blockedOn())) {
                seenBlocked.add(producer);
              }
            });
      }
      synchronized (received) {
        received.add(in.cast(message).payload());
      }
    }

    List<Long> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }
  }

  /**
   * The basic backpressure cycle: park, BLOCKED, consumer drains, producer resumes.
   *
   * <p>Regression: a blocked producer whose end-of-activation re-check flushed part of its outbox
   * did not signal the consumer for those messages; with 2+ workers the consumer could stay IDLE
   * over a full edge while the producer waited for it (about one run in ten hung).
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void blockEdge_fastSourceIntoSlowConsumer_producerBlocksAndResumesLosingNothing(int workers)
      throws Exception {
    int n = 500;
    String edge = "source.out->sink.in";
    AtomicReference<RunningGraph> ref = new AtomicReference<>();
    WatchingSink sink = new WatchingSink(ref, Map.of("source", edge));
    SchedulerFixtures.Gate startGate = new SchedulerFixtures.Gate();
    Graph graph =
        Graph.builder("bp-block")
            .add("source", new GatedFirehose(n, 50, startGate))
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.blocking(CAPACITY))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    try {
      ref.set(running);
      startGate.open();
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(edge));

      assertThat(sink.seenBlocked)
          .as("the sink ran while the source was BLOCKED on %s", edge)
          .containsExactly("source");
      assertThat(sink.received()).as("every value once, in order").isEqualTo(upTo(n));
      assertThat(stats.blocked()).as("refused offers").isPositive();
      assertThat(stats.highWaterMark()).isLessThanOrEqualTo(CAPACITY);
      assertThat(stats.accepted()).isEqualTo(n);
      assertThat(stats.delivered()).isEqualTo(n);
      assertThat(deadLetters.all()).isEmpty();
    } finally {
      ShutdownReport report = running.stop(LONG);
      assertThat(report.timedOut()).isFalse();
      assertThat(report.undelivered()).isZero();
    }
  }

  /**
   * Pressure propagates from a slow sink back to the source through a chain of BLOCK edges:
   *
   * <pre>
   * source --4--> m1 --4--> m2 --4--> m3 --4--> m4 --4--> sink (slow, LOW band)
   * </pre>
   *
   * <p>The sink is slow twice over: it snapshots the graph for every message, which matters when it
   * has a worker to itself, and it sits in the LOW band against producers in a HIGH band weighted
   * 64:1, which matters on a single event loop, where a slow hook holds everyone up alike.
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void blockChain_fiveEdgesIntoSlowSink_everyProducerUpToTheSourceBlocks(int workers)
      throws Exception {
    int n = 1_000;
    AtomicReference<RunningGraph> ref = new AtomicReference<>();
    Map<String, String> expectedBlock =
        Map.of(
            "source", "source.out->m1.in",
            "m1", "m1.out->m2.in",
            "m2", "m2.out->m3.in",
            "m3", "m3.out->m4.in",
            "m4", "m4.out->sink.in");
    WatchingSink sink = new WatchingSink(ref, expectedBlock);
    SchedulerFixtures.Gate startGate = new SchedulerFixtures.Gate();
    GraphBuilder b = Graph.builder("bp-chain").add("source", new GatedFirehose(n, 64, startGate));
    String previous = "source";
    for (int i = 1; i <= 4; i++) {
      b.add("m" + i, new Probe());
      b.connect(previous + ".out", "m" + i + ".in", EdgeSpec.blocking(CAPACITY));
      previous = "m" + i;
    }
    b.add("sink", sink).connect("m4.out", "sink.in", EdgeSpec.blocking(CAPACITY));
    Scheduler.Builder scheduler =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog())
            .bandWeights(8, 64, 2, 1)
            .priority("sink", Priority.LOW);
    for (String producer : expectedBlock.keySet()) {
      scheduler.priority(producer, Priority.HIGH);
    }
    RunningGraph running = scheduler.build().start(b.build());
    try {
      ref.set(running);
      startGate.open();
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      GraphSnapshot snapshot = running.snapshot();

      assertThat(sink.seenBlocked)
          .as("producers seen BLOCKED on their output edge; %s", snapshot.render())
          .containsExactlyInAnyOrderElementsOf(expectedBlock.keySet());
      for (String edge : expectedBlock.values()) {
        EdgeStats stats = Objects.requireNonNull(snapshot.edge(edge));
        assertThat(stats.blocked()).as("refused offers on %s", edge).isPositive();
        assertThat(stats.highWaterMark()).as(edge).isLessThanOrEqualTo(CAPACITY);
        assertThat(stats.delivered()).as(edge).isEqualTo(n);
      }
      assertThat(sink.received()).isEqualTo(upTo(n));
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void flatMap_emittingMoreThanCapacityPerMessage_parksTheRestAndDeliversAll(int workers)
      throws Exception {
    String edge = "explode.out->sink.in";
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("bp-flatmap")
            .add("source", Nodes.range(0, 60))
            .add(
                "explode",
                Nodes.flatMap(
                    Long.class,
                    Long.class,
                    x -> {
                      List<Long> ten = new ArrayList<>();
                      for (long i = 0; i < 10; i++) {
                        ten.add(x * 10 + i);
                      }
                      return ten;
                    }))
            .add("sink", sink)
            .connect("source.out", "explode.in", EdgeSpec.blocking(CAPACITY))
            .connect("explode.out", "sink.in", EdgeSpec.blocking(CAPACITY))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(edge));

      assertThat(sink.received()).isEqualTo(upTo(600));
      assertThat(stats.blocked()).as("the tail of each burst was parked").isPositive();
      assertThat(stats.highWaterMark()).isLessThanOrEqualTo(CAPACITY);
      assertThat(deadLetters.all()).isEmpty();
    } finally {
      running.stop(LONG);
    }
  }

  /**
   * A source that emits within demand never has an offer refused, even when its output fans out to
   * edges of different capacities: its demand is the smaller remaining capacity.
   *
   * <pre>
   * source --4--> narrow
   *        \-16-> wide
   * </pre>
   */
  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void source_emittingWithinDemand_neverOverflowsItsFannedOutEdges(int workers) throws Exception {
    int n = 2_000;
    ProbeSource source = new ProbeSource(n);
    CollectingSink narrow = new CollectingSink();
    CollectingSink wide = new CollectingSink();
    Graph graph =
        Graph.builder("bp-demand")
            .add("source", source)
            .add("narrow", narrow)
            .add("wide", wide)
            .connect("source.out", "narrow.in", EdgeSpec.of(CAPACITY, OverflowPolicy.FAIL))
            .connect("source.out", "wide.in", EdgeSpec.of(16, OverflowPolicy.DROP))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      GraphSnapshot snapshot = running.snapshot();

      assertThat(source.demands())
          .as("pulled only with demand, never beyond the narrow edge's capacity")
          .isNotEmpty()
          .allSatisfy(d -> assertThat(d).isBetween(1, CAPACITY));
      assertThat(narrow.received()).isEqualTo(upTo(n));
      assertThat(wide.received()).isEqualTo(upTo(n));
      for (String edge : List.of("source.out->narrow.in", "source.out->wide.in")) {
        EdgeStats stats = Objects.requireNonNull(snapshot.edge(edge));
        assertThat(stats.offered()).as(edge).isEqualTo(n);
        assertThat(stats.accepted()).as(edge).isEqualTo(n);
      }
      assertThat(Objects.requireNonNull(snapshot.node("source")).errors()).isZero();
      assertThat(deadLetters.all()).isEmpty();
    } finally {
      running.stop(LONG);
    }
  }

  @ParameterizedTest(name = "workers={0}")
  @ValueSource(ints = {1, 2, 4})
  void rangeHelper_intoSmallDropEdge_dropsNothing(int workers) throws Exception {
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("bp-range")
            .add("source", Nodes.range(0, 3_000))
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.of(CAPACITY, OverflowPolicy.DROP))
            .build();
    RunningGraph running =
        SchedulerFixtures.scheduler(workers, new DeadLetterLog()).build().start(graph);
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
      EdgeStats stats = Objects.requireNonNull(running.snapshot().edge("source.out->sink.in"));
      assertThat(stats.dropped()).isZero();
      assertThat(sink.received()).isEqualTo(upTo(3_000));
    } finally {
      running.stop(LONG);
    }
  }

  static Stream<Arguments> lossyPolicies() {
    List<Arguments> args = new ArrayList<>();
    for (String policy : List.of("DROP", "LATEST", "COALESCE", "COALESCE_KEYED")) {
      for (int workers : new int[] {1, 2, 4}) {
        args.add(Arguments.of(policy, workers));
      }
    }
    return args.stream();
  }

  private static OverflowPolicy policyNamed(String name) {
    return switch (name) {
      case "DROP" -> OverflowPolicy.DROP;
      case "LATEST" -> OverflowPolicy.LATEST;
      case "COALESCE" -> OverflowPolicy.<Long>coalesce(Long::sum);
      case "COALESCE_KEYED" -> OverflowPolicy.<Long>coalesce(Long::sum, x -> x % 3);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * A source that ignores demand overloads a small lossy edge: the edge's ledger is exact (every
   * offer the producer made is counted once; every accepted message is delivered or evicted) and
   * the consumer sees what the policy promises.
   */
  @ParameterizedTest(name = "{0}, workers={1}")
  @MethodSource("lossyPolicies")
  void lossyEdge_underOverload_keepsAnExactLedgerAndItsPromise(String policyName, int workers)
      throws Exception {
    int n = 5_000;
    String edge = "source.out->sink.in";
    FirehoseSource source = new FirehoseSource(n, 64);
    CollectingSink sink = new CollectingSink();
    Graph graph =
        Graph.builder("bp-lossy")
            .add("source", source)
            .add("sink", sink)
            .connect("source.out", "sink.in", EdgeSpec.of(CAPACITY, policyNamed(policyName)))
            .build();
    DeadLetterLog deadLetters = new DeadLetterLog();
    RunningGraph running = SchedulerFixtures.scheduler(workers, deadLetters).build().start(graph);
    ShutdownReport report;
    try {
      assertThat(running.awaitCompletion(LONG)).as(running.snapshot().render()).isTrue();
    } finally {
      report = running.stop(LONG);
    }
    EdgeStats stats = Objects.requireNonNull(running.snapshot().edge(edge));
    List<Long> received = sink.received();
    String context = stats + "\n" + report.render();

    // Keyed COALESCE falls back to BLOCK when the edge is full and no queued message has the
    // incoming key (the queue may hold two of one key, taken while there was room): the producer
    // parks and offers the same message again, so each BLOCKED answer is one extra offer. Every
    // other policy here never blocks.
    long retried = policyName.equals("COALESCE_KEYED") ? stats.blocked() : 0;
    assertThat(stats.offered() - retried).as("offers counted once each; %s", context).isEqualTo(n);
    assertThat(stats.unaccounted()).as(context).isZero();
    assertThat(stats.depth()).as(context).isZero();
    assertThat(stats.blocked() - retried + stats.failed() + stats.closed()).as(context).isZero();
    assertThat(stats.highWaterMark()).as(context).isLessThanOrEqualTo(CAPACITY);
    assertThat(stats.delivered()).as(context).isEqualTo(received.size());
    assertThat(report.undelivered()).as(context).isZero();
    assertThat(deadLetters.all()).isEmpty();
    ShutdownReport.EdgeOutcome outcome = report.edges().get(0);
    assertThat(outcome.stats()).as(context).isEqualTo(stats);
    assertThat(report.ledger().discrepancies()).as(context).isEmpty();

    switch (policyName) {
      case "DROP" -> {
        assertThat(stats.dropped()).as(context).isPositive();
        assertThat(stats.accepted() + stats.dropped()).as(context).isEqualTo(n);
        assertThat(received).as("a subsequence, in order").isSorted().doesNotHaveDuplicates();
      }
      case "LATEST" -> {
        assertThat(stats.evicted()).as(context).isPositive();
        assertThat(stats.accepted()).as("LATEST enqueues every offer").isEqualTo(n);
        assertThat(stats.evicted() + stats.delivered()).as(context).isEqualTo(n);
        assertThat(received).as("a subsequence, in order").isSorted().doesNotHaveDuplicates();
        assertThat(received).as("the newest value survives").endsWith((long) n - 1);
      }
      default -> {
        assertThat(stats.coalesced()).as(context).isPositive();
        assertThat(stats.accepted() + stats.coalesced()).as(context).isEqualTo(n);
        long sum = received.stream().mapToLong(Long::longValue).sum();
        assertThat(sum).as("merging by sum loses nothing").isEqualTo((long) n * (n - 1) / 2);
      }
    }
  }

  /** A {@link FirehoseSource} whose first pull waits at a gate, so the test can set things up. */
  static final class GatedFirehose implements SourceNode {
    private final FirehoseSource delegate;
    private final SchedulerFixtures.Gate gate;
    private boolean passed;

    GatedFirehose(long count, int perPull, SchedulerFixtures.Gate gate) {
      this.delegate = new FirehoseSource(count, perPull);
      this.gate = gate;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return delegate.outputs();
    }

    @Override
    public boolean pull(NodeContext ctx) {
      if (!passed) {
        gate.pass();
        passed = true;
      }
      return delegate.pull(ctx);
    }
  }
}
