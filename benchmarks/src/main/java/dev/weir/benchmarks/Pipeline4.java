package dev.weir.benchmarks;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import io.micrometer.core.instrument.MeterRegistry;
import io.reactivex.rxjava3.core.Flowable;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * pipeline4 in each library, on the same {@link Stages}:
 *
 * <pre>
 *   source [0, n) ──▶ map x*3 ──▶ filter even ──▶ sink sum
 * </pre>
 *
 * <p>Each method runs the whole pipeline once, waits for it to finish and returns the sink's sum.
 * Where a variant puts an asynchronous boundary, it sits between map and filter. Which threads
 * really run each stage is what {@link StageThreads} prints.
 *
 * <p>Thread-safety: each call runs one pipeline; the stages' sink must not be shared by concurrent
 * calls.
 */
final class Pipeline4 {

  /** How long any one run may take before it is declared stuck. */
  static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** The capacity of Weir's edges and of the ABQ baseline's queue. */
  static final int CAPACITY = 1024;

  private Pipeline4() {}

  /** Builds the Weir graph over the stages: four nodes made with {@link Nodes}, BLOCK edges. */
  static Graph weirGraph(Stages st) {
    return Graph.builder("pipeline4")
        .add("source", Nodes.source(Long.class, st.source))
        .add("map", Nodes.map(Long.class, Long.class, st.map))
        .add("filter", Nodes.filter(Long.class, st.keep))
        .add("sink", Nodes.sink(Long.class, st.sink))
        .connect("source.out", "map.in", EdgeSpec.blocking(CAPACITY))
        .connect("map.out", "filter.in", EdgeSpec.blocking(CAPACITY))
        .connect("filter.out", "sink.in", EdgeSpec.blocking(CAPACITY))
        .build();
  }

  /** Weir on {@code workers} worker threads, metrics on when {@code registry} is not null. */
  static long weir(Stages st, int workers, @Nullable MeterRegistry registry)
      throws InterruptedException {
    Scheduler.Builder builder = Scheduler.builder().workers(workers);
    if (registry != null) {
      builder.meterRegistry(registry);
    }
    RunningGraph running = builder.build().start(weirGraph(st));
    try {
      if (!running.awaitCompletion(TIMEOUT)) {
        throw Check.broken(
            "weir pipeline4",
            "did not complete in " + TIMEOUT + "\n" + running.snapshot().render());
      }
      if (registry != null) {
        // The graph's meters are removed when it stops: read one now to prove metrics were on.
        double sunk =
            registry.get("weir.node.messages").tag("node", "sink").functionCounter().count();
        if (sunk != (st.size + 1) / 2) {
          throw Check.broken("weir pipeline4", "the sink's message meter reads " + sunk);
        }
      }
    } finally {
      running.stop(Duration.ofSeconds(10));
    }
    return st.sum.takeTotal();
  }

  /** Reactor, all operators fused on the subscribing thread. */
  static long reactorFused(Stages st) {
    Flux.fromIterable(st.source)
        .map(st.map)
        .filter(st.keep)
        .doOnNext(st.sink)
        .then()
        .block(TIMEOUT);
    return st.sum.takeTotal();
  }

  /**
   * Reactor with {@code publishOn} between map and filter. The upstream is requested from the
   * publishOn worker, so after the first prefetch it emits on that worker too: one thread.
   */
  static long reactorPublishOn(Stages st, reactor.core.scheduler.Scheduler consumer) {
    Flux.fromIterable(st.source)
        .map(st.map)
        .publishOn(consumer)
        .filter(st.keep)
        .doOnNext(st.sink)
        .then()
        .block(TIMEOUT);
    return st.sum.takeTotal();
  }

  /**
   * Reactor with {@code subscribeOn} for the first half and {@code publishOn} for the second: the
   * two halves really run on two threads.
   */
  static long reactorSubscribeOnPublishOn(
      Stages st,
      reactor.core.scheduler.Scheduler producer,
      reactor.core.scheduler.Scheduler consumer) {
    Flux.fromIterable(st.source)
        .map(st.map)
        .subscribeOn(producer)
        .publishOn(consumer)
        .filter(st.keep)
        .doOnNext(st.sink)
        .then()
        .block(TIMEOUT);
    return st.sum.takeTotal();
  }

  /** RxJava 3, all operators fused on the subscribing thread. */
  static long rxFused(Stages st) {
    Flowable.fromIterable(st.source)
        .map(st.map::apply)
        .filter(st.keep::test)
        .doOnNext(st.sink::accept)
        .ignoreElements()
        .blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }

  /** RxJava 3 with {@code observeOn} between map and filter (requests come from its worker). */
  static long rxObserveOn(Stages st, io.reactivex.rxjava3.core.Scheduler consumer) {
    Flowable.fromIterable(st.source)
        .map(st.map::apply)
        .observeOn(consumer)
        .filter(st.keep::test)
        .doOnNext(st.sink::accept)
        .ignoreElements()
        .blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }

  /** RxJava 3 with {@code subscribeOn} and {@code observeOn}: two threads. */
  static long rxSubscribeOnObserveOn(
      Stages st,
      io.reactivex.rxjava3.core.Scheduler producer,
      io.reactivex.rxjava3.core.Scheduler consumer) {
    Flowable.fromIterable(st.source)
        .map(st.map::apply)
        .subscribeOn(producer)
        .observeOn(consumer)
        .filter(st.keep::test)
        .doOnNext(st.sink::accept)
        .ignoreElements()
        .blockingAwait(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }

  /** Pekko Streams, fused into one actor (which runs on a dispatcher thread). */
  static long pekkoFused(Stages st, ActorSystem system) throws Exception {
    Source.fromIterator(st.source::iterator)
        .map(st.map::apply)
        .filter(st.keep::test)
        .runWith(Sink.foreach(st.sink::accept), system)
        .toCompletableFuture()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }

  /** Pekko Streams with {@code async()} after map: two actors, two islands. */
  static long pekkoAsync(Stages st, ActorSystem system) throws Exception {
    Source.fromIterator(st.source::iterator)
        .map(st.map::apply)
        .async()
        .filter(st.keep::test)
        .runWith(Sink.foreach(st.sink::accept), system)
        .toCompletableFuture()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }

  /**
   * The plain baseline: a producer thread runs source and map and {@code put}s into an {@link
   * ArrayBlockingQueue} of capacity {@value #CAPACITY}; the calling thread {@code take}s, filters
   * and sums.
   */
  static long abqTwoThreads(Stages st, ExecutorService producer)
      throws InterruptedException, ExecutionException, TimeoutException {
    ArrayBlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);
    Future<?> produced =
        producer.submit(
            () -> {
              for (Long x : st.source) {
                queue.put(st.map.apply(x));
              }
              return null;
            });
    for (long i = 0; i < st.size; i++) {
      Long y = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (y == null) {
        produced.cancel(true);
        throw Check.broken("abqTwoThreads", "the producer stalled after " + i + " items");
      }
      if (st.keep.test(y)) {
        st.sink.accept(y);
      }
    }
    produced.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return st.sum.takeTotal();
  }
}
