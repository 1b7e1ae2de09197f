package dev.weir.core.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.weir.core.Edge;
import dev.weir.core.EdgeSpec;
import dev.weir.core.Message;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
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
 * The memory-ordering claims of {@link EvictingRingEdge} (the LATEST edges): the producer evicting
 * the oldest message and the consumer taking it race for the same head index, and exactly one wins
 * (a CAS of head decides), so every accepted message is delivered or evicted, never both, never
 * neither. Each test builds its edge through {@link Edges#create}, as the graph does, fills it in
 * the state's constructor, and runs one producer actor and one consumer actor.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t EvictingRingEdgeStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class EvictingRingEdgeStress {

  private EvictingRingEdgeStress() {}

  /**
   * Full capacity-1 ring holding message 1: the producer offers 2 (which evicts 1 if it is still
   * queued), the consumer polls once, the arbiter drains the rest.
   *
   * <p>Results: r1 = the message the offer evicted (0 none); r2 = what the consumer's poll returned
   * (0 none); r3 = what the arbiter drained (0 none).
   */
  @JCStressTest
  @Description("Capacity 1: the oldest message is delivered or evicted, exactly once.")
  @Outcome(
      id = "0, 1, 2",
      expect = ACCEPTABLE,
      desc = "The consumer took 1 first; 2 found room and stayed queued.")
  @Outcome(
      id = "1, 2, 0",
      expect = ACCEPTABLE,
      desc = "The producer evicted 1; the consumer then took 2.")
  @Outcome(
      id = "1, 0, 2",
      expect = ACCEPTABLE,
      desc = "The producer evicted 1; the consumer polled before 2 was published.")
  @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Message 1 both evicted and delivered.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost, duplicated or out of order.")
  @State
  public static class Capacity1 {
    private final Edge<Integer> edge =
        Edges.create("e", PortSpec.of("in", Integer.class), EdgeSpec.of(1, OverflowPolicy.LATEST));
    private final Message<Integer> two = Message.of(2);

    public Capacity1() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer(III_Result r) {
      r.r1 = evicted(edge.offer(two));
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
   * Full capacity-2 ring holding messages 1 and 2: the producer offers 3 then 4, each evicting the
   * oldest message still queued; the consumer polls twice; the arbiter drains the rest. Every
   * message ends in exactly one of three places: evicted, delivered or left queued.
   *
   * <p>Results: r1 = 1 when every check held: each of the four messages accounted for exactly once
   * (evicted, delivered or drained; 3 and 4 are always accepted under LATEST); the delivered then
   * the drained messages in increasing order; the evicted ones in increasing order too (each
   * eviction takes the oldest). r2 = how many evictions there were (0–2).
   */
  @JCStressTest
  @Description(
      "Capacity 2: every message evicted, delivered or left queued, exactly once, in order.")
  @Outcome(
      id = "1, [0-2]",
      expect = ACCEPTABLE,
      desc = "Conservation and order held; r2 counts the evictions.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost or counted twice, or an order broken.")
  @State
  public static class Capacity2 {
    private final Edge<Integer> edge =
        Edges.create("e", PortSpec.of("in", Integer.class), EdgeSpec.of(2, OverflowPolicy.LATEST));
    private final Message<Integer> three = Message.of(3);
    private final Message<Integer> four = Message.of(4);

    /** Written by the producer actor, read by the arbiter (jcstress orders the two). */
    private final int[] evicted = new int[2];

    private boolean producerSawRefusal;

    /** Written by the consumer actor, read by the arbiter. */
    private final int[] delivered = new int[2];

    public Capacity2() {
      edge.offer(Message.of(1));
      edge.offer(Message.of(2));
    }

    @Actor
    public void producer() {
      OfferResult a = edge.offer(three);
      OfferResult b = edge.offer(four);
      producerSawRefusal = !a.isEnqueued() || !b.isEnqueued();
      evicted[0] = evicted(a);
      evicted[1] = evicted(b);
    }

    @Actor
    public void consumer() {
      delivered[0] = SpscRingEdgeStress.code(edge.poll());
      delivered[1] = SpscRingEdgeStress.code(edge.poll());
    }

    @Arbiter
    public void arbiter(II_Result r) {
      int[] seen = new int[5];
      int lastEvicted = 0;
      int evictions = 0;
      boolean ok = !producerSawRefusal;
      for (int e : evicted) {
        if (e != 0) {
          seen[e]++;
          ok &= e > lastEvicted;
          lastEvicted = e;
          evictions++;
        }
      }
      int last = 0;
      for (int d : delivered) {
        if (d != 0) {
          seen[d]++;
          ok &= d > last;
          last = d;
        }
      }
      for (Message<Integer> m = edge.poll(); m != null; m = edge.poll()) {
        seen[m.payload()]++;
        ok &= m.payload() > last;
        last = m.payload();
      }
      for (int i = 1; i <= 4; i++) {
        ok &= seen[i] == 1;
      }
      r.r1 = ok ? 1 : 0;
      r.r2 = evictions;
    }
  }

  static int evicted(OfferResult result) {
    if (result.status() != OfferStatus.EVICTED) {
      return 0;
    }
    Message<?> m = result.evicted();
    return m == null ? -1 : (Integer) m.payload();
  }
}
