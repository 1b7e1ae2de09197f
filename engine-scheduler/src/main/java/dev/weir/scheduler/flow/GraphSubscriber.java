package dev.weir.scheduler.flow;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A {@link Flow.Subscriber} that feeds a running graph's ingress. Made by {@link
 * GraphFlows#subscriber}.
 *
 * <p><b>Demand.</b> It requests from its publisher only what the ingress edge has room for, minus
 * what it already requested and has not yet handed to the ingress (its <i>credit</i>: items not yet
 * received plus items received and waiting here). So the publisher's outstanding demand never
 * exceeds the room the subscriber saw, nor the edge's capacity, and every {@code request(n)} has
 * {@code n >= 1}. Each request reads the room once and asks for {@code room - credit}, and only
 * when that is at least half the capacity (at least 1). Received items are offered to the ingress
 * at once (never blocking the publisher's thread); as the graph consumes from the edge, the
 * consumer's worker wakes the subscriber, which requests again. If other producers share the
 * ingress and take the room first, an item that does not fit waits in the subscriber (at most the
 * credit, so at most the capacity) until room frees; nothing is dropped.
 *
 * <p><b>A publisher that sends more than requested</b> breaks Reactive Streams rule 1.1. The
 * subscriber cancels its subscription at the first such item and logs it once at WARN. That item
 * and every later one (a publisher may still send after a cancel) are not handed to the graph: each
 * is counted in {@link #excess()}, never lost silently. The items received within the demand before
 * it are still handed to the ingress, and {@link #completion()} then fails with an {@link
 * IllegalStateException} naming the ingress. Every item the publisher sent ends in exactly one of
 * {@link #forwarded()}, {@link #refused()} and {@link #excess()}. To accept a publisher that
 * ignores demand, put a buffering or dropping operator (e.g. Reactor's {@code
 * onBackpressureBuffer}) in front of the subscriber.
 *
 * <p><b>Termination.</b> The end of the upstream stream does not end the graph: the ingress stays
 * open until the graph stops, and other producers may still use it. Instead {@link #completion()}
 * completes once every received item was handed to the ingress: normally after {@code onComplete},
 * exceptionally with the publisher's error after {@code onError}. If the stream was the ingress's
 * only input, end the ingress from there ({@link dev.weir.scheduler.Ingress#complete()}): the graph
 * then finishes on its own once its other inputs end too. When the graph stops (its ingress closes)
 * first, the subscriber cancels its subscription and completes {@link #completion()} exceptionally
 * with an {@link IllegalStateException}; items arriving after that are counted in {@link
 * #refused()}.
 *
 * <p>Thread-safety: the {@code Flow.Subscriber} methods follow Reactive Streams (called serially by
 * one publisher); the getters are safe from any thread. The subscription's {@code request} and
 * {@code cancel} are called serially, from the publisher's thread (inside {@code onSubscribe} or
 * {@code onNext}), from a graph worker thread (when the graph made room) or from the thread
 * stopping the graph; a publisher that emits synchronously inside {@code request} then emits on
 * that thread.
 *
 * @param <T> the payload type
 */
public interface GraphSubscriber<T> extends Flow.Subscriber<T> {

  /**
   * Returns a stage that completes when the upstream stream ended and every item received was
   * handed to the ingress. Dependent actions may run on a graph worker thread: use the {@code
   * *Async} variants to do anything slow, and never call {@code RunningGraph.stop} synchronously
   * from it.
   *
   * @return completes normally after {@code onComplete}; exceptionally with the publisher's error
   *     after {@code onError}; with an {@link IllegalStateException} if the ingress closed first,
   *     or if the publisher sent more than requested (see {@link #excess()})
   */
  CompletionStage<Void> completion();

  /**
   * Returns how many items were handed to the ingress (whatever its edge policy did with them).
   *
   * @return the count
   */
  long forwarded();

  /**
   * Returns how many items could not be handed over because the ingress had closed, or because its
   * port rejected them (wrong type or failed validator); each is also counted by the edge.
   *
   * @return the count
   */
  long refused();

  /**
   * Returns how many items the publisher sent beyond the requested demand (Reactive Streams rule
   * 1.1), counting every item from the first such one on, including those sent after the cancel.
   * They were not handed to the graph, so no edge or dead-letter count includes them; see "A
   * publisher that sends more than requested" above. Zero for a publisher that follows the rules.
   *
   * @return the count
   */
  long excess();
}
