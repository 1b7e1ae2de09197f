package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Graph;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One bursty source fans out to a LATEST, a DROP and a keyed COALESCE edge, each in front of a
 * consumer that takes at most {@value #QUOTA} messages per tick, so the edges overflow and carry
 * their backlog from one burst to the next.
 *
 * <pre>
 *                 ┌──LATEST(8)──────────────► latest  ┐
 *   bursts ──out──┼──DROP(8)────────────────► drop    ├ each takes ≤ 5 per tick (InputGate),
 *   (a seeded     └──COALESCE(8, key id%3)──► merged  ┘ then drains fully at the end
 *    burst per tick)
 * </pre>
 *
 * <p>With one worker on a {@link VirtualClock} the run is a pure function of the seed: the test
 * replays the bursts on a reference model of the three policies and expects every delivered payload
 * and every edge counter to match exactly (and a second run to have the same trace hash). With more
 * workers the consumers race the bursts, so the test checks each policy's invariants and the
 * ledger.
 */
class MixedPoliciesTest {

  private static final int CAPACITY = 8;
  private static final int QUOTA = 5;
  private static final int BURSTS = 40;
  private static final int MAX_BURST = 24;
  private static final long KEYS = 3;
  private static final Duration TICK = Duration.ofMillis(10);
  private static final String LATEST = "bursts.out->latest.in";
  private static final String DROP = "bursts.out->drop.in";
  private static final String MERGED = "bursts.out->merged.in";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @WorkerCounts
  void burstsThroughLatestDropAndCoalesce_countEveryMessageExactly(int workers) throws Exception {
    long seed = Seeds.pick();
    int[] sizes = burstSizes(seed);
    Run run = Run.execute(workers, seed, sizes);
    String context = Seeds.replayHint(seed) + "\n" + run.after.render();
    long total = 0;
    for (int size : sizes) {
      total += size;
    }

    if (workers == 1) {
      Model model = Model.replay(sizes);
      assertThat(run.latest.received()).as(context).containsExactlyElementsOf(model.latest.out);
      assertThat(run.drop.received()).as(context).containsExactlyElementsOf(model.drop.out);
      assertThat(run.merged.received()).as(context).containsExactlyElementsOf(model.merged.out);
      assertEdgeMatches(run.after.edge(LATEST), model.latest, LATEST, context);
      assertEdgeMatches(run.after.edge(DROP), model.drop, DROP, context);
      assertEdgeMatches(run.after.edge(MERGED), model.merged, MERGED, context);
      assertThat(model.latest.evicted + model.drop.dropped + model.merged.coalesced)
          .as("the seed's bursts overflowed the edges (else this test proves little)")
          .isPositive();

      Run again = Run.execute(workers, seed, sizes);
      assertThat(again.hashBeforeStop)
          .as("one worker, a virtual clock and a seed make a run reproducible\n%s", context)
          .isEqualTo(run.hashBeforeStop);
    }

    EdgeStats latest = run.after.edge(LATEST);
    assertThat(latest.accepted()).as("LATEST accepts every offer\n%s", context).isEqualTo(total);
    assertThat(latest.delivered() + latest.evicted()).as(context).isEqualTo(total);
    assertThat(run.latest.received()).as(context).hasSize((int) latest.delivered());
    assertIncreasingFirstIds(run.latest.received(), context);

    EdgeStats drop = run.after.edge(DROP);
    assertThat(drop.accepted() + drop.dropped()).as(context).isEqualTo(total);
    assertThat(drop.delivered()).as(context).isEqualTo(drop.accepted());
    assertThat(run.drop.received()).as(context).hasSize((int) drop.delivered());
    assertIncreasingFirstIds(run.drop.received(), context);

    EdgeStats merged = run.after.edge(MERGED);
    assertThat(merged.accepted() + merged.coalesced()).as(context).isEqualTo(total);
    assertThat(merged.delivered()).as(context).isEqualTo(merged.accepted());
    assertThat(run.merged.received()).as(context).hasSize((int) merged.delivered());
    assertThat(run.merged.received().stream().mapToLong(Tally::count).sum())
        .as("COALESCE folds every offered payload into exactly one delivered one\n%s", context)
        .isEqualTo(total);
    assertThat(run.merged.received().stream().mapToLong(Tally::idSum).sum())
        .as(context)
        .isEqualTo(total * (total - 1) / 2);
    assertThat(run.merged.received())
        .as("a merge keeps the queued message's key\n%s", context)
        .allSatisfy(t -> assertThat(t.key()).isEqualTo(t.firstId() % KEYS));
    assertIncreasingFirstIds(run.merged.received(), context);

    for (EdgeStats s : List.of(latest, drop, merged)) {
      assertThat(s.blocked() + s.failed() + s.rejected() + s.closed()).as(context).isZero();
    }
    assertThat(run.report.timedOut()).as(context).isFalse();
    assertThat(run.dead.count()).as(run.dead.describe()).isZero();
    Ledger.assertClosed(run.graph, run.after, run.report, run.dead, 0);
  }

  private static void assertEdgeMatches(EdgeStats s, EdgeModel m, String id, String context) {
    assertThat(s)
        .as("edge %s against the reference model\n%s", id, context)
        .isEqualTo(
            new EdgeStats(
                m.accepted,
                m.evicted,
                m.coalesced,
                0,
                m.dropped,
                0,
                0,
                0,
                m.delivered,
                0,
                0,
                0,
                m.highWaterMark));
  }

  private static void assertIncreasingFirstIds(List<Tally> received, String context) {
    for (int i = 1; i < received.size(); i++) {
      assertThat(received.get(i).firstId())
          .as("FIFO: message %d after %s\n%s", i, received.get(i - 1), context)
          .isGreaterThan(received.get(i - 1).firstId());
    }
  }

  private static int[] burstSizes(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] sizes = new int[BURSTS];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = random.nextInt(MAX_BURST + 1);
    }
    return sizes;
  }

  /** One run of the graph: drive the bursts, drain, stop. */
  static final class Run {
    Graph graph;
    QuotaSink latest;
    QuotaSink drop;
    QuotaSink merged;
    DeadLetterRecorder dead = new DeadLetterRecorder();
    long hashBeforeStop;
    ShutdownReport report;
    GraphSnapshot after;

    static Run execute(int workers, long seed, int[] sizes) throws InterruptedException {
      Run run = new Run();
      run.latest = new QuotaSink();
      run.drop = new QuotaSink();
      run.merged = new QuotaSink();
      run.graph =
          Graph.builder("mixed-" + workers)
              .add("bursts", new Bursts(sizes))
              .add("latest", run.latest)
              .add("drop", run.drop)
              .add("merged", run.merged)
              .connect("bursts.out", "latest.in", EdgeSpec.of(CAPACITY, OverflowPolicy.LATEST))
              .connect("bursts.out", "drop.in", EdgeSpec.of(CAPACITY, OverflowPolicy.DROP))
              .connect(
                  "bursts.out",
                  "merged.in",
                  EdgeSpec.of(CAPACITY, OverflowPolicy.coalesce(Tally::merge, Tally::key)))
              .build();
      VirtualClock clock = VirtualClock.start();
      RunningGraph running =
          Scheduler.builder()
              .workers(workers)
              .clock(clock)
              .seed(seed)
              .deadLetters(run.dead)
              .build()
              .start(run.graph);
      try {
        quiesce(running, seed);
        for (int i = 0; i < sizes.length; i++) {
          clock.advance(TICK);
          quiesce(running, seed);
        }
        for (QuotaSink sink : List.of(run.latest, run.drop, run.merged)) {
          sink.drainFully();
        }
        quiesce(running, seed);
        run.hashBeforeStop = running.snapshot().traceHash();
      } finally {
        run.report = running.stop(Duration.ofSeconds(10));
      }
      run.after = running.snapshot();
      return run;
    }

    private static void quiesce(RunningGraph running, long seed) throws InterruptedException {
      assertThat(running.awaitQuiescence(Duration.ofSeconds(30)))
          .as("the graph goes quiet\n%s\n%s", Seeds.replayHint(seed), running.snapshot().render())
          .isTrue();
    }
  }

  /** A payload that keeps count of what COALESCE folded into it. */
  record Tally(long key, long firstId, long lastId, long count, long idSum) {
    static Tally of(long id) {
      return new Tally(id % KEYS, id, id, 1, id);
    }

    Tally merge(Tally incoming) {
      return new Tally(
          key, firstId, incoming.lastId, count + incoming.count, idSum + incoming.idSum);
    }
  }

  /** Emits the next burst on each tick: the same ids to every edge of its fanned-out output. */
  static final class Bursts implements Node {
    private final PortSpec<Tally> out = PortSpec.of("out", Tally.class);
    private final int[] sizes;
    private int tick;
    private long nextId;

    Bursts(int[] sizes) {
      this.sizes = sizes.clone();
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public Duration tickInterval() {
      return TICK;
    }

    @Override
    public void onTick(NodeContext ctx) {
      if (tick < sizes.length) {
        for (int i = 0; i < sizes[tick]; i++) {
          ctx.emit(out, Tally.of(nextId++));
        }
      }
      tick++;
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      throw new IllegalStateException("no inputs");
    }
  }

  /** Takes at most {@link #QUOTA} messages per tick by pausing its own input. */
  static final class QuotaSink implements Node {
    private final PortSpec<Tally> in = PortSpec.of("in", Tally.class);
    private final List<Tally> received = Collections.synchronizedList(new ArrayList<>());
    private volatile InputGate gate;
    private volatile boolean unlimited;
    private int taken;

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public Duration tickInterval() {
      return TICK;
    }

    @Override
    public void onStart(NodeContext ctx) {
      gate = ctx.inputGate();
    }

    @Override
    public void onTick(NodeContext ctx) {
      taken = 0;
      gate.resume();
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(in.cast(message).payload());
      if (++taken >= QUOTA && !unlimited) {
        gate.pause();
      }
    }

    /** From the test thread: no more quota; take everything. */
    void drainFully() {
      unlimited = true;
      gate.resume();
    }

    List<Tally> received() {
      return List.copyOf(received);
    }
  }

  /** The three policies, replayed tick by tick as the one-worker schedule runs them. */
  static final class Model {
    final EdgeModel latest = new EdgeModel(OverflowPolicy.Kind.LATEST);
    final EdgeModel drop = new EdgeModel(OverflowPolicy.Kind.DROP);
    final EdgeModel merged = new EdgeModel(OverflowPolicy.Kind.COALESCE);

    /**
     * Per tick: the burst's ticker runs first (it is first in topological order and the timers fire
     * in that order), offering each id to the three edges; then each consumer's tick resets its
     * quota and it takes up to {@link #QUOTA}. Nothing moves between ticks. At the end every
     * consumer drains its edge.
     */
    static Model replay(int[] sizes) {
      Model m = new Model();
      long id = 0;
      for (int size : sizes) {
        for (int i = 0; i < size; i++, id++) {
          for (EdgeModel e : m.all()) {
            e.offer(Tally.of(id));
          }
        }
        for (EdgeModel e : m.all()) {
          e.take(QUOTA);
        }
      }
      for (EdgeModel e : m.all()) {
        e.take(Integer.MAX_VALUE);
      }
      return m;
    }

    List<EdgeModel> all() {
      return List.of(latest, drop, merged);
    }
  }

  /** A reference edge of capacity {@link #CAPACITY}, written from the policies' definitions. */
  static final class EdgeModel {
    final OverflowPolicy.Kind kind;
    final List<Tally> queue = new ArrayList<>();
    final List<Tally> out = new ArrayList<>();
    long accepted;
    long evicted;
    long coalesced;
    long dropped;
    long delivered;
    long highWaterMark;

    EdgeModel(OverflowPolicy.Kind kind) {
      this.kind = kind;
    }

    void offer(Tally t) {
      if (queue.size() < CAPACITY) {
        queue.add(t);
        accepted++;
      } else if (kind == OverflowPolicy.Kind.LATEST) {
        queue.remove(0); // the oldest goes
        evicted++;
        queue.add(t);
        accepted++;
      } else if (kind == OverflowPolicy.Kind.DROP) {
        dropped++; // the incoming goes
      } else {
        // Keyed COALESCE merges into the newest queued message of the same key, never across keys.
        // With KEYS < CAPACITY a full queue always holds every key, so its fallback never applies.
        int target = -1;
        for (int i = queue.size() - 1; i >= 0; i--) {
          if (queue.get(i).key() == t.key()) {
            target = i;
            break;
          }
        }
        if (target < 0) {
          throw new AssertionError("a full queue of " + CAPACITY + " lacks key " + t.key());
        }
        queue.set(target, queue.get(target).merge(t));
        coalesced++;
      }
      highWaterMark = Math.max(highWaterMark, queue.size());
    }

    void take(int max) {
      for (int i = 0; i < max && !queue.isEmpty(); i++) {
        out.add(queue.remove(0));
        delivered++;
      }
    }
  }
}
