package dev.weir.benchmarks;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The longs {@code [0, size)} as an {@link Iterable}: the one source every pipeline of {@link
 * Pipeline4Benchmark} reads, so Weir and its peers get the same data through the same iterator.
 * Each value is boxed on the fly ({@link Long#valueOf}), as a source of {@code Long} payloads
 * would.
 *
 * <p>Thread-safety: immutable; each iterator belongs to one thread at a time.
 */
final class LongRange implements Iterable<Long> {

  private final long size;

  LongRange(long size) {
    this.size = size;
  }

  /**
   * The sum of {@code x * 3} over the {@code x} in {@code [0, size)} whose {@code x * 3} is even:
   * what pipeline4's sink must hold. {@code x * 3} is even exactly when {@code x} is, so with
   * {@code m} even numbers below {@code size} the sum is {@code 3 * 2 * (0 + 1 + ... + (m - 1)) =
   * 3m(m - 1)}.
   */
  static long pipelineSum(long size) {
    long m = (size + 1) / 2;
    return 3 * m * (m - 1);
  }

  @Override
  public Iterator<Long> iterator() {
    return new Iterator<>() {
      private long next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Long next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        return next++;
      }
    };
  }
}
