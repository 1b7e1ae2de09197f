package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.jspecify.annotations.Nullable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The single-worker ready queues ({@link OwnedReadyQueues}, built by {@code ReadyQueues.create(1,
 * ...)}): the hand-over of another thread's push through the inbox, the {@code isQuiet} seqlock
 * (phase, inbox, phase), and the hand-shake before the worker parks. Cells are detached ({@link
 * DetachedCell}); the queues touch only their queue membership.
 *
 * <p>Worker identity: jcstress runs an actor on whichever of its threads serves that actor for the
 * current run, so the worker actor binds its own thread ({@code bindWorker}, a volatile write) on
 * every call, before it takes; each test instance has its own queues. The arbiter binds itself the
 * same way before it drains: the actors are done by then.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t OwnedReadyQueuesStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class OwnedReadyQueuesStress {

  private OwnedReadyQueuesStress() {}

  static ReadyQueues newQueues() {
    return ReadyQueues.create(1, DetachedCell.weights(), 0, 0, RuntimeMetrics.DISABLED);
  }

  /** Worker side: binds the calling thread and takes without waiting; null if interrupted. */
  static @Nullable NodeCell bindAndTake(ReadyQueues queues) {
    queues.bindWorker(Thread.currentThread());
    try {
      return queues.take(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static int taken(@Nullable NodeCell got, NodeCell expected) {
    if (got == null) {
      return 0;
    }
    return got == expected ? 1 : -1;
  }

  /**
   * Hand-over: actor 1 (not the worker) pushes a cell; actor 2, the worker, takes without waiting
   * and then asks isQuiet; the arbiter then takes as the worker would next time. Whatever the
   * interleaving, the cell is taken exactly once, and quiet is never reported while it is taken
   * (the activation counts as running) or while it waits in the inbox.
   *
   * <p>Results: r1 = 1 if the worker's take returned the cell; r2 = 1 if the worker's isQuiet
   * returned true; r3 = 1 if the arbiter's take returned the cell.
   */
  @JCStressTest
  @Description(
      "A push from another thread is taken exactly once; never lost behind a quiet report.")
  @Outcome(
      id = "1, 0, 0",
      expect = ACCEPTABLE,
      desc = "Pushed before the take: the worker took it and runs it, so not quiet.")
  @Outcome(
      id = "0, 0, 1",
      expect = ACCEPTABLE,
      desc =
          "Pushed after the take found nothing, before isQuiet: it saw the inbox; the next take"
              + " gets the cell.")
  @Outcome(
      id = "0, 1, 1",
      expect = ACCEPTABLE,
      desc =
          "Pushed after isQuiet: quiet was true then; the cell waits in the inbox for the next"
              + " take.")
  @Outcome(
      id = "0, ., 0",
      expect = FORBIDDEN,
      desc = "Lost push: the worker did not take the cell and neither did the next take.")
  @Outcome(
      id = "1, 1, .",
      expect = FORBIDDEN,
      desc = "Quiet reported while the worker holds a cell it took (an activation is running).")
  @Outcome(id = "1, ., 1", expect = FORBIDDEN, desc = "The cell was taken twice.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected: a foreign cell, or an interrupted take.")
  @State
  public static class HandOver {
    private final ReadyQueues queues = newQueues();
    private final NodeCell cell = DetachedCell.create("n");

    @Actor
    public void pusher() {
      queues.push(cell, cell.band);
    }

    @Actor
    public void worker(III_Result r) {
      r.r1 = taken(bindAndTake(queues), cell);
      r.r2 = queues.isQuiet() ? 1 : 0;
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r3 = taken(bindAndTake(queues), cell);
    }
  }

  /**
   * The isQuiet seqlock: a cell pushed by another thread (the constructing one, before the race)
   * sits in the inbox; actor 1, the worker, takes it (moving it through the deques: phase odd
   * first, then the inbox drained); actor 2, any thread, asks isQuiet. At every moment the cell is
   * in the inbox, in the deques or taken and running, so quiet is never true: a reader that saw the
   * old even phase and then the drained inbox must see the phase change on its second read.
   *
   * <p>Results: r1 = 1 if the worker's take returned the cell; r2 = 1 if isQuiet returned true.
   */
  @JCStressTest
  @Description("isQuiet never reports quiet while a pushed cell is in the inbox, moving or taken.")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Not quiet: the cell was queued or running.")
  @Outcome(
      id = "1, 1",
      expect = FORBIDDEN,
      desc = "Quiet while the cell was in the inbox, in transit to the deques, or running.")
  @Outcome(id = "0, .", expect = FORBIDDEN, desc = "The worker's take missed a queued cell.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected.")
  @State
  public static class QuietSeqlock {
    private final ReadyQueues queues = newQueues();
    private final NodeCell cell = DetachedCell.create("n");

    public QuietSeqlock() {
      queues.push(cell, cell.band); // no worker bound yet: handed over through the inbox
    }

    @Actor
    public void worker(II_Result r) {
      r.r1 = taken(bindAndTake(queues), cell);
    }

    @Actor
    public void observer(II_Result r) {
      r.r2 = queues.isQuiet() ? 1 : 0;
    }
  }

  /**
   * The park hand-shake: actor 1, the worker about to park, announces it and checks the inbox
   * ({@code announcePark}); actor 2 hands a push over, which unparks the worker only if it saw the
   * announcement. The worker may park only if some pusher will unpark it: either the worker's check
   * sees the push, or the pusher sees the announcement (Dekker over two volatile pairs). No worker
   * is bound, so the unpark itself does nothing here: what is tested is who claims it; {@link
   * UntimedTakeWakes} tests the real park.
   *
   * <p>Results: r1 = 1 if the worker would park (its check found the inbox empty); r2 = 1 if the
   * pusher unparked it.
   */
  @JCStressTest
  @Description("A worker that parks is always unparked by a push it did not see.")
  @Outcome(
      id = "1, 1",
      expect = ACCEPTABLE,
      desc = "The push came after the check: the pusher saw the announcement and unparks.")
  @Outcome(
      id = "0, 0",
      expect = ACCEPTABLE,
      desc = "The check saw the push: the worker does not park; no unpark needed.")
  @Outcome(
      id = "0, 1",
      expect = ACCEPTABLE,
      desc = "Both saw each other: the worker does not park; the unpark leaves a spare permit.")
  @Outcome(
      id = "1, 0",
      expect = FORBIDDEN,
      desc = "Lost wake-up: the worker parks with a push in its inbox and nobody unparks it.")
  @State
  public static class ParkHandshake {
    private final OwnedReadyQueues queues = (OwnedReadyQueues) newQueues();
    private final NodeCell cell = DetachedCell.create("n");

    @Actor
    public void worker(II_Result r) {
      r.r1 = queues.announcePark() ? 1 : 0;
    }

    @Actor
    public void pusher(II_Result r) {
      r.r2 = queues.hand(new OwnedReadyQueues.Push(cell, cell.band, 0)) ? 1 : 0;
    }
  }

  /**
   * The whole wake-up, end to end: the worker actor binds itself and takes with no time limit (it
   * parks when it finds nothing); the signal pushes a cell from another thread at any point of
   * that, including between the worker's announcement and its park. The take must return: a lost
   * wake-up leaves it parked for good, which jcstress reports as STALE.
   */
  @JCStressTest(Mode.Termination)
  @Description("An untimed take always returns once another thread pushes.")
  @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The push woke the worker.")
  @Outcome(id = "STALE", expect = FORBIDDEN, desc = "Lost wake-up: the worker stayed parked.")
  @State
  public static class UntimedTakeWakes {
    private final ReadyQueues queues = newQueues();
    private final NodeCell cell = DetachedCell.create("n");

    @Actor
    public void worker() throws InterruptedException {
      queues.bindWorker(Thread.currentThread());
      while (queues.take(-1) != cell) {
        // take(-1) returns null only for close(), which this test never calls: look again
      }
    }

    @Signal
    public void pusher() {
      queues.push(cell, cell.band);
    }
  }
}
