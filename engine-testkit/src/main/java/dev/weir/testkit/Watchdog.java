package dev.weir.testkit;

import dev.weir.scheduler.RunningGraph;
import dev.weir.testkit.internal.ThreadDump;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A no-progress detector for a running graph, to use instead of wall-clock deadlines: a test waits
 * as long as the graph makes progress and fails, with a verdict naming the stuck nodes and edges
 * and the graph's snapshot, as soon as it has had work pending and made none for the stall bound.
 * Each sample reads {@link RunningGraph#progress()} and {@link RunningGraph#snapshot()} and, unless
 * switched off, looks for threads deadlocked on locks ({@code ThreadMXBean.findDeadlockedThreads}).
 *
 * <pre>{@code
 * RunningGraph running = scheduler.start(graph);
 * feed(running);
 * Watchdog.awaitDrained(running, Duration.ofSeconds(30)); // StallError if stuck for 30 s
 * }</pre>
 *
 * <p>Or watching in the background while other code waits, e.g. for a sink's count:
 *
 * <pre>{@code
 * try (Watchdog watchdog = Watchdog.builder().stallAfter(Duration.ofSeconds(10)).start(() -> running)) {
 *   watchdog.awaitUntil("every item delivered", () -> sink.count() == items);
 * }
 * }</pre>
 *
 * <p>It judges a stall by the graph's own counters, so a slow machine or a long GC pause makes the
 * graph slow, not stuck: the bound only has to be longer than the longest time one node spends on
 * one message or tick, or blocked behind one that does. A node whose input is paused ({@link
 * dev.weir.core.InputGate#pause}) while messages wait for it counts as stuck once the bound passed.
 * {@link StressTest} runs one over every stress run ({@link StressTest#stallAfter}).
 *
 * <p>Thread-safety: safe from any thread; samples are taken under the watchdog's lock, so the
 * background thread and the waits never judge at once. The first stall found is kept.
 */
public final class Watchdog implements AutoCloseable {

  /** The stall bound unless set: long enough for a loaded two-core machine. */
  public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);

  /** The sampling interval unless set. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Supplier<? extends @Nullable RunningGraph> graphs;
  private final Duration stallAfter;
  private final Duration interval;
  private final boolean deadlocks;
  private final Consumer<Stall> onStall;
  private final StallTracker tracker;
  private final @Nullable ScheduledExecutorService sampler;
  private @Nullable Stall found;
  private long samples;

  private Watchdog(Builder b, Supplier<? extends @Nullable RunningGraph> graphs, boolean thread) {
    this.graphs = graphs;
    this.stallAfter = b.stallAfter;
    this.interval = b.interval;
    this.deadlocks = b.deadlocks;
    this.onStall = b.onStall;
    this.tracker = new StallTracker(b.stallAfter);
    if (thread) {
      String name = b.name;
      ScheduledExecutorService executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
      long nanos = interval.toNanos();
      ScheduledFuture<?> unused =
          executor.scheduleWithFixedDelay(this::sampleQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
      this.sampler = executor;
    } else {
      this.sampler = null;
    }
  }

  /**
   * Starts describing a watchdog.
   *
   * @return a builder with the defaults: stall after {@link #DEFAULT_STALL_AFTER}, sample every
   *     {@link #DEFAULT_INTERVAL}, deadlock detection on
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Waits until the graph is drained ({@link RunningGraph#awaitDrained}) for as long as it makes
   * progress, sampling every second (or every quarter of the bound, if shorter).
   *
   * @param graph the graph
   * @param stallAfter how long the graph may have work pending and make no progress
   * @throws StallError if the graph stalled or threads deadlocked, with the verdict and snapshot
   * @throws InterruptedException if interrupted while waiting
   * @throws IllegalArgumentException if {@code stallAfter} is not positive
   */
  public static void awaitDrained(RunningGraph graph, Duration stallAfter)
      throws InterruptedException {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(stallAfter, "stallAfter");
    Builder b = builder().stallAfter(stallAfter);
    Duration quarter = stallAfter.dividedBy(4);
    if (quarter.compareTo(DEFAULT_INTERVAL) < 0 && !quarter.isZero()) {
      b.interval(quarter);
    }
    try (Watchdog watchdog = b.manual(() -> graph)) {
      watchdog.awaitDrained();
    }
  }

  /**
   * Takes a sample now: reads the graph's progress and snapshot, looks for deadlocked threads, and
   * judges. Once a stall was found it is returned without sampling again.
   *
   * @return the stall found now or earlier, or empty
   */
  public Optional<Stall> sample() {
    Stall stall;
    synchronized (this) {
      if (found != null) {
        return Optional.of(found);
      }
      samples++;
      stall = null;
      if (deadlocks) {
        String deadlock = ThreadDump.deadlocks();
        if (deadlock != null) {
          RunningGraph g = graphs.get();
          stall =
              new Stall(
                  Stall.Kind.DEADLOCK,
                  deadlock.substring(0, deadlock.indexOf('\n')),
                  List.of(),
                  List.of(),
                  g == null ? null : g.snapshot(),
                  deadlock + "\n=== all threads\n" + ThreadDump.all(),
                  Duration.ZERO);
        }
      }
      RunningGraph g = graphs.get();
      if (stall == null && g != null) {
        stall = tracker.observe(g, System.nanoTime());
      }
      if (stall == null) {
        return Optional.empty();
      }
      found = stall;
    }
    onStall.accept(stall);
    return Optional.of(stall);
  }

  /**
   * Returns the first stall found so far, without sampling.
   *
   * @return the stall, or empty
   */
  public synchronized Optional<Stall> stall() {
    return Optional.ofNullable(found);
  }

  /**
   * Returns how many samples were taken.
   *
   * @return the count
   */
  public synchronized long samples() {
    return samples;
  }

  /**
   * Returns the stall bound.
   *
   * @return how long a graph may have work pending and make no progress
   */
  public Duration stallAfter() {
    return stallAfter;
  }

  /**
   * Waits until the watched graph is drained, sampling at the interval between waits.
   *
   * @throws StallError if it stalled (or had stalled) first
   * @throws IllegalStateException if no graph is running
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitDrained() throws InterruptedException {
    for (; ; ) {
      RunningGraph g = graphs.get();
      if (g == null) {
        throw new IllegalStateException("the watchdog has no running graph to wait for");
      }
      Stall stall = found();
      if (stall != null) {
        throw new StallError(stall);
      }
      if (g.awaitDrained(interval)) {
        return;
      }
      throwIfStalled();
    }
  }

  /**
   * Waits until {@code condition} holds, checking it and sampling at the interval.
   *
   * @param what the condition in words, for the error if the graph stalls first
   * @param condition what to wait for; called on the waiting thread
   * @throws StallError if the graph stalled first; its message starts with {@code what}
   * @throws InterruptedException if interrupted while waiting
   */
  public void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(condition, "condition");
    long nanos = interval.toNanos();
    while (!condition.getAsBoolean()) {
      Stall stall = sample().orElse(null);
      if (stall != null) {
        throw new StallError(
            new Stall(
                stall.kind(),
                "waiting for " + what + ": " + stall.verdict(),
                stall.nodes(),
                stall.edges(),
                stall.snapshot(),
                stall.threadDump(),
                stall.quietFor()));
      }
      LockSupport.parkNanos(this, nanos);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted waiting for " + what);
      }
    }
  }

  /** Stops the background sampling, if any; idempotent. */
  @Override
  public void close() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
  }

  private synchronized @Nullable Stall found() {
    return found;
  }

  private void throwIfStalled() {
    Stall stall = sample().orElse(null);
    if (stall != null) {
      throw new StallError(stall);
    }
  }

  private void sampleQuietly() {
    try {
      Optional<Stall> unused = sample();
    } catch (RuntimeException e) {
      // A graph that stopped between graphs.get() and snapshot(), or a failing onStall: the next
      // sample tries again; a watchdog thread must not die of it.
    }
  }

  /**
   * Describes a watchdog.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {
    private Duration stallAfter = DEFAULT_STALL_AFTER;
    private Duration interval = DEFAULT_INTERVAL;
    private boolean deadlocks = true;
    private Consumer<Stall> onStall = stall -> {};
    private String name = "weir-watchdog";

    private Builder() {}

    /**
     * Sets how long a graph may have work pending and make no progress before it counts as stalled.
     *
     * @param bound the stall bound; positive
     * @return this builder
     */
    public Builder stallAfter(Duration bound) {
      this.stallAfter = positive(bound, "stall bound");
      return this;
    }

    /**
     * Sets how often the background thread samples, and how long the waits wait between samples.
     *
     * @param every the interval; positive
     * @return this builder
     */
    public Builder interval(Duration every) {
      this.interval = positive(Objects.requireNonNull(every, "every"), "watchdog interval");
      return this;
    }

    /**
     * Turns the deadlock detection on or off (on by default). It looks at every thread of the
     * process, not only the graph's.
     *
     * @param on whether each sample looks for deadlocked threads
     * @return this builder
     */
    public Builder deadlocks(boolean on) {
      this.deadlocks = on;
      return this;
    }

    /**
     * Sets what to do when the first stall is found (once, on the sampling thread), e.g. stop a
     * run.
     *
     * @param action the action
     * @return this builder
     */
    public Builder onStall(Consumer<Stall> action) {
      this.onStall = Objects.requireNonNull(action, "action");
      return this;
    }

    /**
     * Sets the background thread's name (default {@code weir-watchdog}).
     *
     * @param threadName the name
     * @return this builder
     */
    public Builder threadName(String threadName) {
      this.name = Objects.requireNonNull(threadName, "threadName");
      return this;
    }

    /**
     * Starts a watchdog that samples on a daemon thread of its own; close it to stop.
     *
     * @param graphs the graph to watch, asked at each sample (so a test that replaces its graph is
     *     followed; a new instance starts the judgement afresh); may return null between graphs
     * @return the running watchdog
     */
    public Watchdog start(Supplier<? extends @Nullable RunningGraph> graphs) {
      return new Watchdog(this, Objects.requireNonNull(graphs, "graphs"), true);
    }

    /**
     * Returns a watchdog that samples only when asked ({@link #sample}) and in its waits.
     *
     * @param graphs the graph to watch, asked at each sample; may return null between graphs
     * @return the watchdog
     */
    public Watchdog manual(Supplier<? extends @Nullable RunningGraph> graphs) {
      return new Watchdog(this, Objects.requireNonNull(graphs, "graphs"), false);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
