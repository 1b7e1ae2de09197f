package dev.weir.benchmarks;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.GraphBuilder;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.BatchOfferResult;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Merge;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.jctools.queues.MpscArrayQueue;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import reactor.core.publisher.Flux;

/**
 * fan_in4 in each library: {@value #PRODUCERS} producers send {@value #PER_PRODUCER} pre-boxed
 * longs each into one consumer, which sums them.
 *
 * <pre>
 *   app-0 ──┐
 *   app-1 ──┤
 *   app-2 ──┼──▶ one consumer (sum)
 *   app-3 ──┘
 * </pre>
 *
 * <p>Each variant is a JMH state: {@link #start} builds its long-lived part once per trial, {@link
 * #run} is one fan-in of {@value #TOTAL} messages and returns their sum, {@link #stop} releases
 * everything. {@link StageThreads} drives the same classes outside JMH with a {@link
 * ThreadRecorder}.
 *
 * <p>Thread-safety: {@link #run} is called by one thread at a time.
 */
public final class FanIn4 {

  /** Producer threads. */
  static final int PRODUCERS = 4;

  /** Messages per producer per run. */
  static final int PER_PRODUCER = 250_000;

  /** Messages per run. */
  static final int TOTAL = PRODUCERS * PER_PRODUCER;

  /** Queue and edge capacity. */
  static final int CAPACITY = 1024;

  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** The payloads each producer sends, boxed once, so producers measure the queue only. */
  static final Long[] VALUES = values();

  /** {@link #VALUES} as a list, for the batch variants. */
  static final List<Long> VALUE_LIST = Arrays.asList(VALUES);

  /** Payloads per call in the batch variants. */
  static final int BATCH = 64;

  /** The sum every run must produce. */
  static final long SUM_PER_RUN = PRODUCERS * (long) PER_PRODUCER * (PER_PRODUCER - 1) / 2;

  private FanIn4() {}

  private static Long[] values() {
    Long[] v = new Long[PER_PRODUCER];
    for (int i = 0; i < v.length; i++) {
      v[i] = (long) i;
    }
    return v;
  }

  /** One way to fan in. */
  abstract static class Variant {
    /** Set before {@link #start} to note threads; null while benchmarking. */
    @Nullable ThreadRecorder recorder;

    /** Builds the long-lived part. */
    abstract void start() throws Exception;

    /** One fan-in of {@link #TOTAL} messages; returns their sum. */
    abstract long run() throws Exception;

    /** Releases everything. */
    abstract void stop() throws Exception;

    final void saw(String stage) {
      ThreadRecorder r = recorder;
      if (r != null) {
        r.saw(stage);
      }
    }
  }

  /** Plain application threads, each running one producer task per run. */
  abstract static class AppThreads extends Variant {
    ExecutorService app;

    @Override
    void start() throws Exception {
      app = Runtimes.applicationThreads(PRODUCERS);
    }

    /** Starts one task per producer; {@code send} sends one producer's values. */
    final List<Future<?>> produce(ProducerTask send) {
      List<Future<?>> tasks = new ArrayList<>(PRODUCERS);
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        Callable<Void> task =
            () -> {
              saw("1 producer");
              send.send(producer);
              return null;
            };
        tasks.add(app.submit(task));
      }
      return tasks;
    }

