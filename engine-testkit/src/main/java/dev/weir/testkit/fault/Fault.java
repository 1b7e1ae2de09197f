package dev.weir.testkit.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * One named fault: what it does to a wrapped node's message (throw, delay, corrupt) and when (at
 * the node's k-th message, or on each message with probability p, drawn from the plan's seed). It
 * counts how often it fired; a fault that never fired is reported as {@code NOT_EXERCISED}.
 *
 * <p>Messages are counted per wrapped node instance, from 1, across the node's restarts by its
 * error policy; a reset builds a fresh graph, whose wrapped nodes count afresh. A fault attached to
 * several nodes fires in each.
 *
 * <p>Thread-safety: safe from any thread; the counters are atomic and the firing list is guarded by
 * the fault's monitor. The description is immutable.
 */
public final class Fault {

  /** How many firings {@link #firings()} keeps. */
  public static final int KEPT_FIRINGS = 1_000;

  /** What a fault does when it fires. */
  public enum Action {
    /** The hook throws {@link InjectedFault}. */
    THROW,
    /** The hook parks the worker for a while before the node sees the message. */
    DELAY,
    /** The node sees a {@link Checksummed} payload whose value was mutated (checksum kept). */
    CORRUPT,
    /**
     * The run's virtual clock jumps ahead (done by the plan's {@link FaultPlan#actor()}, not by a
     * wrapped node).
     */
    CLOCK_JUMP,
    /**
     * A memory-hungry neighbour takes heap and holds it until the plan is disarmed (done by the
     * plan's {@link FaultPlan#actor()}).
     */
    MEMORY_HOG
  }

  private final String name;
  private final Action action;
  private final long atOperation;
  private final double probability;
  private final Duration delay;
  private final @Nullable Corruption<?> corruption;
  private final long bytes;
  private final AtomicLong fired = new AtomicLong();
  private final List<Long> firings = new ArrayList<>();

  private Fault(
      String name,
      Action action,
      long atOperation,
      double probability,
      Duration delay,
      @Nullable Corruption<?> corruption,
      long bytes) {
    this.name = name;
    this.bytes = bytes;
    this.action = action;
    this.atOperation = atOperation;
    this.probability = probability;
    this.delay = delay;
    this.corruption = corruption;
  }

  /**
   * The wrapped node throws {@link InjectedFault} on its {@code k}-th message, once.
   *
   * @param name the fault's name in the report
   * @param k the 1-based message number
   * @return the fault
   */
  public static Fault throwAt(String name, long k) {
    return new Fault(checkName(name), Action.THROW, positive(k), 0, Duration.ZERO, null, 0);
  }

  /**
   * The wrapped node throws {@link InjectedFault} on each message with probability {@code p}.
   *
   * @param name the fault's name in the report
   * @param p the probability, in (0, 1]
   * @return the fault
   */
  public static Fault throwWithProbability(String name, double p) {
    return new Fault(checkName(name), Action.THROW, 0, probability(p), Duration.ZERO, null, 0);
  }

