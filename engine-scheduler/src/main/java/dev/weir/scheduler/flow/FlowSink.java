package dev.weir.scheduler.flow;

import dev.weir.core.Node;
import dev.weir.core.PortSpec;
import java.util.concurrent.Flow;

/**
 * A sink node whose input is a {@link Flow.Publisher}: add it to a graph like any node (its input
 * port is named {@value dev.weir.core.Nodes#IN}) and subscribe to it. Made by {@link
 * GraphFlows#publisherSink}.
 *
 * <p><b>Demand.</b> The sink hands a payload to its subscriber ({@code onNext}) only while the
 * subscriber has outstanding demand. When the demand is used up the sink pauses its input through
 * its {@link dev.weir.core.InputGate}: its input edges fill and their producers are backpressured
 * by the graph as usual. {@code request(n)} resumes it from the subscriber's thread. The sink
 * buffers nothing of its own and drops nothing while subscribed. Subscribing before the graph
 * starts and after it started both work: until there is demand the input waits in the edges.
 *
 * <p><b>Unicast.</b> One subscriber per sink, ever. A later subscriber gets {@code onSubscribe}
 * then {@code onError(IllegalStateException)} (rules 1.9 and 1.10).
 *
 * <p><b>Termination.</b>
 *
 * <ul>
 *   <li>{@code onComplete} when the node finishes: its upstreams finished and everything on its
 *       input was delivered (for instance after {@code RunningGraph.stop} drained the graph, or
 *       when every source was exhausted).
 *   <li>{@code onError} with the failure when the graph was stopped by a node's {@code
 *       ErrorPolicy.STOP_GRAPH}: the subscriber receives what reached the sink (within its demand
 *       and the stop's timeout), then the error.
 *   <li>{@code onError(IllegalStateException)} when the node stops without having finished: the
 *       graph's stop timed out while the sink still had input (the subscriber did not request it in
 *       time; the rest was dead-lettered as {@code SHUTDOWN_UNDELIVERED}), or the node itself was
 *       stopped by its error policy.
 *   <li>A subscriber arriving after the end gets {@code onSubscribe} and then that same signal.
 * </ul>
 *
 * <p>An upstream node stopped by {@code ErrorPolicy.STOP_NODE} counts as finished for the graph
 * (its failed message is dead-lettered), so the sink completes normally once the rest drained.
 *
 * <p><b>Cancel.</b> After {@code cancel()} (or after the subscriber broke the protocol: {@code
 * request(n <= 0)} is answered with {@code onError(IllegalArgumentException)}, and an {@code
 * onNext} that throws counts as a cancel) the sink keeps consuming its input, so the graph upstream
 * is never stalled by a departed subscriber, and counts every payload it consumed without
 * delivering in {@link #discardedAfterCancel()}. The graph keeps running; cancelling does not stop
 * it. A payload whose {@code onNext} threw is handed to the node's error policy instead (by default
 * it goes to dead letters with the exception as cause).
 *
 * <p>Thread-safety: {@link #subscribe}, the {@link Flow.Subscription} methods and the getters are
 * safe from any thread; the {@link Node} hooks are called by the scheduler as for any node. Signals
 * to the subscriber are serialized (rule 1.3): {@code onNext} and {@code onComplete} come from the
 * graph's worker threads, {@code onSubscribe} from the subscribing thread, and an {@code onError}
 * may come from a worker, the thread stopping the graph or the thread calling {@code request}.
 *
 * @param <T> the payload type of the input port and of the items published
 */
public interface FlowSink<T> extends Node, Flow.Publisher<T> {

  /**
   * Returns the input port.
   *
   * @return the port named {@value dev.weir.core.Nodes#IN}
   */
  PortSpec<T> input();

  /**
   * Returns how many payloads the sink consumed without delivering them because the subscription
   * had been cancelled (by the subscriber, or after a protocol violation).
   *
   * @return the count; 0 while the subscription is active
   */
  long discardedAfterCancel();

  /**
   * Returns how many payloads were delivered with {@code onNext}.
   *
   * @return the count
   */
  long delivered();
}
