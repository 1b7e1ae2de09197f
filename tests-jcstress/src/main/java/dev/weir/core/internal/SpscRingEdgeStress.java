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
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The memory-ordering claims of {@link SpscRingEdge} (the BLOCK, DROP and FAIL edges), one nested
 * test per race: CONTROL first, happens-before from offer to poll, and room and conservation on the
 * smallest rings, where every offer reuses a slot the consumer has just cleared. Each test builds
 * its edge through {@link Edges#create}, as the graph does, with one producer actor and one
 * consumer actor.
 *
 * <p>Run: {@code java -jar tests-jcstress/target/jcstress.jar -t SpscRingEdgeStress -m quick}
 * (after {@code mvn -B -ntp -pl tests-jcstress -am package -DskipTests}).
 */
public final class SpscRingEdgeStress {

  private SpscRingEdgeStress() {}

  /** Codes for the messages a poll returns. */
  static final int NONE = 0;

  static final int CONTROL = 1;
  static final int DATA = 2;

  /**
   * CONTROL first: the producer offers a CONTROL message, then a DATA message; the consumer polls
   * twice. The consumer reads the DATA slot before the CONTROL lane, so if it sees the DATA message
   * it also sees the CONTROL message offered before it, and hands that out first.
   */
  @JCStressTest
  @Description("A DATA message never overtakes a CONTROL message offered before it.")
  @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Both polls ran before the offers.")
  @Outcome(
      id = "0, 1",
      expect = ACCEPTABLE,
      desc = "The first poll ran before the offers, the second saw CONTROL only.")
  @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "CONTROL taken; DATA not offered yet.")
  @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Both taken, CONTROL first.")
  @Outcome(
      id = "0, 2",
      expect = FORBIDDEN,
      desc = "DATA taken while the CONTROL message offered before it was not: DATA overtook it.")
  @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "DATA taken before CONTROL.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost or taken twice.")
  @State
  public static class ControlFirst {
    private final Edge<Integer> edge =
        Edges.create("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(4));
    private final Message<Integer> control = Message.control(CONTROL);
    private final Message<Integer> data = Message.of(DATA);

    @Actor
    public void producer() {
      edge.offer(control);
      edge.offer(data);
    }

    @Actor
    public void consumer(II_Result r) {
      r.r1 = code(edge.poll());
      r.r2 = code(edge.poll());
    }
  }

  /** The mutable payload of {@link HappensBefore}: plain fields, written by the producer. */
  static final class Box {
    int x;
    int y;
  }

  /**
   * Happens-before: the producer writes two plain fields of the payload, then offers the message
   * (built beforehand, so the message's final fields publish nothing the test relies on); a
   * consumer that polls the message must see both writes.
   */
  @JCStressTest
  @Description("Writes before offer are visible after the poll that returns the message.")
  @Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "Polled before the offer: nothing there.")
  @Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "Polled the message and saw both writes.")
  @Outcome(
      id = "0, .*",
      expect = FORBIDDEN,
      desc = "Polled the message but missed a write made before the offer.")
  @Outcome(
      id = ".*, 0",
      expect = FORBIDDEN,
      desc = "Polled the message but missed a write made before the offer.")
  @Outcome(expect = FORBIDDEN, desc = "Unexpected.")
  @State
  public static class HappensBefore {
    private final Edge<Box> edge =
        Edges.create("e", PortSpec.of("in", Box.class), EdgeSpec.blocking(4));
    private final Box box = new Box();
    private final Message<Box> message = Message.of(box);

    @Actor
    public void producer() {
      box.x = 1;
      box.y = 2;
      edge.offer(message);
    }

    @Actor
    public void consumer(II_Result r) {
      Message<Box> m = edge.poll();
      if (m == null) {
        r.r1 = -1;
        r.r2 = -1;
      } else {
        Box b = m.payload();
        r.r1 = b.x;
        r.r2 = b.y;
      }
    }
  }

  /**
   * Room on a capacity-1 BLOCK edge, where both messages share the ring's one slot: the producer
   * offers 1 then 2, the consumer polls twice, and the arbiter reads the depth and drains the rest.
   * The second offer is accepted only if the consumer took message 1 first.
   *
   * <p>Results: r1 = which offers were accepted (bit 0: message 1, bit 1: message 2); r2 = the
   * messages the consumer's two polls returned, as digits in order (12 = message 1 then 2, 1 =
   * message 1 only, 0 = none); r3 = the messages the arbiter drained, the same way; r4 = the depth
   * the arbiter saw before draining.
   */
  @JCStressTest
  @Description("Capacity 1: no message lost or duplicated, order kept, depth within [0, 1].")
  @Outcome(
      id = "1, 0, 1, 1",
      expect = ACCEPTABLE,
      desc = "Polls before the offers; message 2 refused, ring full.")
  @Outcome(
      id = "1, 1, 0, 0",
      expect = ACCEPTABLE,
      desc = "Message 2 refused while 1 was queued; the consumer then took 1.")
  @Outcome(
      id = "3, 1, 2, 1",
      expect = ACCEPTABLE,
      desc = "The consumer took 1, then 2 was accepted after its last poll.")
  @Outcome(id = "3, 12, 0, 0", expect = ACCEPTABLE, desc = "Both accepted and delivered, in order.")
  @Outcome(
      id = "3, 0, 12, .*",
      expect = FORBIDDEN,
      desc = "Message 2 accepted while 1 was still queued: capacity exceeded.")
  @Outcome(expect = FORBIDDEN, desc = "A message lost, duplicated or reordered, or a bad depth.")
  @State
  public static class Capacity1 {
    private final Edge<Integer> edge =
        Edges.create("e", PortSpec.of("in", Integer.class), EdgeSpec.blocking(1));
    private final Message<Integer> one = Message.of(1);
    private final Message<Integer> two = Message.of(2);

    @Actor
    public void producer(IIII_Result r) {
      int accepted = 0;
      if (edge.offer(one).status() == OfferStatus.ACCEPTED) {
        accepted |= 1;
      }
      if (edge.offer(two).status() == OfferStatus.ACCEPTED) {
        accepted |= 2;
      }
      r.r1 = accepted;
    }

    @Actor
    public void consumer(IIII_Result r) {
      r.r2 = digits(edge.poll(), edge.poll());
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      r.r4 = edge.depth();
      r.r3 = digits(edge.poll(), edge.poll());
    }
  }

  /**
   * Room on a capacity-2 DROP edge: the producer offers 1, 2, 3 (refused ones are dropped); the
   * consumer polls three times, reading the depth between its polls; the arbiter drains the rest.
   * With capacity 2 the third message shares the first one's slot, so it can be accepted only after
   * the consumer took message 1.
   *
   * <p>Results: r1 = messages accepted; r2 = messages delivered to the consumer; r3 = messages the
   * arbiter drained; r4 = 1 when every check held: the delivered then the drained messages are
   * exactly the accepted ones, in order, none twice; every accepted message found room (message 3
   * only after message 1 was taken); and every depth read was within [0, 2] (the arbiter's exact).
   */
  @JCStressTest
  @Description("Capacity 2: no message lost or duplicated, order kept, depth within [0, 2].")
  @Outcome(
      id = "[23], [0-3], [0-2], 1",
      expect = ACCEPTABLE,
      desc = "Conservation, order and room held; the counts show how the race went.")
  @Outcome(
      expect = FORBIDDEN,
      desc = "A check failed: lost, duplicated, reordered or over capacity.")
  @State
  public static class Capacity2 {
    private final Edge<Integer> edge =
        Edges.create("e", PortSpec.of("in", Integer.class), EdgeSpec.of(2, OverflowPolicy.DROP));
    private final Message<Integer> m1 = Message.of(1);
    private final Message<Integer> m2 = Message.of(2);
    private final Message<Integer> m3 = Message.of(3);

    /** Written by the producer actor, read by the arbiter (jcstress orders the two). */
    private int acceptedMask;

    /** Written by the consumer actor, read by the arbiter. */
    private final int[] delivered = new int[3];

    private int deliveredCount;
    private boolean depthOk = true;

    @Actor
    public void producer() {
      int mask = 0;
      if (edge.offer(m1).status() == OfferStatus.ACCEPTED) {
        mask |= 1;
      }
      if (edge.offer(m2).status() == OfferStatus.ACCEPTED) {
        mask |= 2;
      }
      if (edge.offer(m3).status() == OfferStatus.ACCEPTED) {
        mask |= 4;
      }
      acceptedMask = mask;
    }

    @Actor
    public void consumer() {
      for (int i = 0; i < 3; i++) {
        Message<Integer> m = edge.poll();
        if (m != null) {
          delivered[deliveredCount++] = m.payload();
        }
        int depth = edge.depth();
        if (depth < 0 || depth > 2) {
          depthOk = false;
        }
      }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
      int depth = edge.depth();
      int[] seen = new int[6];
      int n = 0;
      for (int i = 0; i < deliveredCount; i++) {
        seen[n++] = delivered[i];
      }
      Message<Integer> m;
      int drained = 0;
      while ((m = edge.poll()) != null && n < seen.length) {
        seen[n++] = m.payload();
        drained++;
      }
      int mask = acceptedMask;
      boolean ok = depthOk && depth == drained;
      // Exactly the accepted messages, ascending (so in offer order and none twice).
      int expected = 0;
      int k = 0;
      for (int id = 1; id <= 3; id++) {
        if ((mask & (1 << (id - 1))) != 0) {
          expected++;
          ok &= k < n && seen[k++] == id;
        }
      }
      ok &= n == expected;
      // Message 1 is offered to an empty ring, and so is always accepted; message 3 can only
      // have been accepted into the slot message 1 left, so 1 must have been delivered first.
      ok &= (mask & 1) != 0;
      ok &= (mask & 4) == 0 || (deliveredCount > 0 && delivered[0] == 1);
      r.r1 = Integer.bitCount(mask);
      r.r2 = deliveredCount;
      r.r3 = drained;
      r.r4 = ok ? 1 : 0;
    }
  }

  static int code(Message<Integer> m) {
    return m == null ? NONE : m.payload();
  }

  /** The payloads of two polls as decimal digits in order, skipping empty polls; 0 for none. */
  static int digits(Message<Integer> first, Message<Integer> second) {
    int a = code(first);
    int b = code(second);
    if (a == NONE) {
      return b;
    }
    return b == NONE ? a : a * 10 + b;
  }
}
