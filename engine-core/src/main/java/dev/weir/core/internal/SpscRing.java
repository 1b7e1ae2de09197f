package dev.weir.core.internal;

import dev.weir.core.Message;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, wait-free single-producer single-consumer ring: the CONTROL lane of every edge.
 *
 * <p>Thread-safety: one producer and one consumer thread at a time; a write before {@link #offer}
 * is visible after the {@link #poll} that returns the element (release on the tail, acquire by the
 * consumer, see {@link RingIndices#spscOffer}).
 */
final class SpscRing extends RingIndices {

  SpscRing(int capacity) {
    super(capacity);
  }

  boolean offer(Message<?> e) {
    return spscOffer(e);
  }

  @Nullable Message<?> poll() {
    return spscPoll();
  }

  int size() {
    return sizeAnyThread();
  }
}
