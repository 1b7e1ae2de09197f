package dev.weir.scheduler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.core.OfferStatus;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** What {@link GraphSubscriber} promises beyond the TCK: demand by room, termination, sharing. */
class GraphSubscriberTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int CAPACITY = 4;

  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

  /** {@code ingress "in" (4) -> out (FlowSink)}: the sink's subscriber controls the room. */
  private RunningGraph startGated(FlowSink<Long> out) {
    return Scheduler.builder()
        .workers(2)
        .deadLetters(deadLetters::add)
        .build()
        .start(
            Graph.builder("gated-ingress")
                .ingress("in", "out.in", EdgeSpec.blocking(CAPACITY))
                .add("out", out)
                .build());
  }

  @Test
  void onSubscribe_requestsOnlyTheRoomAndAgainAsTheGraphConsumes() throws Exception {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    try {
      AtomicLong requested = new AtomicLong();
      AtomicLong maxOutstanding = new AtomicLong();
      AtomicLong emitted = new AtomicLong();
      Flux<Long> source =
          Flux.range(0, 100)
              .map(Integer::longValue)
              .doOnNext(x -> emitted.incrementAndGet())
              .doOnRequest(
                  n ->
                      maxOutstanding.accumulateAndGet(
                          requested.addAndGet(n) - emitted.get(), Math::max));
      GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
      JdkFlowAdapter.publisherToFlowPublisher(source).subscribe(in);

      await().atMost(WAIT).until(() -> in.forwarded() == CAPACITY);
      assertThat(running.awaitQuiescence(WAIT)).isTrue();
      assertThat(requested.get())
          .as("nobody consumes: no demand beyond the edge; %s", running.snapshot().render())
          .isEqualTo(CAPACITY);

      FlowSinkTest.Recorder recorder = new FlowSinkTest.Recorder();
      out.subscribe(recorder);
      recorder.request(Long.MAX_VALUE);
      in.completion().toCompletableFuture().get(20, TimeUnit.SECONDS);
      running.stop(WAIT);
      await().atMost(WAIT).until(recorder::terminated);
      assertThat(recorder.values)
          .containsExactlyElementsOf(LongStream.range(0, 100).boxed().toList());
      assertThat(maxOutstanding.get()).isLessThanOrEqualTo(CAPACITY);
      assertThat(in.forwarded()).isEqualTo(100);
    } finally {
      running.stop(WAIT);
    }
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void onComplete_completesTheStageAndLeavesTheIngressOpen() throws Exception {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    try {
      GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
      JdkFlowAdapter.publisherToFlowPublisher(Flux.just(1L, 2L)).subscribe(in);
      in.completion().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(in.forwarded()).isEqualTo(2);
      assertThat(running.ingress("in", Long.class).offer(3L).status())
          .as("the end of one stream is not the end of the graph's input")
          .isEqualTo(OfferStatus.ACCEPTED);
      assertThat(running.isRunning()).isTrue();
    } finally {
      running.stop(Duration.ZERO);
    }
  }

  @Test
  void onError_forwardsWhatArrivedThenFailsTheStage() throws Exception {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    try {
      GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
      Flux<Long> failing =
          Flux.concat(Flux.just(1L, 2L, 3L), Flux.error(new IllegalStateException("upstream")));
      JdkFlowAdapter.publisherToFlowPublisher(failing).subscribe(in);
      assertThatThrownBy(() -> in.completion().toCompletableFuture().get(20, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("upstream");
      assertThat(in.forwarded()).isEqualTo(3);
    } finally {
      running.stop(Duration.ZERO);
    }
  }

  @Test
  void graphStop_whileStreaming_cancelsUpstreamAndFailsTheStage() throws Exception {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    AtomicBoolean cancelled = new AtomicBoolean();
    GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
    try {
      feedEndlessly(in, cancelled);
    } finally {
      running.stop(Duration.ofMillis(100));
    }
    await().atMost(WAIT).untilTrue(cancelled);
    assertThatThrownBy(() -> in.completion().toCompletableFuture().get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the graph stopped");
    assertThat(in.refused()).isZero();
  }

  @Test
  void ingressCompleted_whileStreaming_cancelsUpstreamAndSaysWhoEndedIt() throws Exception {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    AtomicBoolean cancelled = new AtomicBoolean();
    GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
    try {
      feedEndlessly(in, cancelled);
      running.ingress("in", Long.class).complete();
      await().atMost(WAIT).untilTrue(cancelled);
      assertThatThrownBy(() -> in.completion().toCompletableFuture().get(20, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Ingress.complete()");
    } finally {
      running.stop(Duration.ofMillis(100));
    }
  }

  /** Subscribes {@code in} to an endless stream and waits until the ingress edge is full. */
  private static void feedEndlessly(GraphSubscriber<Long> in, AtomicBoolean cancelled) {
    Flux<Long> endless =
        Flux.range(0, Integer.MAX_VALUE)
            .map(Integer::longValue)
            .doOnCancel(() -> cancelled.set(true));
    JdkFlowAdapter.publisherToFlowPublisher(endless).subscribe(in);
    await().atMost(WAIT).until(() -> in.forwarded() == CAPACITY);
  }

  @Test
  void twoSubscribers_shareOneIngress_everyItemArrivesOnce() throws Exception {
    List<Long> received = new CopyOnWriteArrayList<>();
    RunningGraph running =
        Scheduler.builder()
            .workers(2)
            .deadLetters(deadLetters::add)
            .build()
            .start(
                Graph.builder("shared-ingress")
                    .ingress("in", "sink.in", EdgeSpec.blocking(CAPACITY))
                    .add("sink", Nodes.sink(Long.class, received::add))
                    .build());
    try {
      int each = 5_000;
      List<GraphSubscriber<Long>> subscribers = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        long base = s * 1_000_000L;
        GraphSubscriber<Long> in = GraphFlows.subscriber(running, "in", Long.class);
        subscribers.add(in);
        Flux<Long> source =
            Flux.range(0, each).map(i -> base + i).subscribeOn(Schedulers.parallel());
        JdkFlowAdapter.publisherToFlowPublisher(source).subscribe(in);
      }
      for (GraphSubscriber<Long> in : subscribers) {
        in.completion().toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(in.forwarded()).isEqualTo(each);
      }
      running.stop(WAIT);
      assertThat(received).hasSize(2 * each).doesNotHaveDuplicates();
      assertThat(received.stream().filter(x -> x < 1_000_000L))
          .as("each stream's order is kept")
          .isSorted();
      assertThat(received.stream().filter(x -> x >= 1_000_000L)).isSorted();
    } finally {
      running.stop(WAIT);
    }
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void subscriber_unknownIngress_failsNamingTheDeclaredOnes() {
    FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
    RunningGraph running = startGated(out);
    try {
      assertThatThrownBy(() -> GraphFlows.subscriber(running, "nope", Long.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("in");
    } finally {
      running.stop(Duration.ZERO);
    }
  }
}
