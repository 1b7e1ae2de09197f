package dev.weir.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Passes each payload to a consumer. Made by {@link Nodes#sink}. */
final class SinkNode<T> implements Node {

  private final PortSpec<T> in;
  private final Consumer<? super T> action;

  SinkNode(PortSpec<T> in, Consumer<? super T> action) {
    this.in = in;
    this.action = Objects.requireNonNull(action, "action");
  }

  @Override
  public List<PortSpec<?>> inputs() {
    return List.of(in);
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    action.accept(in.cast(message).payload());
  }

  @Override
  public String toString() {
    return "Sink(" + in + ")";
  }
}
