package dev.weir.testing;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

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

  /**
   * The system property naming the Maven module whose tests run (Surefire sets it to the module's
   * artifactId, see the root pom), so that a failure can print a replay command for that module.
   */
  public static final String MODULE_PROPERTY = "weir.module";

  /** The module this class belongs to: the replay command's module when no property names one. */
  private static final String DEFAULT_MODULE = "tests-unit";

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
   * Returns the command that reruns one test method with a given seed, runnable verbatim from the
   * repository root of a fresh clone: {@code mvn -B -ntp -pl tests-unit -am test
   * -Dtest='FooTest#method' -Dweir.seed=N}. {@code -am} builds the engine modules first, so the
   * command needs nothing installed; the build's {@code surefire.failIfNoSpecifiedTests=false} lets
   * those modules run no test.
   *
   * @param testClass the class that declares the test method
   * @param method the test method's name
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @return the command
   */
  public static String replayCommand(Class<?> testClass, String method, String seed) {
    return command(simpleBinaryName(testClass) + "#" + method, seed);
  }

  /**
   * Returns the hint for a failure message of a test that draws its own seed: {@code "replay with:
   * "} and the {@link #replayCommand} of the test running on the calling thread. The test is found
   * on the stack: the innermost test method ({@code @Test}, {@code @ParameterizedTest},
   * {@code @Property}, ...), else the class of a {@code @BeforeAll} or {@code @BeforeEach} method;
   * called off the test's thread, the command replays the whole module with that seed.
   *
   * @param seed the seed value
   * @return {@code "replay with: mvn -B -ntp -pl tests-unit -am test -Dtest='FooTest#method'
   *     -Dweir.seed=N"}
   */
  public static String replayHint(long seed) {
    String selector =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.map(Seed::testSelector).flatMap(Optional::stream).findFirst())
            .orElse(null);
    return "replay with: " + command(selector, Long.toString(seed));
  }

  private static Optional<String> testSelector(StackWalker.StackFrame frame) {
    Class<?> type = frame.getDeclaringClass();
    for (Method method : type.getDeclaredMethods()) {
      if (!method.getName().equals(frame.getMethodName())) {
        continue;
      }
      if (AnnotationSupport.isAnnotated(method, Testable.class)) {
        return Optional.of(simpleBinaryName(type) + "#" + method.getName());
      }
      if (AnnotationSupport.isAnnotated(method, BeforeAll.class)
          || AnnotationSupport.isAnnotated(method, BeforeEach.class)) {
        return Optional.of(simpleBinaryName(type));
      }
    }
    return Optional.empty();
  }

  private static String simpleBinaryName(Class<?> type) {
    return type.getName().substring(type.getPackageName().length() + 1);
  }

  private static String command(@Nullable String selector, String seed) {
    String module = System.getProperty(MODULE_PROPERTY, "");
    return "mvn -B -ntp -pl "
        + (module.isBlank() ? DEFAULT_MODULE : module.strip())
        + " -am test"
        + (selector == null ? "" : " -Dtest='" + selector + "'")
        + " -D"
        + PROPERTY
        + "="
        + seed;
  }

  @Override
  public String toString() {
    return PROPERTY + "=" + value;
  }
}
