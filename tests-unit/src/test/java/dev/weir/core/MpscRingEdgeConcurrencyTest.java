package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.internal.Edges;
import dev.weir.testing.EdgeFlavor;
import dev.weir.testkit.junit.Seed;
import dev.weir.testkit.junit.WeirTest;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several real producer threads and one consumer thread on the multi-producer ring of ingress edges
 * ({@link Edges#createMultiProducer}), under BLOCK (the producers retry a BLOCKED offer), DROP and
 * FAIL, at small capacities so that the edge is full most of the time. Randomized from a {@link
 * Seed}: the capacity and each producer's pauses; a failure names the seed, and {@code
 * -Dweir.seed=N} replays the same inputs (the interleaving is the threads').
 *
 * <p>What each run proves:
 *
 * <ul>
 *   <li>Exactly once: every message of every producer is delivered or lost by policy (dropped or
 *       failed, as its offer reported), never both, never twice; BLOCK loses nothing.
 *   <li>Per-producer FIFO: each producer's delivered messages come out in its offer order.
 *   <li>Capacity: no thread ever sees a depth above the capacity or a remaining capacity outside
 *       [0, capacity].
 *   <li>Happens-before: payloads have plain fields written right before the offer, checked after
 *       the poll.
 *   <li>The ledger: every counter equals what the threads observed, and balances at the end.
 *   <li>CONTROL first, across producers: a DATA message offered after a CONTROL message was
 *       accepted (by any producer, ordered through a shared counter) is delivered after it.
 *   <li>Close: no offer is accepted once {@code close()} has returned, and everything accepted
 *       before it is delivered.
 * </ul>
 */
@WeirTest
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class MpscRingEdgeConcurrencyTest {

  /**
   * A hang detector, not a time budget: a run fails only if no message moved for this long, so a
   * slow or loaded machine cannot fail it.
   */
  private static final long NO_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(60);

  static final int PER_PRODUCER = 100_000;
  static final PortSpec<Item> IN = PortSpec.of("in", Item.class);
  static final String ID = "ingress->consumer.in";

  /** A payload with plain fields: the consumer sees them only through the edge's happens-before. */
  static final class Item {
    int producer;
    int seq;
    long check;

    /** DATA: how many CONTROL messages had been accepted when the producer read the counter. */
    long controlsBefore;

    static long checksum(int producer, int seq) {
      return ((long) producer << 32 | seq) * 0x9E3779B97F4A7C15L;
    }
  }

  static Stream<Arguments> policiesAndProducers() {
    List<Arguments> all = new ArrayList<>();
    for (EdgeFlavor flavor :
        List.of(EdgeFlavor.MPSC_BLOCK, EdgeFlavor.MPSC_DROP, EdgeFlavor.MPSC_FAIL)) {
      for (int producers : new int[] {2, 4}) {
        all.add(Arguments.of(flavor, producers));
      }
    }
    return all.stream();
  }

  /** One producer thread's observations. */
  static final class Producer extends Thread {
    final int index;
    final Edge<Item> edge;
    final EdgeFlavor flavor;
    final SplittableRandom random;
    final CountDownLatch start;
    final int capacity;
    final BitSet lost = new BitSet(PER_PRODUCER);
    long offers;
    long accepted;
    long blocked;
    long dropped;
    long failed;
    final AtomicReference<String> problem;

    Producer(
        int index,
        Edge<Item> edge,
        EdgeFlavor flavor,
        SplittableRandom random,
        CountDownLatch start,
        AtomicReference<String> problem) {
      super("mpsc-producer-" + index);
      this.index = index;
      this.edge = edge;
      this.flavor = flavor;
      this.random = random;
      this.start = start;
      this.capacity = edge.spec().capacity();
      this.problem = problem;
    }

    @Override
    public void run() {
      try {
        start.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (int seq = 0; seq < PER_PRODUCER && problem.get() == null; seq++) {
        Item item = new Item();
        item.producer = index;
        item.seq = seq;
        item.check = Item.checksum(index, seq);
        Message<Item> message = Message.of(item);
        if (random.nextInt(64) == 0) {
          pause();
        }
        for (; ; ) {
          offers++;
          OfferResult result = edge.offer(message);
          switch (result.status()) {
            case ACCEPTED -> accepted++;
            case BLOCKED -> {
              blocked++;
              check(flavor == EdgeFlavor.MPSC_BLOCK, "BLOCKED under " + flavor);
              if (problem.get() != null) {
                return;
              }
              Thread.yield(); // more threads than cores: let the consumer run
              continue;
            }
            case DROPPED -> {
              dropped++;
              lost.set(seq);
              check(flavor == EdgeFlavor.MPSC_DROP, "DROPPED under " + flavor);
            }
            case FAILED -> {
              failed++;
              lost.set(seq);
              check(flavor == EdgeFlavor.MPSC_FAIL, "FAILED under " + flavor);
              check(result.cause() instanceof EdgeOverflowException, "FAILED without overflow");
            }
            default -> check(false, "unexpected " + result);
          }
          break;
        }
        int depth = edge.depth();
        int room = edge.remainingCapacity();
        check(depth >= 0 && depth <= capacity, "depth " + depth + " seen by a producer");
        check(room >= 0 && room <= capacity, "remainingCapacity " + room);
      }
    }

    private void pause() {
      int spins = random.nextInt(200);
      for (int i = 0; i < spins; i++) {
        Thread.onSpinWait();
      }
      if (random.nextBoolean()) {
        Thread.yield();
      }
    }

    private void check(boolean ok, String what) {
      if (!ok) {
        problem.compareAndSet(null, "producer " + index + ": " + what);
      }
    }
  }

  @ParameterizedTest(name = "{0}, {1} producers")
  @MethodSource("policiesAndProducers")
  void offer_manyProducersAndOneConsumer_accountForEveryMessageExactlyOnceInProducerOrder(
      EdgeFlavor flavor, int producers, Seed seed) throws InterruptedException {
    SplittableRandom random = seed.random();
    int capacity = new int[] {1, 2, 3, 8, 16}[random.nextInt(5)];
    Edge<Item> edge = flavor.create(ID, IN, flavor.spec(capacity, (a, b) -> b, x -> x));
    AtomicReference<String> problem = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Producer> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      threads.add(new Producer(p, edge, flavor, random.split(), start, problem));
    }
    threads.forEach(Thread::start);
    BitSet[] delivered = new BitSet[producers];
    int[] next = new int[producers];
    for (int p = 0; p < producers; p++) {
      delivered[p] = new BitSet(PER_PRODUCER);
    }
    long polled = 0;
    long deadline = System.nanoTime() + NO_PROGRESS_NANOS;
    long offeredSeen = 0;
    start.countDown();
    // Consume only once the edge has overflowed, so that every run exercises the full path.
    while (overflows(edge.stats()) == 0 && problem.get() == null) {
      long offered = edge.stats().offered();
      if (offered != offeredSeen) {
        offeredSeen = offered;
        deadline = System.nanoTime() + NO_PROGRESS_NANOS;
      } else if (System.nanoTime() > deadline) {
        problem.set("no offer for 60 s and the edge never overflowed, stats " + edge.stats());
      }
      Thread.yield();
    }
    boolean producing = true;
    while (problem.get() == null) {
      Message<Item> m = edge.poll();
      if (m == null) {
        if (!producing && edge.isEmpty()) {
          break;
        }
        if (producing && threads.stream().noneMatch(Thread::isAlive)) {
          producing = false; // join below orders their offers before the last drain
        }
        if (System.nanoTime() > deadline) {
          problem.set(
              "no message for 60 s: stuck at " + polled + " messages, stats " + edge.stats());
        }
        Thread.onSpinWait();
        continue;
      }
      deadline = System.nanoTime() + NO_PROGRESS_NANOS;
      polled++;
      Item item = m.payload();
      int p = item.producer;
      if (item.check != Item.checksum(p, item.seq)) {
        problem.set("torn payload " + p + "/" + item.seq);
      } else if (item.seq < next[p] || delivered[p].get(item.seq)) {
        problem.set("producer " + p + ": " + item.seq + " after " + (next[p] - 1));
      }
      delivered[p].set(item.seq);
      next[p] = item.seq + 1;
      int depth = edge.depth();
      if (depth > capacity) {
        problem.set("depth " + depth + " above capacity " + capacity);
      }
    }
    for (Producer t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(problem.get()).as("first problem seen").isNull();

    long offers = 0;
    long accepted = 0;
    long blocked = 0;
    long dropped = 0;
    long failed = 0;
    for (Producer t : threads) {
      BitSet both = (BitSet) delivered[t.index].clone();
      both.and(t.lost);
      assertThat(both.cardinality()).as("producer %d: delivered and lost", t.index).isZero();
      assertThat(delivered[t.index].cardinality() + t.lost.cardinality())
          .as("producer %d: delivered + lost", t.index)
          .isEqualTo(PER_PRODUCER);
      offers += t.offers;
      accepted += t.accepted;
      blocked += t.blocked;
      dropped += t.dropped;
      failed += t.failed;
    }
    if (flavor == EdgeFlavor.MPSC_BLOCK) {
      assertThat(accepted).as("BLOCK loses nothing").isEqualTo((long) producers * PER_PRODUCER);
    }
    EdgeStats stats = edge.stats();
    assertThat(stats.accepted()).as("accepted").isEqualTo(accepted).isEqualTo(polled);
    assertThat(stats.delivered()).as("delivered").isEqualTo(polled);
    assertThat(stats.blocked()).as("blocked").isEqualTo(blocked);
    assertThat(stats.dropped()).as("dropped").isEqualTo(dropped);
    assertThat(stats.failed()).as("failed").isEqualTo(failed);
    assertThat(stats.rejected() + stats.closed() + stats.evicted() + stats.coalesced()).isZero();
    assertThat(stats.offered()).as("offered").isEqualTo(offers);
    assertThat(stats.unaccounted()).isZero();
    assertThat(stats.depth()).isZero();
    assertThat(edge.remainingCapacity()).isEqualTo(capacity);
    assertThat(stats.highWaterMark()).isBetween(1L, (long) capacity);
    assertThat(overflows(stats)).as("the edge overflowed").isPositive();
  }

  private static long overflows(EdgeStats stats) {
    return stats.blocked() + stats.dropped() + stats.failed();
  }

  @Test
  void poll_controlAcceptedBeforeDataByAnyProducer_isDeliveredFirst(Seed seed)
      throws InterruptedException {
    SplittableRandom random = seed.random();
    int producers = 4;
    int perProducer = 100_000;
    Edge<Item> edge =
        Edges.createMultiProducer(ID, IN, EdgeSpec.blocking(4).withControlCapacity(2));
    AtomicLong controlsAccepted = new AtomicLong();
    AtomicReference<String> problem = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] controlsOffered = new long[producers];
    for (int p = 0; p < producers; p++) {
      int index = p;
      SplittableRandom mine = random.split();
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int seq = 0; seq < perProducer && problem.get() == null; seq++) {
                  boolean control = mine.nextInt(32) == 0;
                  Item item = new Item();
                  item.producer = index;
                  item.seq = seq;
                  item.check = Item.checksum(index, seq);
                  // Read before the offer: every CONTROL message counted here was accepted
                  // before this DATA offer began, so it must be delivered first.
                  item.controlsBefore = controlsAccepted.get();
                  Message<Item> message = control ? Message.control(item) : Message.of(item);
                  while (edge.offer(message).status() == OfferStatus.BLOCKED) {
                    if (problem.get() != null) {
                      return;
                    }
                    Thread.yield();
                  }
                  if (control) {
                    controlsOffered[index]++;
                    controlsAccepted.incrementAndGet();
                  }
                }
              },
              "mpsc-control-producer-" + p));
    }
    threads.forEach(Thread::start);
    start.countDown();
    long controlsDelivered = 0;
    long total = 0;
    int[] nextData = new int[producers];
    int[] nextControl = new int[producers];
    long delivered = 0;
    long deadline = System.nanoTime() + NO_PROGRESS_NANOS;
    while (total < (long) producers * perProducer && problem.get() == null) {
      Message<Item> m = edge.poll();
      if (m == null) {
        if (System.nanoTime() > deadline) {
          problem.set(
              "no message for 60 s: stuck at " + total + " messages, stats " + edge.stats());
        }
        Thread.onSpinWait();
        continue;
      }
      deadline = System.nanoTime() + NO_PROGRESS_NANOS;
      total++;
      Item item = m.payload();
      if (m.isControl()) {
        controlsDelivered++;
      } else if (item.controlsBefore > controlsDelivered) {
        problem.set(
            "DATA "
                + item.producer
                + "/"
                + item.seq
                + " offered after "
                + item.controlsBefore
                + " CONTROL messages were accepted, delivered after only "
                + controlsDelivered);
      }
      // FIFO per producer and plane: a CONTROL message may overtake its producer's queued DATA.
      int[] next = m.isControl() ? nextControl : nextData;
      if (item.seq < next[item.producer]) {
        problem.set(
            "producer " + item.producer + ": " + item.seq + " after " + next[item.producer]);
      }
      next[item.producer] = item.seq + 1;
      delivered++;
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertThat(problem.get()).as("first problem seen").isNull();
    long controls = 0;
    for (long c : controlsOffered) {
      controls += c;
    }
    assertThat(controlsDelivered).isEqualTo(controls);
    assertThat(delivered).as("every message, each once").isEqualTo((long) producers * perProducer);
    EdgeStats stats = edge.stats();
    assertThat(stats.accepted()).isEqualTo(total);
    assertThat(stats.delivered()).isEqualTo(total);
    assertThat(stats.unaccounted()).isZero();
    assertThat(edge.isEmpty()).isTrue();
  }

  @Test
  void close_whileProducersOffer_acceptsNothingAfterItReturnsAndKeepsEveryAcceptedMessage(Seed seed)
      throws InterruptedException {
    SplittableRandom random = seed.random();
    int producers = 4;
    Edge<Item> edge = Edges.createMultiProducer(ID, IN, EdgeSpec.of(8, OverflowPolicy.DROP));
    AtomicReference<String> problem = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    long[] acceptedBy = new long[producers];
    long[] closedBy = new long[producers];
    long[] droppedBy = new long[producers];
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int index = p;
      threads.add(
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                Message<Item> message = Message.of(new Item());
                for (; ; ) {
                  OfferStatus status = edge.offer(message).status();
                  if (status == OfferStatus.ACCEPTED) {
                    acceptedBy[index]++;
                  } else if (status == OfferStatus.DROPPED) {
                    droppedBy[index]++;
                  } else if (status == OfferStatus.CLOSED) {
                    closedBy[index]++;
                    return;
                  } else {
                    problem.compareAndSet(null, "unexpected " + status);
                    return;
                  }
                }
              },
              "mpsc-close-producer-" + p));
    }
    threads.forEach(Thread::start);
    start.countDown();
    long polled = 0;
    long closeAfter = 1_000 + random.nextInt(50_000);
    while (polled < closeAfter && problem.get() == null) {
      if (edge.poll() != null) {
        polled++;
      }
    }
    edge.close();
    long acceptedAtClose = edge.stats().accepted();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!edge.isEmpty() && System.nanoTime() < deadline) {
      if (edge.poll() != null) {
        polled++;
      }
    }
    assertThat(problem.get()).isNull();
    assertThat(edge.offer(Message.of(new Item())).status()).isEqualTo(OfferStatus.CLOSED);
    long accepted = 0;
    long closed = 1;
    long dropped = 0;
    for (int p = 0; p < producers; p++) {
      accepted += acceptedBy[p];
      closed += closedBy[p];
      dropped += droppedBy[p];
    }
    EdgeStats stats = edge.stats();
    assertThat(stats.accepted()).as("accepted after close() returned").isEqualTo(acceptedAtClose);
    assertThat(stats.accepted()).isEqualTo(accepted).isEqualTo(polled);
    assertThat(stats.closed()).isEqualTo(closed);
    assertThat(stats.dropped()).isEqualTo(dropped);
    assertThat(stats.unaccounted()).isZero();
    assertThat(edge.isEmpty()).isTrue();
  }
}
