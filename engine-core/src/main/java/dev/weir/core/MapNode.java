package dev.weir.core;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Emits {@code fn(payload)} with the input's metadata. Made by {@link Nodes#map}. */
final class MapNode<I, O> implements Node {

  private final PortSpec<I> in;
  private final PortSpec<O> out;
  private final Function<? super I, ? extends O> fn;

  MapNode(PortSpec<I> in, PortSpec<O> out, Function<? super I, ? extends O> fn) {
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
    O mapped = fn.apply(typed.payload());
    if (mapped == null) {
      throw new NullPointerException(
          "the map function of node "
              + ctx.nodeName()
              + " returned null for "
              + typed.payload()
              + ": a payload cannot be null; filter such inputs out first (Nodes.filter), or map"
              + " to a value that stands for nothing");
    }
    ctx.emit(out, typed.withPayload(mapped));
  }

  @Override
  public String toString() {
    return "Map(" + in + " -> " + out + ")";
  }
}
