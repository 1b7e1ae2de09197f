package dev.weir.testkit.internal.cli;

import dev.weir.scheduler.RunningGraph;
import dev.weir.testkit.Actor;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Checkers;
import dev.weir.testkit.LeakDetector;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.ResourceSample;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.Fault;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.load.LoadOperation.Status;
import dev.weir.testkit.load.LoadProfile;
import dev.weir.testkit.load.LoadResult;
import dev.weir.testkit.load.OpenLoad;
import dev.weir.testkit.load.SaturationResult;
import dev.weir.testkit.load.SaturationSearch;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The built-in scenarios, one per category, each a {@link StressTest} of a {@link Pipeline}.
 *
 * <p>Thread-safety: not thread-safe; the command runs one scenario at a time.
 */
final class Scenarios {

  /** What one scenario produced: its run and, for the load category, its load results. */
  record Ran(
      StressResult result,
      @Nullable LoadResult load,
      @Nullable Duration p99Bound,
      @Nullable SaturationResult saturation) {}

  /** The command's settings every scenario reads. */
  record Settings(
      long seed,
      boolean deterministic,
      Intensity intensity,
      @Nullable Duration duration,
      @Nullable Plant plant,
      Path out,
      Consumer<String> console,
      java.util.function.Function<Category, String> replay) {}

  private static final long MIB = 1L << 20;

  /** The open load's p99 bound: generous, the machine may be shared; the knee uses its own. */
  private static final Duration LOAD_P99_BOUND = Duration.ofSeconds(2);

  private final Settings settings;

  Scenarios(Settings settings) {
    this.settings = settings;
  }

  Ran run(Category category, CountDownLatch release) {
    return switch (category) {
      case MEMORY -> memory(release);
      case CPU -> cpu(release);
      case CONCURRENCY -> concurrency(release);
      case LOAD -> load(release);
      case FAULT -> fault(release);
      case LONG_RUNNING -> longRunning(release);
      case ALL -> throw new IllegalArgumentException("'all' is expanded before running");
    };
  }

  /** 1 MiB payloads through short BLOCK edges: heap after GC must stay flat and bounded. */
  private Ran memory(CountDownLatch release) {
    Pipeline p = pipeline(Category.MEMORY, release);
    StressTest t =
        base("memory-bounded", Category.MEMORY, p, new Pipeline.Shape(4, 2, 0, 0), null, 2)
            .actors("feeder", 2, p.feeder((int) MIB, Duration.ofSeconds(1)));
    heapChecks(t, settings.intensity().monitor);
    return new Ran(t.run(), null, null, null);
  }

  /** Four stages of CPU work on two workers: throughput, nothing lost or reordered. */
  private Ran cpu(CountDownLatch release) {
    Pipeline p = pipeline(Category.CPU, release);
    StressTest t =
        base("cpu-pipeline", Category.CPU, p, new Pipeline.Shape(64, 16, 3, 2_000), null, 2)
            .actors("feeder", 2, p.feeder(0, Duration.ofSeconds(1)));
    return new Ran(t.run(), null, null, null);
  }

  /** Eight feeders racing on an ingress of four: FIFO per feeder and the ledger. */
  private Ran concurrency(CountDownLatch release) {
    Pipeline p = pipeline(Category.CONCURRENCY, release);
    StressTest t =
        base(
                "concurrency-ingress-race",
                Category.CONCURRENCY,
                p,
                new Pipeline.Shape(4, 4, 1, 50),
                null,
                2)
            .actors("feeder", 8, p.feeder(0, Duration.ofSeconds(1)));
    return new Ran(t.run(), null, null, null);
  }

