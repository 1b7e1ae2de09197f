package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.PortSpec;
import java.util.concurrent.atomic.AtomicBoolean;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * {@code RunningGraph.awaitDrained}'s tickets (DrainWatch's design block; architecture.md, "Waiting
 * for a running graph"): a waiter offers to an ingress edge, then takes its ticket; a worker at a
 * quiet point reads the tickets, then scans the edges. A quiet point that read the ticket must see
 * the offer, so it finds the edge non-empty and cannot serve the ticket; one that read an older
 * ticket serves only that one. Either way a drained instant from before the waiter's work never
 * answers it.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t DrainWatchStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class DrainWatchStress {

  private DrainWatchStress() {}

  /**
   * The edge starts empty and nothing polls it, so after the waiter's offer the graph is never
   * drained again. An earlier waiter is registered, so the quiet point always scans: only the order
   * "read the tickets, then scan" keeps it from serving the new ticket with a scan made before the
   * offer. Result: r1 = 1 if a quiet point served the waiter's ticket, 0 if not.
   */
  @JCStressTest
  @Description("A quiet point never serves a waiter whose offer it did not see drained.")
  @Outcome(id = "0", expect = ACCEPTABLE, desc = "Not served: the offer is still on the edge.")
  @Outcome(
      id = "1",
      expect = FORBIDDEN,
      desc = "Served while the waiter's message was still queued: a stale drained instant.")
  @State
  public static class OfferThenTicket {
    private final Edge<Integer> edge =
        Edge.create("ingress:in->c.in", PortSpec.of("in", Integer.class), EdgeSpec.blocking(4));
    private final NodeCell consumer = DetachedCell.create("c");
    private final DrainWatch watch =
        new DrainWatch(
            new EdgeLink[] {new EdgeLink(edge, null, consumer, PortSpec.of("in", Integer.class))},
            new NodeCell[] {consumer});
    private long ticket;

    public OfferThenTicket() {
      watch.register(); // another thread already waits, so every quiet point scans
    }

    @Actor
    public void waiter() {
      edge.offer(Message.of(1));
      ticket = watch.register();
    }

    @Actor
    public void quietPoint() {
      watch.atQuietPoint(() -> true); // the locked queues' answer: pushes need the lock
    }

    @Arbiter
    public void arbiter(I_Result r) {
      r.r1 = watch.isServed(ticket) ? 1 : 0;
    }
  }

  /**
   * A push that leaves no message on an edge (a fired tick handed to the single worker's inbox):
   * the waiter pushes, then takes its ticket; the quiet point, whose own inbox check came before
   * the push, reads the tickets, scans (every edge empty) and asks whether the queues are still
   * quiet. Only "read the tickets, then ask" keeps it from serving the new ticket while the pushed
   * cell waits to run. Result: r1 = 1 if a quiet point served the waiter's ticket, 0 if not.
   */
  @JCStressTest
  @Description("A quiet point never serves a waiter whose push is still waiting in the inbox.")
  @Outcome(id = "0", expect = ACCEPTABLE, desc = "Not served: the pushed cell has not run.")
  @Outcome(
      id = "1",
      expect = FORBIDDEN,
      desc = "Served while the waiter's pushed cell (its tick) had not run yet.")
  @State
  public static class PushThenTicket {
    private final NodeCell consumer = DetachedCell.create("c");
    private final DrainWatch watch = new DrainWatch(new EdgeLink[0], new NodeCell[] {consumer});
    private final AtomicBoolean inboxHoldsPush = new AtomicBoolean();
    private long ticket;

    public PushThenTicket() {
      watch.register(); // another thread already waits, so every quiet point scans
    }

    @Actor
    public void waiter() {
      inboxHoldsPush.set(true); // volatile, as the inbox's hand-over
      ticket = watch.register();
    }

    @Actor
    public void quietPoint() {
      watch.atQuietPoint(() -> !inboxHoldsPush.get());
    }

    @Arbiter
    public void arbiter(I_Result r) {
      r.r1 = watch.isServed(ticket) ? 1 : 0;
    }
  }
}
