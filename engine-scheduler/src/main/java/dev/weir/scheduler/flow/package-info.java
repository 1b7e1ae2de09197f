/**
 * Adapters between Weir graphs and {@link java.util.concurrent.Flow} (Reactive Streams), so that
 * Reactor, RxJava, Pekko Streams and other Reactive Streams libraries can feed a graph and consume
 * its results with backpressure end to end.
 *
 * <ul>
 *   <li>{@link dev.weir.scheduler.flow.FlowSink}: a sink node that is a {@code Flow.Publisher} of
 *       what reaches its input. It hands items to its subscriber only within the subscriber's
 *       demand; without demand it pauses its input ({@link dev.weir.core.InputGate}), so its edge
 *       fills and the graph upstream is backpressured. Nothing is buffered beyond the edges and
 *       nothing is dropped while subscribed.
 *   <li>{@link dev.weir.scheduler.flow.GraphSubscriber}: a {@code Flow.Subscriber} that feeds a
 *       running graph's {@link dev.weir.scheduler.Ingress}, requesting from its publisher only as
 *       many items as the ingress edge has room for (every request at least 1, the outstanding
 *       demand never above the edge's capacity). Items a publisher sends beyond the demand are
 *       counted in {@link dev.weir.scheduler.flow.GraphSubscriber#excess()}, never lost silently.
 * </ul>
 *
 * <pre>{@code
 * FlowSink<Long> out = GraphFlows.publisherSink(Long.class);
 * Graph graph = Graph.builder("doubler")
 *     .ingress("numbers", "double.in", EdgeSpec.blocking(64))
 *     .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
 *     .add("out", out)
 *     .connect("double.out", "out.in", EdgeSpec.blocking(64))
 *     .build();
 * RunningGraph running = Scheduler.builder().build().start(graph);
 * GraphSubscriber<Long> in = GraphFlows.subscriber(running, "numbers", Long.class);
 * upstream.subscribe(in);                          // any Flow.Publisher<Long>
 * Ingress<Long> numbers = running.ingress("numbers", Long.class);
 * in.completion().thenRun(numbers::complete);      // input over: end the ingress, the graph finishes
 * out.subscribe(downstream);                       // any Flow.Subscriber<Long>: onComplete when it has
 * running.awaitCompletion(Duration.ofMinutes(1));
 * ShutdownReport report = running.stop(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>There is no {@code Flow.Processor} over a subgraph: the two adapters compose into one (as
 * above), and a processor would have to own the whole graph's lifecycle, since the end of a
 * Reactive Streams input (onComplete) is not the end of a graph's ingress: other producers may
 * share it, so the application decides when to call {@link dev.weir.scheduler.Ingress#complete()}.
 */
@NullMarked
package dev.weir.scheduler.flow;

import org.jspecify.annotations.NullMarked;
