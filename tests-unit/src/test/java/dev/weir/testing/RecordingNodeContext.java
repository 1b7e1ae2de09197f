package dev.weir.testing;

import dev.weir.core.Clock;
import dev.weir.core.Headers;
import dev.weir.core.InputGate;
import dev.weir.core.Message;
import dev.weir.core.Node;
import dev.weir.core.NodeContext;
import dev.weir.core.Plane;
import dev.weir.core.PortSpec;
import dev.weir.core.TraceIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NodeContext} for driving one node by hand: it records every emit in order, stamps new
 * messages from a seeded {@link TraceIds} sequence and a manual clock, and models demand as a
 * budget per output that each DATA emit spends.
 *
 * <p>Like the scheduler's context it refuses emits to ports the node did not declare and payloads
 * of the wrong type, and it counts emits beyond demand (which a well-behaved source never makes)
 * instead of parking them.
 *
 * <p>Thread-safety: not thread-safe, like the real context: use it on one thread.
 */
public final class RecordingNodeContext implements NodeContext {

  /**
   * One recorded emit.
   *
   * @param port the output port
   * @param message what was emitted
   */
  public record Emit(PortSpec<?> port, Message<?> message) {}

  private final String nodeName;
  private final List<PortSpec<?>> outputs;
  private final TraceIds traceIds;
  private final List<Emit> emits = new ArrayList<>();
  private final Map<PortSpec<?>, Integer> demand = new HashMap<>();
  private final Logger logger;
  private long now;
  private int overDemand;

  /**
   * Creates a context for a node.
   *
   * @param nodeName the node's name
   * @param node the node, whose outputs are the only ports it may emit to
   * @param seed seeds the trace id sequence
   */
  public RecordingNodeContext(String nodeName, Node node, long seed) {
    this.nodeName = nodeName;
    this.outputs = List.copyOf(node.outputs());
    this.traceIds = TraceIds.seeded(seed);
    this.logger = LoggerFactory.getLogger("dev.weir.test.node." + nodeName);
  }

  /**
   * Sets an output's demand; every DATA emit to it then spends one. Outputs without a demand have
   * unbounded demand ({@link Integer#MAX_VALUE}), like unconnected ones.
   *
   * @param output a declared output
   * @param value the demand
   * @return this context
   */
  public RecordingNodeContext demand(PortSpec<?> output, int value) {
    demand.put(declared(output), value);
    return this;
  }

  /**
   * Advances the clock.
   *
   * @param nanos how far
   * @return this context
   */
  public RecordingNodeContext advance(long nanos) {
    now += nanos;
    return this;
  }

  /**
   * Returns every emit so far, in order.
   *
   * @return an unmodifiable copy
   */
  public List<Emit> emits() {
    return List.copyOf(emits);
  }

  /**
   * Returns the messages emitted to one output, in order.
   *
   * @param output the output
   * @return a new list
   */
  public List<Message<?>> messages(PortSpec<?> output) {
    List<Message<?>> result = new ArrayList<>();
    for (Emit e : emits) {
      if (e.port().equals(output)) {
        result.add(e.message());
      }
    }
    return result;
  }

  /**
   * Returns the payloads emitted to one output, in order.
   *
   * @param output the output
   * @return a new list
   */
  public List<Object> payloads(PortSpec<?> output) {
    List<Object> result = new ArrayList<>();
    for (Message<?> m : messages(output)) {
      result.add(m.payload());
    }
    return result;
  }

  /**
   * Returns how many DATA emits exceeded the demand set for their output.
   *
   * @return the number of emits made with no demand left
   */
  public int overDemandEmits() {
    return overDemand;
  }

  /** Forgets the recorded emits; demand and clock are kept. */
  public void clear() {
    emits.clear();
  }

  @Override
  public String nodeName() {
    return nodeName;
  }

  @Override
  public <T> void emit(PortSpec<T> output, T payload) {
    record(output, newMessage(Objects.requireNonNull(payload, "payload")));
  }

  @Override
  public <T> void emit(PortSpec<T> output, Message<? extends T> message) {
    record(output, Objects.requireNonNull(message, "message"));
  }

  @Override
  public <T> void emitControl(PortSpec<T> output, T payload) {
    record(output, newMessage(Objects.requireNonNull(payload, "payload")).onPlane(Plane.CONTROL));
  }

  private void record(PortSpec<?> output, Message<?> message) {
    PortSpec<?> port = declared(output);
    String problem = port.check(message.payload());
    if (problem != null) {
      throw new IllegalArgumentException(
          "node " + nodeName + " emitted to " + port + ": " + problem);
    }
    if (!message.isControl()) {
      Integer left = demand.get(port);
      if (left != null) {
        if (left <= 0) {
          overDemand++;
        }
        demand.put(port, left - 1);
      }
    }
    emits.add(new Emit(port, message));
  }

  private PortSpec<?> declared(PortSpec<?> output) {
    if (!outputs.contains(output)) {
      throw new IllegalArgumentException(
          "port " + output + " is not an output of node " + nodeName + " " + outputs);
    }
    return output;
  }

  @Override
  public int demand(PortSpec<?> output) {
    return Math.max(0, demand.getOrDefault(declared(output), Integer.MAX_VALUE));
  }

  @Override
  public <T> Message<T> newMessage(T payload) {
    return Message.create(payload, Headers.empty(), traceIds.next(), now, Plane.DATA);
  }

  @Override
  public Clock clock() {
    return () -> now;
  }

  /** A gate that only records whether the node paused its input; no scheduler is involved. */
  private final InputGate gate =
      new InputGate() {
        private volatile boolean paused;

        @Override
        public void pause() {
          paused = true;
        }

        @Override
        public void resume() {
          paused = false;
        }

        @Override
        public boolean isPaused() {
          return paused;
        }
      };

  @Override
  public InputGate inputGate() {
    return gate;
  }

  @Override
  public Logger logger() {
    return logger;
  }
}
