package dev.weir.testing;

import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of one randomized test: either the value of {@code -Dweir.seed=N} (a replay) or a fresh
 * random value. Every source of randomness in a test derives from it, so printing it is enough to
 * reproduce the test's inputs. {@link SeedExtension} injects it and names it in the failure.
 *
 * <p>Thread-safety: immutable; {@link #random()} returns a new, unshared generator each call.
 */
public final class Seed {

  /** The system property that fixes the seed; empty or absent means "pick one". */
  public static final String PROPERTY = "weir.seed";

  private final long value;
  private final boolean replayed;

  private Seed(long value, boolean replayed) {
    this.value = value;
    this.replayed = replayed;
  }

  /**
   * Returns the seed fixed by {@code -Dweir.seed}, else a fresh random one.
   *
   * @return the seed for one test
   * @throws IllegalArgumentException if the property is set but is not a decimal long
   */
  public static Seed pick() {
    OptionalLong fixed = configured();
    return fixed.isPresent()
        ? new Seed(fixed.getAsLong(), true)
        : new Seed(ThreadLocalRandom.current().nextLong(), false);
  }

  /**
   * Returns a seed with a given value, e.g. to pin a regression.
   *
   * @param value the seed
   * @return a seed that reports itself as fixed
   */
  public static Seed of(long value) {
    return new Seed(value, true);
  }

  /**
   * Returns the value of {@code -Dweir.seed}, if set.
   *
   * @return the configured seed, or empty when the property is absent or blank
   * @throws IllegalArgumentException if the property is set but is not a decimal long
   */
  public static OptionalLong configured() {
    return parse(System.getProperty(PROPERTY));
  }

  /**
   * Parses a seed property value. Unlike {@link Long#getLong}, a malformed value is an error rather
   * than silently random: a typo in a replay command must not look like a passing replay.
   *
   * @param text the property value, possibly null or blank
   * @return the seed, or empty when {@code text} is null or blank
   * @throws IllegalArgumentException if {@code text} is not a decimal long
   */
  public static OptionalLong parse(String text) {
    if (text == null || text.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + PROPERTY + "=" + text + " is not a seed: use a decimal long, e.g. -3141592653", e);
    }
  }

  /**
   * Returns the seed value.
   *
   * @return the value a replay passes as {@code -Dweir.seed}
   */
  public long value() {
    return value;
  }

  /**
   * Returns whether the value came from {@code -Dweir.seed} or {@link #of}, not from chance.
   *
   * @return whether this is a replay
   */
  public boolean isReplay() {
    return replayed;
  }

  /**
   * Returns a new generator whose sequence is fixed by this seed.
   *
   * @return a fresh generator; not thread-safe, give each thread its own {@link #derive} seed
   */
  public SplittableRandom random() {
    return new SplittableRandom(value);
  }

  /**
   * Returns a child seed for an independent stream, e.g. one per thread.
   *
   * @param stream the stream's index
   * @return a well-mixed seed that differs per stream
   */
  public long derive(long stream) {
    long z = value + (stream + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Returns the hint to put in a failure message.
   *
   * @return {@code "replay with -Dweir.seed=N"}
   */
  public String replayHint() {
    return replayHint(Long.toString(value));
  }

  static String replayHint(String value) {
    return "replay with -D" + PROPERTY + "=" + value;
  }

  @Override
  public String toString() {
    return PROPERTY + "=" + value;
  }
}
