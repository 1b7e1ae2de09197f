package dev.weir.testkit.fault;

import dev.weir.core.Node;
import dev.weir.scheduler.VirtualClock;
import dev.weir.testkit.Actor;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.Seeds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The faults of a run and the nodes they are injected into. Wrap nodes with {@link #wrap} inside
 * the graph factory, give the plan to {@link dev.weir.testkit.StressTest#faults}, and the run arms
 * it with the run seed before the first graph starts (the safety phase) and disarms it when the
 * actors stop (the liveness phase). The same seed fires the same faults at the same messages of
 * each wrapped node.
 *
 * <p>Thread-safety: safe from any thread. {@link #wrap} is meant for the graph factory, which the
 * run calls from one thread at a time; the armed flag is volatile, read by wrapped nodes on the
 * graph's workers.
 */
public final class FaultPlan {

  private final List<Fault> faults;
  private final AtomicInteger wrapped = new AtomicInteger();
  private volatile long seed;
  private volatile boolean armed;
  private volatile boolean seeded;
  private final List<long[]> hogged = new ArrayList<>();

  private FaultPlan(List<Fault> faults) {
    this.faults = faults;
  }

  /**
   * Makes a plan of these faults.
   *
   * @param faults the faults, each with a distinct name
   * @return the plan, not armed
   * @throws IllegalArgumentException if there is no fault or two share a name
   */
  public static FaultPlan of(Fault... faults) {
    Objects.requireNonNull(faults, "faults");
    List<Fault> list = new ArrayList<>();
    for (Fault f : faults) {
      Objects.requireNonNull(f, "faults[" + list.size() + "]");
      if (list.stream().anyMatch(other -> other.name().equals(f.name()))) {
        throw new IllegalArgumentException("two faults are named '" + f.name() + "'");
      }
      list.add(f);
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("a fault plan needs at least one fault");
    }
    return new FaultPlan(List.copyOf(list));
  }

  /**
   * Wraps a node so that the given faults (all of the plan's if none is named) are injected into
   * each message it is handed while the plan is armed. Add the result to the graph in the node's
   * place, with the error policy under test: {@code builder.add("parse", plan.wrap(new Parse()),
   * ErrorPolicy.restart(100, Duration.ofMinutes(1)))}.
   *
   * @param node the node under test
   * @param which the faults to inject, each part of this plan; none means all
   * @return a node with the same ports that injects the faults
   * @throws IllegalArgumentException if a fault is not part of this plan
   */
  public Node wrap(Node node, Fault... which) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(which, "which");
    List<Fault> chosen = new ArrayList<>();
    for (Fault f : which) {
      Objects.requireNonNull(f, "which[" + chosen.size() + "]");
      if (!faults.contains(f)) {
        throw new IllegalArgumentException(
            "fault '" + f.name() + "' is not part of the plan; add it to FaultPlan.of(...)");
      }
      chosen.add(f);
    }
    return new FaultyNode(
        this, node, chosen.isEmpty() ? faults : List.copyOf(chosen), wrapped.getAndIncrement());
  }

  /**
   * Returns the actor that injects the plan's graph-wide faults ({@link Fault.Action#CLOCK_JUMP},
   * {@link Fault.Action#MEMORY_HOG}): add it to the run like any actor. Each of its operations,
   * while the plan is armed, draws once for each such fault from the actor's seeded generator and
   * applies those that fire; it counts no operation.
   *
   * @return the actor
   * @throws IllegalStateException from an operation, if a clock jump is planned and the run has no
   *     virtual clock (it is not deterministic)
   */
  public Actor actor() {
    List<Fault> graphWide =
        faults.stream()
            .filter(
                f -> f.action() == Fault.Action.CLOCK_JUMP || f.action() == Fault.Action.MEMORY_HOG)
            .toList();
    AtomicLong operations = new AtomicLong();
    return (env, random) -> {
      long operation = operations.incrementAndGet();
      if (!armed) {
        return Outcome.NOT_COUNTED;
      }
      for (Fault fault : graphWide) {
        if (!fault.fires(operation, random)) {
          continue;
        }
        if (fault.action() == Fault.Action.MEMORY_HOG) {
          hog(fault.bytes());
        } else {
          VirtualClock clock = env.virtualClock();
          if (clock == null) {
            throw new IllegalStateException(
                "fault '" + fault.name() + "' jumps the virtual clock: run deterministic(...)");
          }
          clock.advance(fault.delay());
        }
        fault.recordFiring(operation);
      }
      return Outcome.NOT_COUNTED;
    };
  }

  /**
   * Turns the faults on, seeding the wrapped nodes' generators from {@code runSeed}. A {@link
   * dev.weir.testkit.StressTest} with this plan calls it before its first graph starts; call it
   * yourself only when you run a graph without one. Wrapped nodes take their generator at their
   * first start, so arm the plan before starting the graph. Arming also numbers the wrapped nodes
   * afresh, so that a plan armed again with the same seed replays the same faults; build the graph
   * after arming.
   *
   * @param runSeed the seed the faults are drawn from
   */
  public void arm(long runSeed) {
    wrapped.set(0);
    this.seed = runSeed;
    this.seeded = true;
    this.armed = true;
  }

  /**
   * Turns the faults off: wrapped nodes pass every message through untouched, and the memory a
   * {@link Fault#memoryHogAt memory hog} took is let go.
   */
  public void disarm() {
    armed = false;
    synchronized (hogged) {
      hogged.clear();
    }
  }

  /**
   * Returns how much heap the plan's memory hogs hold now.
   *
   * @return bytes held; 0 once the plan is disarmed
   */
  public long heldBytes() {
    synchronized (hogged) {
      return hogged.stream().mapToLong(chunk -> chunk.length * 8L).sum();
    }
  }

  private void hog(long bytes) {
    synchronized (hogged) {
      for (long left = bytes; left > 0; left -= 1L << 20) {
        hogged.add(new long[(int) (Math.min(left, 1L << 20) + 7) / 8]);
      }
    }
  }

  /**
   * Returns whether the faults are on.
   *
   * @return {@code true} between {@link #arm} and {@link #disarm}
   */
  public boolean armed() {
    return armed;
  }

  /**
   * Returns the faults.
   *
   * @return the plan's faults, in the order given
   */
  public List<Fault> faults() {
    return faults;
  }

  /**
   * Returns each fault's verdict: {@code FIRED n} or {@code NOT_EXERCISED}, in plan order.
   *
   * @return fault name to verdict text
   */
  public Map<String, String> verdicts() {
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (Fault f : faults) {
      verdicts.put(f.name(), f.fired() > 0 ? "FIRED " + f.fired() : "NOT_EXERCISED");
    }
    return verdicts;
  }

  /**
   * Returns the plan's checker: VALID when every fault fired; UNKNOWN, which fails the run, when
   * one never did: the run cannot say whether the graph survives a fault it never met.
   *
   * @return the checker the run adds as {@code faults}
   */
  public Checker checker() {
    return run -> {
      List<String> lines = new ArrayList<>();
      boolean all = true;
      for (Fault f : faults) {
        all &= f.fired() > 0;
        lines.add(f.name() + " " + (f.fired() > 0 ? "FIRED " + f.fired() : "NOT_EXERCISED"));
      }
      String detail = String.join("; ", lines);
      return all
          ? CheckResult.valid(detail)
          : CheckResult.unknown("a configured fault never fired, so it was not tested: " + detail);
    };
  }

  /** The generator of the {@code stream}-th wrapped node. */
  SplittableRandom randomFor(int stream) {
    if (!seeded) {
      throw new IllegalStateException(
          "a node wrapped by a fault plan started before the plan was armed:"
              + " give the plan to StressTest.faults(...) or call arm(seed) first");
    }
    return new SplittableRandom(Seeds.derive(Seeds.derive(seed, 0x5eed_fa17L), stream));
  }
}
