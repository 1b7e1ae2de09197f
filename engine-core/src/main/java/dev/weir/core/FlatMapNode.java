package dev.weir.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Emits every element of {@code fn(payload)}, each with the input's metadata. */
final class FlatMapNode<I, O> implements Node {

  private final PortSpec<I> in;
  private final PortSpec<O> out;
  private final Function<? super I, ? extends Iterable<? extends O>> fn;

  FlatMapNode(
      PortSpec<I> in, PortSpec<O> out, Function<? super I, ? extends Iterable<? extends O>> fn) {
    this.in = in;
    this.out = out;
    this.fn = Objects.requireNonNull(fn, "fn");
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
    Message<I> typed = in.cast(message);
    for (O element : fn.apply(typed.payload())) {
      ctx.emit(out, typed.withPayload(element));
    }
  }

  @Override
  public String toString() {
    return "FlatMap(" + in + " -> " + out + ")";
  }
}
