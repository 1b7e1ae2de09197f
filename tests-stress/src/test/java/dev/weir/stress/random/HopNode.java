package dev.weir.stress.random;

import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.PortSpec;
import dev.weir.stress.random.CaseModel.NodeModel;
import dev.weir.stress.random.CaseModel.PlantedBug;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The node every random graph is made of: it records each message it is handed, may throw or park
 * its worker (its fault, drawn from the case seed), and forwards the message on its one output
 * (unless it is a sink) as a new token numbered in its own stream, on the plane it came on. What it
 * records is what the checks compare with the engine's books once the graph has stopped.
 *
 * <p>Thread-safety: confined like any node (the scheduler runs its hooks one at a time, each seeing
 * the writes of the previous); the checks read its records after the graph stopped.
 */
final class HopNode implements Node {

  static final PortSpec<Token> IN = PortSpec.of("in", Token.class);
  static final PortSpec<Token> OUT = PortSpec.of("out", Token.class);

  /** Thrown by a node's fault; its message is dead-lettered as NODE_FAILED. */
  static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InjectedFailure(String node) {
      super("injected failure in " + node, null, false, false);
    }
  }

  private final NodeModel model;
  private final SplittableRandom faults;
  private final @Nullable PlantedBug planted;

  /** Every token handed to onMessage, in order. */
  final List<Token> received = new ArrayList<>();

  /** Tokens emitted (offered to every edge of the output), DATA and CONTROL. */
  long emitted;

  /** The sequence numbers of the CONTROL tokens emitted, ascending. */
  final List<Long> controlSeqs = new ArrayList<>();

  /** Hooks that threw while handling a message (injected, or a FAIL edge's overflow). */
  long failures;

  /** Messages whose plane differed from the token's. */
  long planeMismatches;

  private long seq;
  private @Nullable Token held;

  private final AtomicBoolean released;

  HopNode(NodeModel model, long caseSeed, @Nullable PlantedBug planted, AtomicBoolean released) {
    this.model = model;
    this.released = released;
    this.faults = new SplittableRandom(caseSeed ^ (0x5DEECE66DL * (model.index() + 1)));
    this.planted = planted;
  }

  @Override
  public List<PortSpec<?>> inputs() {
    return List.of(IN);
  }

  @Override
  public List<PortSpec<?>> outputs() {
    return model.sink() ? List.of() : List.of(OUT);
  }

  @Override
  public void onMessage(NodeContext ctx, PortSpec<?> input, Message<?> message) {
    Token token = (Token) message.payload();
    received.add(token);
    if (message.isControl() != token.control()) {
      planeMismatches++;
    }
    if (model.slowRate() > 0 && faults.nextDouble() < model.slowRate()) {
      LockSupport.parkNanos(model.slowMicros() * 1_000L);
    }
    if (model.throwRate() > 0 && faults.nextDouble() < model.throwRate()) {
      failures++;
      throw new InjectedFailure(model.name());
    }
    if (model.sink()) {
      return;
    }
    Token out = token.forwardedBy(model.index(), ++seq);
    if (planted != null && !out.control() && out.seq() == 3) {
      if (planted == PlantedBug.HANG) {
        while (!released.get()) {
          LockSupport.parkNanos(1_000_000L); // stuck, until the runner gives up on the case
        }
        emit(ctx, out);
      } else if (planted == PlantedBug.SWAP_TWO) {
        held = out; // numbered 3, emitted after 4
      } else {
        emitted++; // counted as offered, never handed to the engine
      }
      return;
    }
    emit(ctx, out);
    Token late = held;
    if (late != null && !out.control()) {
      held = null;
      emit(ctx, late);
    }
  }

  @Override
  public void onFinish(NodeContext ctx) {
    Token late = held;
    if (late != null) {
      held = null;
      emit(ctx, late);
    }
  }

  private void emit(NodeContext ctx, Token out) {
    emitted++;
    if (out.control()) {
      controlSeqs.add(out.seq());
    }
    try {
      if (out.control()) {
        ctx.emitControl(OUT, out);
      } else {
        ctx.emit(OUT, out);
      }
    } catch (RuntimeException e) {
      failures++;
      throw e;
    }
  }

  NodeModel model() {
    return model;
  }
}
