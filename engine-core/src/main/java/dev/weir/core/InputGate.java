package dev.weir.core;

/**
 * Lets a node stop and restart the delivery of its input messages, e.g. a node that hands messages
 * to a Reactive Streams subscriber only while it has demand. While paused, the node gets no {@code
 * onMessage} (ticks still come); its input edges fill up, and their producers are backpressured as
 * usual. Nothing is dropped.
 *
 * <pre>{@code
 * public void onStart(NodeContext ctx) { gate = ctx.inputGate(); }
 * public void onMessage(NodeContext ctx, PortSpec<?> in, Message<?> m) {
 *   subscriber.onNext(m.payload());
 *   if (--demand == 0) gate.pause();   // no more input until request(n)
 * }
 * // on the subscriber's thread:
 * public void request(long n) { demand += n; gate.resume(); }
 * }</pre>
 *
 * <p>Thread-safety: both methods are safe from any thread. A pause takes effect before the next
 * message is delivered; a resume schedules the node if input is waiting.
 */
public interface InputGate {

  /** Stops input delivery after the message being processed, if any. Idempotent. */
  void pause();

  /** Restarts input delivery and schedules the node if messages are waiting. Idempotent. */
  void resume();

  /**
   * Returns whether input is paused.
   *
   * @return whether {@link #pause()} was called after the last {@link #resume()}
   */
  boolean isPaused();
}
