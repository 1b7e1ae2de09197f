package dev.weir.stress;

import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.core.SourceNode;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nodes that keep a data plane saturated for the latency and fairness scenarios: a source that is
 * always ready, a forwarding stage with simulated work, and CPU work that stays on its worker the
 * way real work would (no test waits for time to pass).
 *
 * <p>Thread-safety: each node is run by one worker at a time, as every node; {@link
 * EndlessSource#emitted()} may be read from any thread.
 */
final class SaturatingNodes {

  private SaturatingNodes() {}

  /** Spins for about {@code nanos} of wall time. */
  static void spin(long nanos) {
    long until = System.nanoTime() + nanos;
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
  }

  /**
   * Emits longs within demand (at most 256 per pull) until the graph stops; every {@code
   * controlEvery}-th (if positive) is followed by a CONTROL message carrying its negated number.
   */
  static final class EndlessSource implements SourceNode {
    static final PortSpec<Long> OUT = PortSpec.of("out", Long.class);
    private final int controlEvery;
    private final AtomicLong emitted = new AtomicLong();

    EndlessSource(int controlEvery) {
      this.controlEvery = controlEvery;
    }

    @Override
    public List<PortSpec<?>> outputs() {
      return List.of(OUT);
    }

    @Override
    public boolean pull(NodeContext ctx) {
      int demand = Math.min(ctx.demand(OUT), 256);
      long next = emitted.get();
      for (int i = 0; i < demand; i++) {
        ctx.emit(OUT, next++);
        if (controlEvery > 0 && next % controlEvery == 0) {
          ctx.emitControl(OUT, -next);
        }
      }
      emitted.set(next);
      return true;
    }

    long emitted() {
      return emitted.get();
    }
  }

  /** Forwards every message as is (a CONTROL message stays CONTROL), spinning on each DATA one. */
  static final class Forward implements Node {
    private final PortSpec<Long> in = PortSpec.of("in", Long.class);
    private final PortSpec<Long> out = PortSpec.of("out", Long.class);
    private final long workNanos;

    Forward(long workNanos) {
      this.workNanos = workNanos;
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
      if (!message.isControl()) {
        spin(workNanos);
      }
      ctx.emit(out, in.cast(message));
    }
  }
}
