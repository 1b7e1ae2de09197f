package dev.weir.core;

/**
 * A node without inputs that produces messages when the scheduler pulls it. The scheduler calls
 * {@link #pull} whenever the node is not blocked and its outputs have demand, until it returns
 * {@code false}; then the source is finished.
 *
 * <p>Thread-safety: as for {@link Node}; hooks never run concurrently.
 */
public interface SourceNode extends Node {

  /**
   * Emits some messages, ideally no more than {@link NodeContext#demand} of each output.
   *
   * @param ctx the node's context
   * @return {@code true} to be pulled again, {@code false} once exhausted
   * @throws Exception handled by the node's error policy
   */
  boolean pull(NodeContext ctx) throws Exception;

  /**
   * Never called: a source has no inputs.
   *
   * @param ctx the node's context
   * @param input never delivered
   * @param message never delivered
   * @throws IllegalStateException always, naming the misuse
   */
  @Override
  default void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    throw new IllegalStateException(
        "source node "
            + ctx.nodeName()
            + " received a message on "
            + input
            + "; sources have no inputs");
  }
}
