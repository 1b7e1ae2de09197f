package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The tick wheel's hand-over at a node's end (see "Concurrency" in TickTimers' design block): a
 * pass that fires the node's entry (it leaves the wheel and the cell's tick is set pending) races
 * the node's close (the wheel forgets it and the boundaries up to its end count as missed). Both
 * run under the wheel's lock and the pass sets the tick pending before it releases it, so the close
 * either unlinks the armed entry or takes the pending tick: never a tick left pending to a closed
 * node, a boundary counted twice or not at all, or an entry still armed.
 *
 * <p>The cell is the real class, built detached ({@link DetachedCell}) and put in SCHEDULED, so the
 * pass's signal takes the fast path and never reaches the runtime; the ready queues are the real
 * locked ones, whose {@code pushTogether} only runs the pushes under their lock.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t TickTimersStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class TickTimersStress {

  private TickTimersStress() {}

  private static final VarHandle STATE;

  static {
    try {
      STATE =
          MethodHandles.privateLookupIn(NodeCell.class, MethodHandles.lookup())
              .findVarHandle(NodeCell.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A node ticking every 10 ns, started at 0 (first boundary at 10). Actor 1 runs a pass at 15 (the
   * boundary at 10 is due); actor 2 closes the node at 25 (boundaries 10 and 20 lived through).
   *
   * <p>Results: r1 = missed ticks counted, r2 = 1 if a tick is left pending, r3 = 1 if the entry is
   * still armed.
   */
  @JCStressTest
  @Description("Tick wheel: a pass firing a node's entry against the node's close.")
  @Outcome(
      id = "2, 0, 0",
      expect = ACCEPTABLE,
      desc =
          "Either order: the close unlinked the armed entry, or took the tick the pass set"
              + " pending; boundaries 10 and 20 are both missed, once each.")
  @Outcome(
      id = "1, .*",
      expect = FORBIDDEN,
      desc = "A boundary lost: the close did not see the tick the pass fired.")
  @Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "A tick left pending to a closed node.")
  @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "A closed node's entry still armed.")
  @Outcome(expect = FORBIDDEN, desc = "Boundaries counted twice, or an impossible state.")
  @State
  public static class FireVersusClose {
    private final NodeCell cell = DetachedCell.create("ticker");
    private final TickTimers timers =
        new TickTimers(
            ReadyQueues.create(2, DetachedCell.weights(), 0, 0, RuntimeMetrics.DISABLED),
            RuntimeMetrics.DISABLED,
            true);
    private final TickTimers.Entry entry;

    public FireVersusClose() {
      STATE.setVolatile(cell, NodeCell.SCHEDULED);
      entry = timers.add(cell, 10, 0);
    }

    @Actor
    public void pass() {
      timers.fireDue(15);
    }

    @Actor
    public void close() {
      timers.close(entry, 25);
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r1 = (int) cell.counter(NodeCounters.MISSED_TICKS);
      r.r2 = cell.tickPendingView() ? 1 : 0;
      r.r3 = entry.armed ? 1 : 0;
    }
  }
}
