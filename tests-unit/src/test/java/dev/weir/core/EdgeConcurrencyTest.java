package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.weir.testing.EdgeFlavor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One producer thread and one consumer thread on one edge, per policy, at capacities 8 and 64 so
 * that the edge overflows constantly (and 1 for the lock-free LATEST and COALESCE rings, whose
 * producer and consumer then contend for the same message on almost every operation): {@value
 * #MESSAGES} DATA messages plus a CONTROL message after every {@value #CONTROL_EVERY}th. Bounded by
 * message count, and by a {@value #DEADLINE_SECONDS}s deadline after which both threads are stopped
 * and the test fails with their progress.
 *
 * <p>The consumer starts polling only once the producer has found the edge full, so every run
 * overflows at least once whatever the thread scheduling; after that, the consumer's per-message
 * checks make it slower than the producer, which keeps the edge mostly full.
 *
 * <p>What each run proves:
 *
 * <ul>
 *   <li>Exactly once: every DATA sequence number ends up delivered (walking the merge tree of
 *       coalesced payloads) or lost by policy (dropped, or evicted as reported by {@link
 *       OfferResult#evicted()}), never both, never twice; BLOCK, COALESCE and FAIL lose nothing.
 *   <li>FIFO: delivered payloads come out in offer order (by their oldest sequence number); an
 *       unkeyed COALESCE delivers contiguous ranges that tile the sequence.
 *   <li>CONTROL: every CONTROL message is delivered, in order, and before data offered after it,
 *       not even inside a COALESCE chunk that a later offer was merged into.
 *   <li>Happens-before: payloads are built with plain (non-volatile, non-final) fields, and a
 *       reachable array, right before the offer; the consumer checks every field after the poll.
 *   <li>The ledger: the edge's counters equal the outcomes both threads observed.
 *   <li>FAIL, offered only within {@link Edge#remainingCapacity()}, never fails: the producer's
 *       view of the remaining capacity is a safe demand.
 * </ul>
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EdgeConcurrencyTest {

  static final int MESSAGES = 1_000_000;
  static final int CONTROL_EVERY = 64;
  static final int DEADLINE_SECONDS = 60;

  /**
   * A DATA payload covering one or more offered sequence numbers: a leaf for one offer, a node of
   * the merge tree when COALESCE merged offers. Fields are deliberately plain and mutable.
   */
  static final class Chunk {
    long first;
    long last;
    long count;
    long[] body;
    Chunk left;
    Chunk right;
    long check;

    static Chunk leaf(long seq) {
      Chunk c = new Chunk();
      c.first = seq;
      c.last = seq;
      c.count = 1;
      c.body = new long[] {seq, ~seq};
      c.check = checksum(c);
      return c;
    }

    static Chunk merge(Chunk queued, Chunk incoming) {
      Chunk c = new Chunk();
      c.first = queued.first;
      c.last = incoming.last;
      c.count = queued.count + incoming.count;
      c.body = new long[] {c.first, ~c.last};
      c.left = queued;
      c.right = incoming;
      c.check = checksum(c);
      return c;
    }

    static long checksum(Chunk c) {
      return c.first * 0x9E3779B97F4A7C15L ^ c.last * 31 ^ c.count;
    }

    long key() {
      return first & 3;
    }
  }

  /** A CONTROL payload: its own sequence number and the first DATA sequence offered after it. */
  static final class Signal {
    long n;
    long nextData;

    Signal(long n, long nextData) {
      this.n = n;
      this.nextData = nextData;
    }
  }

  static final PortSpec<Object> IN = PortSpec.of("in", Object.class);
  static final BinaryOperator<Chunk> MERGE = Chunk::merge;
  static final Function<Chunk, Object> KEY = Chunk::key;

  static Stream<Arguments> flavorsAndCapacities() {
    List<Arguments> all = new ArrayList<>();
    for (EdgeFlavor flavor : EdgeFlavor.values()) {
      if (flavor == EdgeFlavor.LATEST
          || (flavor.coalesces() && flavor != EdgeFlavor.COALESCE_KEYED)) {
        // Both threads remove (or replace) the same head message all the time: the CAS races.
        // (Not keyed COALESCE with fallback BLOCK: at capacity 1 it is a BLOCK ping-pong, one
        // message per hand-off, too slow on a loaded machine; its races run at capacity 3 and 8.)
        all.add(Arguments.of(flavor, 1));
      }
      all.add(Arguments.of(flavor, 8));
      all.add(Arguments.of(flavor, 64));
      // Not powers of two: the ring is longer than the capacity, so an overrun by one would not
      // overwrite a queued message; the capacity check has to hold by itself.
      all.add(Arguments.of(flavor, 3));
      all.add(Arguments.of(flavor, 100));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("flavorsAndCapacities")
  void stats_readByAThirdThreadWhileBothSidesRun_alwaysConsistent(EdgeFlavor flavor, int capacity)
      throws InterruptedException {
    Edge<Object> edge =
        Edge.create("producer.out->consumer.in", IN, flavor.spec(capacity, MERGE, KEY));
    Producer producer = new Producer(edge, flavor);
    Consumer consumer = new Consumer(edge, producer);
    // A COALESCE edge's consumer may hold one DATA message taken from a full ring behind a CONTROL
    // message it delivers first; depth counts it.
    int heldAtMost = flavor.coalesces() ? 1 : 0;
    AtomicReference<String> broken = new AtomicReference<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread observer =
        new Thread(
            () -> {
              long lastAccepted = 0;
              long lastDelivered = 0;
              while (running.get() && broken.get() == null) {
                EdgeStats s = edge.stats();
                if (s.depth() < 0
                    || s.depth() > capacity + heldAtMost
                    || s.controlDepth() < 0
                    || s.accepted() < s.delivered() + s.discarded()
                    || s.accepted() < lastAccepted
                    || s.delivered() < lastDelivered) {
                  broken.set(
                      s + " after accepted " + lastAccepted + ", delivered " + lastDelivered);
                }
                lastAccepted = s.accepted();
                lastDelivered = s.delivered();
                Thread.yield();
              }
            },
            "edge-observer");
    observer.setDaemon(true);
    observer.start();

    runBoth(producer, consumer, edge);
    running.set(false);
    observer.join();

    assertThat(broken.get()).as("an inconsistent snapshot").isNull();
  }

  @ParameterizedTest(name = "{0} capacity {1}")
  @MethodSource("flavorsAndCapacities")
  void offerAndPoll_producerAndConsumerThreads_accountForEveryMessageExactlyOnceInOrder(
      EdgeFlavor flavor, int capacity) throws InterruptedException {
    Edge<Object> edge =
        flavor.create("producer.out->consumer.in", IN, flavor.spec(capacity, MERGE, KEY));
    Producer producer = new Producer(edge, flavor);
    Consumer consumer = new Consumer(edge, producer);

    runBoth(producer, consumer, edge);

    BitSet both = (BitSet) consumer.delivered.clone();
    both.and(producer.lost);
    assertThat(both.cardinality()).as("sequence numbers both delivered and lost").isZero();
    assertThat(consumer.delivered.cardinality() + producer.lost.cardinality())
        .as("delivered + lost")
        .isEqualTo(MESSAGES);
    assertThat(consumer.signals).as("CONTROL messages delivered").isEqualTo(producer.signals);
    if (flavor.kind() == OverflowPolicy.Kind.BLOCK
        || flavor == EdgeFlavor.COALESCE
        || flavor == EdgeFlavor.COALESCE_KEYED
        || flavor.kind() == OverflowPolicy.Kind.FAIL) {
      assertThat(producer.lost.cardinality()).as("lost under a lossless policy").isZero();
    }
    assertThat(producer.sawFull).as("the producer found the edge full").isTrue();
    EdgeStats stats = edge.stats();
    assertThat(stats.accepted()).isEqualTo(producer.accepted);
    assertThat(stats.evicted()).isEqualTo(producer.evicted);
    assertThat(stats.dropped()).isEqualTo(producer.dropped);
    assertThat(stats.coalesced()).isEqualTo(producer.coalesced);
    assertThat(stats.blocked()).isEqualTo(producer.blocked);
    assertThat(stats.failed() + stats.rejected() + stats.closed()).isZero();
    assertThat(stats.delivered()).isEqualTo(consumer.polled);
    assertThat(stats.unaccounted()).isZero();
    assertThat(stats.depth() + stats.controlDepth()).isZero();
    assertThat(stats.highWaterMark()).isBetween(1L, (long) capacity);
  }

  private static void runBoth(Producer producer, Consumer consumer, Edge<Object> edge)
      throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread p = start("producer", producer, failure, consumer);
    Thread c = start("consumer", consumer, failure, producer);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    for (Thread t : List.of(p, c)) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      t.join(Math.max(1, left));
    }
    if (p.isAlive() || c.isAlive()) {
      producer.abort = true;
      consumer.abort = true;
      p.join(1_000);
      c.join(1_000);
      fail(
          "no progress within %ds: produced %d, polled %d, %s",
          DEADLINE_SECONDS, producer.next, consumer.polled, edge.stats());
    }
    if (failure.get() != null) {
      throw new AssertionError("a worker failed on " + edge.stats(), failure.get());
    }
  }

  private static Thread start(
      String name, Worker worker, AtomicReference<Throwable> failure, Worker other) {
    Thread t =
        new Thread(
            () -> {
              try {
                worker.run();
              } catch (Throwable e) {
                failure.compareAndSet(null, e);
                other.abort = true;
              }
            },
            "edge-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  abstract static class Worker {
    volatile boolean abort;
    private int spins;

    abstract void run();

    /** Spins briefly, then yields: with two cores and two busy threads, yielding is needed. */
    final void idle() {
      if (abort) {
        throw new IllegalStateException("aborted");
      }
      if (++spins % 64 == 0) {
        Thread.yield();
      } else {
        Thread.onSpinWait();
      }
    }
  }

  static final class Producer extends Worker {
    final Edge<Object> edge;
    final EdgeFlavor flavor;
    final BitSet lost = new BitSet(MESSAGES);
    volatile boolean done;

    /** Set the first time an offer finds the edge full; the consumer starts only then. */
    volatile boolean sawFull;

    long next;
    long signals;
    long accepted;
    long evicted;
    long dropped;
    long coalesced;
    long blocked;

    Producer(Edge<Object> edge, EdgeFlavor flavor) {
      this.edge = edge;
      this.flavor = flavor;
    }

    @Override
    void run() {
      for (next = 0; next < MESSAGES; next++) {
        if (next % CONTROL_EVERY == 0) {
          offerSignal(new Signal(signals++, next));
        }
        if (flavor.kind() == OverflowPolicy.Kind.FAIL) {
          while (edge.remainingCapacity() == 0) {
            sawFull = true;
            idle();
          }
        }
        offerData(Message.create(Chunk.leaf(next), Headers.empty(), next, next, Plane.DATA));
      }
      done = true;
    }

    private void offerSignal(Signal signal) {
      Message<Signal> m = Message.create(signal, Headers.empty(), -1, 0, Plane.CONTROL);
      OfferResult r;
      while ((r = edge.offer(m)).status() == OfferStatus.BLOCKED) {
        blocked++;
        sawFull = true;
        idle();
      }
      check(r.status() == OfferStatus.ACCEPTED, "CONTROL offer returned ", r);
      accepted++;
    }

    private void offerData(Message<Chunk> m) {
      for (; ; ) {
        OfferResult r = edge.offer(m);
        if (r.status() != OfferStatus.ACCEPTED && !sawFull) {
          sawFull = true;
        }
        switch (r.status()) {
          case ACCEPTED -> accepted++;
          case EVICTED -> {
            accepted++;
            evicted++;
            Chunk gone = (Chunk) r.evicted().payload();
            walk(gone, lost, "evicted");
          }
          case DROPPED -> {
            dropped++;
            lost.set((int) next);
          }
          case COALESCED -> coalesced++;
          case BLOCKED -> {
            // Every COALESCE flavour may block: when the only DATA message the edge holds is one
            // its consumer holds back behind a CONTROL message there is nothing queued to merge
            // into, that message keeps its slot (capacity is a hard bound), and a keyed LATEST
            // fallback does not evict a message already on its way to the consumer.
            check(
                flavor.kind() == OverflowPolicy.Kind.BLOCK || flavor.coalesces(),
                "BLOCKED DATA offer under ",
                flavor);
            blocked++;
            idle();
            continue;
          }
          default -> throw new AssertionError("offer of " + next + " returned " + r);
        }
        return;
      }
    }
  }

  static final class Consumer extends Worker {
    final Edge<Object> edge;
    final Producer producer;
    final BitSet delivered = new BitSet(MESSAGES);
    long polled;
    long signals;
    long previousFirst = -1;
    long previousLast = -1;

    /** The largest {@code last} of the DATA delivered so far. */
    long max1 = -1;

    Consumer(Edge<Object> edge, Producer producer) {
      this.edge = edge;
      this.producer = producer;
    }

    @Override
    void run() {
      while (!producer.sawFull && !producer.done) {
        idle();
      }
      for (; ; ) {
        Message<Object> m = edge.poll();
        if (m == null) {
          if (producer.done && edge.isEmpty()) {
            // done was written after the last offer: one more poll sees everything it left.
            if ((m = edge.poll()) == null) {
              return;
            }
          } else {
            idle();
            continue;
          }
        }
        polled++;
        if (m.isControl()) {
          onSignal((Signal) m.payload());
        } else {
          onChunk((Chunk) m.payload());
        }
      }
    }

    private void onSignal(Signal s) {
      check(s.n == signals, "CONTROL out of order: expected, got ", signals, s.n);
      signals++;
      // Strict, under every policy: no DATA offered after a CONTROL message is delivered before
      // it, not even merged into a chunk queued before the CONTROL message (issue 14, point 7).
      check(
          max1 < s.nextData,
          "DATA offered after CONTROL delivered before it: control, next data, largest delivered ",
          s.n,
          s.nextData,
          max1);
    }

    private void onChunk(Chunk c) {
      check(c.check == Chunk.checksum(c), "plain fields of a chunk not visible: ", c.first);
      check(
          c.body.length == 2 && c.body[0] == c.first && c.body[1] == ~c.last,
          "array of a chunk not visible: ",
          c.first);
      check(c.first > previousFirst, "FIFO: previous, delivered ", previousFirst, c.first);
      if (producer.flavor == EdgeFlavor.COALESCE) {
        check(c.first == previousLast + 1, "unkeyed chunks must tile: ", previousLast, c.first);
        check(c.count == c.last - c.first + 1, "unkeyed chunk not contiguous: ", c.first);
      }
      previousFirst = c.first;
      previousLast = c.last;
      walk(c, delivered, "delivered");
      max1 = Math.max(max1, c.last);
    }
  }

  /** Marks every sequence number of a chunk's merge tree, in order, checking each is new. */
  static void walk(Chunk root, BitSet seen, String what) {
    if (root.left == null) {
      mark(root, seen, what, -1);
      return;
    }
    ArrayDeque<Chunk> stack = new ArrayDeque<>();
    stack.push(root);
    long previous = -1;
    long count = 0;
    while (!stack.isEmpty()) {
      Chunk c = stack.pop();
      if (c.left == null) {
        mark(c, seen, what, previous);
        previous = c.first;
        count++;
      } else {
        stack.push(c.right);
        stack.push(c.left);
      }
    }
    check(count == root.count, "leaves of a chunk: counted, recorded ", count, root.count);
  }

  private static void mark(Chunk leaf, BitSet seen, String what, long previous) {
    check(leaf.check == Chunk.checksum(leaf), "plain fields of a leaf not visible: ", leaf.first);
    check(leaf.first > previous, "order inside a merged chunk: ", previous, leaf.first);
    check(!seen.get((int) leaf.first), what + " twice: ", leaf.first);
    seen.set((int) leaf.first);
  }

  /** A plain check for the hot loops: builds no description unless it fails. */
  static void check(boolean ok, String what, Object... values) {
    if (!ok) {
      throw new AssertionError(what + Arrays.toString(values));
    }
  }
}
