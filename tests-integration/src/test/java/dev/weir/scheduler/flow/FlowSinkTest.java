package dev.weir.scheduler.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.DeadLetter;
import dev.weir.scheduler.ErrorPolicy;
import dev.weir.scheduler.Ingress;
import dev.weir.scheduler.NodeState;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.scheduler.ShutdownReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What {@link FlowSink} promises beyond the TCK: demand, subscribe timing, cancel, termination. */
class FlowSinkTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

  /** Records every signal; requests only what the test asks for. */
  static class Recorder implements Flow.Subscriber<Long> {
    final List<Long> values = new CopyOnWriteArrayList<>();
    final List<String> signals = new CopyOnWriteArrayList<>();
    volatile Flow.@Nullable Subscription subscription;
    volatile @Nullable Throwable error;
    volatile boolean completed;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      signals.add("onSubscribe");
      subscription = s;
    }

    @Override
    public void onNext(Long item) {
      values.add(item);
    }

    @Override
    public void onError(Throwable failure) {
      signals.add("onError");
      error = failure;
    }

    @Override
    public void onComplete() {
      signals.add("onComplete");
      completed = true;
    }

    void request(long n) {
      Flow.Subscription s = subscription;
      assertThat(s).as("subscribed").isNotNull();
      s.request(n);
    }

    void cancel() {
      Flow.Subscription s = subscription;
      assertThat(s).as("subscribed").isNotNull();
      s.cancel();
    }

    boolean terminated() {
      return completed || error != null;
    }
  }

  private RunningGraph start(Graph graph) {
    return Scheduler.builder().workers(2).deadLetters(deadLetters::add).build().start(graph);
  }

  private static Graph rangeInto(FlowSink<Long> sink, long count) {
    return Graph.builder("range-to-flow")
        .add("numbers", Nodes.range(0, count))
        .add("out", sink)
        .connect("numbers.out", "out.in", EdgeSpec.blocking(4))
        .build();
  }

  private static List<Long> range(long count) {
    return LongStream.range(0, count).boxed().toList();
  }

  @Test
  void subscribe_beforeGraphStarts_receivesEverythingInOrderThenCompletes() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    recorder.request(Long.MAX_VALUE);
    RunningGraph running = start(rangeInto(sink, 1_000));
    try {
      assertThat(running.awaitCompletion(WAIT)).as(running.snapshot().render()).isTrue();
      await().atMost(WAIT).until(recorder::terminated);
      assertThat(recorder.values).containsExactlyElementsOf(range(1_000));
      assertThat(recorder.signals).containsExactly("onSubscribe", "onComplete");
    } finally {
      running.stop(WAIT);
    }
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void subscribe_afterGraphStarted_inputWaitsInTheEdgeUntilDemand() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    RunningGraph running = start(rangeInto(sink, 100));
    try {
      assertThat(running.awaitQuiescence(WAIT)).isTrue();
      assertThat(running.snapshot().edge("numbers.out->out.in").depth())
          .as("no subscriber: the input waits in the full edge; %s", running.snapshot().render())
          .isEqualTo(4);
      assertThat(sink.delivered()).isZero();

      Recorder recorder = new Recorder();
      sink.subscribe(recorder);
      recorder.request(100);
      await().atMost(WAIT).until(recorder::terminated);
      assertThat(recorder.values).containsExactlyElementsOf(range(100));
      assertThat(recorder.completed).isTrue();
    } finally {
      running.stop(WAIT);
    }
  }

  @Test
  void request_limitedDemand_deliversExactlyThatMuchAndBackpressuresUpstream() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    RunningGraph running = start(rangeInto(sink, 50));
    try {
      for (int round = 1; round <= 5; round++) {
        recorder.request(7);
        int expected = round * 7;
        await().atMost(WAIT).until(() -> recorder.values.size() >= expected);
        assertThat(running.awaitQuiescence(WAIT)).isTrue();
        assertThat(recorder.values)
            .as("exactly the demand; %s", running.snapshot().render())
            .containsExactlyElementsOf(range(expected));
        assertThat(running.snapshot().edge("numbers.out->out.in").depth())
            .as("the sink's input is paused and its edge full")
            .isEqualTo(4);
        assertThat(running.snapshot().node("numbers").state())
            .isIn(NodeState.IDLE, NodeState.BLOCKED);
      }
      recorder.request(Long.MAX_VALUE);
      await().atMost(WAIT).until(recorder::terminated);
      assertThat(recorder.values).containsExactlyElementsOf(range(50));
      assertThat(recorder.completed).isTrue();
    } finally {
      running.stop(WAIT);
    }
  }

  @Test
  void cancel_midStream_upstreamKeepsFlowingAndEveryDropIsCounted() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    RunningGraph running = start(rangeInto(sink, 1_000));
    try {
      recorder.request(10);
      await().atMost(WAIT).until(() -> recorder.values.size() == 10);
      recorder.cancel();
      assertThat(running.awaitCompletion(WAIT))
          .as("a cancelled sink does not stall the graph; %s", running.snapshot().render())
          .isTrue();
      assertThat(recorder.values).containsExactlyElementsOf(range(10));
      assertThat(recorder.signals)
          .as("no terminal signal after cancel")
          .containsExactly("onSubscribe");
      assertThat(sink.delivered()).isEqualTo(10);
      assertThat(sink.discardedAfterCancel()).isEqualTo(990);
    } finally {
      running.stop(WAIT);
    }
    assertThat(deadLetters).isEmpty();
  }

  @Test
  void subscribe_secondSubscriber_getsOnSubscribeThenIllegalStateException() {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    sink.subscribe(new Recorder());
    Recorder second = new Recorder();
    sink.subscribe(second);
    assertThat(second.signals).containsExactly("onSubscribe", "onError");
    assertThat(second.error).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stop_drainsWithDemand_completesAfterEverything() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    RunningGraph running =
        start(
            Graph.builder("ingress-to-flow")
                .ingress("in", "out.in", EdgeSpec.blocking(16))
                .add("out", sink)
                .build());
    try {
      Recorder recorder = new Recorder();
      sink.subscribe(recorder);
      recorder.request(Long.MAX_VALUE);
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < 100; i++) {
        assertThat(in.put(i, WAIT).isEnqueued()).isTrue();
      }
      assertThat(recorder.terminated()).as("the ingress is open: no end yet").isFalse();
      ShutdownReport report = running.stop(WAIT);
      assertThat(report.timedOut()).as(report.toString()).isFalse();
      await().atMost(WAIT).until(recorder::terminated);
      assertThat(recorder.values).containsExactlyElementsOf(range(100));
      assertThat(recorder.signals).containsExactly("onSubscribe", "onComplete");
    } finally {
      running.stop(WAIT);
    }
  }

  @Test
  void stop_timesOutWithoutDemand_errorsAndDeadLettersTheRest() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    RunningGraph running =
        start(
            Graph.builder("ingress-to-flow")
                .ingress("in", "out.in", EdgeSpec.blocking(16))
                .add("out", sink)
                .build());
    Recorder recorder = new Recorder();
    try {
      sink.subscribe(recorder);
      recorder.request(2);
      Ingress<Long> in = running.ingress("in", Long.class);
      for (long i = 0; i < 5; i++) {
        assertThat(in.offer(i).isEnqueued()).isTrue();
      }
      await().atMost(WAIT).until(() -> recorder.values.size() == 2);
      ShutdownReport report = running.stop(Duration.ofMillis(200));
      assertThat(report.timedOut()).as(report.toString()).isTrue();
    } finally {
      running.stop(WAIT);
    }
    assertThat(recorder.values).containsExactly(0L, 1L);
    assertThat(recorder.signals).containsExactly("onSubscribe", "onError");
    assertThat(recorder.error).isInstanceOf(IllegalStateException.class);
    assertThat(deadLetters)
        .extracting(DeadLetter::reason)
        .containsExactly(
            DeadLetter.Reason.SHUTDOWN_UNDELIVERED,
            DeadLetter.Reason.SHUTDOWN_UNDELIVERED,
            DeadLetter.Reason.SHUTDOWN_UNDELIVERED);
  }

  @Test
  void stopGraphPolicy_upstreamFails_errorsWithTheCauseAfterWhatArrived() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    recorder.request(Long.MAX_VALUE);
    Graph graph =
        Graph.builder("failing")
            .add("numbers", Nodes.range(0, 3))
            .add(
                "boom",
                Nodes.map(
                    Long.class,
                    Long.class,
                    x -> {
                      if (x == 2) {
                        throw new IllegalStateException("boom on 2");
                      }
                      return x;
                    }))
            .add("out", sink)
            .connect("numbers.out", "boom.in")
            .connect("boom.out", "out.in")
            .build();
    RunningGraph running =
        Scheduler.builder()
            .errorPolicy("boom", ErrorPolicy.STOP_GRAPH)
            .deadLetters(deadLetters::add)
            .build()
            .start(graph);
    try {
      await().atMost(WAIT).until(recorder::terminated);
    } finally {
      running.stop(WAIT);
    }
    assertThat(recorder.values).containsExactly(0L, 1L);
    assertThat(recorder.signals).containsExactly("onSubscribe", "onError");
    assertThat(recorder.error).hasMessage("boom on 2");
    assertThat(deadLetters).extracting(DeadLetter::reason).contains(DeadLetter.Reason.NODE_FAILED);
  }

  @Test
  void stopGraphPolicy_sinkWithoutDemandWhenTheStopTimesOut_errorsWithTheCause() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    recorder.request(2);
    Graph graph =
        Graph.builder("failing-undrained")
            .add("numbers", Nodes.range(0, 20))
            .add(
                "boom",
                Nodes.map(
                    Long.class,
                    Long.class,
                    x -> {
                      if (x == 10) {
                        throw new IllegalStateException("boom on 10");
                      }
                      return x;
                    }))
            .add("out", sink)
            .connect("numbers.out", "boom.in")
            .connect("boom.out", "out.in", EdgeSpec.blocking(16))
            .build();
    RunningGraph running =
        Scheduler.builder()
            .errorPolicy("boom", ErrorPolicy.STOP_GRAPH)
            .stopGraphTimeout(Duration.ofMillis(200))
            .deadLetters(deadLetters::add)
            .build()
            .start(graph);
    try {
      await().atMost(WAIT).until(recorder::terminated);
    } finally {
      running.stop(WAIT);
    }
    assertThat(recorder.values).containsExactly(0L, 1L);
    assertThat(recorder.signals).containsExactly("onSubscribe", "onError");
    assertThat(recorder.error).as("the graph's failure, not the timeout").hasMessage("boom on 10");
  }

  @Test
  void onNext_subscriberThrows_cancelsAndDeadLettersThatMessage() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    Recorder recorder =
        new Recorder() {
          @Override
          public void onNext(Long item) {
            if (item == 3) {
              throw new IllegalArgumentException("subscriber bug");
            }
            super.onNext(item);
          }
        };
    sink.subscribe(recorder);
    recorder.request(Long.MAX_VALUE);
    RunningGraph running = start(rangeInto(sink, 10));
    try {
      assertThat(running.awaitCompletion(WAIT)).as(running.snapshot().render()).isTrue();
    } finally {
      running.stop(WAIT);
    }
    assertThat(recorder.values).containsExactly(0L, 1L, 2L);
    assertThat(recorder.signals).containsExactly("onSubscribe");
    assertThat(deadLetters).hasSize(1);
    assertThat(deadLetters.get(0).message().payload()).isEqualTo(3L);
    assertThat(sink.discardedAfterCancel()).isEqualTo(6);
  }

  @Test
  void subscribe_afterTheGraphCompleted_getsOnSubscribeThenOnComplete() throws Exception {
    FlowSink<Long> sink = GraphFlows.publisherSink(Long.class);
    RunningGraph running = start(rangeInto(sink, 0));
    try {
      assertThat(running.awaitCompletion(WAIT)).isTrue();
    } finally {
      running.stop(WAIT);
    }
    Recorder recorder = new Recorder();
    sink.subscribe(recorder);
    assertThat(recorder.signals).containsExactly("onSubscribe", "onComplete");
  }
}
