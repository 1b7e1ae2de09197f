package dev.weir.testkit;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.internal.Console;
import dev.weir.testkit.internal.LogTail;
import dev.weir.testkit.internal.ReplayCommand;
import dev.weir.testkit.internal.StatusLine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: describes a stress run of a graph (the graph factory, the scheduler, the actors,
 * the exit criteria and the checkers) and runs it. See the package documentation for a complete
 * example.
 *
 * <p>A run prints its seed first, then a status line at a steady interval; it ends when the exit
 * criteria are met (a duration and/or a number of counted operations) or an actor throws. Then the
 * last graph is stopped, every checker gives its verdict, {@code report.json}, {@code report.md}
 * and {@code report.html} are written to the run's folder and, if the run failed, the other
 * artifacts next to them.
 *
 * <p>Thread-safety: the builder is not thread-safe; use it from one thread. {@link #run} blocks the
 * calling thread until the run ended.
 */
public final class StressTest {

  private final String name;
  private @Nullable Supplier<Graph> graphs;
  private UnaryOperator<Scheduler.Builder> scheduler = b -> b;
  private final List<String> actorNames = new ArrayList<>();
  private final List<Actor> actors = new ArrayList<>();
  private final Map<String, Checker> checks = new LinkedHashMap<>();
  private @Nullable ConservationLedger<?> ledger;
  private @Nullable Duration duration;
  private long operations = Long.MAX_VALUE;
  private @Nullable Long seed;
  private Duration statusInterval = Duration.ofSeconds(5);
  private Duration monitorInterval = Duration.ofSeconds(1);
  private Duration stopTimeout = Duration.ofSeconds(30);
  private Consumer<String> console = Console::err;
  private Path artifactsRoot = Path.of("target", "weir-stress");
  private boolean deterministic;
  private @Nullable Duration tick;
  private @Nullable FaultPlan faults;
  private @Nullable Duration livenessBound;
  private @Nullable LivenessPhase liveness;
  private @Nullable String replay;
  private Duration stallAfter = Watchdog.DEFAULT_STALL_AFTER;
  private final Map<String, LiveInvariant> live = new LinkedHashMap<>();
  private @Nullable SafetyWatch watch;
  private int logLines = 200;

  private StressTest(String name) {
    this.name = name;
  }

  /**
   * Starts describing a stress run.
   *
   * @param name the run's name: in every line it prints and in its folder's name
   * @return a builder
   */
  public static StressTest named(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a stress test needs a non-blank name");
    }
    return new StressTest(name);
  }

  /**
   * Sets the graph factory: called for the first graph and again after every reset, so it must
   * build new node instances each time.
   *
   * @param factory the graph factory
   * @return this builder
   */
  public StressTest graph(Supplier<Graph> factory) {
    this.graphs = Objects.requireNonNull(factory, "factory");
    return this;
  }

  /**
   * Configures the scheduler of each graph. The toolkit first sets a seed derived from the run seed
   * (the configuration may override it); in deterministic mode it then forces one worker and the
   * run's virtual clock.
   *
   * @param configure applied to a fresh builder for each graph; returns the builder
   * @return this builder
   */
  public StressTest scheduler(UnaryOperator<Scheduler.Builder> configure) {
    this.scheduler = Objects.requireNonNull(configure, "configure");
    return this;
  }

  /**
   * Adds an actor, run on a thread of its own.
   *
   * @param actorName the actor's name, unique in the run
   * @param actor the actor
   * @return this builder
   * @throws IllegalArgumentException if the name is taken
   */
  public StressTest actor(String actorName, Actor actor) {
    Objects.requireNonNull(actorName, "actorName");
    Objects.requireNonNull(actor, "actor");
    if (actorNames.contains(actorName)) {
      throw new IllegalArgumentException("actor '" + actorName + "' is already part of the run");
    }
    actorNames.add(actorName);
    actors.add(actor);
    return this;
  }

  /**
   * Adds {@code count} copies of an actor, named {@code actorName-0} to {@code
   * actorName-(count-1)}, each with its own thread and seed.
   *
   * @param actorName the name prefix
   * @param count how many
   * @param actor the actor; one instance serves every copy, so it must keep no per-copy state
   * @return this builder
   * @throws IllegalArgumentException if {@code count} is not positive or a name is taken
   */
  public StressTest actors(String actorName, int count, Actor actor) {
    Objects.requireNonNull(actorName, "actorName");
    Objects.requireNonNull(actor, "actor");
    if (count < 1) {
      throw new IllegalArgumentException("actor count must be positive, was " + count);
    }
    for (int i = 0; i < count; i++) {
      actor(actorName + "-" + i, actor);
    }
    return this;
  }

  /**
   * Adds a checker, run after the last graph stopped.
   *
   * @param checkName the checker's name in the report, unique in the run
   * @param checker the checker
   * @return this builder
   * @throws IllegalArgumentException if the name is taken
   */
  public StressTest check(String checkName, Checker checker) {
    Objects.requireNonNull(checkName, "checkName");
    Objects.requireNonNull(checker, "checker");
    if (checks.putIfAbsent(checkName, checker) != null) {
      throw new IllegalArgumentException("a checker named '" + checkName + "' is already set");
    }
    return this;
  }

  /**
   * Adds the conservation ledger: its checker (named {@code conservation}) and its totals in {@code
   * report.json}. Give its {@link ConservationLedger#deadLetters()} to the scheduler.
   *
   * @param conservation the run's ledger
   * @return this builder
   */
  public StressTest ledger(ConservationLedger<?> conservation) {
    this.ledger = Objects.requireNonNull(conservation, "conservation");
    return check("conservation", conservation.checker());
  }

  /**
   * Ends the run after this long at the latest.
   *
   * @param limit the longest run
   * @return this builder
   */
  public StressTest duration(Duration limit) {
    Objects.requireNonNull(limit, "limit");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("duration must be positive, was " + limit);
    }
    this.duration = limit;
    return this;
  }

  /**
   * Ends the run once this many operations were counted (over all actors).
   *
   * @param count the operation budget
   * @return this builder
   */
  public StressTest operations(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("operation count must be positive, was " + count);
    }
    this.operations = count;
    return this;
  }

  /**
   * Fixes the run seed, overriding {@code -Dweir.seed}; by default the property or a random seed.
   *
   * @param value the seed
   * @return this builder
   */
  public StressTest seed(long value) {
    this.seed = value;
    return this;
  }

  /**
   * Drives the run deterministically: one worker on a virtual clock, the actors run one operation
   * at a time from the calling thread in an order drawn from the seed, the graph quiescent between
   * operations. The same seed then gives the same trace hash. Needs an operation count (a duration
   * would make the run's length depend on the machine).
   *
   * @param advance how far the virtual clock moves after each operation ({@link Duration#ZERO}: it
   *     never moves, and no node ticks)
   * @return this builder
   */
  public StressTest deterministic(Duration advance) {
    Objects.requireNonNull(advance, "advance");
    if (advance.isNegative()) {
      throw new IllegalArgumentException("clock advance must not be negative, was " + advance);
    }
    this.deterministic = true;
    this.tick = advance;
    return this;
  }

  /**
   * Sets how often the status line is printed (default 5 s).
   *
   * @param interval the interval
   * @return this builder
   */
  public StressTest statusInterval(Duration interval) {
    this.statusInterval = positive(interval, "status interval");
    return this;
  }

  /**
   * Sets how often the resource monitor samples (default 1 s).
   *
   * @param interval the interval
   * @return this builder
   */
  public StressTest monitorInterval(Duration interval) {
    this.monitorInterval = positive(interval, "monitor interval");
    return this;
  }

  /**
   * Sets how long each stop may drain (default 30 s).
   *
   * @param timeout the stop timeout
   * @return this builder
   */
  public StressTest stopTimeout(Duration timeout) {
    this.stopTimeout = positive(timeout, "stop timeout");
    return this;
  }

  /**
   * Sets where the seed line, the status lines and the final banner go (default: standard error).
   *
   * @param lines the line sink
   * @return this builder
   */
  public StressTest console(Consumer<String> lines) {
    this.console = Objects.requireNonNull(lines, "lines");
    return this;
  }

  /**
   * Sets the folder under which each run writes its own folder (default {@code target/weir-stress},
   * relative to the working directory: the module's folder under Maven).
   *
   * @param root the artifacts root
   * @return this builder
   */
  public StressTest artifacts(Path root) {
    this.artifactsRoot = Objects.requireNonNull(root, "root");
    return this;
  }

  /**
   * Sets the command printed and written as the way to replay this run (default: the Maven command
   * that reruns the calling test with the run's seed), for runs started by a tool of their own.
   *
   * @param command a shell command that replays the run
   * @return this builder
   */
  public StressTest replay(String command) {
    this.replay = Objects.requireNonNull(command, "command");
    return this;
  }

  /**
   * Injects faults: the plan is armed with the run seed before the first graph starts (the safety
   * phase: the actors run and the faults fire) and disarmed when the actors stop; then the graph
   * must drain within the liveness bound ({@link #liveness}, 30 s unless set). Adds two checks:
   * {@code faults} (UNKNOWN, so the run fails, when a configured fault never fired) and {@code
   * liveness}. Each fault's {@code FIRED n} or {@code NOT_EXERCISED} goes to {@code report.json}.
   *
   * @param plan the faults, with the nodes the graph factory wrapped
   * @return this builder
   * @throws IllegalStateException if a plan was already given
   */
  public StressTest faults(FaultPlan plan) {
    Objects.requireNonNull(plan, "plan");
    if (faults != null) {
      throw new IllegalStateException("stress test '" + name + "' already has a fault plan");
    }
    faults = plan;
    check("faults", plan.checker());
    if (livenessBound == null) {
      liveness(Duration.ofSeconds(30));
    }
    return this;
  }

  /**
   * Adds the liveness phase (implied by {@link #faults}): once the actors stopped and the faults
   * are off, the graph must drain within {@code bound}; checked as {@code liveness}.
   *
   * @param bound the longest wait for the graph to drain
   * @return this builder
   */
  public StressTest liveness(Duration bound) {
    Duration checked = positive(bound, "liveness bound");
    if (livenessBound == null) {
      check(
          "liveness",
          run -> {
            LivenessPhase phase = liveness;
            return phase == null
                ? CheckResult.unknown("the liveness phase did not run")
                : phase.checker().check(run);
          });
    }
    livenessBound = checked;
    return this;
  }

  /**
   * Sets the watchdog's stall bound (default {@link Watchdog#DEFAULT_STALL_AFTER}, 30 s): the run
   * fails, with a verdict naming the stuck nodes and edges and the graph's snapshot and a thread
   * dump in its folder, when the graph has work pending and makes no progress for this long, or one
   * node with work pending does nothing for this long. The watchdog samples at the monitor interval
   * and also fails the run when threads deadlock on locks; its verdict is the {@code watchdog}
   * check. It watches until the last stop begins.
   *
   * @param bound the stall bound; longer than the longest a node may take on one message or tick
   * @return this builder
   */
  public StressTest stallAfter(Duration bound) {
    this.stallAfter = positive(bound, "stall bound");
    return this;
  }

  /**
   * Adds an invariant checked at every monitor interval while the actors run (the safety phase) and
   * once more when they stopped, e.g. {@code continuously("bounded depth",
   * Checkers.boundedDepth())}. The first INVALID sample fails the run at once, keeping that
   * moment's snapshot in {@code invariants.txt}; a sample that throws makes the check UNKNOWN.
   *
   * @param checkName the check's name in the report, unique in the run
   * @param invariant the invariant
   * @return this builder
   * @throws IllegalArgumentException if the name is taken
   */
  public StressTest continuously(String checkName, LiveInvariant invariant) {
    Objects.requireNonNull(invariant, "invariant");
    check(
        checkName,
        run -> {
          SafetyWatch w = watch;
          return w == null
              ? CheckResult.unknown("the safety phase did not run")
              : w.invariantChecker(checkName).check(run);
        });
    live.put(checkName, invariant);
    return this;
  }

  /**
   * Sets how many of the last lines written to standard output and standard error a failed run
   * keeps in {@code log.txt} (default 200).
   *
   * @param lines how many lines; positive
   * @return this builder
   */
  public StressTest logLines(int lines) {
    if (lines < 1) {
      throw new IllegalArgumentException("log lines must be positive, was " + lines);
    }
    this.logLines = lines;
    return this;
  }

  /**
   * Runs the stress test and returns its result; it never throws for a failed run (see {@link
   * StressResult#assertPassed()}).
   *
   * @return the result
   * @throws IllegalStateException if no graph factory, no actor or no exit criterion was given, or
   *     a deterministic run has no operation count
   */
  public StressResult run() {
    Supplier<Graph> factory = graphs;
    if (factory == null) {
      throw new IllegalStateException("stress test '" + name + "' needs graph(...)");
    }
    if (actors.isEmpty()) {
      throw new IllegalStateException("stress test '" + name + "' needs at least one actor");
    }
    if (operations == Long.MAX_VALUE && (duration == null || deterministic)) {
      throw new IllegalStateException(
          "stress test '"
              + name
              + "' needs an exit criterion: operations(n)"
              + (deterministic ? " (a deterministic run ends by count)" : " and/or duration(d)"));
    }
    if (!checks.containsKey("watchdog")) {
      check(
          "watchdog",
          run -> {
            SafetyWatch w = watch;
            return w == null
                ? CheckResult.unknown("the watchdog did not run")
                : w.watchdogChecker().check(run);
          });
    }
    long runSeed = seed != null ? seed : Seeds.pick();
    String replay =
        this.replay != null ? this.replay : ReplayCommand.forCaller(runSeed, StressTest.class);
    console.accept(
        "weir-stress '" + name + "': seed " + runSeed + (deterministic ? " (deterministic)" : ""));
    console.accept("  replay: " + replay);
    VirtualClock clock = deterministic ? VirtualClock.start() : null;
    LivenessPhase livenessPhase =
        livenessBound == null ? null : new LivenessPhase(livenessBound, faults);
    liveness = livenessPhase;
    if (faults != null) {
      faults.arm(runSeed);
    }
    Environment env =
        new Environment(
            name,
            runSeed,
            factory,
            scheduler,
            clock,
            stopTimeout,
            operations,
            deterministic ? null : duration);
    AtomicReference<String> failure = new AtomicReference<>();
    List<ActorRunner> runners = new ArrayList<>();
    for (int i = 0; i < actors.size(); i++) {
      String actorName = actorNames.get(i);
      runners.add(
          new ActorRunner(
              actorName,
              actors.get(i),
              Seeds.derive(runSeed, i),
              env,
              (who, t) -> {
                failure.compareAndSet(null, "actor '" + who + "' threw: " + stackTrace(t));
                env.requestStop();
              }));
    }
    List<RunRecord.Incarnation> incarnations = List.of();
    Map<String, String> attachments = new LinkedHashMap<>();
    List<ResourceSample> samples;
    List<Long> counts;
    SafetyWatch safety =
        new SafetyWatch(
            name,
            env,
            stallAfter,
            monitorInterval,
            Map.copyOf(live),
            why -> {
              failure.compareAndSet(null, why);
              env.requestStop();
            });
    watch = safety;
    try (LogTail logs = LogTail.start(logLines);
        ResourceMonitor monitor = ResourceMonitor.manual();
        Timeline timeline = new Timeline(monitor, env::operations, monitorInterval, name)) {
      ScheduledExecutorService status = null;
      try {
        env.start();
        status = statusPrinter(env, timeline, failure);
        if (deterministic) {
          drive(env, runners, runSeed, clock, failure);
        } else {
          runThreads(env, runners, failure);
        }
        safety.endSafety();
        if (livenessPhase != null) {
          livenessPhase.run(env);
        }
      } catch (RuntimeException | Error e) {
        failure.compareAndSet(null, "the run failed: " + stackTrace(e));
      } finally {
        safety.close();
        if (status != null) {
          status.shutdownNow();
        }
        if (faults != null) {
          faults.disarm();
        }
        try {
          incarnations = env.close();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, "the last stop failed: " + stackTrace(e));
        }
      }
      timeline.stopSampling();
      timeline.sample();
      samples = timeline.samples();
      counts = timeline.operations();
      attachments.putAll(safety.files());
      attachments.put("log.txt", logs.render());
    }
    RunRecord record =
        new RunRecord(
            name, runSeed, deterministic, env.operations(), env.elapsed(), incarnations, samples);
    Map<String, CheckResult> verdicts = new LinkedHashMap<>();
    for (Map.Entry<String, Checker> check : checks.entrySet()) {
      verdicts.put(check.getKey(), judge(check.getValue(), record));
    }
    Long traceHash =
        deterministic && !incarnations.isEmpty() ? record.last().beforeStop().traceHash() : null;
    Path folder = artifactsRoot.resolve(folderName(name, runSeed));
    StressResult result =
        new StressResult(record, verdicts, failure.get(), traceHash, folder, replay);
    result.attach(attachments);
    @Nullable LeakDetector leaks = null;
    for (Checker c : checks.values()) {
      if (c instanceof LeakDetector.HeapGrowth heap) {
        leaks = heap.detector;
      }
    }
    result.report(RunReport.write(result, ledger, runners, configuration(), faults, counts, leaks));
    console.accept(result.summary());
    return result;
  }

  private void runThreads(
      Environment env, List<ActorRunner> runners, AtomicReference<String> failure) {
    List<Thread> threads = new ArrayList<>();
    for (ActorRunner runner : runners) {
      Thread t = new Thread(runner, "weir-stress-" + name + "-" + runner.name());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    long exitSeen = 0;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          env.requestStop();
          failure.compareAndSet(null, "the thread running the stress test was interrupted");
          return;
        }
        if (env.exitReached() && t.isAlive()) {
          exitSeen = exitSeen == 0 ? System.nanoTime() : exitSeen;
          if (System.nanoTime() - exitSeen > stopTimeout.toNanos()) {
            failure.compareAndSet(
                null,
                "thread "
                    + t.getName()
                    + " still ran "
                    + stopTimeout
                    + " after the exit criteria were met: an operation does not return;"
                    + " its stack:\n"
                    + stackOf(t));
            env.requestStop();
            for (Thread other : threads) {
              other.interrupt();
            }
            return;
          }
        }
      }
    }
  }

  private void drive(
      Environment env,
      List<ActorRunner> runners,
      long runSeed,
      @Nullable VirtualClock clock,
      AtomicReference<String> failure) {
    SplittableRandom order = new SplittableRandom(Seeds.derive(runSeed, -1_000_000));
    Duration advance = tick == null ? Duration.ZERO : tick;
    try {
      while (!env.exitReached()) {
        ActorRunner next = runners.get(order.nextInt(runners.size()));
        try {
          next.step();
        } catch (Exception e) {
          failure.compareAndSet(null, "actor '" + next.name() + "' threw: " + stackTrace(e));
          return;
        }
        quiesce(env);
        if (clock != null && !advance.isZero()) {
          clock.advance(advance);
          quiesce(env);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, "the thread driving the deterministic run was interrupted");
    }
  }

  private void quiesce(Environment env) throws InterruptedException {
    if (!env.graph().awaitQuiescence(stopTimeout)) {
      throw new IllegalStateException(
          "graph did not go quiet within "
              + stopTimeout
              + " after an operation:\n"
              + env.graph().snapshot().render());
    }
  }

  private ScheduledExecutorService statusPrinter(
      Environment env, Timeline timeline, AtomicReference<String> failure) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "weir-stress-" + name + "-status");
              t.setDaemon(true);
              return t;
            });
    AtomicLong lastOps = new AtomicLong();
    long nanos = statusInterval.toNanos();
    ScheduledFuture<?> unused =
        executor.scheduleAtFixedRate(
            () -> {
              long ops = env.operations();
              double rate = (ops - lastOps.getAndSet(ops)) / (nanos / 1e9);
              GraphSnapshot snapshot = env.peek();
              long errors = StatusLine.errors(snapshot) + (failure.get() == null ? 0 : 1);
              console.accept(
                  StatusLine.format(
                      name,
                      env.elapsed(),
                      ops,
                      rate,
                      timeline.sample().heapAfterGcBytes(),
                      errors,
                      snapshot));
            },
            nanos,
            nanos,
            TimeUnit.NANOSECONDS);
    return executor;
  }

  private Map<String, Object> configuration() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("name", name);
    config.put("actors", List.copyOf(actorNames));
    config.put("checks", List.copyOf(checks.keySet()));
    config.put("durationMillis", duration == null ? null : duration.toMillis());
    config.put("operations", operations == Long.MAX_VALUE ? null : operations);
    config.put("deterministic", deterministic);
    config.put("clockAdvanceMillis", tick == null ? null : tick.toMillis());
    config.put("stopTimeoutMillis", stopTimeout.toMillis());
    config.put("statusIntervalMillis", statusInterval.toMillis());
    config.put("monitorIntervalMillis", monitorInterval.toMillis());
    config.put(
        "faults",
        faults == null ? List.of() : faults.faults().stream().map(String::valueOf).toList());
    config.put("livenessBoundMillis", livenessBound == null ? null : livenessBound.toMillis());
    return config;
  }

  private static CheckResult judge(Checker checker, RunRecord record) {
    try {
      CheckResult result = checker.check(record);
      return result != null ? result : CheckResult.unknown("the checker returned null");
    } catch (Exception | Error e) {
      return CheckResult.unknown("the checker threw: " + stackTrace(e));
    }
  }

  private static String folderName(String name, long seed) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_") + "-seed" + seed;
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, was " + d);
    }
    return d;
  }

  static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String stackOf(Thread t) {
    StringBuilder sb = new StringBuilder();
    for (StackTraceElement e : t.getStackTrace()) {
      sb.append("    at ").append(e).append('\n');
    }
    return sb.toString();
  }
}