  /**
   * A timing disruption: with probability {@code p}, the wrapped node's worker parks for {@code
   * delay} inside the hook before the node sees the message (other nodes on that worker wait too).
   *
   * @param name the fault's name in the report
   * @param p the probability, in (0, 1]
   * @param delay how long the hook stalls; positive
   * @return the fault
   */
  public static Fault delayWithProbability(String name, double p, Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("a delay must be positive, was " + delay);
    }
    return new Fault(checkName(name), Action.DELAY, 0, probability(p), delay, null, 0);
  }

  /**
   * A corruption: with probability {@code p}, a {@link Checksummed} payload whose value is a {@code
   * type} reaches the wrapped node with its value mutated by {@code mutate} and its checksum left
   * as it was, so a {@link ChecksumVerifier} at the sink must see the mismatch. Payloads of other
   * types pass untouched and do not count.
   *
   * @param name the fault's name in the report
   * @param p the probability, in (0, 1]
   * @param type the value type the mutation applies to
   * @param mutate returns a different value; it gets the fault's seeded generator
   * @param <T> the value type
   * @return the fault
   */
  public static <T> Fault corruptWithProbability(
      String name, double p, Class<T> type, BiFunction<T, SplittableRandom, T> mutate) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(mutate, "mutate");
    return new Fault(
        checkName(name),
        Action.CORRUPT,
        0,
        probability(p),
        Duration.ZERO,
        new Corruption<>(type, mutate),
        0);
  }

  /**
   * A timing disruption of the whole graph: on each operation of the plan's {@link
   * FaultPlan#actor()}, with probability {@code p}, the run's virtual clock jumps ahead by {@code
   * jump}, so ticks fall due together (and are counted missed) and time-based logic sees a leap.
   * Needs a deterministic run ({@code StressTest.deterministic}), the one with a virtual clock.
   *
   * @param name the fault's name in the report
   * @param p the probability, in (0, 1]
   * @param jump how far the clock moves; positive
   * @return the fault
   */
  public static Fault clockJumpWithProbability(String name, double p, Duration jump) {
    Objects.requireNonNull(jump, "jump");
    if (jump.isNegative() || jump.isZero()) {
      throw new IllegalArgumentException("a clock jump must be positive, was " + jump);
    }
    return new Fault(checkName(name), Action.CLOCK_JUMP, 0, probability(p), jump, null, 0);
  }

  /**
   * A resource limit: a memory-hungry neighbour. On the {@code k}-th operation of the plan's {@link
   * FaultPlan#actor()}, it allocates {@code bytes} of heap and holds them until the plan is
   * disarmed, so the safety phase runs with that much less memory.
   *
   * @param name the fault's name in the report
   * @param k the actor's 1-based operation on which the memory is taken
   * @param bytes how much to hold; positive
   * @return the fault
   */
  public static Fault memoryHogAt(String name, long k, long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("a memory hog must take some bytes, was " + bytes);
    }
    return new Fault(
        checkName(name), Action.MEMORY_HOG, positive(k), 0, Duration.ZERO, null, bytes);
  }

  /**
   * Returns the fault's name.
   *
   * @return the name given at creation
   */
  public String name() {
    return name;
  }

  /**
   * Returns what the fault does.
   *
   * @return the action
   */
  public Action action() {
    return action;
  }

  /**
   * Returns how often the fault fired so far, over every node it is attached to.
   *
   * @return the count
   */
  public long fired() {
    return fired.get();
  }

  /**
   * Returns the message numbers (per wrapped node, see the class comment) at which the fault fired,
   * the first {@link #KEPT_FIRINGS}, in the order they fired: with one wrapped node and the same
   * seed, the same list, up to the messages that reached the node after the plan was disarmed.
   *
   * @return a copy of the list
   */
  public synchronized List<Long> firings() {
    return List.copyOf(firings);
  }

  /**
   * Describes the fault's schedule, e.g. {@code THROW at message #100} or {@code DELAY PT0.001S
   * with p=0.05}.
   *
   * @return one line
   */
  public String describe() {
    String what =
        switch (action) {
          case DELAY, CLOCK_JUMP -> action + " " + delay;
          case MEMORY_HOG -> action + " " + bytes + " bytes";
          case THROW, CORRUPT -> action.name();
        };
    return what + (atOperation > 0 ? " at message #" + atOperation : " with p=" + probability);
  }

  @Override
  public String toString() {
    return name + " (" + describe() + ")";
  }

  /**
   * Decides whether the fault fires on a node's {@code operation}-th message; draws from {@code
   * random} whenever the fault is probabilistic, fired or not, so each fault's draws stay in step.
   */
  boolean fires(long operation, SplittableRandom random) {
    if (atOperation > 0) {
      return operation == atOperation;
    }
    return random.nextDouble() < probability;
  }

  void recordFiring(long operation) {
    fired.incrementAndGet();
    synchronized (this) {
      if (firings.size() < KEPT_FIRINGS) {
        firings.add(operation);
      }
    }
  }

  Duration delay() {
    return delay;
  }

  long bytes() {
    return bytes;
  }

  @Nullable Corruption<?> corruption() {
    return corruption;
  }

  /** A typed mutation of a checksummed value. */
  record Corruption<T>(Class<T> type, BiFunction<T, SplittableRandom, T> mutate) {

    /** The tampered payload, or {@code null} when the payload is not a Checksummed {@code T}. */
    @Nullable Checksummed<?> apply(Object payload, SplittableRandom random) {
      if (payload instanceof Checksummed<?> sealed && type.isInstance(sealed.value())) {
        T mutated = mutate.apply(type.cast(sealed.value()), random);
        return Checksummed.tampered(
            Objects.requireNonNull(mutated, "mutate returned null"), sealed);
      }
      return null;
    }
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a fault needs a non-blank name");
    }
    return name;
  }

  private static long positive(long k) {
    if (k < 1) {
      throw new IllegalArgumentException("the message number is 1-based, was " + k);
    }
    return k;
  }

  private static double probability(double p) {
    if (!(p > 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability must be in (0, 1], was " + p);
    }
    return p;
  }
}
