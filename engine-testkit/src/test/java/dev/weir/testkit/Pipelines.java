package dev.weir.testkit;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Nodes;
import dev.weir.core.PortSpec;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The graphs and actors the toolkit's own tests run.
 *
 * <pre>
 *   ingress "in" ──BLOCK(16)──► middle ──BLOCK(4)──► sink (ledger + order)
 * </pre>
 *
 * <p>{@code middle} is a forwarder, or a planted bug: one that silently swallows some messages, or
 * one that swaps neighbouring messages.
 */
final class Pipelines {

  private Pipelines() {}

  static Supplier<Graph> through(
      Supplier<Node> middle, ConservationLedger<Item> ledger, DeliveryOrder order) {
    return () ->
        Graph.builder("pipeline")
            .add("middle", middle.get())
            .add("sink", recordingSink(ledger, order))
            .connect("middle.out", "sink.in", EdgeSpec.blocking(4))
            .ingress("in", "middle.in", EdgeSpec.blocking(16))
            .build();
  }

  /**
   * A sink straight behind the ingress, so CONTROL offers reach it as CONTROL.
   *
   * <pre>
   *   ingress "in" ──BLOCK(16), CONTROL lane 16──► sink (ledger + order)
   * </pre>
   */
  static Supplier<Graph> direct(ConservationLedger<Item> ledger, DeliveryOrder order) {
    return () ->
        Graph.builder("direct")
            .add("sink", recordingSink(ledger, order))
            .ingress("in", "sink.in", EdgeSpec.blocking(16))
            .build();
  }

  /** Records each delivery in the ledger and, with its plane, in the order recorder. */
  static Node recordingSink(ConservationLedger<Item> ledger, DeliveryOrder order) {
    return new Node() {
      private final PortSpec<Item> in = PortSpec.of(Nodes.IN, Item.class);

      @Override
      public List<PortSpec<?>> inputs() {
        return List.of(in);
      }

      @Override
      public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
        Item item = in.cast(message).payload();
        ledger.delivered(item);
        order.delivered(item.stream(), item.seq(), message.isControl());
      }
    };
  }

  static Node forwarder() {
    return Nodes.map(Item.class, Item.class, item -> item);
  }

  /** A broken node: drops every 50th message on the floor, under BLOCK, without counting it. */
  static Node swallowing(AtomicLong swallowed) {
    return new Middle() {
      @Override
      void handle(NodeContext ctx, Item item) {
        if (item.id() % 50 != 7) {
          ctx.emit(out, item);
        } else {
          swallowed.incrementAndGet();
        }
      }
    };
  }

  /** A broken node: holds each even-numbered message and emits it after the next one. */
  static Node swapping() {
    return new Middle() {
      private @Nullable Item held;

      @Override
      void handle(NodeContext ctx, Item item) {
        if (held == null && item.seq() % 2 == 0) {
          held = item;
          return;
        }
        ctx.emit(out, item);
        Item late = held;
        if (late != null) {
          ctx.emit(out, late);
          held = null;
        }
      }

      @Override
      public void onFinish(NodeContext ctx) {
        Item late = held;
        if (late != null) {
          ctx.emit(out, late);
        }
      }
    };
  }

  /** Offers the next item of the actor's own stream; counted when the ledger counts it sent. */
  static Actor feeder(AtomicLong ids, ConservationLedger<Item> ledger) {
    AtomicLong streams = new AtomicLong();
    ThreadLocal<long[]> state =
        ThreadLocal.withInitial(() -> new long[] {streams.getAndIncrement(), 0});
    return (Environment env, SplittableRandom random) -> {
      long[] s = state.get();
      Item item = new Item(ids.getAndIncrement(), "feeder-" + s[0], s[1]++);
      return ledger.offered(item, env.ingress("in", Item.class).put(item, Duration.ofSeconds(10)))
          ? Outcome.COUNTED
          : Outcome.NOT_COUNTED;
    };
  }

  /** Asks for a reset on every {@code every}-th of its operations; counts none. */
  static Actor resetter(int every) {
    AtomicLong calls = new AtomicLong();
    // Its first call resets, then every {@code every}-th: on an idle machine the feeders can reach
    // the run's operation count before this actor has been called {@code every} times.
    return (env, random) ->
        calls.incrementAndGet() % every == 1 ? Outcome.RESET : Outcome.NOT_COUNTED;
  }

  private abstract static class Middle implements Node {
    final PortSpec<Item> in = PortSpec.of(Nodes.IN, Item.class);
    final PortSpec<Item> out = PortSpec.of(Nodes.OUT, Item.class);

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
      handle(ctx, in.cast(message).payload());
    }

    abstract void handle(NodeContext ctx, Item item);
  }
}
