package dev.weir.scheduler;

import dev.weir.core.Clock;
import dev.weir.core.Graph;
import dev.weir.scheduler.internal.GraphRuntime;
import dev.weir.scheduler.internal.RuntimeConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs graphs. A scheduler is an immutable configuration; each {@link #start} creates the graph's
 * own worker threads and returns its {@link RunningGraph}.
 *
 * <pre>{@code
 * RunningGraph running = Scheduler.builder()
 *     .workers(2)
 *     .errorPolicy("parse", ErrorPolicy.restart(3, Duration.ofMinutes(1)))
 *     .build()
 *     .start(graph);
 * ShutdownReport report = running.stop(Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>Thread-safety: immutable; {@link #start} may be called from any thread, any number of times (a
 * {@link Graph} runs again once its previous run has stopped).
 */
public final class Scheduler {

  private final RuntimeConfig config;

  private Scheduler(RuntimeConfig config) {
    this.config = config;
  }

  /**
   * Returns a builder with the defaults: 1 worker (an event loop), the system clock, band weights
   * 8:4:2:1, activation batch 64, no metrics, dead letters logged at WARN, seed 0.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a graph: creates its edges and workers, runs every node's {@code onStart} (in
   * topological order, on the calling thread) and only then lets messages and ticks flow.
   *
   * @param graph a validated graph
   * @return the running graph
   * @throws GraphStartException if a node's {@code onStart} throws; it and the nodes already
   *     started are stopped and no thread is left running
   * @throws IllegalArgumentException if a node named in the configuration is not in the graph, or a
   *     node was added with an option the scheduler does not read (only {@link ErrorPolicy} and
   *     {@link Priority}) or with {@link Priority#CONTROL}
   * @throws IllegalStateException if one of the graph's node instances is still running in a graph
   *     (this one started before and not yet stopped, or another graph built from the same node
   *     objects): a node instance holds its own state and runs in one graph at a time; or if
   *     metrics are on and a running graph of the same name already reports to the same {@code
   *     MeterRegistry} (the meters are tagged by graph name)
   */
  public RunningGraph start(Graph graph) {
    Objects.requireNonNull(graph, "graph");
    return GraphRuntime.start(graph, config.withNodeOptions(graph));
  }

  /**
   * Builds a {@link Scheduler}.
   *
   * <p>Thread-safety: not thread-safe; use from one thread.
   */
  public static final class Builder {

    private int workers = 1;
    private Clock clock = Clock.system();
    private final EnumMap<Priority, Integer> weights = new EnumMap<>(Priority.class);
    private int batchLimit = 64;
    private @Nullable MeterRegistry registry;
    private @Nullable DeadLetterHandler deadLetters;
    private long seed;
    private double pickPerturbation;
    private @Nullable ThreadFactory threadFactory;
    private final Map<String, Priority> priorities = new HashMap<>();
    private final Map<String, ErrorPolicy> errorPolicies = new HashMap<>();
    private ErrorPolicy defaultErrorPolicy = ErrorPolicy.CONTINUE;
    private Duration stopGraphTimeout = Duration.ofSeconds(10);

    private Builder() {
      weights.put(Priority.CONTROL, 8);
      weights.put(Priority.HIGH, 4);
      weights.put(Priority.NORMAL, 2);
      weights.put(Priority.LOW, 1);
    }

    /**
     * Sets the number of worker threads.
     *
     * @param count 1 (the default: a single event loop, deterministic with a virtual clock) or more
     * @return this builder
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public Builder workers(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("workers must be >= 1, was " + count);
      }
      this.workers = count;
      return this;
    }

    /**
     * Sets the clock that stamps messages and drives ticks.
     *
     * @param graphClock the clock, e.g. a {@link VirtualClock} in tests
     * @return this builder
     */
    public Builder clock(Clock graphClock) {
      this.clock = Objects.requireNonNull(graphClock, "graphClock");
      return this;
    }

    /**
     * Sets the weights by which ready bands are served.
     *
     * @param control weight of the CONTROL band
     * @param high weight of the HIGH band
     * @param normal weight of the NORMAL band
     * @param low weight of the LOW band
     * @return this builder
     * @throws IllegalArgumentException if a weight is below 1
     */
    public Builder bandWeights(int control, int high, int normal, int low) {
      int[] w = {control, high, normal, low};
      for (Priority p : Priority.values()) {
        if (w[p.ordinal()] < 1) {
          throw new IllegalArgumentException(
              "band weight of " + p + " must be >= 1, was " + w[p.ordinal()]);
        }
        weights.put(p, w[p.ordinal()]);
      }
      return this;
    }

    /**
     * Sets how many messages one activation of a node may process before yielding the worker.
     *
     * @param messages at least 1; default 64
     * @return this builder
     * @throws IllegalArgumentException if below 1
     */
    public Builder batchLimit(int messages) {
      if (messages < 1) {
        throw new IllegalArgumentException("batch limit must be >= 1, was " + messages);
      }
      this.batchLimit = messages;
      return this;
    }

    /**
     * Turns metrics on: edge, node and scheduler meters are registered in the registry.
     *
     * @param meterRegistry the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.registry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /**
     * Sets the dead-letter handler; the default logs each dead letter at WARN.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder deadLetters(DeadLetterHandler handler) {
      this.deadLetters = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Sets the seed of trace ids and of the pick perturbation.
     *
     * @param value the seed
     * @return this builder
     */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * Perturbs the pick order within a band with the given probability, seeded by {@link #seed}:
     * explores other interleavings while keeping every guarantee (no node runs twice at once, bands
     * keep their weights, nothing starves).
     *
     * @param probability between 0 (off, the default) and 1
     * @return this builder
     * @throws IllegalArgumentException if outside [0, 1]
     */
    public Builder pickPerturbation(double probability) {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException(
            "pick perturbation must be in [0, 1], was " + probability);
      }
      this.pickPerturbation = probability;
      return this;
    }

    /**
     * Sets the factory of worker threads; by default daemon threads named {@code
     * weir-GRAPH-worker-N}.
     *
     * @param factory the thread factory
     * @return this builder
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Sets a node's band by name. This overrides the {@link Priority} the node was added with
     * ({@code GraphBuilder.add(name, node, Priority.HIGH)}), which is the usual place to set it;
     * the setting here suits one deployment's tuning of a graph built elsewhere.
     *
     * @param node the qualified node name: {@code validate}, or {@code clean/validate} for a node
     *     of the subgraph added as {@code clean} (a node name, not a port reference such as {@code
     *     clean.out}; the two forms are explained in docs/architecture.md, section "Names")
     * @param priority HIGH, NORMAL or LOW (CONTROL is reserved for pending CONTROL messages)
     * @return this builder
     * @throws IllegalArgumentException if {@code priority} is CONTROL
     */
    public Builder priority(String node, Priority priority) {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(priority, "priority");
      if (priority == Priority.CONTROL) {
        throw new IllegalArgumentException(
            "node " + node + ": the CONTROL band is for pending CONTROL messages; use HIGH");
      }
      priorities.put(node, priority);
      return this;
    }

    /**
     * Sets a node's error policy by name. This overrides the {@link ErrorPolicy} the node was added
     * with ({@code GraphBuilder.add(name, node, ErrorPolicy.STOP_NODE)}), which is the usual place
     * to set it; precedence, highest first: this setting, the node's own option, {@link
     * #defaultErrorPolicy}.
     *
     * @param node the qualified node name: {@code validate}, or {@code clean/validate} for a node
     *     of the subgraph added as {@code clean} (a node name, not a port reference such as {@code
     *     clean.out}; the two forms are explained in docs/architecture.md, section "Names")
     * @param policy the policy
     * @return this builder
     */
    public Builder errorPolicy(String node, ErrorPolicy policy) {
      errorPolicies.put(
          Objects.requireNonNull(node, "node"), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /**
     * Sets the error policy of nodes without their own.
     *
     * @param policy the policy; {@link ErrorPolicy#CONTINUE} by default
     * @return this builder
     */
    public Builder defaultErrorPolicy(ErrorPolicy policy) {
      this.defaultErrorPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets the drain timeout used when {@link ErrorPolicy#STOP_GRAPH} stops the graph.
     *
     * @param timeout the timeout; default 10 s
     * @return this builder
     * @throws IllegalArgumentException if the timeout is negative
     */
    public Builder stopGraphTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException(
            "stopGraphTimeout must be zero or positive, was " + timeout + "; the default is 10 s");
      }
      this.stopGraphTimeout = timeout;
      return this;
    }

    /**
     * Builds the scheduler.
     *
     * @return an immutable scheduler
     */
    public Scheduler build() {
      return new Scheduler(
          new RuntimeConfig(
              workers,
              clock,
              new EnumMap<>(weights),
              batchLimit,
              registry,
              deadLetters,
              seed,
              pickPerturbation,
              threadFactory,
              Map.copyOf(priorities),
              Map.copyOf(errorPolicies),
              defaultErrorPolicy,
              stopGraphTimeout));
    }
  }
}
