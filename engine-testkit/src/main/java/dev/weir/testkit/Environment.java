package dev.weir.testkit;

import dev.weir.core.Graph;
import dev.weir.scheduler.GraphSnapshot;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.scheduler.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * One run's state: the system under test (a running graph that can be reset: stopped, then started
 * afresh from the same graph factory) and what outlives a reset (the seed, the exit criteria, the
 * operation count, and every stopped graph's snapshots and shutdown report, which the checkers get
 * in the {@link RunRecord}). Actors receive it with each operation; state of your own that must
 * outlive a reset (a ledger, counters) lives in the objects your actors and graph factory share.
 *
 * <p>Thread-safety: safe from any number of actor threads. Each operation runs under the read side
 * of a read-write lock and a reset under the write side, so a reset waits for the operations in
 * progress and no operation sees a graph being stopped by a reset. Whatever an actor wrote before
 * its operation returned is visible to the reset and to every later operation (the lock's
 * happens-before edge).
 */
public final class Environment {

  /*
   * Invariants: `running` and `graph` change only under the write lock (reset, close); readers
   * under the read lock see a started graph. `incarnations` is appended under the write lock and
   * read after every actor thread was joined.
   */
  private final String name;
  private final long seed;
  private final Supplier<Graph> graphs;
  private final UnaryOperator<Scheduler.Builder> configure;
  private final @Nullable VirtualClock clock;
  private final Duration stopTimeout;
  private final long maxOperations;
  private final long maxNanos;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicLong operations = new AtomicLong();
  private final List<RunRecord.Incarnation> incarnations = new ArrayList<>();
  private volatile @Nullable RunningGraph running;
  private volatile @Nullable Graph graph;
  private volatile long startNanos;
  private volatile boolean stopRequested;

  Environment(
      String name,
      long seed,
      Supplier<Graph> graphs,
      UnaryOperator<Scheduler.Builder> configure,
      @Nullable VirtualClock clock,
      Duration stopTimeout,
      long maxOperations,
      @Nullable Duration maxDuration) {
    this.name = name;
    this.seed = seed;
    this.graphs = graphs;
    this.configure = configure;
    this.clock = clock;
    this.stopTimeout = stopTimeout;
    this.maxOperations = maxOperations;
    this.maxNanos = maxDuration == null ? Long.MAX_VALUE : maxDuration.toNanos();
  }

  /**
   * Returns the run seed.
   *
   * @return the seed printed at the start of the run
   */
  public long seed() {
    return seed;
  }

  /**
   * Returns the graph running now. After a reset this is a new instance: re-read it in every
   * operation instead of keeping it.
   *
   * @return the running graph
   * @throws IllegalStateException if called before the run started or after it ended
   */
  public RunningGraph graph() {
    RunningGraph current = running;
    if (current == null) {
      throw new IllegalStateException(
          "stress test '" + name + "' has no running graph: call graph() inside an operation");
    }
    return current;
  }

  /**
   * Returns a named ingress of the graph running now (see {@link #graph()}).
   *
   * @param ingressName the ingress name declared in the graph
   * @param type the payload type
   * @param <T> the payload type
   * @return the ingress
   * @throws IllegalArgumentException if the graph declares no such ingress for that type
   */
  public <T> Ingress<T> ingress(String ingressName, Class<T> type) {
    Objects.requireNonNull(ingressName, "ingressName");
    Objects.requireNonNull(type, "type");
    return graph().ingress(ingressName, type);
  }

  /**
   * Returns the virtual clock of a deterministic run.
   *
   * @return the clock the graph runs on, or {@code null} when the run uses the system clock
   */
  public @Nullable VirtualClock virtualClock() {
    return clock;
  }

  /**
   * Returns how many graphs have been started so far: 1 before any reset.
   *
   * @return the number of incarnations, counting the running one
   */
  public int incarnation() {
    lock.readLock().lock();
    try {
      return incarnations.size() + (running == null ? 0 : 1);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Returns the operations counted so far over all actors.
   *
   * @return the count of {@link Outcome#COUNTED} operations
   */
  public long operations() {
    return operations.get();
  }

  /** Starts the first graph. Called by the run before any actor. */
  void start() {
    lock.writeLock().lock();
    try {
      startNanos = System.nanoTime();
      launch();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs one operation of an actor under the read lock. */
  Outcome operate(Actor actor, SplittableRandom random) throws Exception {
    lock.readLock().lock();
    try {
      return Objects.requireNonNull(actor.operate(this, random), "an actor returned null");
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Counts one operation. */
  void count() {
    operations.incrementAndGet();
  }

  /** Whether the exit criteria are met or the run was told to stop. */
  boolean exitReached() {
    return stopRequested
        || operations.get() >= maxOperations
        || System.nanoTime() - startNanos >= maxNanos;
  }

  /** Makes every runner stop after its current operation (a failure elsewhere). */
  void requestStop() {
    stopRequested = true;
  }

  /** Stops the running graph and starts a fresh one; waits for operations in progress. */
  void reset() {
    lock.writeLock().lock();
    try {
      retire();
      launch();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Stops the last graph and returns every incarnation. */
  List<RunRecord.Incarnation> close() {
    lock.writeLock().lock();
    try {
      retire();
      return List.copyOf(incarnations);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The running graph, or null between graphs: what the watchdog samples. */
  @Nullable RunningGraph current() {
    return running;
  }

  /** The description of the running graph, or null between graphs (read before current()). */
  @Nullable Graph currentGraph() {
    return graph;
  }

  /** A snapshot of the running graph for the status line, or null between graphs. */
  @Nullable GraphSnapshot peek() {
    RunningGraph current = running;
    return current == null ? null : current.snapshot();
  }

  /** Elapsed time since start. */
  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private void launch() {
    Graph next = graphs.get();
    Objects.requireNonNull(next, "the graph factory returned null");
    Scheduler.Builder configured =
        configure.apply(Scheduler.builder().seed(Seeds.derive(seed, -1 - incarnations.size())));
    Objects.requireNonNull(configured, "the scheduler configuration returned null");
    if (clock != null) {
      // Deterministic mode: one worker on the virtual clock, whatever the configuration said.
      configured.workers(1).clock(clock);
    }
    graph = next;
    running = configured.build().start(next);
  }

  private void retire() {
    RunningGraph current = running;
    Graph currentGraph = graph;
    if (current == null || currentGraph == null) {
      return;
    }
    GraphSnapshot before = current.snapshot();
    ShutdownReport report = current.stop(stopTimeout);
    GraphSnapshot after = current.snapshot();
    incarnations.add(
        new RunRecord.Incarnation(incarnations.size(), currentGraph, before, after, report));
    running = null;
    graph = null;
  }
}
