package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import dev.weir.testkit.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * With one worker, a virtual clock and a seed a run is a pure function of graph, inputs and seed;
 * with pick perturbation, other seeds explore other interleavings while every guarantee holds.
 *
 * <p>The graph, {@code Mixed}:
 *
 * <pre>
 *   numbers (HIGH, 300 items) ──┐            ┌──► left (LOW, +1e6) ───┐
 *                               ├──► split ──┤                        ├──► join ──► sink (LOW)
 *   bursts (LOW, 40 per tick) ──┘ (fan-out)  └──► right (HIGH, +2e6) ─┤ (fan-in)
 *   letters (NORMAL, 150 items) ──────────────────────────────────────┤
 *   pulse (NORMAL, 1 per tick) ───────────────────────────────────────┘
 * </pre>
 *
 * Edges hold 4 messages (BLOCK), so producers park and unblock all along. Ticks come from advancing
 * the clock at quiescent points. Every node appends its name to a journal on every hook call.
 */
class DeterminismTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int NUMBERS = 300;
  private static final int LETTERS = 150;
  private static final int BURST = 40;
  private static final int STEPS = 12;
  private static final long LEFT = 1_000_000;
  private static final long RIGHT = 2_000_000;
  private static final long BURSTS_BASE = 10_000;
  private static final long LETTERS_BASE = 500_000;
  private static final long PULSE_BASE = 700_000;

  private static final PortSpec<Long> IN = PortSpec.of("in", Long.class);
  private static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);

  /** The seed of randomized tests: {@code -Dweir.seed=N} or a fresh one. */
  private static long seed() {
    Long fixed = Long.getLong("weir.seed");
    return fixed != null ? fixed : new SplittableRandom().nextLong();
  }

  private static String replay(long seed) {
    return Seeds.replayHint(seed);
  }

  /** Emits {@code [from, from + count)} within demand, journaling each pull. */
  private static final class Counter implements SourceNode {
    private final String name;
    private final List<String> journal;
    private final long end;
    private long next;

    Counter(String name, List<String> journal, long from, long count) {
      this.name = name;
      this.journal = journal;
      this.next = from;
      this.end = from + count;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      journal.add(name);
      for (int budget = ctx.demand(OUT); budget > 0 && next < end; budget--) {
        ctx.emit(OUT, next++);
      }
      return next < end;
    }
  }

  /** Emits {@code perTick} consecutive values from {@code from} on every tick. */
  private static final class Ticking implements Node {
    private final String name;
    private final List<String> journal;
    private final Duration interval;
    private final int perTick;
    private long next;

    Ticking(String name, List<String> journal, Duration interval, long from, int perTick) {
      this.name = name;
      this.journal = journal;
      this.interval = interval;
      this.next = from;
      this.perTick = perTick;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public Duration tickInterval() {
      return interval;
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {}

    @Override
    public void onTick(NodeContext ctx) {
      journal.add(name);
      for (int i = 0; i < perTick; i++) {
        ctx.emit(OUT, next++);
      }
    }
  }

  /** Applies a function and forwards; the sink variant only records. */
  private static final class Stage implements Node {
    private final String name;
    private final List<String> journal;
    private final LongUnaryOperator fn;
    private final List<Long> received = new ArrayList<>();

    Stage(String name, List<String> journal, LongUnaryOperator fn) {
      this.name = name;
      this.journal = journal;
      this.fn = fn;
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
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      journal.add(name);
      long value = fn.applyAsLong(IN.cast(message).payload());
      received.add(value);
      ctx.emit(OUT, value);
    }
  }

  /** What one run produced. */
  private record Run(
      long traceHash,
      List<String> journal,
      List<Long> delivered,
      Map<String, EdgeStats> edges,
      String rendered) {}

  /** Variations of the graph and its inputs. */
  private record Shape(int numbers, Priority rightBand) {
    static final Shape BASE = new Shape(NUMBERS, Priority.HIGH);
  }

  private static Run run(Shape shape, long seed, double perturbation) throws Exception {
    List<String> journal = Collections.synchronizedList(new ArrayList<>());
    Stage sink = new Stage("sink", journal, x -> x);
    EdgeSpec small = EdgeSpec.blocking(4);
    Graph graph =
        Graph.builder("mixed")
            .add("numbers", new Counter("numbers", journal, 0, shape.numbers()))
            .add(
                "bursts", new Ticking("bursts", journal, Duration.ofMillis(10), BURSTS_BASE, BURST))
            .add("letters", new Counter("letters", journal, LETTERS_BASE, LETTERS))
            .add("pulse", new Ticking("pulse", journal, Duration.ofMillis(15), PULSE_BASE, 1))
            .add("split", new Stage("split", journal, x -> x))
            .add("left", new Stage("left", journal, x -> x + LEFT))
            .add("right", new Stage("right", journal, x -> x + RIGHT))
            .add("join", new Stage("join", journal, x -> x))
            .add("sink", sink)
            .connect("numbers.out", "split.in", small)
            .connect("bursts.out", "split.in", small)
            .connect("split.out", "left.in", small)
            .connect("split.out", "right.in", small)
            .connect("left.out", "join.in", small)
            .connect("right.out", "join.in", small)
            .connect("letters.out", "join.in", small)
            .connect("pulse.out", "join.in", small)
            .connect("join.out", "sink.in", small)
            .build();
    VirtualClock clock = VirtualClock.start();
    RunningGraph running =
        Scheduler.builder()
            .clock(clock)
            .seed(seed)
            .pickPerturbation(perturbation)
            .batchLimit(3)
            .priority("numbers", Priority.HIGH)
            .priority("bursts", Priority.LOW)
            .priority("left", Priority.LOW)
            .priority("right", shape.rightBand())
            .priority("sink", Priority.LOW)
            .build()
            .start(graph);
    long hash;
    try {
      assertThat(running.awaitQuiescence(WAIT)).as(() -> running.snapshot().render()).isTrue();
      for (int step = 0; step < STEPS; step++) {
        clock.advance(Duration.ofMillis(5));
        assertThat(running.awaitQuiescence(WAIT)).as(() -> running.snapshot().render()).isTrue();
      }
      hash = running.snapshot().traceHash();
    } finally {
      running.stop(Duration.ofSeconds(10));
    }
    GraphSnapshot snapshot = running.snapshot();
    Map<String, EdgeStats> edges = new TreeMap<>();
    for (GraphSnapshot.EdgeView edge : snapshot.edges()) {
      edges.put(edge.id(), edge.stats());
    }
    List<String> journalCopy;
    synchronized (journal) {
      journalCopy = List.copyOf(journal);
    }
    return new Run(hash, journalCopy, List.copyOf(sink.received), edges, snapshot.render());
  }

  /** Where two journals first differ, with a little context: readable where a hash is not. */
  private static String divergence(List<String> a, List<String> b) {
    int i = 0;
    while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
      i++;
    }
    int from = Math.max(0, i - 5);
    return "journals differ at entry "
        + i
        + ": "
        + a.subList(from, Math.min(a.size(), i + 5))
        + " vs "
        + b.subList(from, Math.min(b.size(), i + 5));
  }

  private static void assertSameRun(Run expected, Run actual, String context) {
    assertThat(actual.journal())
        .as(() -> context + ": " + divergence(expected.journal(), actual.journal()))
        .isEqualTo(expected.journal());
    assertThat(actual.delivered()).as(context).isEqualTo(expected.delivered());
    assertThat(actual.traceHash())
        .as(() -> context + "\n" + expected.rendered() + "\nvs\n" + actual.rendered())
        .isEqualTo(expected.traceHash());
  }

  @Test
  void traceHash_sameSeedAndGraphOnOneWorker_isIdenticalRunAfterRun() throws Exception {
    long seed = seed();
    Run first = run(Shape.BASE, seed, 0);

    for (int again = 1; again <= 4; again++) {
      assertSameRun(first, run(Shape.BASE, seed, 0), "run " + again + " vs run 0, " + replay(seed));
    }
    assertGuarantees(first, Shape.BASE, replay(seed));
  }

  @Test
  void traceHash_sameSeedWithPerturbation_isIdenticalRunAfterRun() throws Exception {
    long seed = seed();
    Run first = run(Shape.BASE, seed, 0.5);

    for (int again = 1; again <= 4; again++) {
      assertSameRun(
          first, run(Shape.BASE, seed, 0.5), "run " + again + " vs run 0, " + replay(seed));
    }
  }

  @Test
  void traceHash_differentInput_differs() throws Exception {
    long seed = seed();
    Run base = run(Shape.BASE, seed, 0);
    Run moreNumbers = run(new Shape(NUMBERS + 1, Priority.HIGH), seed, 0);

    assertThat(moreNumbers.traceHash()).as(replay(seed)).isNotEqualTo(base.traceHash());
    assertGuarantees(moreNumbers, new Shape(NUMBERS + 1, Priority.HIGH), replay(seed));
  }

  @Test
  void traceHash_differentGraph_differs() throws Exception {
    long seed = seed();
    Run base = run(Shape.BASE, seed, 0);
    Shape rightLow = new Shape(NUMBERS, Priority.LOW);
    Run other = run(rightLow, seed, 0);

    assertThat(other.traceHash()).as(replay(seed)).isNotEqualTo(base.traceHash());
    assertGuarantees(other, rightLow, replay(seed));
  }

  @Test
  void pickPerturbation_differentSeeds_changeTheInterleavingButKeepEveryGuarantee()
      throws Exception {
    long seed = seed();
    Set<List<String>> interleavings = new HashSet<>();
    Set<Long> hashes = new HashSet<>();
    for (int k = 0; k < 4; k++) {
      Run run = run(Shape.BASE, seed + k, 0.5);
      interleavings.add(run.journal());
      hashes.add(run.traceHash());
      assertGuarantees(run, Shape.BASE, "seed " + (seed + k) + ", " + replay(seed));
    }

    assertThat(interleavings).as(replay(seed)).hasSizeGreaterThan(1);
    assertThat(hashes).as(replay(seed)).hasSizeGreaterThan(1);
  }

  /** All delivered, FIFO along every path, and every edge's ledger balanced. */
  private static void assertGuarantees(Run run, Shape shape, String context) {
    int bursts = STEPS * 5 / 10 * BURST;
    int pulses = STEPS * 5 / 15;
    List<Long> expected = new ArrayList<>();
    for (long path : new long[] {LEFT, RIGHT}) {
      for (long i = 0; i < shape.numbers(); i++) {
        expected.add(path + i);
      }
      for (long i = 0; i < bursts; i++) {
        expected.add(path + BURSTS_BASE + i);
      }
    }
    for (long i = 0; i < LETTERS; i++) {
      expected.add(LETTERS_BASE + i);
    }
    for (long i = 0; i < pulses; i++) {
      expected.add(PULSE_BASE + i);
    }
    String details = context + "\n" + run.rendered();
    assertThat(run.delivered())
        .as("all delivered, %s", details)
        .containsExactlyInAnyOrderElementsOf(expected);

    Map<String, Long> lastByOrigin = new TreeMap<>();
    for (long value : run.delivered()) {
      long path = value / 1_000_000 * 1_000_000;
      long base = value % 1_000_000;
      String origin =
          path
              + "/"
              + (base < BURSTS_BASE
                  ? "numbers"
                  : base < LETTERS_BASE ? "bursts" : base < PULSE_BASE ? "letters" : "pulse");
      Long last = lastByOrigin.put(origin, value);
      assertThat(last == null || last < value)
          .as("FIFO along %s: %s then %s, %s", origin, last, value, details)
          .isTrue();
    }

    Map<String, Long> acceptedOn =
        Map.of(
            "numbers.out->split.in", (long) shape.numbers(),
            "bursts.out->split.in", (long) bursts,
            "split.out->left.in", (long) shape.numbers() + bursts,
            "split.out->right.in", (long) shape.numbers() + bursts,
            "letters.out->join.in", (long) LETTERS,
            "pulse.out->join.in", (long) pulses,
            "join.out->sink.in", (long) expected.size());
    for (Map.Entry<String, EdgeStats> edge : run.edges().entrySet()) {
      EdgeStats s = edge.getValue();
      String id = edge.getKey();
      assertThat(s.unaccounted()).as("ledger of %s, %s", id, details).isZero();
      assertThat(s.delivered()).as("delivered on %s, %s", id, details).isEqualTo(s.accepted());
      assertThat(s.offered())
          .as("offered on %s, %s", id, details)
          .isEqualTo(s.accepted() + s.blocked());
      if (acceptedOn.containsKey(id)) {
        assertThat(s.accepted())
            .as("accepted on %s, %s", id, details)
            .isEqualTo(acceptedOn.get(id));
      }
    }
  }
}
