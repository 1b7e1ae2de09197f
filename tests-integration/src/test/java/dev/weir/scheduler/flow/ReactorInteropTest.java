package dev.weir.scheduler.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reactivestreams.Subscription;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * Project Reactor on both ends of a Weir graph, backpressure honoured end to end:
 *
 * <pre>
 *   Flux.range --GraphSubscriber--> [ingress "in" (8)] -> triple --(4)--> out (FlowSink) --> Flux
 * </pre>
 *
 * <p>The source Flux never has more outstanding demand than the ingress edge's capacity, and never
 * gets further ahead of the consumer than the graph's edges plus one message in hand per node can
 * hold: a slow consumer slows the source down instead of filling a buffer.
 */
class ReactorInteropTest {

  private static final int IN_CAPACITY = 8;
  private static final int MID_CAPACITY = 4;

  /**
   * At most one message in hand per node: polled by {@code triple} (or parked), and by {@code out}.
   */
  private static final int IN_HAND = 2;

  enum Consumer {
    /** Requests one item at a time, each a little later, from another thread. */
    SLOW(300),
    /** Requests in batches through {@code limitRate(32)}. */
    FAST(20_000);

    final int items;

    Consumer(int items) {
      this.items = items;
    }
  }

  @ParameterizedTest(name = "{0} consumer")
  @EnumSource(Consumer.class)
  void fluxThroughGraph_anyConsumerSpeed_arrivesOnceInOrderWithinDemand(Consumer kind)
      throws Exception {
    List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    Graph graph =
        Graph.builder("reactor-interop")
            .ingress("in", "triple.in", EdgeSpec.blocking(IN_CAPACITY))
            .add("triple", Nodes.map(Long.class, Long.class, x -> x * 3))
            .add("out", out)
            .connect("triple.out", "out.in", EdgeSpec.blocking(MID_CAPACITY))
            .build();
    RunningGraph running =
        Scheduler.builder().workers(2).deadLetters(deadLetters::add).build().start(graph);
    try {
      AtomicLong sourceRequested = new AtomicLong();
      AtomicLong sourceEmitted = new AtomicLong();
      AtomicLong maxSourceOutstanding = new AtomicLong();
      AtomicLong maxAhead = new AtomicLong();
      AtomicLong sinkRequested = new AtomicLong();
      AtomicLong consumed = new AtomicLong();
      AtomicLong overDelivered = new AtomicLong();

      Flux<Long> source =
          Flux.range(0, kind.items)
              .map(Integer::longValue)
              .doOnNext(
                  x -> {
                    long ahead = sourceEmitted.incrementAndGet() - consumed.get();
                    maxAhead.accumulateAndGet(ahead, Math::max);
                  })
              .doOnRequest(
                  n -> {
                    long outstanding = sourceRequested.addAndGet(n) - sourceEmitted.get();
                    maxSourceOutstanding.accumulateAndGet(outstanding, Math::max);
                  });
      GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
      JdkFlowAdapter.publisherToFlowPublisher(source).subscribe(in);

      Flux<Long> output =
          JdkFlowAdapter.flowPublisherToFlux(out)
              .doOnRequest(sinkRequested::addAndGet)
              .doOnNext(
                  x -> {
                    if (consumed.incrementAndGet() > sinkRequested.get()) {
                      overDelivered.incrementAndGet();
                    }
                  });
      CompletableFuture<List<Long>> result =
          kind == Consumer.SLOW
              ? slowlyCollect(output)
              : output.limitRate(32).collectList().toFuture();

      in.completion().toCompletableFuture().get(60, TimeUnit.SECONDS);
      ShutdownReport report = running.stop(Duration.ofSeconds(60));
      List<Long> values = result.get(60, TimeUnit.SECONDS);

      String state = report.toString();
      assertThat(values)
          .as("every value once, in order; %s", state)
          .containsExactlyElementsOf(
              LongStream.range(0, kind.items).map(x -> x * 3).boxed().toList());
      assertThat(maxSourceOutstanding.get())
          .as("the source's outstanding demand never exceeds the ingress edge's capacity")
          .isLessThanOrEqualTo(IN_CAPACITY);
      assertThat(maxAhead.get())
          .as("the source never gets further ahead of the consumer than the graph can hold")
          .isLessThanOrEqualTo(IN_CAPACITY + MID_CAPACITY + IN_HAND);
      assertThat(overDelivered.get()).as("the sink delivers only within demand").isZero();
      assertThat(deadLetters).as("dead letters").isEmpty();
      assertThat(report.timedOut()).as(state).isFalse();
      assertThat(report.undelivered()).as(state).isZero();
      assertThat(in.forwarded()).isEqualTo(kind.items);
      assertThat(in.refused()).isZero();
      assertThat(out.delivered()).isEqualTo(kind.items);
      assertThat(out.discardedAfterCancel()).isZero();
    } finally {
      running.stop(Duration.ofSeconds(10));
    }
  }

  /** Requests one item, and the next only after a short delay on another thread. */
  private static CompletableFuture<List<Long>> slowlyCollect(Flux<Long> output) {
    CompletableFuture<List<Long>> done = new CompletableFuture<>();
    List<Long> values = new CopyOnWriteArrayList<>();
    output.subscribe(
        new BaseSubscriber<Long>() {
          @Override
          protected void hookOnSubscribe(Subscription subscription) {
            request(1);
          }

          @Override
          protected void hookOnNext(Long value) {
            values.add(value);
            Schedulers.parallel().schedule(() -> request(1), 200, TimeUnit.MICROSECONDS);
          }

          @Override
          protected void hookOnComplete() {
            done.complete(values);
          }

          @Override
          protected void hookOnError(Throwable failure) {
            done.completeExceptionally(failure);
          }
        });
    return done;
  }
}
