package dev.weir.soak;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.OfferResult;
import dev.weir.core.OfferStatus;
import dev.weir.core.OverflowPolicy;
import dev.weir.core.PortSpec;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import dev.weir.testkit.Actor;
import dev.weir.testkit.Outcome;
import dev.weir.testkit.fault.Fault;
import dev.weir.testkit.fault.FaultPlan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's steady mixed workload: one long-running graph that touches every overflow policy,
 * ticks, CONTROL traffic and faults with restarts, fed from several application threads, next to a
 * stream of short-lived per-tenant graphs started and stopped with fresh node names.
 *
 * <pre>
 *   feeders (put x2, putAll) --in (BLOCK 1024)--> parse --(BLOCK 256)--> route --+--(BLOCK 256)------> tally.in
 *   (parse: 1 in 50,000 throws, restarts)                                        +--(DROP 4)---------> dropped
 *                                                                                +--(LATEST 4)-------> latest
 *                                                                                +--(COALESCE 4, key)-> merged
 *   heartbeat (ticker 10 ms) --(LATEST 1)--> tally.ticks
 *   commander (one CONTROL in flight) --commands (BLOCK 16)--> tally.commands
 *   alerter (offer) --alerts (FAIL 4)--> alerts
 *
 *   tenants: graph "tenant-N" = tN-enrich --(BLOCK 16)--> tN-store, 64 messages, stopped, repeat
 * </pre>
 *
 * <p>Every count is kept in counters, never in sets of ids (those would be the leak), and the books
 * are checked against the engine's shutdown reports by {@link SoakChecks}. A planted leak ({@link
 * #leaking}) puts a node before the tally that retains what passes through it at a fixed rate.
 *
 * <p>Thread-safety: the counters are atomics, written by the graph's workers and the actors and
 * read by the probe and the checkers; the graph factory and the actors are used by the stress run.
 */
final class MixedWorkload {

  /** A message of the workload: a unique id, one of {@link #KEYS} keys, a value. */
  record Event(long id, int key, long value) {}

  static final int KEYS = 16;
  static final int TENANT_MESSAGES = 64;

  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(30);

  /** The node names of the main graph whose dead letters are the BLOCK path's. */
  static final List<String> BLOCK_PATH = List.of("parse", "route", "leak", "tally");

  final MeterRegistry registry = new SimpleMeterRegistry();
  final Fault crashes = Fault.throwWithProbability("parse throws 1 in 50,000", 2e-5);
  final FaultPlan faults = FaultPlan.of(crashes);

  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong tenantIds = new AtomicLong();
  final LongAdder sent = new LongAdder();
  final AtomicLong tallied = new AtomicLong();
  final AtomicLong ticks = new AtomicLong();
  final LongAdder controlSent = new LongAdder();
  final AtomicLong controlReceived = new AtomicLong();
  final LongAdder alertsSent = new LongAdder();
  final LongAdder alertsFailed = new LongAdder();
  final AtomicLong alertsReceived = new AtomicLong();
  final AtomicLong dropSink = new AtomicLong();
  final AtomicLong latestSink = new AtomicLong();
  final AtomicLong mergedSink = new AtomicLong();
  final AtomicLong tenantsStopped = new AtomicLong();
  final Map<String, LongAdder> deadLettersByNode = new ConcurrentHashMap<>();
  private final Semaphore controlEchoes = new Semaphore(0);
  private final Semaphore alertEchoes = new Semaphore(0);
  private final Scheduler tenants;
  private final long leakBytesPerSecond;
  final List<Object> leaked = new ArrayList<>();

  private MixedWorkload(long leakBytesPerSecond) {
    this.leakBytesPerSecond = leakBytesPerSecond;
    this.tenants =
        Scheduler.builder()
            .workers(1)
            .meterRegistry(registry)
            .deadLetters(this::deadLettered)
            .build();
  }

  /** The workload as an application runs it. */
  static MixedWorkload steady() {
    return new MixedWorkload(0);
  }

  /**
   * The workload with a planted leak: a node before the tally that keeps the messages it forwards,
   * with a ballast, until it holds {@code bytesPerSecond} more every second.
   */
  static MixedWorkload leaking(long bytesPerSecond) {
    return new MixedWorkload(bytesPerSecond);
  }

  /** Configures the main graph's scheduler: two workers, the registry, counted dead letters. */
  Scheduler.Builder scheduler(Scheduler.Builder b) {
    return b.workers(2).meterRegistry(registry).deadLetters(this::deadLettered);
  }

