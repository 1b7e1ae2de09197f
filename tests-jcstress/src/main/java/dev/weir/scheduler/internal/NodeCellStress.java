package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.PortSpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The fast path of {@link NodeCell#signal} (see "Fast path" in NodeCell's design block): a
 * signaller that finds the cell SCHEDULED skips the atomic OR, relying on the activation that will
 * begin to see what it offered. Dekker with a full fence on each side: the signaller offers, fences
 * and reads {@code state}; {@link NodeCell#beginActivation} CASes {@code state} to RUNNING, fences
 * and then the activation polls.
 *
 * <p>The cell is the real class, built detached ({@link DetachedCell}: no runtime). A detached cell
 * cannot be queued, so the test puts it in SCHEDULED directly, through a private-lookup VarHandle
 * on NodeCell's {@code state} field (the state a signal and a push would leave it in), and reads
 * the raw state back in the arbiter. No path of this test reaches the runtime: a signal that finds
 * SCHEDULED returns, and one that finds RUNNING only sets PENDING.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t NodeCellStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class NodeCellStress {

  private NodeCellStress() {}

  /**
   * What the signaller left in a cell that ends the race RUNNING: 1 if it wrote nothing (the cell
   * is just RUNNING), 0 if it set PENDING, -1 for any other state.
   */
  private static int skippedOrPending(NodeCell cell) {
    int s = (int) STATE.getVolatile(cell);
    if (s == NodeCell.RUNNING) {
      return 1;
    }
    return s == (NodeCell.RUNNING | NodeCell.PENDING) ? 0 : -1;
  }

  /**
   * NodeCell's private {@code state}: read and set only outside the race (constructor, arbiter).
   */
  private static final VarHandle STATE;

  /** NodeCell's private {@code blockedOn}: set before the race (markUnblocked clears it in it). */
  private static final VarHandle BLOCKED_ON;

  static {
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(NodeCell.class, MethodHandles.lookup());
      STATE = lookup.findVarHandle(NodeCell.class, "state", int.class);
      BLOCKED_ON = lookup.findVarHandle(NodeCell.class, "blockedOn", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Actor 1 offers a message to the cell's input edge and signals the cell; actor 2 begins the
   * activation the queued cell is due for and polls the edge once.
   *
   * <p>Results: r1 = 1 if the signaller took the fast path (the cell ends RUNNING: it saw SCHEDULED
   * and wrote nothing), 0 if it set PENDING (it saw RUNNING, so the cell ends RUNNING | PENDING and
   * the running activation will be followed by another); r2 = 1 if the activation's poll returned
   * the message, 0 if it found the edge empty, -1 if beginActivation declined.
   */
  @JCStressTest
  @Description("Signal fast path: a skipped signal never leaves a message the activation misses.")
  @Outcome(
      id = "1, 1",
      expect = ACCEPTABLE,
      desc = "The signaller saw SCHEDULED and skipped; the activation's poll saw the message.")
  @Outcome(
      id = "0, 1",
      expect = ACCEPTABLE,
      desc =
          "The signaller saw RUNNING and set PENDING; the poll saw the message too (one spare"
              + " activation follows).")
  @Outcome(
      id = "0, 0",
      expect = ACCEPTABLE,
      desc =
          "The poll ran before the offer; the signaller saw RUNNING and set PENDING, so the"
              + " cell runs again and sees the message.")
  @Outcome(
      id = "1, 0",
      expect = FORBIDDEN,
      desc =
          "Lost wake-up: the signaller skipped (saw SCHEDULED) and the activation it relied on"
              + " missed the message.")
  @Outcome(expect = FORBIDDEN, desc = "beginActivation declined, or an impossible state.")
  @State
  public static class SignalFastPath {
    private final Edge<Integer> edge =
        Edge.create("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(4));
    private final NodeCell cell = DetachedCell.create("n");
    private final Message<Integer> message = Message.of(1);

    public SignalFastPath() {
      STATE.setVolatile(cell, NodeCell.SCHEDULED);
    }

    @Actor
    public void signaller() {
      edge.offer(message);
      cell.signal(cell.band);
    }

    @Actor
    public void activation(II_Result r) {
      if (!cell.beginActivation()) {
        r.r2 = -1;
        return;
      }
      r.r2 = edge.poll() != null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = skippedOrPending(cell);
    }
  }

  /**
   * "Blocked cells" in NodeCell's design block: {@link NodeCell#signalInput} does not queue a
   * blocked cell, relying on the activation that unblocks it to poll. Dekker with a full fence on
   * each side: the signaller offers, fences and reads {@code blockedOn}; {@link
   * NodeCell#markUnblocked} clears it, fences, and then the activation polls.
   *
   * <p>The cell is detached ({@link DetachedCell}), RUNNING (the unblocking happens inside one of
   * its activations) and blocked, both set before the race through private-lookup VarHandles. A
   * signal that does not skip finds RUNNING and only sets PENDING, so no path reaches the runtime.
   *
   * <p>Results: r1 = 1 if the signaller skipped (the cell ends RUNNING, PENDING unset), 0 if it
   * signalled (RUNNING | PENDING: another activation follows the running one); r2 = 1 if the poll
   * after the unblocking returned the message, 0 if it found the edge empty.
   */
  @JCStressTest
  @Description("Blocked skip: a skipped input signal never leaves a message the unblocking misses.")
  @Outcome(
      id = "1, 1",
      expect = ACCEPTABLE,
      desc = "The signaller saw the cell blocked and skipped; the poll after unblocking saw it.")
  @Outcome(
      id = "0, 1",
      expect = ACCEPTABLE,
      desc = "The signaller saw the cell unblocked and set PENDING; the poll saw the message too.")
  @Outcome(
      id = "0, 0",
      expect = ACCEPTABLE,
      desc =
          "The poll ran before the offer; the signaller saw the cell unblocked and set PENDING,"
              + " so the cell runs again and sees the message.")
  @Outcome(
      id = "1, 0",
      expect = FORBIDDEN,
      desc =
          "Lost wake-up: the signaller skipped (saw the cell blocked) and the activation that"
              + " unblocked it missed the message.")
  @Outcome(expect = FORBIDDEN, desc = "An impossible state.")
  @State
  public static class BlockedInputSkip {
    private final Edge<Integer> edge =
        Edge.create("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(4));
    private final NodeCell cell = DetachedCell.create("n");
    private final Message<Integer> message = Message.of(1);

    public BlockedInputSkip() {
      STATE.setVolatile(cell, NodeCell.RUNNING);
      BLOCKED_ON.setVolatile(cell, "n.out->m.in");
    }

    @Actor
    public void signaller() {
      edge.offer(message);
      cell.signalInput(cell.band);
    }

    @Actor
    public void unblockingActivation(II_Result r) {
      cell.markUnblocked();
      r.r2 = edge.poll() != null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = skippedOrPending(cell);
    }
  }
}
