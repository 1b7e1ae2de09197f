package dev.weir.testkit.fault;

import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A node that injects its plan's faults into each message before handing it to the node it wraps;
 * every other hook is passed through. Its generator is seeded from the plan's seed and the node's
 * position among the plan's wrapped nodes, at the first {@code onStart} (after the plan was armed),
 * and kept across restarts, as is the message count.
 *
 * <p>Thread-safety: the scheduler runs one hook at a time, so the fields need no lock; the faults
 * it records into are thread-safe.
 */
final class FaultyNode implements Node {

  private final FaultPlan plan;
  private final Node delegate;
  private final List<Fault> faults;
  private final int stream;
  private @Nullable SplittableRandom random;
  private long operations;

  FaultyNode(FaultPlan plan, Node delegate, List<Fault> faults, int stream) {
    this.plan = plan;
    this.delegate = delegate;
    this.faults = faults;
    this.stream = stream;
  }

  @Override
  public List<PortSpec<?>> inputs() {
    return delegate.inputs();
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return delegate.outputs();
  }

  @Override
  public void onStart(NodeContext ctx) throws Exception {
    if (random == null) {
      random = plan.randomFor(stream);
    }
    delegate.onStart(ctx);
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) throws Exception {
    long operation = ++operations;
    SplittableRandom draws = random;
    if (draws == null || !plan.armed()) {
      delegate.onMessage(ctx, input, message);
      return;
    }
    Message<?> handed = message;
    @Nullable Fault thrown = null;
    for (Fault fault : faults) {
      if (!fault.fires(operation, draws)) {
        continue;
      }
      switch (fault.action()) {
        case DELAY -> {
          fault.recordFiring(operation);
          park(fault.delay());
        }
        case CORRUPT -> {
          Fault.Corruption<?> corruption = fault.corruption();
          Object tampered = corruption == null ? null : corruption.apply(handed.payload(), draws);
          if (tampered != null) {
            fault.recordFiring(operation);
            handed = handed.withPayload(tampered);
          }
        }
        case CLOCK_JUMP, MEMORY_HOG -> {
          // graph-wide: FaultPlan.actor() applies it; a node draws for it only to stay in step
        }
        case THROW -> {
          if (thrown == null) {
            fault.recordFiring(operation);
            thrown = fault;
          }
        }
      }
    }
    if (thrown != null) {
      throw new InjectedFault(thrown.name(), operation);
    }
    delegate.onMessage(ctx, input, handed);
  }

  @Override
  public Duration tickInterval() {
    return delegate.tickInterval();
  }

  @Override
  public void onTick(NodeContext ctx) throws Exception {
    delegate.onTick(ctx);
  }

  @Override
  public void onFinish(NodeContext ctx) throws Exception {
    delegate.onFinish(ctx);
  }

  @Override
  public void onStop(NodeContext ctx) throws Exception {
    delegate.onStop(ctx);
  }

  @Override
  public String toString() {
    return "FaultyNode[" + delegate + ", faults=" + faults + "]";
  }

  private static void park(Duration delay) {
    long deadline = System.nanoTime() + delay.toNanos();
    for (long left = delay.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }
}