  /**
   * Builds the main graph; called once per run (and again on a reset, which the soak never asks).
   */
  Graph graph() {
    var b =
        Graph.builder("soak")
            .add(
                "parse",
                faults.wrap(Nodes.map(Event.class, Event.class, e -> e)),
                ErrorPolicy.restart(100_000, Duration.ofMinutes(1)))
            .add("route", Nodes.map(Event.class, Event.class, e -> e))
            .add("heartbeat", Nodes.ticker(Duration.ofMillis(10)))
            .add("tally", new Tally())
            .add("dropped", Nodes.sink(Event.class, e -> dropSink.incrementAndGet()))
            .add("latest", Nodes.sink(Event.class, e -> latestSink.incrementAndGet()))
            .add("merged", Nodes.sink(Event.class, e -> mergedSink.incrementAndGet()))
            .add(
                "alerts",
                Nodes.sink(
                    Event.class,
                    e -> {
                      alertsReceived.incrementAndGet();
                      alertEchoes.release();
                    }))
            .connect("parse.out", "route.in", EdgeSpec.blocking(256))
            .connect("route.out", "dropped.in", EdgeSpec.of(4, OverflowPolicy.DROP))
            .connect("route.out", "latest.in", EdgeSpec.of(4, OverflowPolicy.LATEST))
            .connect(
                "route.out",
                "merged.in",
                EdgeSpec.of(
                    4,
                    OverflowPolicy.<Event>coalesce(
                        (older, newer) ->
                            new Event(newer.id(), newer.key(), older.value() + newer.value()),
                        Event::key)))
            .connect("heartbeat.out", "tally.ticks", EdgeSpec.of(1, OverflowPolicy.LATEST))
            .ingress("in", "parse.in", EdgeSpec.blocking(1024))
            .ingress("commands", "tally.commands", EdgeSpec.blocking(16))
            .ingress("alerts", "alerts.in", EdgeSpec.of(4, OverflowPolicy.FAIL));
    if (leakBytesPerSecond > 0) {
      b.add("leak", Nodes.map(Event.class, Event.class, new Retainer(leakBytesPerSecond)::pass))
          .connect("route.out", "leak.in", EdgeSpec.blocking(256))
          .connect("leak.out", "tally.in", EdgeSpec.blocking(256));
    } else {
      b.connect("route.out", "tally.in", EdgeSpec.blocking(256));
    }
    return b.build();
  }

  /** An application thread that puts one message at a time and waits for room. */
  Actor putter() {
    return (env, random) -> {
      Event e = next(random);
      OfferResult r = env.ingress("in", Event.class).put(e, PUT_TIMEOUT);
      return accepted(r) ? Outcome.COUNTED : Outcome.NOT_COUNTED;
    };
  }

  /** An application thread that puts batches of 16. */
  Actor batcher() {
    return (env, random) -> {
      List<Event> batch = new ArrayList<>(16);
      for (int i = 0; i < 16; i++) {
        batch.add(next(random));
      }
      BatchOfferResult r = env.ingress("in", Event.class).putAll(batch, PUT_TIMEOUT);
      sent.add(r.count(OfferStatus.ACCEPTED));
      return r.isComplete() ? Outcome.COUNTED : Outcome.NOT_COUNTED;
    };
  }

