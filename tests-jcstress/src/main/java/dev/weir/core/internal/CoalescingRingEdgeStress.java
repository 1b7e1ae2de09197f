package dev.weir.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The memory-ordering claims of {@link CoalescingRingEdge} (the COALESCE edges): on a full ring the
 * producer merges the incoming payload into a queued message with a CAS on its slot, while the
 * consumer takes that slot with {@code getAndSet(null)}; exactly one of them wins. If the consumer
 * wins, the producer sees the empty slot, counts it as room and enqueues the incoming message; if
 * the producer wins, the consumer delivers the merged message. Either way no payload is lost or
 * counted twice. Each test fills its edge in the state's constructor and runs one producer actor
 * and one consumer actor.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t CoalescingRingEdgeStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class CoalescingRingEdgeStress {

  private CoalescingRingEdgeStress() {}

  /** Offer statuses as result codes. */
  static final int ACCEPTED = 1;

  static final int COALESCED = 2;
  static final int OTHER = 9;

  /**
   * Full capacity-1 ring holding payload 1, merge = sum: the producer offers 2, the consumer polls
   * once, the arbiter drains the rest.
   *
   * <p>Results: r1 = the offer's status; r2 = the payload the consumer's poll returned; r3 = the
   * payloads the arbiter drained, as digits in order (0 none).
   */
  @JCStressTest
  @Description("Capacity 1: the merge and the consumer's take never both win, nothing lost.")
  @Outcome(
      id = "2, 3, 0",
      expect = ACCEPTABLE,
      desc = "The merge won: the consumer took the merged 1 + 2.")
  @Outcome(
      id = "1, 1, 2",
      expect = ACCEPTABLE,
      desc = "The consumer took 1 first; 2 found room and stayed queued.")
  @Outcome(id = "1, 3, .*", expect = FORBIDDEN, desc = "Enqueued and merged both.")
  @Outcome(id = "2, 1, .*", expect = FORBIDDEN, desc = "Reported merged, but the merge was lost.")
  @Outcome(expect = FORBIDDEN, desc = "A payload lost or counted twice.")
  @State
  public static class Capacity1 {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(1, OverflowPolicy.coalesce(Integer::sum)));
    private final Message<Integer> two = Message.of(2);

    public Capacity1() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer(III_Result r) {
      r.r1 = status(edge.offer(two).status());
    }

    @Actor
    public void consumer(III_Result r) {
      r.r2 = SpscRingEdgeStress.code(edge.poll());
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r3 = SpscRingEdgeStress.digits(edge.poll(), edge.poll());
    }
  }

  /**
   * Full capacity-2 ring holding payloads 1 and 2, keyed by the last decimal digit, merge = sum:
   * the producer offers 11 (key 1), so its scan passes 2 and merges into 1, the oldest, at the
   * head, where the consumer's single poll takes from. If the consumer empties that slot before the
   * merge, the scan or the CAS sees it and 11 is enqueued instead.
   *
   * <p>Results: r1 = the offer's status; r2 = the payload the consumer's poll returned; r3 and r4 =
   * the payloads the arbiter drained, in order (0 none).
   */
  @JCStressTest
  @Description("Capacity 2, keyed: the merge keeps its target's place, or yields to the consumer.")
  @Outcome(
      id = "2, 12, 2, 0",
      expect = ACCEPTABLE,
      desc = "The merge won: 1 + 11 delivered first, in 1's place, then 2.")
  @Outcome(
      id = "1, 1, 2, 11",
      expect = ACCEPTABLE,
      desc = "The consumer took 1 first; 11 found room behind 2.")
  @Outcome(expect = FORBIDDEN, desc = "A payload lost or counted twice, or out of place.")
  @State
  public static class KeyedCapacity2 {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(2, OverflowPolicy.<Integer>coalesce(Integer::sum, p -> p % 10)));
    private final Message<Integer> eleven = Message.of(11);

    public KeyedCapacity2() {
      edge.offer(Message.of(1));
      edge.offer(Message.of(2));
    }

    @Actor
    public void producer(IIII_Result r) {
      r.r1 = status(edge.offer(eleven).status());
    }

    @Actor
    public void consumer(IIII_Result r) {
      r.r2 = SpscRingEdgeStress.code(edge.poll());
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      r.r3 = SpscRingEdgeStress.code(edge.poll());
      r.r4 = SpscRingEdgeStress.code(edge.poll());
    }
  }

  static int status(OfferStatus status) {
    return switch (status) {
      case ACCEPTED -> ACCEPTED;
      case COALESCED -> COALESCED;
      default -> OTHER;
    };
  }
}
