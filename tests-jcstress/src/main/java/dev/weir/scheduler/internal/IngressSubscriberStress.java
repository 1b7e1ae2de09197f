package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Clock;
import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.PortSpec;
import dev.weir.core.internal.Edges;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The Flow subscriber's demand accounting (IngressSubscriber's design block, "Demand" and
 * "Invariants"): an item arriving in {@code onNext} while the ingress consumer's worker runs the
 * room listener must be counted by the listener's demand decision, either as not yet arrived or as
 * waiting, never as neither. Regression for issue 14, point 9: {@code onNext} released the item's
 * demand before it counted the item as queued, and a listener in between requested one item more
 * than the ingress had room for.
 *
 * <p>The subscriber, gate and edge are the real classes; the ingress's consumer is a detached cell
 * put in SCHEDULED directly (as NodeCellStress does), so an offer's signal returns without a
 * runtime.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t IngressSubscriberStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class IngressSubscriberStress {

  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(NodeCell.class, MethodHandles.lookup());
      STATE = lookup.findVarHandle(NodeCell.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private IngressSubscriberStress() {}

  /**
   * Setup: an ingress (BLOCK, capacity 2); the subscriber subscribed and requested 2, item 1
   * arrived and is in the edge, item 2 is requested and not yet arrived. Actor 1 (the publisher)
   * delivers item 2; actor 2 (the consumer's worker) takes item 1 off the edge and runs the room
   * listener.
   *
   * <p>Results: r1 = the outstanding demand at the end (requested minus the 2 items delivered) plus
   * the edge's depth, which the subscriber being the only producer bounds by the capacity, 2; r2 =
   * how many {@code request(n)} calls had {@code n <= 0}.
   */
  @JCStressTest
  @Description("Demand vs arrival: an arriving item is counted by a concurrent demand decision.")
  @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "The room is requested exactly.")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Less requested than the room: safe.")
  @Outcome(
      id = "3, 0",
      expect = FORBIDDEN,
      desc = "The listener saw the arriving item nowhere and requested beyond the capacity.")
  @Outcome(expect = FORBIDDEN, desc = "A request(n <= 0) (rule 3.9), or demand further off.")
  @State
  public static class ArrivalVersusRoom {
    private final PortSpec<Integer> port = PortSpec.of("in", Integer.class);
    private final Edge<Integer> edge =
        Edges.createMultiProducer("in->c.in", port, EdgeSpec.blocking(2));
    private final NodeCell cell = DetachedCell.create("c");
    private final IngressGate<Integer> gate =
        new IngressGate<>("in", new EdgeLink(edge, null, cell, port), Clock.system(), 1L);
    private final IngressSubscriber<Integer> subscriber = new IngressSubscriber<>(gate);
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger nonPositive = new AtomicInteger();

    public ArrivalVersusRoom() {
      STATE.setVolatile(cell, NodeCell.SCHEDULED);
      subscriber.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              if (n <= 0) {
                nonPositive.incrementAndGet();
              } else {
                requested.addAndGet(n);
              }
            }

            @Override
            public void cancel() {}
          });
      subscriber.onNext(1);
    }

    @Actor
    public void publisher() {
      subscriber.onNext(2);
    }

    @Actor
    public void consumer() {
      edge.poll();
      gate.roomAvailable();
    }

    @Arbiter
    public void arbiter(II_Result r) {
      r.r1 = (int) (requested.get() - 2) + edge.depth();
      r.r2 = nonPositive.get();
    }
  }
}
