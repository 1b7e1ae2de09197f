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
import org.openjdk.jcstress.infra.results.IIII_Result;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The memory-ordering claims of {@link CoalescingRingEdge} (the COALESCE edges): on a full ring the
 * producer merges the incoming payload into a queued message with a CAS on its slot, while the
 * consumer takes that slot with {@code getAndSet(null)}; exactly one of them wins. If the consumer
 * wins, the producer sees the empty slot, counts it as room and enqueues the incoming message; if
 * the producer wins, the consumer delivers the merged message. Either way no payload is lost or
 * counted twice. A keyed ring never merges across keys: its fallback (BLOCK, or LATEST, which
 * evicts by a CAS of head) applies instead. And a DATA payload merged after a CONTROL message is
 * never delivered before it. Each test fills its edge in the state's constructor and runs one
 * producer actor and one consumer actor.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t CoalescingRingEdgeStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class CoalescingRingEdgeStress {

  private CoalescingRingEdgeStress() {}

  /** Offer statuses as result codes. */
  static final int ACCEPTED = 1;

  static final int COALESCED = 2;
  static final int BLOCKED = 3;
  static final int EVICTED = 4;
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

  /**
   * Regression test for issue 14, point 6. Full capacity-1 keyed ring (key = last decimal digit,
   * fallback BLOCK) holding payload 1: the producer offers 2, whose key no queued message has, so
   * it is refused unless the consumer took 1 first; it is never merged into 1.
   *
   * <p>Results: r1 = the offer's status; r2 = the consumer's poll; r3 = the arbiter's (0 none).
   */
  @JCStressTest
  @Description("Keyed, fallback BLOCK: another key's message is never a merge target.")
  @Outcome(id = "3, 1, 0", expect = ACCEPTABLE, desc = "Refused (BLOCKED); 1 delivered.")
  @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The consumer took 1 first; 2 enqueued.")
  @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "2 merged into 1, a message of another key.")
  @Outcome(expect = FORBIDDEN, desc = "A payload lost, duplicated or merged across keys.")
  @State
  public static class KeyedFallbackBlock {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(1, OverflowPolicy.<Integer>coalesce(Integer::sum, p -> p % 10)));
    private final Message<Integer> two = Message.of(2);

    public KeyedFallbackBlock() {
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
      r.r3 = SpscRingEdgeStress.code(edge.poll());
    }
  }

  /**
   * Full capacity-1 keyed ring with fallback LATEST holding payload 1: the producer offers 2 (a key
   * no queued message has), so it evicts 1, unless the consumer took 1 first. Which of them owns 1
   * is decided by one CAS of head: 1 is delivered or evicted, never both.
   *
   * <p>Results: r1 = the offer's status (4: EVICTED, carrying 1); r2 = the consumer's poll; r3 =
   * the arbiter's (0 none).
   */
  @JCStressTest
  @Description("Keyed, fallback LATEST: the eviction and the consumer's take never both win.")
  @Outcome(id = "4, 2, 0", expect = ACCEPTABLE, desc = "1 evicted; the consumer took 2.")
  @Outcome(
      id = "4, 0, 2",
      expect = ACCEPTABLE,
      desc = "1 evicted; the consumer polled before 2 was published.")
  @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The consumer took 1 first; 2 enqueued.")
  @Outcome(id = "4, 1, .*", expect = FORBIDDEN, desc = "1 both evicted and delivered.")
  @Outcome(expect = FORBIDDEN, desc = "A payload lost, duplicated or merged across keys.")
  @State
  public static class KeyedFallbackLatest {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(
                1,
                OverflowPolicy.<Integer>coalesce(
                    Integer::sum, p -> p % 10, OverflowPolicy.LATEST)));
    private final Message<Integer> two = Message.of(2);

    public KeyedFallbackLatest() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer(III_Result r) {
      OfferResult result = edge.offer(two);
      Message<?> evicted = result.evicted();
      r.r1 =
          result.status() == OfferStatus.EVICTED
              ? (evicted != null && Integer.valueOf(1).equals(evicted.payload()) ? EVICTED : OTHER)
              : status(result.status());
    }

    @Actor
    public void consumer(III_Result r) {
      r.r2 = SpscRingEdgeStress.code(edge.poll());
    }

    @Arbiter
    public void arbiter(III_Result r) {
      r.r3 = SpscRingEdgeStress.code(edge.poll());
    }
  }

  /**
   * Regression test for issue 14, point 7. Full capacity-1 ring holding payload 1, merge = sum: the
   * producer offers CONTROL 7, then DATA 2, which merges into the queued 1 (making 3) unless the
   * consumer took 1 first; the consumer polls twice; the arbiter drains the rest. DATA 2 was
   * offered after CONTROL 7, so a delivered 3 (which carries 2) must come after 7.
   *
   * <p>Results: r1 and r2 = the consumer's polls; r3 and r4 = the arbiter's (0 none).
   */
  @JCStressTest
  @Description("CONTROL before DATA merged after it: a merge never slips DATA past CONTROL.")
  @Outcome(
      id = "1, 0, 7, 2",
      expect = ACCEPTABLE,
      desc = "The consumer took 1 before the producer ran; the arbiter got 7, then 2.")
  @Outcome(
      id = "1, 7, 2, 0",
      expect = ACCEPTABLE,
      desc = "The consumer took 1, then 7; 2 found room and stayed queued.")
  @Outcome(
      id = "7, 1, 2, 0",
      expect = ACCEPTABLE,
      desc = "7 first; the consumer took 1 before the merge, so 2 was enqueued.")
  @Outcome(id = "7, 3, 0, 0", expect = ACCEPTABLE, desc = "7 first, then the merged 1 + 2.")
  @Outcome(
      id = "3, .*",
      expect = FORBIDDEN,
      desc = "DATA merged after CONTROL 7 delivered before CONTROL 7.")
  @Outcome(expect = FORBIDDEN, desc = "Lost, duplicated, or DATA 2 before CONTROL 7.")
  @State
  public static class ControlBeforeMergedData {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(1, OverflowPolicy.coalesce(Integer::sum)));
    private final Message<Integer> control = Message.control(7);
    private final Message<Integer> two = Message.of(2);

    public ControlBeforeMergedData() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer() {
      edge.offer(control);
      edge.offer(two);
    }

    @Actor
    public void consumer(IIII_Result r) {
      r.r1 = SpscRingEdgeStress.code(edge.poll());
      r.r2 = SpscRingEdgeStress.code(edge.poll());
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      r.r3 = SpscRingEdgeStress.code(edge.poll());
      r.r4 = SpscRingEdgeStress.code(edge.poll());
    }
  }

  /**
   * Capacity is a hard bound while the consumer holds a merged message back for a CONTROL one. Full
   * capacity-1 ring holding 1, merge = sum: the producer offers CONTROL 7, then 2 (merged into 1
   * unless the consumer took it), then 4; the consumer polls once; the arbiter reads the depth and
   * drains. When the merge and the CONTROL offer race the poll, the consumer delivers 7 and holds 1
   * + 2; the held message keeps its slot, so 4 must merge or be refused, never enqueued beside it
   * (the bug: the ring refilled and the edge showed depth 2 on capacity 1).
   *
   * <p>Results: r1 = the consumer's poll; r2 = the DATA messages the arbiter drained, all queued at
   * once (9 if that differs from the depth it read first); r3 = the status of the offer of 4; r4 =
   * the DATA payloads delivered, plus 4 if that offer was refused, times 10, plus the number of
   * CONTROL messages delivered (71: each payload exactly once).
   */
  @JCStressTest
  @Description("A message held back for CONTROL still counts against the capacity.")
  @Outcome(id = ".*, [01], .*, 71", expect = ACCEPTABLE, desc = "Within capacity; all accounted.")
  @Outcome(id = ".*, [2-8], .*", expect = FORBIDDEN, desc = "Data depth above the capacity (1).")
  @Outcome(id = ".*, 9, .*", expect = FORBIDDEN, desc = "depth() not the number of DATA queued.")
  @Outcome(expect = FORBIDDEN, desc = "A payload lost or counted twice, or CONTROL lost.")
  @State
  public static class HeldKeepsCapacity {
    private final Edge<Integer> edge =
        Edges.create(
            "e",
            PortSpec.of("in", Integer.class),
            EdgeSpec.of(1, OverflowPolicy.coalesce(Integer::sum)));
    private int consumerData;
    private int consumerControl;
    private int refused;

    public HeldKeepsCapacity() {
      edge.offer(Message.of(1));
    }

    @Actor
    public void producer(IIII_Result r) {
      edge.offer(Message.control(7));
      edge.offer(Message.of(2));
      OfferResult last = edge.offer(Message.of(4));
      r.r3 = status(last.status());
      refused = last.status() == OfferStatus.BLOCKED ? 4 : 0;
    }

    @Actor
    public void consumer(IIII_Result r) {
      Message<Integer> m = edge.poll();
      r.r1 = SpscRingEdgeStress.code(m);
      if (m != null) {
        if (m.isControl()) {
          consumerControl++;
        } else {
          consumerData += m.payload();
        }
      }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      int depth = edge.depth();
      int data = consumerData + refused;
      int control = consumerControl;
      int drained = 0;
      Message<Integer> m;
      while ((m = edge.poll()) != null) {
        if (m.isControl()) {
          control++;
        } else {
          data += m.payload();
          drained++;
        }
      }
      r.r2 = depth == drained ? drained : 9;
      r.r4 = data * 10 + control;
    }
  }

  static int status(OfferStatus status) {
    return switch (status) {
      case ACCEPTED -> ACCEPTED;
      case COALESCED -> COALESCED;
      case BLOCKED -> BLOCKED;
      default -> OTHER;
    };
  }
}
