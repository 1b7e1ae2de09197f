package dev.weir.benchmarks;

import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The four stages of pipeline4, shared by Weir and every peer: source {@code [0, size)}, map {@code
 * x * 3}, filter even, sink sum. {@link #plain} is what the benchmarks run; {@link #recorded} wraps
 * every stage to note its thread (for {@link StageThreads}), so the measured code never carries a
 * probe.
 *
 * <p>Thread-safety: the functions are stateless; the {@link Sum} behind {@link #sink} is written by
 * one thread at a time (every library here runs a stage serially) and read after the run completed.
 */
final class Stages {

  final long size;
  final Iterable<Long> source;
  final Function<Long, Long> map;
  final Predicate<Long> keep;
  final Consumer<Long> sink;
  final Sum sum;

  private Stages(
      long size,
      Iterable<Long> source,
      Function<Long, Long> map,
      Predicate<Long> keep,
      Consumer<Long> sink,
      Sum sum) {
    this.size = size;
    this.source = source;
    this.map = map;
    this.keep = keep;
    this.sink = sink;
    this.sum = sum;
  }

  /** The result every pipeline must produce. */
  long expectedSum() {
    return LongRange.pipelineSum(size);
  }

  /** The stages as benchmarked. */
  static Stages plain(long size) {
    Sum sum = new Sum();
    return new Stages(size, new LongRange(size), x -> x * 3, x -> (x & 1) == 0, sum, sum);
  }

  /** The stages with each one noting the thread it ran on. */
  static Stages recorded(long size, ThreadRecorder recorder) {
    Sum sum = new Sum();
    LongRange range = new LongRange(size);
    Iterable<Long> source =
        () ->
            new Iterator<>() {
              private final Iterator<Long> it = range.iterator();

              @Override
              public boolean hasNext() {
                return it.hasNext();
              }

              @Override
              public Long next() {
                recorder.saw("1 source");
                return it.next();
              }
            };
    return new Stages(
        size,
        source,
        x -> {
          recorder.saw("2 map");
          return x * 3;
        },
        x -> {
          recorder.saw("3 filter");
          return (x & 1) == 0;
        },
        x -> {
          recorder.saw("4 sink");
          sum.accept(x);
        },
        sum);
  }

  /** The sink's state: a running sum of what reached it. */
  static final class Sum implements Consumer<Long> {
    private long total;

    @Override
    public void accept(Long x) {
      total += x;
    }

    /** Returns the sum and resets it for the next run. */
    long takeTotal() {
      long t = total;
      total = 0;
      return t;
    }
  }
}
