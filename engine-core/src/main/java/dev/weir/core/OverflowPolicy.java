package dev.weir.core;

import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link Edge} does with a DATA message offered while it holds {@code capacity} messages.
 * CONTROL messages are never subject to it. Names differ across libraries; {@code
 * docs/architecture.md} maps these to Reactor, RxJava and Pekko.
 *
 * <ul>
 *   <li>{@link #BLOCK}: the offer returns {@link OfferStatus#BLOCKED} and nothing is enqueued; the
 *       message stays with the producer, which retries when the consumer has made room. Lossless.
 *   <li>{@link #DROP}: the incoming message is discarded ({@link OfferStatus#DROPPED}); the queue
 *       is unchanged.
 *   <li>{@link #LATEST}: the oldest queued message is evicted and the incoming one enqueued ({@link
 *       OfferStatus#EVICTED}, carrying the evicted message); the queue keeps the newest {@code
 *       capacity} messages.
 *   <li>{@link #coalesce(BinaryOperator) COALESCE}: the incoming payload is merged into the newest
 *       queued message ({@link OfferStatus#COALESCED}).
 *   <li>{@link #coalesce(BinaryOperator, Function, OverflowPolicy) keyed COALESCE}: conflation by
 *       key. The incoming payload is merged into the newest queued message with an equal key, never
 *       into another key's, so a full edge never takes in a second message of a key it holds (the
 *       latest value per key, as in a market-data conflating queue). When no queued message has the
 *       key, the {@link #fallback()} applies: {@link #BLOCK} by default (nothing is lost; the
 *       producer retries once the consumer made room), {@link #LATEST} or {@link #DROP} on request.
 *   <li>{@link #FAIL}: the offer returns {@link OfferStatus#FAILED} with an {@link
 *       EdgeOverflowException}; inside a graph the producer's error policy handles it.
 * </ul>
 *
 * <p>A merged message keeps the queued message's position, trace id, timestamp and headers. The
 * merge must be pure and deterministic: it may be computed and discarded when the consumer takes
 * its target at the same moment. If the merge or the key function throws, or the merge returns a
 * payload the input port refuses (wrong type, or failing the port's {@link PayloadValidator}), the
 * offer returns {@link OfferStatus#FAILED} with the cause and the queue is untouched. A payload
 * merged into a queued message is never delivered before a CONTROL message offered before it.
 *
 * <p>Thread-safety: immutable; merge and key functions are called on the producer's thread.
 */
public final class OverflowPolicy {

  /** The policy families. */
  public enum Kind {
    /** Lossless: refuse and let the producer retry. */
    BLOCK,
    /** Discard the incoming message. */
    DROP,
    /** Evict the oldest queued message to make room. */
    LATEST,
    /** Merge the incoming payload into a queued one. */
    COALESCE,
    /** Report an overflow error. */
    FAIL
  }

  /** Refuse the offer; the producer keeps the message and retries. */
  public static final OverflowPolicy BLOCK = new OverflowPolicy(Kind.BLOCK, null, null, null);

  /** Discard the incoming message, counted as dropped. */
  public static final OverflowPolicy DROP = new OverflowPolicy(Kind.DROP, null, null, null);

  /** Evict the oldest queued message, counted as evicted, and enqueue the incoming one. */
  public static final OverflowPolicy LATEST = new OverflowPolicy(Kind.LATEST, null, null, null);

  /** Fail the offer with an {@link EdgeOverflowException}. */
  public static final OverflowPolicy FAIL = new OverflowPolicy(Kind.FAIL, null, null, null);

  private final Kind kind;
  private final @Nullable BinaryOperator<Object> merge;
  private final @Nullable Function<Object, ?> key;
  private final @Nullable OverflowPolicy fallback;

  private OverflowPolicy(
      Kind kind,
      @Nullable BinaryOperator<Object> merge,
      @Nullable Function<Object, ?> key,
      @Nullable OverflowPolicy fallback) {
    this.kind = kind;
    this.merge = merge;
    this.key = key;
    this.fallback = fallback;
  }

  /**
   * Returns a COALESCE policy that merges the incoming payload into the newest queued one.
   *
   * <p>The capacity stays a hard bound: a message the consumer holds back for one poll, so that a
   * CONTROL message offered before its last merge is delivered first, still occupies its place. If
   * it is the only message left on a full edge, there is no queued message to merge into and the
   * offer answers {@link OfferStatus#BLOCKED} until that poll (rare: a merge and a CONTROL offer
   * must both race one poll).
   *
   * @param merge {@code (queued, incoming) -> merged}; pure, deterministic, never returns null
   * @param <T> the edge's payload type
   * @return a new policy
   * @throws NullPointerException if {@code merge} is null
   */
  public static <T> OverflowPolicy coalesce(BinaryOperator<T> merge) {
    return new OverflowPolicy(Kind.COALESCE, erase(merge), null, null);
  }

  /**
   * Returns a keyed COALESCE policy (conflation by key) whose fallback is {@link #BLOCK}: the
   * incoming payload is merged into the newest queued message with an equal key; when none has it,
   * the offer returns {@link OfferStatus#BLOCKED} and nothing is lost. The same as {@link
   * #coalesce(BinaryOperator, Function, OverflowPolicy) coalesce(merge, key, BLOCK)}.
   *
   * @param merge {@code (queued, incoming) -> merged}, only ever called with payloads of equal
   *     keys; pure, deterministic, never returns null
   * @param key extracts the key compared with {@link Object#equals}
   * @param <T> the edge's payload type
   * @return a new policy
   * @throws NullPointerException if {@code merge} or {@code key} is null
   */
  public static <T> OverflowPolicy coalesce(BinaryOperator<T> merge, Function<? super T, ?> key) {
    return coalesce(merge, key, BLOCK);
  }

  /**
   * Returns a keyed COALESCE policy (conflation by key): when the edge is full, the incoming
   * payload is merged into the newest queued message with an equal key, never into another key's;
   * when no queued message has the key, {@code fallback} applies: {@link #BLOCK} (the offer returns
   * {@link OfferStatus#BLOCKED}; the producer keeps the message and retries), {@link #LATEST} (the
   * oldest queued message is evicted and the incoming one enqueued) or {@link #DROP} (the incoming
   * one is discarded). Finding the key scans the queue: O(depth), and only when the edge is full.
   *
   * @param merge {@code (queued, incoming) -> merged}, only ever called with payloads of equal
   *     keys; pure, deterministic, never returns null
   * @param key extracts the key compared with {@link Object#equals}
   * @param fallback what to do when no queued message has the incoming key: {@link #BLOCK}, {@link
   *     #LATEST} or {@link #DROP}
   * @param <T> the edge's payload type
   * @return a new policy
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code fallback} is not BLOCK, LATEST or DROP
   */
  public static <T> OverflowPolicy coalesce(
      BinaryOperator<T> merge, Function<? super T, ?> key, OverflowPolicy fallback) {
    BinaryOperator<Object> m = erase(merge);
    Function<Object, ?> k = eraseKey(key);
    Objects.requireNonNull(fallback, "fallback");
    if (fallback != BLOCK && fallback != LATEST && fallback != DROP) {
      throw new IllegalArgumentException(
          "the fallback of a keyed COALESCE policy must be BLOCK, LATEST or DROP, was "
              + fallback
              + ": it decides what happens when the edge is full and no queued message has the"
              + " incoming key");
    }
    return new OverflowPolicy(Kind.COALESCE, m, k, fallback);
  }

  /**
   * Returns the policy family.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns whether the policy can lose data: DROP, LATEST, and a keyed COALESCE whose fallback is
   * one of them. COALESCE merges instead of losing.
   *
   * @return whether messages may be discarded by policy
   */
  public boolean isLossy() {
    return kind == Kind.DROP || kind == Kind.LATEST || (fallback != null && fallback.isLossy());
  }

  /**
   * Returns the merge function of a COALESCE policy.
   *
   * @return the merge, or {@code null} for other kinds
   */
  public @Nullable BinaryOperator<Object> merge() {
    return merge;
  }

  /**
   * Returns the key function of a keyed COALESCE policy.
   *
   * @return the key function, or {@code null} if unkeyed or another kind
   */
  public @Nullable Function<Object, ?> key() {
    return key;
  }

  /**
   * Returns what a keyed COALESCE policy does when no queued message has the incoming key.
   *
   * @return {@link #BLOCK}, {@link #LATEST} or {@link #DROP} for a keyed COALESCE policy; {@code
   *     null} if unkeyed or another kind
   */
  public @Nullable OverflowPolicy fallback() {
    return fallback;
  }

  @SuppressWarnings("unchecked")
  private static <T> BinaryOperator<Object> erase(BinaryOperator<T> merge) {
    return (BinaryOperator<Object>) Objects.requireNonNull(merge, "merge");
  }

  @SuppressWarnings("unchecked")
  private static <T> Function<Object, ?> eraseKey(Function<? super T, ?> key) {
    return (Function<Object, ?>) Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    if (kind != Kind.COALESCE) {
      return kind.name();
    }
    return fallback == null ? "COALESCE" : "COALESCE(keyed, fallback " + fallback + ")";
  }
}
