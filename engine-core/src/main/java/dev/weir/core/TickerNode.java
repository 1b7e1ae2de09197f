package dev.weir.core;

import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Emits one message per tick of its interval: the tick number, or a supplier's value. Made by
 * {@link Nodes#ticker(Duration)} and {@link Nodes#ticker(Duration, Class,
 * java.util.function.Supplier)}.
 *
 * <p>It emits on every tick without asking for demand: when a {@code BLOCK} edge is full the
 * message waits in the node's outbox and the scheduler gives the node no tick until it is taken, so
 * at most one tick's message waits per edge; the ticks that fall due meanwhile are merged into one
 * and counted as missed (as for any node, {@link Node#onTick}). A lossy edge applies its policy to
 * the tick's message and counts it.
 */
final class TickerNode<T> implements Node {

  private final PortSpec<T> out;
  private final Duration period;
  private final LongFunction<? extends T> value;

  /** Ticks emitted in this run; reset by onStart, so a restarted node counts from 0 again. */
  private long count;

  TickerNode(PortSpec<T> out, Duration period, LongFunction<? extends T> value) {
    this.out = out;
    this.period = period;
    this.value = value;
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return List.of(out);
  }

  @Override
  public Duration tickInterval() {
    return period;
  }

  @Override
  public void onStart(NodeContext ctx) {
    count = 0;
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    throw new IllegalStateException(
        "ticker node " + ctx.nodeName() + " received a message on " + input + "; it has no inputs");
  }

  @Override
  public void onTick(NodeContext ctx) {
    T payload = value.apply(count);
    if (payload == null) {
      throw new NullPointerException(
          "the supplier of ticker node "
              + ctx.nodeName()
              + " returned null: a payload cannot be null; return a value that stands for"
              + " nothing, or filter downstream");
    }
    count++;
    ctx.emit(out, payload);
  }

  @Override
  public String toString() {
    return "Ticker(" + period + " -> " + out + ")";
  }
}
