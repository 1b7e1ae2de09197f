package dev.weir.core;

import java.time.Duration;
import java.util.List;

/**
 * A unit of computation in a graph: it declares typed input and output ports and reacts to hooks.
 * The same class may be added to a graph several times under different names; each instance belongs
 * to one graph.
 *
 * <p>Lifecycle, as the scheduler drives it:
 *
 * <ol>
 *   <li>{@link #onStart}: once, before any message or tick reaches any node of the graph.
 *   <li>{@link #onMessage} for each delivered message, and {@link #onTick} at {@link
 *       #tickInterval()} if it is positive.
 *   <li>{@link #onFinish}: during shutdown, once every input is exhausted (upstream nodes finish
 *       first); the node may still emit, e.g. to flush a batch.
 *   <li>{@link #onStop}: always last, even after a failure or a shutdown timeout; release resources
 *       here, do not emit.
 * </ol>
 *
 * <p>Thread-safety: the scheduler never runs two hooks of one node at the same time, and each hook
 * sees everything earlier hooks wrote, so node code needs no locks. A hook that throws is handled
 * by the node's error policy; the graph keeps running by default.
 */
public interface Node {

  /**
   * Returns the input ports.
   *
   * @return the ports this node reads, with unique names; empty for a source
   */
  default List<PortSpec<?>> inputs() {
    return List.of();
  }

  /**
   * Returns the output ports.
   *
   * @return the ports this node emits to, with unique names; empty for a sink
   */
  default List<PortSpec<?>> outputs() {
    return List.of();
  }

  /**
   * Called once before the graph delivers anything.
   *
   * @param ctx the node's context
   * @throws Exception to fail the graph's start; this node and the nodes started before it get
   *     {@link #onStop}
   */
  default void onStart(NodeContext ctx) throws Exception {}

  /**
   * Handles one message.
   *
   * @param ctx the node's context
   * @param input the declared input port the message arrived on (the same instance as in {@link
   *     #inputs()}); use {@link PortSpec#cast} for a typed view
   * @param message the message
   * @throws Exception handled by the node's error policy; by default the message goes to dead
   *     letters and the node keeps running
   */
  void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) throws Exception;

  /**
   * Returns how often {@link #onTick} should run.
   *
   * @return a positive interval, or {@link Duration#ZERO} (the default) for no ticks
   */
  default Duration tickInterval() {
    return Duration.ZERO;
  }

  /**
   * Called at the cadence of {@link #tickInterval()} on the graph clock. Ticks never queue up: when
   * more than one interval has passed since the last tick (the node was blocked or busy, or a
   * virtual clock jumped ahead), the node gets one tick and the missed ones are counted.
   *
   * @param ctx the node's context
   * @throws Exception handled by the node's error policy
   */
  default void onTick(NodeContext ctx) throws Exception {}

  /**
   * Called once the node's inputs are exhausted, whether the graph finishes on its own (its sources
   * ran dry) or is being stopped; may emit.
   *
   * @param ctx the node's context
   * @throws Exception handled by the node's error policy
   */
  default void onFinish(NodeContext ctx) throws Exception {}

  /**
   * Called last, always: release resources. Emitting here is an error.
   *
   * @param ctx the node's context
   * @throws Exception logged; other nodes still stop
   */
  default void onStop(NodeContext ctx) throws Exception {}
}