    static void join(List<Future<?>> tasks) throws Exception {
      for (Future<?> t : tasks) {
        t.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    @Override
    void stop() throws Exception {
      Runtimes.shutdown(app, Duration.ofSeconds(10));
    }
  }

  /** Sends one producer's values. */
  interface ProducerTask {
    void send(int producer) throws Exception;
  }

  /*
   * The Weir sink counts what it received; a run publishes its target (a volatile write before the
   * producers start) and waits on the round's latch, which the sink opens when the count reaches
   * the target, after storing the sum into the round (the latch orders that store before the
   * waiter's read).
   */

  /** Weir: one graph for the whole trial, producers feeding its ingress, a sink node summing. */
  abstract static class WeirFanIn extends AppThreads {
    private RunningGraph running;
    private final Counter counter = new Counter();
    private long sent;
    private long lastSum;
    Ingress<Long>[] ingresses;

    /** The graph's ingress declarations. */
    abstract void declareIngress(GraphBuilder builder);

    /** The ingress names, one per producer (repeated if shared). */
    abstract String ingressOf(int producer);

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array of ingresses
    void start() throws Exception {
      super.start();
      GraphBuilder builder = Graph.builder("fanin4").add("sink", Nodes.sink(Long.class, counter));
      declareIngress(builder);
      running = Scheduler.builder().build().start(builder.build());
      ingresses = new Ingress[PRODUCERS];
      for (int p = 0; p < PRODUCERS; p++) {
        ingresses[p] = running.ingress(ingressOf(p), Long.class);
      }
    }

    @Override
    long run() throws Exception {
      sent += TOTAL;
      Round round = new Round(sent);
      counter.round = round;
      List<Future<?>> tasks = produce(p -> send(ingresses[p]));
      join(tasks);
      if (!round.done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw Check.broken("weir fan_in4", "the sink stalled\n" + running.snapshot().render());
      }
      long sum = round.sum - lastSum;
      lastSum = round.sum;
      return sum;
    }

    /** Sends one producer's {@link #VALUES}: one {@code put} each, unless overridden. */
    void send(Ingress<Long> in) throws InterruptedException {
      for (Long v : VALUES) {
        OfferStatus status = in.put(v, TIMEOUT).status();
        if (status != OfferStatus.ACCEPTED) {
          throw Check.broken("weir fan_in4", "ingress put returned " + status);
        }
      }
    }

    @Override
    void stop() throws Exception {
      running.stop(Duration.ofSeconds(10));
      super.stop();
    }

    /** The sink's function. */
    private final class Counter implements Consumer<Long> {
      volatile @Nullable Round round;
      private long sum;
      private long count;

      @Override
      public void accept(Long x) {
        saw("2 consumer");
        sum += x;
        count++;
        Round r = round;
        if (r != null && count == r.target) {
          r.sum = sum;
          r.done.countDown(); // publishes r.sum to the waiting run()
        }
      }
    }

    /** One run's target and outcome. */
    private static final class Round {
      final long target;
      final CountDownLatch done = new CountDownLatch(1);
      long sum;

      Round(long target) {
        this.target = target;
      }
    }
  }

  /** Weir, all producers sharing one ingress (its offers take turns through a lock). */
  @State(Scope.Benchmark)
  public static class WeirSharedIngress extends WeirFanIn {
    @Override
    void declareIngress(GraphBuilder builder) {
      builder.ingress("in", "sink.in", EdgeSpec.blocking(CAPACITY));
    }

    @Override
    String ingressOf(int producer) {
      return "in";
    }

    /** JMH: builds the graph. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start();
    }

    /** JMH: stops the graph. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /**
   * Weir, all producers sharing one ingress as in {@link WeirSharedIngress}, each sending its
   * values in batches of {@value #BATCH} with {@code Ingress.putAll}.
   */
  @State(Scope.Benchmark)
  public static class WeirSharedIngressBatch extends WeirSharedIngress {
    @Override
    void send(Ingress<Long> in) {
      List<Long> values = VALUE_LIST;
      for (int from = 0; from < values.size(); from += BATCH) {
        BatchOfferResult r =
            in.putAll(values.subList(from, Math.min(from + BATCH, values.size())), TIMEOUT);
        if (!r.isComplete()) {
          throw Check.broken("weir fan_in4", "ingress putAll returned " + r);
        }
      }
    }
  }

  /** Weir, one ingress per producer, all into the same input port. */
  @State(Scope.Benchmark)
  public static class WeirIngressPerProducer extends WeirFanIn {
    @Override
    void declareIngress(GraphBuilder builder) {
      for (int p = 0; p < PRODUCERS; p++) {
        builder.ingress("in" + p, "sink.in", EdgeSpec.blocking(CAPACITY));
      }
    }

    @Override
    String ingressOf(int producer) {
      return "in" + producer;
    }

    /** JMH: builds the graph. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start();
    }

    /** JMH: stops the graph. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /** {@link ArrayBlockingQueue}: producers {@code put}, the calling thread {@code take}s. */
  @State(Scope.Benchmark)
  public static class Abq extends AppThreads {
    private final ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);

    @Override
    long run() throws Exception {
      List<Future<?>> tasks =
          produce(
              p -> {
                for (Long v : VALUES) {
                  queue.put(v);
                }
              });
      long sum = 0;
      for (int i = 0; i < TOTAL; i++) {
        Long v = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (v == null) {
          throw Check.broken("abq fan_in4", "producers stalled after " + i);
        }
        saw("2 consumer");
        sum += v;
      }
      join(tasks);
      return sum;
    }

    /** JMH: starts the producer threads. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start();
    }

    /** JMH: stops them. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /** JCTools {@link MpscArrayQueue}; both sides {@link Thread#yield} when they cannot proceed. */
  @State(Scope.Benchmark)
  public static class Mpsc extends AppThreads {
    private final MpscArrayQueue<Long> queue = new MpscArrayQueue<>(CAPACITY);

    @Override
    long run() throws Exception {
      List<Future<?>> tasks =
          produce(
              p -> {
                for (Long v : VALUES) {
                  while (!queue.offer(v)) {
                    Thread.yield();
                  }
                }
              });
      long sum = 0;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (int i = 0; i < TOTAL; ) {
        Long v = queue.poll();
        if (v == null) {
          if (System.nanoTime() > deadline) {
            throw Check.broken("mpsc fan_in4", "producers stalled after " + i);
          }
          Thread.yield();
          continue;
        }
        saw("2 consumer");
        sum += v;
        i++;
      }
      join(tasks);
      return sum;
    }

    /** JMH: starts the producer threads. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start();
    }

    /** JMH: stops them. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /**
   * JCTools {@link MpscArrayQueue} in batches, the peer of {@link WeirSharedIngressBatch}: each
   * producer {@code fill}s up to {@value #BATCH} values per call (one CAS claims them), the
   * consumer {@code drain}s; both sides {@link Thread#yield} when they cannot proceed.
   */
  @State(Scope.Benchmark)
  public static class MpscBatch extends AppThreads {
    private final MpscArrayQueue<Long> queue = new MpscArrayQueue<>(CAPACITY);

    @Override
    long run() throws Exception {
      List<Future<?>> tasks =
          produce(
              p -> {
                int[] next = {0};
                while (next[0] < VALUES.length) {
                  int limit = Math.min(BATCH, VALUES.length - next[0]);
                  if (queue.fill(() -> VALUES[next[0]++], limit) == 0) {
                    Thread.yield();
                  }
                }
              });
      long[] sum = {0};
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      for (int i = 0; i < TOTAL; ) {
        int n = queue.drain(v -> sum[0] += v, BATCH);
        if (n == 0) {
          if (System.nanoTime() > deadline) {
            throw Check.broken("mpsc batch fan_in4", "producers stalled after " + i);
          }
          Thread.yield();
          continue;
        }
        saw("2 consumer");
        i += n;
      }
      join(tasks);
      return sum[0];
    }

    /** JMH: starts the producer threads. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      start();
    }

    /** JMH: stops them. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }

  /** Reactor {@code merge} of four {@code subscribeOn} sources on a 4-thread scheduler. */
  @State(Scope.Benchmark)
  public static class ReactorMerge extends Variant {
    private reactor.core.scheduler.Scheduler producers;

    @Override
    void start() {
      producers = reactor.core.scheduler.Schedulers.newParallel("reactor-app", PRODUCERS, true);
    }

    @Override
    long run() {
      List<Flux<Long>> sources = new ArrayList<>(PRODUCERS);
      for (int p = 0; p < PRODUCERS; p++) {
        Flux<Long> source = Flux.fromArray(VALUES);
        if (recorder != null) {
          source = source.doOnNext(x -> saw("1 producer"));
        }
        sources.add(source.subscribeOn(producers));
      }
      long[] sum = new long[1];
      Flux.merge(sources)
          .doOnNext(
              x -> {
                saw("2 consumer");
                sum[0] += x;
              })
          .then()
          .block(TIMEOUT);
      return sum[0];
    }

    @Override
    void stop() {
      producers.dispose();
    }

    /** JMH: starts the scheduler. */
    @Setup(Level.Trial)
    public void setUp() {
      start();
    }

    /** JMH: stops it. */
    @TearDown(Level.Trial)
    public void tearDown() {
      stop();
    }
  }

  /** Pekko Streams: four {@code async()} sources into one {@code Merge}. */
  @State(Scope.Benchmark)
  public static class PekkoMerge extends Variant {
    private final Runtimes.Pekko pekko = new Runtimes.Pekko();
    private final List<Long> values = Arrays.asList(VALUES);

    @Override
    void start() {
      pekko.start();
    }

    @Override
    long run() throws Exception {
      List<Source<Long, NotUsed>> sources = new ArrayList<>(PRODUCERS);
      for (int p = 0; p < PRODUCERS; p++) {
        Source<Long, NotUsed> source = Source.from(values);
        if (recorder != null) {
          source =
              source.map(
                  x -> {
                    saw("1 producer");
                    return x;
                  });
        }
        sources.add(source.async());
      }
      long[] sum = new long[1];
      Source.combine(sources, n -> Merge.<Long>create(n))
          .runWith(
              Sink.<Long>foreach(
                  x -> {
                    saw("2 consumer");
                    sum[0] += x;
                  }),
              pekko.system)
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return sum[0];
    }

    @Override
    void stop() throws Exception {
      pekko.stop();
    }

    /** JMH: starts the actor system. */
    @Setup(Level.Trial)
    public void setUp() {
      start();
    }

    /** JMH: terminates it. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      stop();
    }
  }
}
