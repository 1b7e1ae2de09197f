package dev.weir.core;

import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * One-line nodes for the common shapes: sources, tickers, map, filter, flatMap and sink. Each has
 * an input named {@value #IN} and/or an output named {@value #OUT}, so they wire as {@code
 * "name.in"} and {@code "name.out"}. Map, filter and flatMap keep the incoming message's trace id,
 * headers and timestamp on what they emit.
 *
 * <pre>{@code
 * Graph graph = Graph.builder("doubler")
 *     .add("numbers", Nodes.range(0, 1_000))
 *     .add("double", Nodes.map(Long.class, Long.class, x -> x * 2))
 *     .add("print", Nodes.sink(Long.class, System.out::println))
 *     .connect("numbers.out", "double.in")
 *     .connect("double.out", "print.in")
 *     .build();
 * }</pre>
 *
 * <p>Thread-safety: the factories are thread-safe; each returned node follows {@link Node}'s rules,
 * and the functions given are called on the node's thread, one message at a time.
 */
public final class Nodes {

  /** The input port name of map, filter, flatMap and sink nodes. */
  public static final String IN = "in";

  /** The output port name of sources, tickers, map, filter and flatMap nodes. */
  public static final String OUT = "out";

  /** Largest number of messages a helper source emits per pull, to keep activations short. */
  static final int MAX_PULL_BATCH = 256;

  private Nodes() {}

  /**
   * Returns a source that emits the items of an iterable, in order, within demand.
   *
   * @param type the payload type of the output
   * @param items the items; iterated once per graph run, from {@code onStart}
   * @param <T> the payload type
   * @return a new source node
   */
  public static <T> SourceNode source(Class<T> type, Iterable<? extends T> items) {
    Objects.requireNonNull(items, "items");
    return new IteratorSource<>(PortSpec.of(OUT, type), items::iterator);
  }

  /**
   * Returns a source that emits the longs {@code [from, to)} in order, within demand.
   *
   * @param fromInclusive the first value
   * @param toExclusive one past the last value
   * @return a new source node
   */
  public static SourceNode range(long fromInclusive, long toExclusive) {
    return new IteratorSource<>(
        PortSpec.of(OUT, Long.class),
        () -> LongStream.range(fromInclusive, toExclusive).boxed().iterator());
  }

  /**
   * Returns a node that emits a {@code Long} on every tick of {@code period} on the graph clock:
   * the tick number, 0 for the first tick of a run. The time of each tick is the emitted message's
   * {@link Message#timestampNanos()}; use {@link #ticker(Duration, Class, Supplier)} to emit
   * something else. On a {@code VirtualClock}, advancing the clock by one period gives one tick.
   *
   * <p>Backpressure: a ticker emits once per tick, whatever the demand. When its {@code BLOCK} edge
   * is full, the message waits in the node's outbox and the node gets no tick until the consumer
   * takes it; the ticks that fall due meanwhile are merged into one (counted as missed when a whole
   * interval passes unseen), never queued. A ticker never finishes on its own: a graph with one
   * runs until stopped.
   *
   * <pre>{@code
   * Graph.builder("heartbeat")
   *     .add("every-second", Nodes.ticker(Duration.ofSeconds(1)))
   *     .add("log", Nodes.sink(Long.class, n -> log.info("tick {}", n)))
   *     .connect("every-second.out", "log.in")
   *     .build();
   * }</pre>
   *
   * @param period the interval between ticks; positive
   * @return a new node with an output {@value #OUT} of type {@code Long}
   * @throws IllegalArgumentException if {@code period} is zero or negative
   */
  public static Node ticker(Duration period) {
    return tickerOf(period, Long.class, Long::valueOf);
  }

  /**
   * Returns a node that emits {@code supplier.get()} on every tick of {@code period} on the graph
   * clock, e.g. a reading of a gauge for a monitoring pipeline. Backpressure and cadence are those
   * of {@link #ticker(Duration)}.
   *
   * @param period the interval between ticks; positive
   * @param type the payload type of the output
   * @param supplier called on the node's thread once per tick; must not return null (a null is a
   *     failure of the node, handled by its error policy)
   * @param <T> the payload type
   * @return a new node with an output {@value #OUT} of type {@code type}
   * @throws IllegalArgumentException if {@code period} is zero or negative
   */
  public static <T> Node ticker(Duration period, Class<T> type, Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return tickerOf(period, type, tick -> supplier.get());
  }

  private static <T> Node tickerOf(
      Duration period, Class<T> type, LongFunction<? extends T> value) {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(type, "type");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException(
          "a ticker's period must be positive, was " + period + "; e.g. Duration.ofSeconds(1)");
    }
    return new TickerNode<>(PortSpec.of(OUT, type), period, value);
  }

  /**
   * Returns a node that emits {@code fn(payload)} for each input.
   *
   * @param in the input payload type
   * @param out the output payload type
   * @param fn the function; must not return null
   * @param <I> the input payload type
   * @param <O> the output payload type
   * @return a new node
   */
  public static <I, O> Node map(Class<I> in, Class<O> out, Function<? super I, ? extends O> fn) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    return new MapNode<>(PortSpec.of(IN, in), PortSpec.of(OUT, out), fn);
  }

  /**
   * Returns a node that forwards the inputs whose payload satisfies a predicate.
   *
   * @param type the payload type of input and output
   * @param keep the predicate
   * @param <T> the payload type
   * @return a new node
   */
  public static <T> Node filter(Class<T> type, Predicate<? super T> keep) {
    Objects.requireNonNull(keep, "keep");
    return new FilterNode<>(PortSpec.of(IN, type), PortSpec.of(OUT, type), keep);
  }

  /**
   * Returns a node that emits every element of {@code fn(payload)} for each input. The elements are
   * emitted in one activation; downstream BLOCK edges park what does not fit.
   *
   * @param in the input payload type
   * @param out the output payload type
   * @param fn the function; its iterable must not contain null
   * @param <I> the input payload type
   * @param <O> the output payload type
   * @return a new node
   */
  public static <I, O> Node flatMap(
      Class<I> in, Class<O> out, Function<? super I, ? extends Iterable<? extends O>> fn) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    return new FlatMapNode<>(PortSpec.of(IN, in), PortSpec.of(OUT, out), fn);
  }

  /**
   * Returns a node that passes each input payload to a consumer.
   *
   * @param type the payload type
   * @param action the consumer
   * @param <T> the payload type
   * @return a new node
   */
  public static <T> Node sink(Class<T> type, Consumer<? super T> action) {
    return new SinkNode<>(PortSpec.of(IN, type), action);
  }

  /** Emits up to the demand of its output per pull, at most {@link #MAX_PULL_BATCH}. */
  static int pullBudget(NodeContext ctx, PortSpec<?> out) {
    return Math.min(ctx.demand(out), MAX_PULL_BATCH);
  }

  /** Iterates lazily: the iterator is made in onStart, so a restarted graph starts over. */
  interface IteratorFactory<T> {
    Iterator<? extends T> iterator();
  }
}
