package dev.weir.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.OfferStatus;
import dev.weir.core.PayloadValidator;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * Test nodes and recorders shared by the scheduler's backpressure, ingress, error-policy and
 * shutdown tests. Every node carries {@code Long} payloads on ports named {@code in} and {@code
 * out}, so they wire like the {@link dev.weir.core.Nodes} helpers. Recorders are thread-safe: nodes
 * write from worker threads, tests read from the test thread.
 */
final class SchedulerFixtures {

  /** The generous bound for waits that normally take milliseconds. */
  static final Duration LONG = Duration.ofSeconds(30);

  private SchedulerFixtures() {}

  static PortSpec<Long> in() {
    return PortSpec.of("in", Long.class);
  }

  static PortSpec<Long> out() {
    return PortSpec.of("out", Long.class);
  }

  /** A scheduler builder with the given workers and a dead-letter recorder. */
  static Scheduler.Builder scheduler(int workers, DeadLetterLog deadLetters) {
    return Scheduler.builder().workers(workers).deadLetters(deadLetters);
  }

  /** Stops a graph that a test failed to stop, so no worker thread outlives the test. */
  static void stopQuietly(RunningGraph running) {
    if (running.isRunning()) {
      running.stop(Duration.ofSeconds(5));
    }
  }

  /**
   * Runs a blocking task on a thread of its own (never a shared pool, where a parked task could
   * hold up the next one).
   */
  static <T> CompletableFuture<T> onNewThread(String name, Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                result.complete(task.call());
              } catch (Throwable t) {
                result.completeExceptionally(t);
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  /** The names of live threads that start with a prefix. */
  static List<String> liveThreads(String prefix) {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith(prefix)) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** The values {@code [0, count)}. */
  static List<Long> upTo(long count) {
    List<Long> values = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      values.add(i);
    }
    return values;
  }

  // ------------------------------------------------------------------ graphs and driving them

  static GraphSnapshot.NodeView node(RunningGraph running, String name) {
    return Objects.requireNonNull(running.snapshot().node(name), name);
  }

  /** {@code ingress "in" (BLOCK 64) -> probe -> sink}. */
  static Graph ingressProbeSink(String name, Probe probe, CollectingSink sink) {
    return Graph.builder(name)
        .add("probe", probe)
        .add("sink", sink)
        .ingress("in", "probe.in", EdgeSpec.blocking(64))
        .connect("probe.out", "sink.in")
        .build();
  }

  static void putAll(RunningGraph running, long... values) throws InterruptedException {
    Ingress<Long> in = running.ingress("in", Long.class);
    for (long v : values) {
      assertThat(in.put(v, LONG).status()).isEqualTo(OfferStatus.ACCEPTED);
    }
  }

  static long[] range(long from, long to) {
    long[] values = new long[(int) (to - from)];
    for (int i = 0; i < values.length; i++) {
      values[i] = from + i;
    }
    return values;
  }

