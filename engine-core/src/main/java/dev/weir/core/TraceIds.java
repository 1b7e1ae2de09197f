package dev.weir.core;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A source of 64-bit trace ids: the SplitMix64 sequence of a seed. Two generators with the same
 * seed produce the same ids in the same order, so a seeded run stamps identical trace ids; ids of
 * one generator never repeat within 2<sup>64</sup> draws. Making an id costs an add and a few
 * multiplies: no {@code UUID.randomUUID()}, no shared counter.
 *
 * <p>The scheduler gives every node its own generator, seeded from the graph seed and the node's
 * position, so ids stay deterministic however nodes are spread over workers.
 *
 * <p>Thread-safety: not thread-safe; one generator belongs to one thread at a time (a node's hooks
 * never run concurrently). {@link #randomId()} is safe from any thread.
 */
public final class TraceIds {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  private TraceIds(long seed) {
    this.state = seed;
  }

  /**
   * Returns a generator whose sequence is fixed by the seed.
   *
   * @param seed any value; equal seeds give equal sequences
   * @return a new generator
   */
  public static TraceIds seeded(long seed) {
    return new TraceIds(seed);
  }

  /**
   * Returns the next id of this generator's sequence.
   *
   * @return a well-mixed 64-bit id
   */
  public long next() {
    state += GOLDEN_GAMMA;
    return mix(state);
  }

  /**
   * Returns the {@code n}-th id of {@code seeded(seed)}'s sequence (the first is {@code n = 1})
   * without a generator: several threads can share one sequence by drawing {@code n} from an atomic
   * counter.
   *
   * @param seed the sequence's seed
   * @param n the position in the sequence, from 1
   * @return the same id as the {@code n}-th {@link #next()} of {@code seeded(seed)}
   */
  public static long nth(long seed, long n) {
    return mix(seed + n * GOLDEN_GAMMA);
  }

  /**
   * Returns an unseeded, non-reproducible id, for messages made outside a running graph.
   *
   * @return a random 64-bit id
   */
  public static long randomId() {
    return ThreadLocalRandom.current().nextLong();
  }

  /**
   * Derives a child seed, e.g. a node's seed from the graph seed and the node's index.
   *
   * @param seed the parent seed
   * @param stream the child's index
   * @return a seed that differs well between streams
   */
  public static long derive(long seed, long stream) {
    return mix(seed + mix(stream + GOLDEN_GAMMA));
  }

  /**
   * Formats an id the way logs and {@link Message#toString()} show it.
   *
   * @param traceId the id
   * @return 16 lower-case hex digits
   */
  public static String format(long traceId) {
    String hex = Long.toHexString(traceId);
    return "0".repeat(16 - hex.length()) + hex;
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
