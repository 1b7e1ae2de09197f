package dev.weir.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Forwards the messages whose payload passes a predicate. Made by {@link Nodes#filter}. */
final class FilterNode<T> implements Node {

  private final PortSpec<T> in;
  private final PortSpec<T> out;
  private final Predicate<? super T> keep;

  FilterNode(PortSpec<T> in, PortSpec<T> out, Predicate<? super T> keep) {
    this.in = in;
    this.out = out;
    this.keep = Objects.requireNonNull(keep, "predicate");
  }

  @Override
  public List<PortSpec<?>> inputs() {
    return List.of(in);
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return List.of(out);
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    Message<T> typed = in.cast(message);
    if (keep.test(typed.payload())) {
      ctx.emit(out, typed);
    }
  }

  @Override
  public String toString() {
    return "Filter(" + in + ")";
  }
}
