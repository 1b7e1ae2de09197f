package dev.weir.stress;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.ResourceSample;
import dev.weir.testkit.RunRecord;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.Verdict;
import dev.weir.testkit.WorkerThreads;
import dev.weir.testkit.junit.SuiteScale;
import dev.weir.testkit.junit.WeirTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle races: a loaded graph stopped 1,000 times (20 at smoke scale), each time while two
 * application threads are still feeding its ingresses and a source is still emitting.
 *
 * <pre>
 *   feeders 0, 1 ── put/putAll ──► in     ══BLOCK(16)═══╗
 *   feeder 1 ────── offer ───────► latest ══LATEST(4)══╬══► work ══BLOCK(8)══► sink (2 workers)
 *   source (endless) ═══════════════════BLOCK(8)════╝
 * </pre>
 *
 * <p>Each cycle starts a fresh graph on a fresh scheduler, starts the feeders, waits until the sink
 * has taken {@value #LOAD_BEFORE_STOP} messages (every edge is busy by then), calls {@code stop}
 * from the test thread while the feeders keep offering, and then checks:
 *
 * <ul>
 *   <li>the stop did not time out (bound {@value #STOP_TIMEOUT_S} s) and reported no stop failure;
 *   <li>the shutdown report's ledger balances, and it reconciles with what the application saw: the
 *       {@code in} edge accepted exactly what the feeders' answers said, the sink edge delivered
 *       exactly what the sink received;
 *   <li>each feeder's last answer was CLOSED and its thread ended;
 *   <li>the graph's worker threads ended (each joined within {@value #THREADS_GONE_S} s of the
 *       stop).
 * </ul>
 *
 * <p>Each cycle's conservation ledger must balance (every payload taken, by an ingress or the
 * source, was delivered, evicted or dead-lettered), and at the end the process's live threads must
 * be back at the baseline taken before the first cycle.
 *
 * <p>Guards against hangs in shutdown (a stop that times out or never returns, a {@code put} never
 * woken by the close), inconsistent reports (a report that does not balance or disagrees with what
 * the application observed; an offer accepted after the close and lost) and leaked threads.
 *
 * <p>Each {@link StressTest} operation is one cycle: the graph under test has to be stopped while
 * the feeders offer, which StressTest's own reset cannot do (it holds operations back while it
 * stops a graph), so the cycle starts and stops its own graphs, and the run's own graph is an idle
 * placeholder.
 *
 * <p>Budget at nightly scale: 1,000 cycles within {@value #NIGHTLY_BUDGET_S} s, 120 ms a cycle, so
 * that a stop that waits out a timeout or a park (hundreds of milliseconds each time) fails it even
 * on a shared machine; on a 2-core machine at load 25 to 30 the cycles took 40 to 61 s, each stop 0
 * to 500 ms.
 *
 * <p>Run at nightly scale: {@code mvn -B -ntp -pl tests-stress -am verify -Djacoco.skip=true
 * -Dtest='ShutdownUnderLoadStressTest' -Dweir.scale=nightly}.
 */
@WeirTest
class ShutdownUnderLoadStressTest {

  private static final int LOAD_BEFORE_STOP = 64;
  private static final long STOP_TIMEOUT_S = 30;
  private static final long THREADS_GONE_S = 10;
  private static final long NIGHTLY_BUDGET_S = 120;
  private static final int FEEDERS = 2;

  /** Threads the JVM may start on its own meanwhile (e.g. a GC or compiler helper). */
  private static final int THREAD_SLACK = 4;

  record Item(long id) {}

  @Test
  void stopUnderFullLoad_manyTimes_reconcilesAndLeavesNoThread(long seed) {
    SuiteScale scale = StressReports.scale();
    int cycles = scale.pick(20, 1_000);
    AtomicLong ids = new AtomicLong();
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    Stats stats = new Stats();
    int baselineThreads = liveThreads();

    StressReports.record(
            StressTest.named("shutdown-under-load")
                .graph(
                    () ->
                        Graph.builder("placeholder")
                            .add("idle", Nodes.sink(Item.class, item -> {}))
                            .ingress("unused", "idle.in")
                            .build())
                .actor(
                    "cycle",
                    (env, random) -> {
                      cycle((int) env.operations(), random, ids, problems, stats);
                      return Outcome.COUNTED;
                    })
                .operations(cycles)
                .duration(Duration.ofMinutes(5))
                .seed(seed)
                .check("every cycle's stop", cycles(problems, stats, cycles))
                .check("threads back to baseline", threadsBack(baselineThreads))
                .check("budget", budget(scale, stats))
                .artifacts(StressReports.root())
                .run())
        .assertPassed();
  }

  /** One start, load, stop and check; problems are collected, not thrown, so the run goes on. */
  private static void cycle(
      int index,
      SplittableRandom random,
      AtomicLong ids,
      ConcurrentLinkedQueue<String> problems,
      Stats stats)
      throws Exception {
    String name = "shutdown-" + index;
    // A ledger per cycle: the LATEST feeder offers hundreds of thousands of payloads a second, and
    // a ledger keeps every id it saw.
    ConservationLedger<Item> ledger = ConservationLedger.of(Item.class, Item::id);
    AtomicLong sunk = new AtomicLong();
    CountDownLatch loaded = new CountDownLatch(1);
    Graph graph =
        Graph.builder(name)
            .add("source", Nodes.source(Item.class, () -> endless(ids, ledger)))
            .add("work", Nodes.map(Item.class, Item.class, item -> item))
            .add(
                "sink",
                Nodes.sink(
                    Item.class,
                    item -> {
                      ledger.delivered(item);
                      if (sunk.incrementAndGet() == LOAD_BEFORE_STOP) {
                        loaded.countDown();
                      }
                    }))
            .connect("source.out", "work.in", EdgeSpec.blocking(8))
            .connect("work.out", "sink.in", EdgeSpec.blocking(8))
            .ingress("in", "work.in", EdgeSpec.blocking(16))
            .ingress("latest", "work.in", EdgeSpec.of(4, OverflowPolicy.LATEST))
            .build();
    RunningGraph running =
        Scheduler.builder()
            .workers(2)
            .seed(random.nextLong())
            .deadLetters(ledger.deadLetters())
            .build()
            .start(graph);
    List<Feeder> feeders = new ArrayList<>();
    for (int f = 0; f < FEEDERS; f++) {
      Feeder feeder =
          new Feeder(
              running.ingress("in", Item.class),
              f == 0 ? null : running.ingress("latest", Item.class),
              ids,
              ledger,
              random.split());
      feeder.thread = new Thread(feeder, "weir-shutdown-feeder-" + index + "-" + f);
      feeder.thread.start();
      feeders.add(feeder);
    }
    String where = "cycle " + index + ": ";
    if (!loaded.await(1, TimeUnit.MINUTES)) {
      problems.add(where + "the sink took " + sunk.get() + " messages in a minute, not the load");
    }
    List<Thread> workers = threadsNamed("weir-" + name + "-");
    long t0 = System.nanoTime();
    ShutdownReport report = running.stop(Duration.ofSeconds(STOP_TIMEOUT_S));
    stats.stopped(System.nanoTime() - t0);
    if (report.timedOut() || !report.stopFailures().isEmpty()) {
      problems.add(where + "stop not clean: " + report.render());
    }
    if (!report.balanced()) {
      problems.add(where + "report does not balance: " + report.ledger().render());
    }
    long inAccepted = edge(report, "ingress:in").stats().accepted();
    long sinkDelivered = edge(report, "work").delivered();
    for (Feeder feeder : feeders) {
      Thread thread = feeder.thread;
      if (thread != null) {
        thread.join(Duration.ofSeconds(STOP_TIMEOUT_S).toMillis());
        if (thread.isAlive()) {
          problems.add(
              where + thread.getName() + " still waiting after the stop (a put not woken)");
        }
      }
      if (feeder.last != OfferStatus.CLOSED) {
        problems.add(where + "a feeder's last answer was " + feeder.last + ", not CLOSED");
      }
      Throwable failed = feeder.failure.get();
      if (failed != null) {
        problems.add(where + "a feeder threw " + failed);
      }
    }
    long told = feeders.stream().mapToLong(f -> f.accepted).sum();
    if (inAccepted != told) {
      problems.add(where + "in accepted " + inAccepted + " but the feeders were told " + told);
    }
    if (sinkDelivered != sunk.get()) {
      problems.add(where + "sink edge delivered " + sinkDelivered + ", sink got " + sunk.get());
    }
    for (Thread worker : workers) {
      worker.join(Duration.ofSeconds(THREADS_GONE_S).toMillis());
    }
    List<String> left = WorkerThreads.named("weir-" + name + "-");
    if (workers.isEmpty() || !left.isEmpty() || running.isRunning()) {
      problems.add(where + "threads left after the stop: " + left);
    }
    RunRecord.Incarnation incarnation =
        new RunRecord.Incarnation(0, graph, running.snapshot(), running.snapshot(), report);
    RunRecord record =
        new RunRecord(
            name, index, false, 1, Duration.ZERO, List.of(incarnation), List.<ResourceSample>of());
    CheckResult conservation = ledger.checker().check(record);
    if (conservation.verdict() != Verdict.VALID) {
      problems.add(where + "conservation " + conservation.verdict() + ": " + conservation.detail());
    }
    stats.cycle(sunk.get(), report.deadLetters(), ledger.totals(record));
  }

  /** Endless items, each registered as sent when the source takes it. */
  private static Iterator<Item> endless(AtomicLong ids, ConservationLedger<Item> ledger) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Item next() {
        Item item = new Item(ids.getAndIncrement());
        ledger.offered(item, OfferResult.accepted());
        return item;
      }
    };
  }

  private static ShutdownReport.EdgeOutcome edge(ShutdownReport report, String producer) {
    return report.edges().stream()
        .filter(e -> e.producer().equals(producer))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no edge from " + producer + " in " + report));
  }

  private static List<Thread> threadsNamed(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith(prefix))
        .toList();
  }

  private static int liveThreads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }

  /**
   * Feeds until an ingress answers CLOSED: a {@code put} or a {@code putAll} into the BLOCK
   * ingress, each after an {@code offer} into the LATEST one if it has it; the BLOCK ingress paces
   * the loop.
   */
  static final class Feeder implements Runnable {
    private final Ingress<Item> ingress;
    private final @Nullable Ingress<Item> latest;
    private final AtomicLong ids;
    private final ConservationLedger<Item> ledger;
    private final SplittableRandom random;
    final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    volatile @Nullable Thread thread;
    volatile long accepted;
    volatile @Nullable OfferStatus last;

    Feeder(
        Ingress<Item> ingress,
        @Nullable Ingress<Item> latest,
        AtomicLong ids,
        ConservationLedger<Item> ledger,
        SplittableRandom random) {
      this.ingress = ingress;
      this.latest = latest;
      this.ids = ids;
      this.ledger = ledger;
      this.random = random;
    }

    @Override
    public void run() {
      try {
        long taken = 0;
        OfferStatus status;
        do {
          if (latest != null) {
            Item item = new Item(ids.getAndIncrement());
            OfferResult r = latest.offer(item);
            ledger.offered(item, r);
            if (r.status() == OfferStatus.CLOSED) {
              status = OfferStatus.CLOSED;
              break;
            }
          }
          if (random.nextBoolean()) {
            Item item = new Item(ids.getAndIncrement());
            OfferResult r = ingress.put(item, Duration.ofSeconds(STOP_TIMEOUT_S));
            taken += ledger.offered(item, r) ? 1 : 0;
            status = r.status();
          } else {
            List<Item> batch = new ArrayList<>();
            for (int i = 1 + random.nextInt(8); i > 0; i--) {
              batch.add(new Item(ids.getAndIncrement()));
            }
            BatchOfferResult r = ingress.putAll(batch, Duration.ofSeconds(STOP_TIMEOUT_S));
            for (int i = 0; i < r.taken(); i++) {
              ledger.offered(batch.get(i), OfferResult.accepted());
            }
            taken += r.taken();
            OfferResult refusal = r.refusal();
            status = refusal == null ? OfferStatus.ACCEPTED : refusal.status();
          }
          accepted = taken;
        } while (status != OfferStatus.CLOSED);
        last = status;
      } catch (InterruptedException | RuntimeException e) {
        failure.set(e);
      }
    }
  }

  /** Figures over all cycles, written by the cycle actor and read by the checks after it ended. */
  static final class Stats {
    private final List<Long> stopNanos = new ArrayList<>();
    private long delivered;
    private long deadLetters;
    private long sent;
    private long evicted;
    private long startedNanos = System.nanoTime();
    private long elapsedNanos;

    synchronized void stopped(long nanos) {
      stopNanos.add(nanos);
    }

    synchronized void cycle(long sunk, long letters, ConservationLedger.Totals totals) {
      delivered += sunk;
      deadLetters += letters;
      sent += totals.sent();
      evicted += totals.evicted();
      elapsedNanos = System.nanoTime() - startedNanos;
    }

    synchronized String describe() {
      List<Long> sorted = new ArrayList<>(stopNanos);
      sorted.sort(null);
      long p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1_000_000;
      long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1_000_000;
      return String.format(
          Locale.ROOT,
          "%d stops in %d ms: stop p50 %d ms, max %d ms; every cycle's ledger balanced: %d sent,"
              + " %d delivered, %d evicted, %d dead letters",
          sorted.size(),
          elapsedNanos / 1_000_000,
          p50,
          max,
          sent,
          delivered,
          evicted,
          deadLetters);
    }

    synchronized long elapsedMillis() {
      return elapsedNanos / 1_000_000;
    }

    synchronized int stops() {
      return stopNanos.size();
    }
  }

  private static Checker cycles(ConcurrentLinkedQueue<String> problems, Stats stats, int cycles) {
    return run -> {
      if (!problems.isEmpty()) {
        List<String> first = problems.stream().limit(5).toList();
        return CheckResult.invalid(
            problems.size() + " problems; first: " + String.join(" | ", first));
      }
      if (stats.stops() != cycles) {
        return CheckResult.invalid(stats.stops() + " of " + cycles + " cycles ran");
      }
      return CheckResult.valid(stats.describe());
    };
  }

  private static Checker threadsBack(int baseline) {
    return run -> {
      int now = liveThreads();
      List<String> weir = WorkerThreads.named("weir-shutdown-");
      String figures = "live threads " + now + " (baseline " + baseline + ")";
      return weir.isEmpty() && now <= baseline + THREAD_SLACK
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ", left: " + weir);
    };
  }

  private static Checker budget(SuiteScale scale, Stats stats) {
    return run -> {
      String figures =
          stats.stops()
              + " cycles in "
              + stats.elapsedMillis()
              + " ms (budget "
              + NIGHTLY_BUDGET_S
              + " s at nightly scale)";
      if (scale == SuiteScale.SMOKE) {
        return CheckResult.valid(figures + "; smoke scale: reported, not checked");
      }
      return stats.elapsedMillis() <= NIGHTLY_BUDGET_S * 1_000
          ? CheckResult.valid(figures)
          : CheckResult.invalid(figures + ": over budget");
    };
  }
}
