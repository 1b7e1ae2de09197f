package dev.weir.scheduler.flow;

import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.internal.FlowSinkNode;
import dev.weir.scheduler.internal.IngressSubscriber;

/**
 * Factories for the {@link java.util.concurrent.Flow} adapters: a graph output as a publisher, a
 * graph input as a subscriber. See the package documentation for an example.
 *
 * <p>Thread-safety: the factories are thread-safe.
 */
public final class GraphFlows {

  private GraphFlows() {}

  /**
   * Returns a new sink node that publishes what reaches its input port {@value
   * dev.weir.core.Nodes#IN}. Add it to one graph, then subscribe to it (before or after the graph
   * starts).
   *
   * @param type the payload type of the input port
   * @param <T> the payload type
   * @return a new, unsubscribed sink
   */
  public static <T> FlowSink<T> publisherSink(Class<T> type) {
    return new FlowSinkNode<>(type);
  }

  /**
   * Returns a new subscriber that feeds a named ingress of a running graph. Subscribe it to one
   * publisher.
   *
   * @param running a graph started by {@code Scheduler.start}
   * @param ingressName the ingress declared with {@code GraphBuilder.ingress}
   * @param type the payload type (its target port must accept it)
   * @param <T> the payload type
   * @return a new subscriber
   * @throws IllegalArgumentException if there is no such ingress, it takes another type, or {@code
   *     running} was not started by a Weir {@code Scheduler}
   */
  public static <T> GraphSubscriber<T> subscriber(
      RunningGraph running, String ingressName, Class<T> type) {
    return IngressSubscriber.create(running, ingressName, type);
  }
}