  /** Sends one CONTROL message and waits until the tally saw it: CONTROL traffic, never a flood. */
  Actor commander() {
    return (env, random) -> {
      OfferResult r = env.ingress("commands", Event.class).offerControl(next(random));
      if (r.status() != OfferStatus.ACCEPTED) {
        return Outcome.NOT_COUNTED;
      }
      controlSent.increment();
      if (!controlEchoes.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "a CONTROL message offered to ingress 'commands' did not reach node 'tally' within"
                + " 30 s: control starvation, or the graph hangs (see the snapshot)");
      }
      return Outcome.NOT_COUNTED;
    };
  }

  /**
   * Offers bursts of 8 to the FAIL ingress of capacity 4 and waits for what it took to arrive, so
   * the overflow path (FAILED, left with the caller) runs steadily.
   */
  Actor alerter() {
    return (env, random) -> {
      int taken = 0;
      for (int i = 0; i < 8; i++) {
        OfferResult r = env.ingress("alerts", Event.class).offer(next(random));
        if (r.status() == OfferStatus.ACCEPTED) {
          taken++;
        } else if (r.status() == OfferStatus.FAILED) {
          alertsFailed.increment();
        }
      }
      alertsSent.add(taken);
      if (!alertEchoes.tryAcquire(taken, 30, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "alerts accepted by ingress 'alerts' did not reach node 'alerts' within 30 s");
      }
      return Outcome.NOT_COUNTED;
    };
  }

  /**
   * Runs one tenant's graph, as an application with a graph per tenant or request would: fresh node
   * names, started, fed, drained, stopped, its shutdown report checked.
   */
  Actor tenantChurn() {
    return (env, random) -> {
      long n = tenantIds.getAndIncrement();
      AtomicLong stored = new AtomicLong();
      Graph graph =
          Graph.builder("tenant-" + n)
              .add("t" + n + "-enrich", Nodes.map(Event.class, Event.class, e -> e))
              .add("t" + n + "-store", Nodes.sink(Event.class, e -> stored.incrementAndGet()))
              .connect("t" + n + "-enrich.out", "t" + n + "-store.in", EdgeSpec.blocking(16))
              .ingress("in", "t" + n + "-enrich.in", EdgeSpec.blocking(TENANT_MESSAGES))
              .build();
      RunningGraph running = tenants.start(graph);
      List<Event> batch = new ArrayList<>(TENANT_MESSAGES);
      for (int i = 0; i < TENANT_MESSAGES; i++) {
        batch.add(new Event(-1 - i, i % KEYS, i));
      }
      BatchOfferResult put = running.ingress("in", Event.class).putAll(batch, PUT_TIMEOUT);
      boolean drained = running.awaitDrained(PUT_TIMEOUT);
      ShutdownReport report = running.stop(PUT_TIMEOUT);
      if (!put.isComplete() || !drained || stored.get() != TENANT_MESSAGES || !report.balanced()) {
        throw new AssertionError(
            "tenant graph 'tenant-"
                + n
                + "': put "
                + put
                + ", drained "
                + drained
                + ", stored "
                + stored.get()
                + " of "
                + TENANT_MESSAGES
                + "\n"
                + report.render());
      }
      tenantsStopped.incrementAndGet();
      return Outcome.NOT_COUNTED;
    };
  }

  /** Dead letters of the BLOCK path: what the books subtract from what was sent. */
  long blockPathDeadLetters() {
    long sum = 0;
    for (String node : BLOCK_PATH) {
      LongAdder a = deadLettersByNode.get(node);
      sum += a == null ? 0 : a.sum();
    }
    return sum;
  }

  private void deadLettered(DeadLetter letter) {
    deadLettersByNode.computeIfAbsent(letter.node(), k -> new LongAdder()).increment();
  }

  private Event next(SplittableRandom random) {
    return new Event(ids.getAndIncrement(), random.nextInt(KEYS), random.nextLong());
  }

  private boolean accepted(OfferResult r) {
    if (r.status() == OfferStatus.ACCEPTED) {
      sent.increment();
      return true;
    }
    return false;
  }

  /** The BLOCK path's sink, which also takes the CONTROL messages and the heartbeat's ticks. */
  private final class Tally implements Node {
    private final PortSpec<Event> in = PortSpec.of("in", Event.class);
    private final PortSpec<Event> commands = PortSpec.of("commands", Event.class);
    private final PortSpec<Long> tickPort = PortSpec.of("ticks", Long.class);

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in, commands, tickPort);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      if (input.equals(in)) {
        tallied.incrementAndGet();
      } else if (input.equals(commands)) {
        controlReceived.incrementAndGet();
        controlEchoes.release();
      } else {
        ticks.incrementAndGet();
      }
    }
  }

  /**
   * The planted leak: forwards every message and keeps some of them, each with a 64 KiB ballast,
   * until it holds {@code bytesPerSecond} times the seconds since its first message: a cache that
   * never evicts, at a rate that does not depend on how fast the machine is. Runs as a map node's
   * function, so on one thread at a time.
   */
  private final class Retainer {
    private static final int BALLAST = 64 * 1024;
    private final long bytesPerSecond;
    private long startNanos = -1;
    private long held;

    Retainer(long bytesPerSecond) {
      this.bytesPerSecond = bytesPerSecond;
    }

    Event pass(Event e) {
      long now = System.nanoTime();
      if (startNanos < 0) {
        startNanos = now;
      }
      if (held < (now - startNanos) / 1e9 * bytesPerSecond) {
        synchronized (leaked) {
          leaked.add(e);
          leaked.add(new byte[BALLAST]);
        }
        held += BALLAST;
      }
      return e;
    }
  }
}