  /**
   * An open-model ramp then a steady rate, latency from each intended start; at medium and high a
   * saturation search after it (not in deterministic runs: it measures the machine).
   */
  private Ran load(CountDownLatch release) {
    Pipeline p = pipeline(Category.LOAD, release);
    Duration length = length(settings.intensity().duration);
    double rate = 2_000;
    Duration half = length.dividedBy(2);
    LoadProfile profile =
        LoadProfile.ramp(rate / 10, rate, half).then(LoadProfile.constant(rate, half));
    if (settings.deterministic()) {
      long ops = settings.intensity().operations;
      // The ramp averages 0.55 of the rate over its half, the constant the rate over the other.
      double seconds = ops / (0.775 * rate);
      Duration d = Duration.ofMillis(Math.max(200, (long) (seconds * 1000)));
      profile =
          LoadProfile.ramp(rate / 10, rate, d.dividedBy(2))
              .then(LoadProfile.constant(rate, d.dividedBy(2)));
    }
    LoadProfile chosen = profile;
    AtomicReference<LoadResult> loaded = new AtomicReference<>();
    AtomicReference<SaturationResult> knee = new AtomicReference<>();
    Actor driver =
        (env, random) -> {
          OpenLoad load = OpenLoad.of(chosen).interval(interval(chosen.duration()));
          if (env.virtualClock() != null) {
            load.virtualClock(env.virtualClock());
          }
          p.load(load);
          loaded.set(load.run(operation(p, env.graph(), env.virtualClock() != null)));
          if (settings.intensity().saturation && !settings.deterministic()) {
            knee.set(
                SaturationSearch.p99Below(Duration.ofMillis(50))
                    .from(1_000)
                    .growBy(2)
                    .upTo(256_000)
                    .trialLength(Duration.ofSeconds(2))
                    .run(
                        step -> {
                          OpenLoad trial = OpenLoad.of(step).interval(Duration.ofMillis(500));
                          p.load(trial);
                          return trial.run(operation(p, env.graph(), false));
                        }));
          }
          p.load(null);
          return Outcome.COUNTED;
        };
    StressTest t =
        base("load-open-model", Category.LOAD, p, new Pipeline.Shape(1_024, 64, 1, 200), null, 2)
            .actor("load", driver)
            .check("load accounting", loadAccounting(loaded))
            .check("latency p99", latencyBound(loaded));
    if (settings.deterministic()) {
      t.operations(1);
    } else {
      t.operations(1).duration(length.multipliedBy(20).plusMinutes(5));
    }
    return new Ran(t.run(), loaded.get(), LOAD_P99_BOUND, knee.get());
  }

  /** Throws and delays in the middle node (safety), then it must drain with faults off. */
  private Ran fault(CountDownLatch release) {
    Pipeline p = pipeline(Category.FAULT, release);
    Fault throwing = Fault.throwWithProbability("throw 1%", 0.01);
    Fault delaying = Fault.delayWithProbability("delay 1% by 1 ms", 0.01, Duration.ofMillis(1));
    FaultPlan plan =
        settings.plant() == Plant.NEVER_FIRES
            ? FaultPlan.of(
                throwing, delaying, Fault.throwAt("planted: never fires", Long.MAX_VALUE))
            : FaultPlan.of(throwing, delaying);
    StressTest t =
        base("fault-plan", Category.FAULT, p, new Pipeline.Shape(16, 4, 0, 0), plan, 2)
            .actors("feeder", 2, p.feeder(0, Duration.ofSeconds(1)))
            .faults(plan);
    return new Ran(t.run(), null, null, null);
  }

  /** Data, CONTROL and restarts for the soak length, with the heap checks. */
  private Ran longRunning(CountDownLatch release) {
    Pipeline p = pipeline(Category.LONG_RUNNING, release);
    AtomicLong calls = new AtomicLong();
    StressTest t =
        base(
                "long-running-mixed",
                Category.LONG_RUNNING,
                p,
                new Pipeline.Shape(32, 8, 1, 100),
                null,
                2)
            .actors("feeder", 3, p.feeder(256, Duration.ofSeconds(1)))
            .actor("control", p.controller())
            .actor(
                "restarter",
                (env, random) ->
                    calls.incrementAndGet() % 20_000 == 0 ? Outcome.RESET : Outcome.NOT_COUNTED);
    heapChecks(t, settings.intensity().monitor);
    return new Ran(t.run(), null, null, null);
  }

  private Pipeline pipeline(Category category, CountDownLatch release) {
    Plant plant = settings.plant();
    return new Pipeline(plant != null && plant.caughtIn(category) ? plant : null, release);
  }

  private StressTest base(
      String name,
      Category category,
      Pipeline p,
      Pipeline.Shape shape,
      @Nullable FaultPlan faults,
      int workers) {
    Intensity intensity = settings.intensity();
    StressTest t =
        StressTest.named(name)
            .graph(p.graph(name, shape, faults))
            .scheduler(b -> b.workers(workers).deadLetters(p.ledger.deadLetters()))
            .seed(settings.seed())
            .artifacts(settings.out())
            .console(settings.console())
            .monitorInterval(intensity.monitor)
            .statusInterval(
                intensity == Intensity.SMOKE ? Duration.ofSeconds(1) : Duration.ofSeconds(5))
            .stopTimeout(Duration.ofSeconds(5))
            .liveness(Duration.ofSeconds(5))
            .replay(settings.replay().apply(category));
    if (settings.deterministic()) {
      t.deterministic(Duration.ofMillis(1)).operations(intensity.operations);
    } else {
      t.duration(length(category == Category.LONG_RUNNING ? intensity.soak : intensity.duration));
    }
    p.checked(t).check("clean stop", Checkers.cleanShutdown());
    return t;
  }

