package dev.weir.scheduler.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The room hand-shake of a full BLOCK edge (architecture.md, "Backpressure"; EdgeLink's design
 * block): a producer that found the edge full announces itself on {@code producerWaiting}, fences
 * and offers again ({@code NodeCell.waitForRoom}); the consumer polls, fences and then checks the
 * flag ({@code NodeCell.wakeWaitingProducers}, which runs after every activation that polled).
 * Dekker: either the producer's re-offer finds the room the poll made, or the consumer sees the
 * flag and wakes the producer. Neither seeing the other is a producer blocked for good.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t EdgeLinkStress -m quick} (after
 * {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class EdgeLinkStress {

  private EdgeLinkStress() {}

  /**
   * The edge (capacity 1) starts full. Results: r1 = 1 if the producer's re-offer was accepted, 0
   * if it was refused; r2 = 1 if the consumer saw the flag and claimed the wake-up, 0 if not.
   */
  @JCStressTest
  @Description("Room hand-shake: a blocked producer either finds the room or is woken.")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both saw the other: one spare wake-up.")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The re-offer found the room.")
  @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The consumer saw the flag and wakes it.")
  @Outcome(
      id = "0, 0",
      expect = FORBIDDEN,
      desc = "Lost wake-up: the re-offer found no room and the consumer missed the flag.")
  @State
  public static class RoomHandshake {
    private final Edge<Integer> edge =
        Edge.create("p.out->c.in", PortSpec.of("in", Integer.class), EdgeSpec.blocking(1));
    private final EdgeLink link =
        new EdgeLink(edge, null, DetachedCell.create("c"), PortSpec.of("in", Integer.class));
    private final Message<Integer> parked = Message.of(2);

    public RoomHandshake() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer(II_Result r) {
      link.setProducerWaitingVolatile();
      VarHandle.fullFence();
      r.r1 = edge.offer(parked).status() == OfferStatus.ACCEPTED ? 1 : 0;
    }

    @Actor
    public void consumer(II_Result r) {
      edge.poll();
      VarHandle.fullFence();
      r.r2 = link.producerWaitingOpaque() && link.claimProducerWaiting() ? 1 : 0;
    }
  }
}
