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
 *   <li>{@link #coalesce(BinaryOperator, Function) COALESCE}: the incoming payload is merged into a
 *       queued message ({@link OfferStatus#COALESCED}). With a key, into the queued message of the
 *       same key if there is one, else into the newest; without a key, into the newest. The merged
 *       message keeps the queued message's position, trace id, timestamp and headers. The merge
 *       must be pure and deterministic: it may be computed and discarded when the consumer takes
 *       its target at the same moment. If it throws, or returns a payload the input port refuses
 *       (wrong type, or failing the port's {@link PayloadValidator}), the offer returns {@link
 *       OfferStatus#FAILED} with the cause and the queue is untouched.
 *   <li>{@link #FAIL}: the offer returns {@link OfferStatus#FAILED} with an {@link
 *       EdgeOverflowException}; inside a graph the producer's error policy handles it.
 * </ul>
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
  public static final OverflowPolicy BLOCK = new OverflowPolicy(Kind.BLOCK, null, null);

  /** Discard the incoming message, counted as dropped. */
  public static final OverflowPolicy DROP = new OverflowPolicy(Kind.DROP, null, null);

  /** Evict the oldest queued message, counted as evicted, and enqueue the incoming one. */
  public static final OverflowPolicy LATEST = new OverflowPolicy(Kind.LATEST, null, null);

  /** Fail the offer with an {@link EdgeOverflowException}. */
  public static final OverflowPolicy FAIL = new OverflowPolicy(Kind.FAIL, null, null);

  private final Kind kind;
  private final @Nullable BinaryOperator<Object> merge;
  private final @Nullable Function<Object, ?> key;

  private OverflowPolicy(
      Kind kind, @Nullable BinaryOperator<Object> merge, @Nullable Function<Object, ?> key) {
    this.kind = kind;
    this.merge = merge;
    this.key = key;
  }

  /**
   * Returns a COALESCE policy that merges the incoming payload into the newest queued one.
   *
   * @param merge {@code (queued, incoming) -> merged}; pure, deterministic, never returns null
   * @param <T> the edge's payload type
   * @return a new policy
   */
  public static <T> OverflowPolicy coalesce(BinaryOperator<T> merge) {
    return new OverflowPolicy(Kind.COALESCE, erase(merge), null);
  }

  /**
   * Returns a keyed COALESCE policy: the incoming payload is merged into the queued message with an
   * equal key, or into the newest queued message when none has it (so the merge must accept
   * payloads of different keys). Finding the key scans the queue: O(depth), only when full.
   *
   * @param merge {@code (queued, incoming) -> merged}; pure, deterministic, never returns null
   * @param key extracts the key compared with {@link Object#equals}
   * @param <T> the edge's payload type
   * @return a new policy
   */
  public static <T> OverflowPolicy coalesce(BinaryOperator<T> merge, Function<? super T, ?> key) {
    return new OverflowPolicy(Kind.COALESCE, erase(merge), eraseKey(key));
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
   * Returns whether the policy can lose data (DROP, LATEST); COALESCE merges instead of losing.
   *
   * @return whether messages may be discarded by policy
   */
  public boolean isLossy() {
    return kind == Kind.DROP || kind == Kind.LATEST;
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
    return kind == Kind.COALESCE ? (key == null ? "COALESCE" : "COALESCE(keyed)") : kind.name();
  }
}