  /** Thrown by test nodes; thousands are thrown, so it carries no stack trace. */
  static final class Boom extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Boom(String what) {
      super(what, null, false, false);
    }
  }

  /** Records every dead letter. */
  static final class DeadLetterLog implements DeadLetterHandler {
    private final ConcurrentLinkedQueue<DeadLetter> letters = new ConcurrentLinkedQueue<>();

    @Override
    public void accept(DeadLetter deadLetter) {
      letters.add(deadLetter);
    }

    List<DeadLetter> all() {
      return List.copyOf(letters);
    }

    List<DeadLetter> withReason(DeadLetter.Reason reason) {
      List<DeadLetter> matching = new ArrayList<>();
      for (DeadLetter d : letters) {
        if (d.reason() == reason) {
          matching.add(d);
        }
      }
      return matching;
    }

    long count(DeadLetter.Reason reason) {
      return withReason(reason).size();
    }

    List<Object> payloads(DeadLetter.Reason reason) {
      List<Object> payloads = new ArrayList<>();
      for (DeadLetter d : withReason(reason)) {
        payloads.add(d.message().payload());
      }
      return payloads;
    }

    @Override
    public String toString() {
      return letters.size() + " dead letters: " + letters;
    }
  }

  /** Records hook calls as {@code node:hook}, in the order they happened across nodes. */
  static final class HookLog {
    private final List<String> entries = Collections.synchronizedList(new ArrayList<>());

    void record(String node, String hook) {
      entries.add(node + ":" + hook);
    }

    List<String> entries() {
      synchronized (entries) {
        return List.copyOf(entries);
      }
    }

    /** The nodes that called a hook, in call order. */
    List<String> nodesCalling(String hook) {
      List<String> nodes = new ArrayList<>();
      for (String e : entries()) {
        int colon = e.lastIndexOf(':');
        if (e.substring(colon + 1).equals(hook)) {
          nodes.add(e.substring(0, colon));
        }
      }
      return nodes;
    }

    /** The hooks a node called, in call order. */
    List<String> hooksOf(String node) {
      List<String> hooks = new ArrayList<>();
      for (String e : entries()) {
        int colon = e.lastIndexOf(':');
        if (e.substring(0, colon).equals(node)) {
          hooks.add(e.substring(colon + 1));
        }
      }
      return hooks;
    }

    @Override
    public String toString() {
      return entries().toString();
    }
  }

  /**
   * A barrier a node's hook waits at until the test opens it. Waiting is bounded (a minute) so a
   * broken test cannot hang the build.
   */
  static final class Gate {
    private final CountDownLatch open = new CountDownLatch(1);
    private final AtomicInteger arrivals = new AtomicInteger();

    /** Called by a hook: waits until the gate opens. */
    void pass() {
      arrivals.incrementAndGet();
      try {
        if (!open.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted at the gate", e);
      }
    }

    boolean hasArrivals() {
      return arrivals.get() > 0;
    }

    void open() {
      open.countDown();
    }
  }

  /**
   * A sink that records payloads in arrival order. Its hooks are recorded in an optional {@link
   * HookLog}; an optional {@link Gate} holds up the messages {@code gateWhile} selects.
   */
  static final class CollectingSink implements Node {
    private final PortSpec<Long> in = in();
    private final List<Long> received = Collections.synchronizedList(new ArrayList<>());
    private HookLog log = new HookLog();
    private Gate gate = new Gate();
    private LongPredicate gateWhile = x -> false;

    CollectingSink recordingTo(HookLog hookLog) {
      this.log = hookLog;
      return this;
    }

    /** Messages matching {@code which} wait at the gate before they are recorded. */
    CollectingSink gatedOn(Gate g, LongPredicate which) {
      this.gate = g;
      this.gateWhile = which;
      return this;
    }

    List<Long> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    int count() {
      return received.size();
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onStart(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStart");
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      long value = in.cast(message).payload();
      if (gateWhile.test(value)) {
        gate.pass();
      }
      received.add(value);
    }

    @Override
    public void onFinish(NodeContext ctx) {
      log.record(ctx.nodeName(), "onFinish");
    }

    @Override
    public void onStop(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStop");
    }
  }

  /** A sink whose input port has a validator; it records what it gets. */
  static final class ValidatingSink implements Node {
    final PortSpec<Long> in;
    final List<Long> received = Collections.synchronizedList(new ArrayList<>());

    ValidatingSink(PayloadValidator<Long> validator) {
      this.in = in().withValidator(validator);
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      received.add(in.cast(message).payload());
    }
  }

  /**
   * A source that ignores demand: each pull emits the next {@code perPull} values of {@code [0,
   * count)} whatever room its edges have, like a careless producer. On a BLOCK edge the excess
   * parks in its outbox; on lossy edges the policy applies.
   */
  static final class FirehoseSource implements SourceNode {
    private final PortSpec<Long> out = out();
    private final long count;
    private final int perPull;
    private long next;

    FirehoseSource(long count, int perPull) {
      this.count = count;
      this.perPull = perPull;
    }

    long emitted() {
      return next;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      for (int i = 0; i < perPull && next < count; i++) {
        ctx.emit(out, next++);
      }
      return next < count;
    }
  }

  /**
   * A Long pass-through node that records its lifecycle hooks, holds messages at a gate on request,
   * and fails on request: on the messages {@code failOnMessage} selects, on the ticks {@code
   * failOnTick} selects (counted from 1), in onFinish, in onStop, and in the starts {@code
   * failOnStart} selects (counted from 1).
   */
  static final class Probe implements Node {
    private final PortSpec<Long> in = in();
    private final PortSpec<Long> out = out();
    private HookLog log = new HookLog();
    private LongPredicate failOnMessage = x -> false;
    private Gate gate = new Gate();
    private LongPredicate gateWhile = x -> false;
    private IntPredicate failOnTick = n -> false;
    private IntPredicate failOnStart = n -> false;
    private boolean failOnFinish;
    private boolean failOnStop;
    private Duration tickInterval = Duration.ZERO;
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();

    Probe recordingTo(HookLog hookLog) {
      this.log = hookLog;
      return this;
    }

    /** Messages matching {@code which} wait at the gate before they are processed. */
    Probe gatedOn(Gate g, LongPredicate which) {
      this.gate = g;
      this.gateWhile = which;
      return this;
    }

    Probe failingOnMessage(LongPredicate which) {
      this.failOnMessage = which;
      return this;
    }

    Probe ticking(Duration interval, IntPredicate failing) {
      this.tickInterval = interval;
      this.failOnTick = failing;
      return this;
    }

    Probe failingOnStart(IntPredicate which) {
      this.failOnStart = which;
      return this;
    }

    Probe failingOnFinish() {
      this.failOnFinish = true;
      return this;
    }

    Probe failingOnStop() {
      this.failOnStop = true;
      return this;
    }

    int ticks() {
      return ticks.get();
    }

    int messages() {
      return messages.get();
    }

    @Override
    public List<PortSpec<?>> inputs() {
      return List.of(in);
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public Duration tickInterval() {
      return tickInterval;
    }

    @Override
    public void onStart(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStart");
      if (failOnStart.test(starts.incrementAndGet())) {
        throw new Boom(ctx.nodeName() + " onStart");
      }
    }

    @Override
    public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
      Message<Long> m = in.cast(message);
      if (gateWhile.test(m.payload())) {
        gate.pass();
      }
      messages.incrementAndGet();
      if (failOnMessage.test(m.payload())) {
        throw new Boom(ctx.nodeName() + " onMessage " + m.payload());
      }
      ctx.emit(out, m);
    }

    @Override
    public void onTick(NodeContext ctx) {
      log.record(ctx.nodeName(), "onTick");
      if (failOnTick.test(ticks.incrementAndGet())) {
        throw new Boom(ctx.nodeName() + " onTick " + ticks.get());
      }
    }

    @Override
    public void onFinish(NodeContext ctx) {
      log.record(ctx.nodeName(), "onFinish");
      if (failOnFinish) {
        throw new Boom(ctx.nodeName() + " onFinish");
      }
    }

    @Override
    public void onStop(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStop");
      if (failOnStop) {
        throw new Boom(ctx.nodeName() + " onStop");
      }
    }
  }

  /**
   * A source of {@code [0, count)} ({@code count < 0}: endless) that emits within demand, records
   * its hooks and every demand it saw, and fails on the pulls {@code failOnPull} selects (counted
   * from 1; a failing pull emits nothing).
   */
  static final class ProbeSource implements SourceNode {
    private final PortSpec<Long> out = out();
    private final long count;
    private HookLog log = new HookLog();
    private IntPredicate failOnPull = n -> false;
    private boolean failOnFinish;
    private final List<Integer> demands = Collections.synchronizedList(new ArrayList<>());
    private int pulls;
    private long next;

    ProbeSource(long count) {
      this.count = count;
    }

    ProbeSource recordingTo(HookLog hookLog) {
      this.log = hookLog;
      return this;
    }

    ProbeSource failingOnPull(IntPredicate which) {
      this.failOnPull = which;
      return this;
    }

    ProbeSource failingOnFinish() {
      this.failOnFinish = true;
      return this;
    }

    List<Integer> demands() {
      synchronized (demands) {
        return List.copyOf(demands);
      }
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(out);
    }

    @Override
    public void onStart(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStart");
    }

    @Override
    public boolean pull(NodeContext ctx) {
      if (failOnPull.test(++pulls)) {
        throw new Boom(ctx.nodeName() + " pull " + pulls);
      }
      int demand = ctx.demand(out);
      demands.add(demand);
      for (int i = 0; i < demand && (count < 0 || next < count); i++) {
        ctx.emit(out, next++);
      }
      return count < 0 || next < count;
    }

    @Override
    public void onFinish(NodeContext ctx) {
      log.record(ctx.nodeName(), "onFinish");
      if (failOnFinish) {
        throw new Boom(ctx.nodeName() + " onFinish");
      }
    }

    @Override
    public void onStop(NodeContext ctx) {
      log.record(ctx.nodeName(), "onStop");
    }
  }

  /** Counts values per key; used to check exactly-once delivery. */
  static <K> void assertEachExactlyOnce(List<K> delivered, List<K> expected, String context) {
    Map<K, Integer> counts = new ConcurrentHashMap<>();
    for (K k : delivered) {
      counts.merge(k, 1, Integer::sum);
    }
    List<K> duplicated = new ArrayList<>();
    counts.forEach(
        (k, n) -> {
          if (n > 1) {
            duplicated.add(k);
          }
        });
    assertThat(duplicated).as("delivered more than once; %s", context).isEmpty();
    assertThat(delivered)
        .as("delivered exactly the expected values; %s", context)
        .containsExactlyInAnyOrderElementsOf(expected);
  }
}
