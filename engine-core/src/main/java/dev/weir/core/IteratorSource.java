package dev.weir.core;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A source over an iterator, emitting within demand. Made by {@link Nodes#source}. */
final class IteratorSource<T> implements SourceNode {

  private final PortSpec<T> out;
  private final Nodes.IteratorFactory<T> items;
  private @Nullable Iterator<? extends T> iterator;

  IteratorSource(PortSpec<T> out, Nodes.IteratorFactory<T> items) {
    this.out = out;
    this.items = items;
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return List.of(out);
  }

  @Override
  public void onStart(NodeContext ctx) {
    iterator = items.iterator();
  }

  @Override
  public boolean pull(NodeContext ctx) {
    Iterator<? extends T> it = iterator;
    if (it == null) {
      it = items.iterator();
      iterator = it;
    }
    int budget = Nodes.pullBudget(ctx, out);
    for (int i = 0; i < budget && it.hasNext(); i++) {
      ctx.emit(out, Objects.requireNonNull(it.next(), "a source's items must not be null"));
    }
    return it.hasNext();
  }

  @Override
  public String toString() {
    return "Source(" + out + ")";
  }
}