  /**
   * Forces a collection at the monitor's pace (so heap-after-GC samples exist and measure what is
   * live), and adds the leak detector and the bound on heap growth.
   */
  private void heapChecks(StressTest t, Duration every) {
    if (settings.deterministic()) {
      return; // heap readings are wall-clock measurements: not part of a replayable run
    }
    boolean smoke = settings.intensity() == Intensity.SMOKE;
    long threshold = (smoke ? 256 : 32) * MIB;
    Duration warmUp = smoke ? Duration.ofMillis(500) : Duration.ofSeconds(10);
    t.actor(
        "collector",
        (env, random) -> {
          LockSupport.parkNanos(every.toNanos());
          ManagementFactory.getMemoryMXBean().gc();
          return Outcome.NOT_COUNTED;
        });
    t.check("heap: leak", LeakDetector.of(threshold, warmUp).checker());
    t.check("heap: bounded", heapBound(warmUp, 256 * MIB));
  }

  /** Heap after GC never rises more than {@code bound} above its first reading after warm-up. */
  private static Checker heapBound(Duration warmUp, long bound) {
    return run -> {
      List<ResourceSample> used =
          run.resources().stream()
              .filter(s -> s.heapAfterGcBytes() >= 0 && s.elapsedNanos() >= warmUp.toNanos())
              .toList();
      if (used.isEmpty()) {
        return CheckResult.unknown("no heap-after-GC reading after the " + warmUp + " warm-up");
      }
      long first = used.get(0).heapAfterGcBytes();
      long peak = used.stream().mapToLong(ResourceSample::heapAfterGcBytes).max().orElse(first);
      String text =
          String.format(
              Locale.ROOT,
              "heap after GC rose at most %.1f MiB above its first reading (%.1f MiB) after the"
                  + " warm-up; bound %d MiB",
              (peak - first) / (double) MIB,
              first / (double) MIB,
              bound / MIB);
      return peak - first <= bound
          ? CheckResult.valid(text)
          : CheckResult.invalid(text + ": something retains memory");
    };
  }

  private static dev.weir.testkit.load.LoadOperation operation(
      Pipeline p, RunningGraph graph, boolean quiesce) {
    return (seq, intended) -> {
      Parcel parcel = p.loadParcel(seq, intended);
      var sent =
          quiesce
              ? graph.ingress("in", Parcel.class).put(parcel, Duration.ofSeconds(5))
              : graph.ingress("in", Parcel.class).offer(parcel);
      if (!p.ledger.offered(parcel, sent)) {
        return Status.FAILED;
      }
      if (quiesce && !graph.awaitQuiescence(Duration.ofSeconds(5))) {
        throw new IllegalStateException("the graph did not go quiet after operation " + seq);
      }
      return Status.PENDING;
    };
  }

  private static Checker loadAccounting(AtomicReference<LoadResult> loaded) {
    return run -> {
      LoadResult r = loaded.get();
      if (r == null) {
        return CheckResult.unknown("the open load did not finish");
      }
      String text = r.summary().lines().findFirst().orElse("");
      return r.balanced() && r.lost() == 0 && r.duplicated() == 0
          ? CheckResult.valid(text)
          : CheckResult.invalid(text + ": an accepted operation never completed");
    };
  }

  private static Checker latencyBound(AtomicReference<LoadResult> loaded) {
    return run -> {
      LoadResult r = loaded.get();
      if (r == null) {
        return CheckResult.unknown("the open load did not finish");
      }
      Duration p99 = r.latencyAt(99);
      String text =
          String.format(
              Locale.ROOT,
              "p99 %.3f ms from intended start (bound %d ms), %d late starts",
              p99.toNanos() / 1e6,
              LOAD_P99_BOUND.toMillis(),
              r.late());
      return p99.compareTo(LOAD_P99_BOUND) <= 0
          ? CheckResult.valid(text)
          : CheckResult.invalid(text);
    };
  }

  private Duration length(Duration byIntensity) {
    Duration d = settings.duration();
    return d != null ? d : byIntensity;
  }

  private static Duration interval(Duration length) {
    long millis = Math.max(50, length.toMillis() / 30);
    return Duration.ofMillis(millis);
  }
}
