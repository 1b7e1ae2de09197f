package dev.weir.testkit;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The run seed and the seeds derived from it. A run has one seed, from {@code -Dweir.seed=N} (a
 * replay) or drawn at random; every source of randomness in the run (each actor's generator, each
 * scheduler's seed) derives from it by {@link #derive}, so printing it is enough to replay the
 * run's choices.
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Seeds {

  /** The system property that fixes the run seed; absent or blank means "draw one". */
  public static final String PROPERTY = "weir.seed";

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /**
   * Returns {@code -Dweir.seed} if set, else a fresh random seed.
   *
   * @return the run seed
   * @throws IllegalArgumentException if the property is set but is not a decimal long: a typo in a
   *     replay command must not pass as a fresh random run
   */
  public static long pick() {
    String fixed = System.getProperty(PROPERTY);
    if (fixed == null || fixed.isBlank()) {
      return ThreadLocalRandom.current().nextLong();
    }
    try {
      return Long.parseLong(fixed.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + fixed + " is not a seed: use a decimal long, e.g. -3141592653",
          e);
    }
  }

  /**
   * Derives the seed of one stream of randomness (an actor, a scheduler incarnation) from the run
   * seed: a SplitMix64 step, so neighbouring streams get unrelated seeds and the same (seed,
   * stream) always gives the same value.
   *
   * @param seed the run seed
   * @param stream the stream's number, e.g. the actor's position in declaration order
   * @return the derived seed
   */
  public static long derive(long seed, long stream) {
    long z = seed + GOLDEN_GAMMA * (stream + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
