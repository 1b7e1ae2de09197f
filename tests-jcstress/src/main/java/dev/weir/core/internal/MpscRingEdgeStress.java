package dev.weir.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.EdgeStats;
import dev.weir.core.Message;
import dev.weir.core.OfferStatus;
import dev.weir.core.PortSpec;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The memory-ordering claims of {@link MpscRingEdge} (BLOCK, DROP and FAIL ingress edges), with two
 * actors (this machine has two CPUs): two producers racing for the one slot of a capacity-1 ring,
 * two producers publishing into adjacent slots, and CONTROL first across producers (the second
 * producer is also the consumer). The real-thread tests with a separate consumer are in tests-unit
 * ({@code MpscRingEdgeConcurrencyTest}). Each test builds its edge through {@link
 * Edges#createMultiProducer}, as the graph does for an ingress.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t MpscRingEdgeStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class MpscRingEdgeStress {

  private MpscRingEdgeStress() {}

  /**
   * Two producers race for the one slot of a capacity-1 BLOCK ring: both CAS the same producer
   * index, exactly one may win it, and the loser's BLOCKED is counted atomically. The arbiter
   * drains and checks the ledger.
   *
   * <p>Results: r1 = how many offers were accepted; r2 = 1 if the accepted message, and only it,
   * came out once and the counters equal what the actors saw, else 0.
   */
  @JCStressTest
  @Description("Capacity 1, two producers: one wins the slot, the other is BLOCKED and counted.")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "One offer won the slot, the other BLOCKED.")
  @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Both accepted: capacity exceeded.")
  @Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "A message lost, duplicated or miscounted.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected.")
  @State
  public static class TwoProducersCapacity1 {
    private final Edge<Integer> edge =
        Edges.createMultiProducer("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(1));
    private final Message<Integer> one = Message.of(1);
    private final Message<Integer> two = Message.of(2);
    private boolean oneAccepted;
    private boolean twoAccepted;

    @Actor
    public void producerOne() {
      oneAccepted = edge.offer(one).status() == OfferStatus.ACCEPTED;
    }

    @Actor
    public void producerTwo() {
      twoAccepted = edge.offer(two).status() == OfferStatus.ACCEPTED;
    }

    @Arbiter
    public void arbiter(II_Result r) {
      int depth = edge.depth();
      Message<Integer> first = edge.poll();
      Message<Integer> second = edge.poll();
      int accepted = (oneAccepted ? 1 : 0) + (twoAccepted ? 1 : 0);
      int expected = oneAccepted ? 1 : twoAccepted ? 2 : 0;
      EdgeStats stats = edge.stats();
      boolean ok =
          second == null
              && depth == accepted
              && code(first) == expected
              && stats.accepted() == accepted
              && stats.blocked() == 2 - accepted
              && stats.delivered() == accepted
              && stats.unaccounted() == 0
              && stats.highWaterMark() == accepted;
      r.r1 = accepted;
      r.r2 = ok ? 1 : 0;
    }
  }

  /**
   * Two producers each claim an index of a capacity-2 ring and publish it: neither publication may
   * land in the other's slot or be lost, and the high-water mark, raised by CAS, reaches 2.
   *
   * <p>Results: r1 = the messages the arbiter drained, as digits in order (12 or 21); r2 = 1 if the
   * counters are exact, else 0.
   */
  @JCStressTest
  @Description("Capacity 2, two producers: both messages published in their own slots.")
  @Outcome(id = "12, 1", expect = ACCEPTABLE, desc = "Producer one claimed the first index.")
  @Outcome(id = "21, 1", expect = ACCEPTABLE, desc = "Producer two claimed the first index.")
  @Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "Counters wrong.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost, duplicated or overwritten.")
  @State
  public static class TwoProducersTwoSlots {
    private final Edge<Integer> edge =
        Edges.createMultiProducer("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(2));
    private final Message<Integer> one = Message.of(1);
    private final Message<Integer> two = Message.of(2);

    @Actor
    public void producerOne() {
      edge.offer(one);
    }

    @Actor
    public void producerTwo() {
      edge.offer(two);
    }

    @Arbiter
    public void arbiter(II_Result r) {
      int a = code(edge.poll());
      int b = code(edge.poll());
      r.r1 = a * 10 + b;
      EdgeStats stats = edge.stats();
      r.r2 =
          stats.accepted() == 2
                  && stats.delivered() == 2
                  && stats.highWaterMark() == 2
                  && edge.poll() == null
              ? 1
              : 0;
    }
  }

  /**
   * CONTROL first across producers: producer A offers a CONTROL message and then raises a flag; the
   * other actor, both producer B and the consumer, reads the flag, offers a DATA message and polls
   * twice. When it saw the flag, A's CONTROL offer happens-before its DATA offer, so the poll,
   * which reads the DATA slot before the CONTROL lane, must hand out the CONTROL message first.
   *
   * <p>Results: r1 = the flag seen (1 raised); r2, r3 = the two polls (0 none, 1 CONTROL, 2 DATA).
   */
  @JCStressTest
  @Description("A DATA message never overtakes a CONTROL message another producer offered first.")
  @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Flag not seen yet; CONTROL came first.")
  @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "Flag not seen; CONTROL not offered yet.")
  @Outcome(id = "0, 2, 1", expect = ACCEPTABLE, desc = "Flag not seen; CONTROL arrived later.")
  @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "CONTROL offered first, taken first.")
  @Outcome(
      id = "1, 2, .*",
      expect = FORBIDDEN,
      desc = "DATA offered after the CONTROL message was accepted, but taken first.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost or taken twice.")
  @State
  public static class ControlFirstAcrossProducers {
    private final Edge<Integer> edge =
        Edges.createMultiProducer("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(4));
    private final Message<Integer> control = Message.control(1);
    private final Message<Integer> data = Message.of(2);
    private volatile boolean controlAccepted;

    @Actor
    public void producerA() {
      edge.offer(control);
      controlAccepted = true;
    }

    @Actor
    public void producerBAndConsumer(III_Result r) {
      r.r1 = controlAccepted ? 1 : 0;
      edge.offer(data);
      r.r2 = code(edge.poll());
      r.r3 = code(edge.poll());
    }
  }

  static int code(Message<Integer> m) {
    return m == null ? 0 : m.payload();
  }
}
