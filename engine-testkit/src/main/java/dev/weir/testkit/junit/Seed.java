package dev.weir.testkit.junit;

import dev.weir.testkit.Seeds;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of one randomized test: either the value of {@code -Dweir.seed=N} (a replay) or a fresh
 * random value. Every source of randomness in a test derives from it, so printing it is enough to
 * reproduce the test's inputs. {@link WeirTestExtension} injects it (as a {@code Seed} or a {@code
 * long}) and names it in the failure.
 *
 * <p>Thread-safety: immutable; {@link #random()} returns a new, unshared generator each call.
 */
public final class Seed {

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
    OptionalLong fixed = Seeds.configured();
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
   * Returns a child seed for an independent stream, e.g. one per thread: {@link Seeds#derive}.
   *
   * @param stream the stream's index
   * @return a well-mixed seed that differs per stream
   */
  public long derive(long stream) {
    return Seeds.derive(value, stream);
  }

  @Override
  public String toString() {
    return Seeds.PROPERTY + "=" + value;
  }
}
