package dev.weir.core;

import org.slf4j.Logger;

/**
 * What a running {@link Node} sees of the graph: emitting to its outputs, the demand of its
 * outputs, the graph clock and a logger. The scheduler implements it; tests may implement it too.
 *
 * <p>Emitting never blocks the calling thread. A message offered to a full {@link
 * OverflowPolicy#BLOCK} edge is parked in the node's outbox and the node is marked blocked: it gets
 * no input and no tick until the outbox has flushed. Lossy edges apply their policy and count. A
 * full {@link OverflowPolicy#FAIL} edge throws {@link EdgeOverflowException} from {@code emit},
 * which the node's error policy handles like any exception from its hook. An edge that refuses the
 * message for its payload (the consumer port's type or {@link PayloadValidator}) or whose COALESCE
 * merge throws does not fail the producer: the message goes to dead letters with the cause ({@code
 * REJECTED}, {@code MERGE_FAILED}) and the edge counts it; {@code emit} returns normally and the
 * output's other edges still get the message. An output with no edge discards what is emitted to it
 * and counts it as unrouted.
 *
 * <p>Thread-safety: only valid inside the node's own hooks, on the thread running them.
 */
public interface NodeContext {

  /**
   * Returns the node's name in the graph.
   *
   * @return the qualified name, e.g. {@code enrich/parse} inside a subgraph
   */
  String nodeName();

  /**
   * Emits a new DATA message stamped with the graph clock and the node's trace id sequence.
   *
   * <p>The clock is read once per activation, when it makes its first message; the messages it
   * makes after that carry the same reading. (A clock read costs more than an edge hop; the stamp
   * is early by at most the time the activation has run. CONTROL messages read the clock each.)
   *
   * @param output one of the node's declared outputs
   * @param payload the payload; never null
   * @param <T> the port's payload type
   * @throws IllegalArgumentException if the port is not one of the node's outputs
   * @throws EdgeOverflowException if a FAIL edge of this output is full
   */
  <T> void emit(PortSpec<T> output, T payload);

  /**
   * Emits an existing message, e.g. one received and forwarded or derived with {@link
   * Message#withPayload}, keeping its trace id. Its plane decides the lane.
   *
   * @param output one of the node's declared outputs
   * @param message the message
   * @param <T> the port's payload type
   * @throws IllegalArgumentException if the port is not one of the node's outputs
   * @throws EdgeOverflowException if a FAIL edge of this output is full
   */
  <T> void emit(PortSpec<T> output, Message<? extends T> message);

  /**
   * Emits a new CONTROL message: never dropped, delivered before queued data.
   *
   * @param output one of the node's declared outputs
   * @param payload the payload; never null
   * @param <T> the port's payload type
   * @throws IllegalArgumentException if the port is not one of the node's outputs
   */
  <T> void emitControl(PortSpec<T> output, T payload);

  /**
   * Returns how many DATA messages can be emitted to an output now without any of its edges
   * overflowing: the smallest remaining capacity over the output's open edges (0 while anything is
   * parked in the outbox for it). Edges whose consumer stopped are left out: an output whose every
   * edge is closed holds nothing back, like an unconnected one, and what is emitted to it is
   * dead-lettered. Sources should emit within it. Lossy edges count too: a slow consumer behind a
   * DROP or LATEST edge still paces a source that respects demand.
   *
   * <p>Inside {@link SourceNode#pull}, it is also at most what is left of the scheduler's batch
   * limit for this pull (the same bound an activation has on the messages it processes), so one
   * pull never holds its worker for long; the source is pulled again while demand lasts.
   *
   * @param output one of the node's declared outputs
   * @return the demand; {@link Integer#MAX_VALUE} for an unconnected output or one whose consumers
   *     all stopped
   */
  int demand(PortSpec<?> output);

  /**
   * Creates a DATA message stamped like {@link #emit(PortSpec, Object)} would (one clock reading
   * per activation), without emitting it.
   *
   * @param payload the payload
   * @param <T> the payload type
   * @return a new message
   */
  <T> Message<T> newMessage(T payload);

  /**
   * Returns the node's input gate, to pause and resume its input from any thread.
   *
   * @return the gate; the same instance for the node's whole run
   */
  InputGate inputGate();

  /**
   * Returns the graph clock.
   *
   * @return the clock that stamps messages and drives ticks
   */
  Clock clock();

  /**
   * Returns the node's logger: its lines go to the SLF4J logger {@code dev.weir.node} and carry the
   * node's qualified name as the key/value pair {@code node} (no logger per node name, which an
   * SLF4J binding would keep for the life of the JVM).
   *
   * @return the node's SLF4J logger
   */
  Logger logger();
}
