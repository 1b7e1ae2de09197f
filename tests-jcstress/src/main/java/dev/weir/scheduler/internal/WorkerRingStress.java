package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The multi-worker ready queues' per-worker ring ({@link WorkerRing}, used by {@link
 * LockedReadyQueues}): the owner appends and takes, idle workers steal, and every appended cell is
 * taken exactly once; and the counting rule that keeps quiet honest while a ring holds a cell.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t WorkerRingStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class WorkerRingStress {

  private WorkerRingStress() {}

  /** Counts how often each cell was taken, over every taker's list. */
  static int[] tally(List<NodeCell> cells, List<List<@Nullable NodeCell>> takes) {
    Map<NodeCell, Integer> index = new IdentityHashMap<>();
    for (int i = 0; i < cells.size(); i++) {
      index.put(cells.get(i), i);
    }
    int[] times = new int[cells.size()];
    for (List<@Nullable NodeCell> taker : takes) {
      for (NodeCell c : taker) {
        if (c != null) {
          times[index.get(c)]++;
        }
      }
    }
    return times;
  }

  /**
   * Owner against thief on a ring holding two cells: the owner appends a third and takes one; a
   * thief takes two; the arbiter drains the rest. Each cell must be taken exactly once: the CAS on
   * head gives an entry to one taker only, and the release/acquire pair on tail shows the appended
   * entry to whoever takes it.
   *
   * <p>Results: how many times cells a, b and c were taken.
   */
  @JCStressTest
  @Description("Every cell appended to a worker ring is taken exactly once, by owner or thief.")
  @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "Each cell taken once.")
  @Outcome(expect = FORBIDDEN, desc = "A cell taken twice, or lost.")
  @State
  public static class OwnerAndThief {
    private final WorkerRing ring = new WorkerRing();
    private final NodeCell a = DetachedCell.create("a");
    private final NodeCell b = DetachedCell.create("b");
    private final NodeCell c = DetachedCell.create("c");
    private final List<@Nullable NodeCell> byOwner = new ArrayList<>();
    private final List<@Nullable NodeCell> byThief = new ArrayList<>();

    public OwnerAndThief() {
      ring.offer(a);
      ring.offer(b);
    }

    @Actor
    public void owner() {
      ring.offer(c);
      byOwner.add(ring.poll());
    }

    @Actor
    public void thief() {
      byThief.add(ring.poll());
      byThief.add(ring.poll());
    }

    @Arbiter
    public void arbiter(III_Result r) {
      List<@Nullable NodeCell> rest = new ArrayList<>();
      NodeCell cell;
      while ((cell = ring.poll()) != null) {
        rest.add(cell);
      }
      int[] t = tally(List.of(a, b, c), List.of(byOwner, byThief, rest));
      r.r1 = t[0];
      r.r2 = t[1];
      r.r3 = t[2];
    }
  }

  /**
   * Slot reuse: the ring is full ({@link WorkerRing#CAPACITY} cells); the owner takes one and
   * appends one more, which reuses the slot of the oldest entry, while a thief takes one (it may be
   * reading that very slot). A thief whose CAS wins read the entry before it could be overwritten;
   * one whose CAS loses discards it. So every one of the cells is taken exactly once.
   *
   * <p>Results: r1 = cells taken exactly once, r2 = cells taken more than once or never.
   */
  @JCStressTest
  @Description("A slot reused by the owner never hands out a cell twice or loses one.")
  @Outcome(id = "17, 0", expect = ACCEPTABLE, desc = "Every cell taken once.")
  @Outcome(expect = FORBIDDEN, desc = "A cell taken twice, or lost.")
  @State
  public static class SlotReuse {
    private final WorkerRing ring = new WorkerRing();
    private final List<NodeCell> cells = new ArrayList<>();
    private final NodeCell extra = DetachedCell.create("extra");
    private final List<@Nullable NodeCell> byOwner = new ArrayList<>();
    private final List<@Nullable NodeCell> byThief = new ArrayList<>();

    public SlotReuse() {
      for (int i = 0; i < WorkerRing.CAPACITY; i++) {
        NodeCell cell = DetachedCell.create("c" + i);
        cells.add(cell);
        ring.offer(cell);
      }
      cells.add(extra);
    }

    @Actor
    public void owner() {
      byOwner.add(ring.poll());
      if (!ring.offer(extra)) {
        byOwner.add(extra); // cannot happen: its own poll made room; counted so it is not lost
      }
    }

    @Actor
    public void thief() {
      byThief.add(ring.poll());
    }

    @Arbiter
    public void arbiter(II_Result r) {
      List<@Nullable NodeCell> rest = new ArrayList<>();
      NodeCell cell;
      while ((cell = ring.poll()) != null) {
        rest.add(cell);
      }
      int once = 0;
      int wrong = 0;
      for (int times : tally(cells, List.of(byOwner, byThief, rest))) {
        if (times == 1) {
          once++;
        } else {
          wrong++;
        }
      }
      r.r1 = once;
      r.r2 = wrong;
    }
  }

  /** Takes without throwing; null if interrupted. */
  static @Nullable NodeCell take(ReadyQueues queues, long waitNanos) {
    try {
      return queues.take(waitNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Counting: a worker takes a cell a (pushed by the constructing thread), and its activation makes
   * cell b ready, which goes to its ring; the activation ends. Meanwhile a second worker asks
   * isQuiet and then takes, waiting a nanosecond (so it may steal b). From the first push on, some
   * cell is queued, in a ring, or taken by a worker that has not finished with it, so quiet is
   * never true, during the race or after it. A worker that uncounted itself while its ring still
   * held b would let isQuiet report quiet with b queued (awaitDrained would then answer early). Two
   * actors: jcstress runs a test only if the machine has a CPU per actor.
   *
   * <p>Results: r1 = 1 if the second worker saw quiet; r2 = 1 if the arbiter saw quiet; r3 = what
   * the second worker took: 0 nothing, 1 a, 2 b.
   */
  @JCStressTest
  @Description("isQuiet never reports quiet while a cell waits in a worker's ring or was stolen.")
  @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "b stays in the first worker's ring.")
  @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "The second worker took a first.")
  @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "The second worker stole b.")
  @Outcome(expect = FORBIDDEN, desc = "Quiet reported while a cell was queued or running.")
  @State
  public static class RingKeepsWorkerCounted {
    private final ReadyQueues queues =
        ReadyQueues.create(2, DetachedCell.weights(), 0, 0, RuntimeMetrics.DISABLED);
    private final NodeCell a = DetachedCell.create("a");
    private final NodeCell b = DetachedCell.create("b");

    public RingKeepsWorkerCounted() {
      queues.push(a, a.band);
    }

    @Actor
    public void worker() {
      NodeCell got = take(queues, 0);
      if (got != null) {
        queues.push(b, b.band); // during the activation: into this worker's ring
        queues.activationDone();
      }
    }

    @Actor
    public void thief(III_Result r) {
      r.r1 = queues.isQuiet() ? 1 : 0;
      NodeCell got = take(queues, 1);
      r.r3 = got == a ? 1 : got == b ? 2 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r2 = queues.isQuiet() ? 1 : 0;
    }
  }
}
