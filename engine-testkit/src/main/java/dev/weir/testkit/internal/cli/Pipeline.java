package dev.weir.testkit.internal.cli;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.PortSpec;
import dev.weir.testkit.Actor;
import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Checker;
import dev.weir.testkit.ConservationLedger;
import dev.weir.testkit.DeliveryOrder;
import dev.weir.testkit.Environment;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.StressTest;
import dev.weir.testkit.fault.FaultPlan;
import dev.weir.testkit.load.OpenLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The built-in graph every scenario runs, with what it is checked by: a ledger at the sink, the
 * FIFO order of each feeder's stream, and the parcels' checksums.
 *
 * <pre>
 *   ingress "in" ──BLOCK(ingress)──► work-1 … work-k (CPU rounds) ──BLOCK(edge)──► middle
 *       ──BLOCK(edge)──► sink (ledger, FIFO, checksums, open load's completions)
 * </pre>
 *
 * <p>{@code middle} forwards, or is the planted bug; a fault plan wraps it. The sink records into
 * this object, which outlives the graph's restarts.
 *
 * <p>Thread-safety: the counters and recorders are safe from the sink's worker and the actors'
 * threads; {@link #load} is a volatile field set between loads.
 */
final class Pipeline {

  /** One message in 50 is dropped, or corrupted, by those plants. */
  private static final int PLANT_EVERY = 50;

  /** The leak plant's rate: about 1 GiB per minute while messages flow, at most 1 GiB in all. */
  private static final long LEAK_BYTES_PER_SECOND = (1L << 30) / 60;

  private static final long LEAK_CAP = 1L << 30;

  final ConservationLedger<Parcel> ledger = ConservationLedger.of(Parcel.class, Parcel::id);
  final DeliveryOrder order = DeliveryOrder.create();
  private final AtomicLong verified = new AtomicLong();
  private final AtomicLong corrupted = new AtomicLong();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong streams = new AtomicLong();
  private final AtomicLong work = new AtomicLong();
  private final @Nullable Plant plant;
  private final CountDownLatch release;
  private final List<byte[]> retained = new ArrayList<>();
  private long leakStartNanos;
  private long leaked;
  private volatile @Nullable OpenLoad load;

  /**
   * @param plant the planted bug in {@code middle}, or null
   * @param release what a stalled middle waits for (counted down when the scenario ended)
   */
  Pipeline(@Nullable Plant plant, CountDownLatch release) {
    this.plant = plant;
    this.release = release;
  }

  /** The shape of a scenario's graph. */
  record Shape(int ingress, int edge, int cpuStages, int cpuRounds) {}

  Supplier<Graph> graph(String name, Shape shape, @Nullable FaultPlan faults) {
    return () -> {
      GraphBuilder b = Graph.builder(name);
      String first = shape.cpuStages() > 0 ? "work-1" : "middle";
      for (int i = 1; i <= shape.cpuStages(); i++) {
        b.add("work-" + i, cpu(shape.cpuRounds()));
        String next = i < shape.cpuStages() ? "work-" + (i + 1) : "middle";
        b.connect("work-" + i + ".out", next + ".in", EdgeSpec.blocking(shape.edge()));
      }
      Node middle = middle();
      b.add("middle", faults == null ? middle : faults.wrap(middle));
      b.add("sink", sink());
      b.connect("middle.out", "sink.in", EdgeSpec.blocking(shape.edge()));
      b.ingress("in", first + ".in", EdgeSpec.blocking(shape.ingress()));
      return b.build();
    };
  }

  /** The open load whose operations the sink completes, or null outside a load. */
  void load(@Nullable OpenLoad current) {
    this.load = current;
  }

  /** Puts the next parcel of the calling feeder's stream; counted when the ledger counts it. */
  Actor feeder(int bodyBytes, Duration putTimeout) {
    ThreadLocal<long[]> state =
        ThreadLocal.withInitial(() -> new long[] {streams.getAndIncrement(), 0});
    return (Environment env, java.util.SplittableRandom random) -> {
      long[] s = state.get();
      Parcel p =
          Parcel.of(
              ids.getAndIncrement(), "feeder-" + s[0], s[1]++, random.nextLong(), bodyBytes, 0);
      OfferResult sent = env.ingress("in", Parcel.class).put(p, putTimeout);
      return ledger.offered(p, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
    };
  }

  /** Offers the next parcel of its own stream as CONTROL (it overtakes data, never its own). */
  Actor controller() {
    long stream = streams.getAndIncrement();
    AtomicLong seq = new AtomicLong();
    return (env, random) -> {
      Parcel p =
          Parcel.of(
              ids.getAndIncrement(),
              "control-" + stream,
              seq.getAndIncrement(),
              0,
              0,
              Parcel.NOT_TIMED);
      OfferResult sent = env.ingress("in", Parcel.class).offerControl(p);
      if (!sent.status().isEnqueued()) {
        seq.decrementAndGet(); // not sent: the stream's next parcel reuses the number
      }
      return ledger.offered(p, sent) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
    };
  }

  /** One parcel of an open load's operation. */
  Parcel loadParcel(long seq, long intendedStartNanos) {
    return Parcel.of(ids.getAndIncrement(), "load", seq, seq, 0, intendedStartNanos);
  }

  /** Adds the ledger, FIFO and checksum checks. */
  StressTest checked(StressTest test) {
    return test.ledger(ledger).check("fifo", order.fifo()).check("checksums", checksums());
  }

  private Checker checksums() {
    return run -> {
      long bad = corrupted.get();
      String counts = verified.get() + " parcels verified, " + bad + " corrupted";
      return bad == 0 ? CheckResult.valid(counts) : CheckResult.invalid(counts);
    };
  }

  private Node sink() {
    return new Node() {
      private final PortSpec<Parcel> in = PortSpec.of(Nodes.IN, Parcel.class);

      @Override
      public List<PortSpec<?>> inputs() {
        return List.of(in);
      }

      @Override
      public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
        Parcel p = in.cast(message).payload();
        ledger.delivered(p);
        order.delivered(p.stream(), p.seq(), message.isControl());
        if (p.intact()) {
          verified.incrementAndGet();
        } else {
          corrupted.incrementAndGet();
        }
        OpenLoad current = load;
        if (current != null && p.intendedStartNanos() != Parcel.NOT_TIMED) {
          current.complete(p.intendedStartNanos());
        }
      }
    };
  }

  /** A stage of CPU work: {@code rounds} of xorshift over the value, kept so it is not elided. */
  private Node cpu(int rounds) {
    return Nodes.map(
        Parcel.class,
        Parcel.class,
        p -> {
          long x = p.value() | 1;
          for (int i = 0; i < rounds; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
          }
          work.addAndGet(x & 1);
          return p;
        });
  }

  private Node middle() {
    Plant bug = plant;
    if (bug == null) {
      return Nodes.map(Parcel.class, Parcel.class, p -> p);
    }
    return switch (bug) {
      case LOST_MESSAGE ->
          new Middle() {
            @Override
            void handle(NodeContext ctx, Parcel p) {
              if (p.id() % PLANT_EVERY != 7) {
                ctx.emit(out, p);
              }
            }
          };
      case REORDER ->
          new Middle() {
            private @Nullable Parcel held;

            @Override
            void handle(NodeContext ctx, Parcel p) {
              if (held == null && p.seq() % 2 == 0) {
                held = p;
                return;
              }
              ctx.emit(out, p);
              Parcel late = held;
              if (late != null) {
                ctx.emit(out, late);
                held = null;
              }
            }

            @Override
            public void onFinish(NodeContext ctx) {
              Parcel late = held;
              if (late != null) {
                ctx.emit(out, late);
              }
            }
          };
      case CORRUPT ->
          new Middle() {
            @Override
            void handle(NodeContext ctx, Parcel p) {
              ctx.emit(out, p.id() % PLANT_EVERY == 7 ? p.corrupted() : p);
            }
          };
      case LEAK ->
          new Middle() {
            @Override
            void handle(NodeContext ctx, Parcel p) {
              leak();
              ctx.emit(out, p);
            }
          };
      case STALL ->
          new Middle() {
            private long seen;

            @Override
            void handle(NodeContext ctx, Parcel p) throws InterruptedException {
              if (++seen == 100) {
                release.await();
              }
              ctx.emit(out, p);
            }
          };
      case NEVER_FIRES -> Nodes.map(Parcel.class, Parcel.class, p -> p);
    };
  }

  /** Keeps memory at {@link #LEAK_BYTES_PER_SECOND} since the first call, up to the cap. */
  private void leak() {
    synchronized (retained) {
      long now = System.nanoTime();
      if (leakStartNanos == 0) {
        leakStartNanos = now;
      }
      long due =
          Math.min(LEAK_CAP, (now - leakStartNanos) / 1_000 * LEAK_BYTES_PER_SECOND / 1_000_000);
      while (leaked + (64 << 10) <= due) {
        retained.add(new byte[64 << 10]);
        leaked += 64 << 10;
      }
    }
  }

  private abstract static class Middle implements Node {
    final PortSpec<Parcel> in = PortSpec.of(Nodes.IN, Parcel.class);
    final PortSpec<Parcel> out = PortSpec.of(Nodes.OUT, Parcel.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message)
        throws InterruptedException {
      handle(ctx, in.cast(message).payload());
    }

    abstract void handle(NodeContext ctx, Parcel p) throws InterruptedException;
  }
}
