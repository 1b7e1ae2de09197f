package dev.weir.testkit;

import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The run seed and the seeds derived from it. A run has one seed, from {@code -Dweir.seed=N} (a
 * replay) or drawn at random; every source of randomness in the run (each actor's generator, each
 * scheduler's seed) derives from it by {@link #derive}, so printing it is enough to replay the
 * run's choices.
 *
 * <p>It also gives the command that replays a test with its seed ({@link #replayCommand}, {@link
 * #replayHint}): {@code mvn -B -ntp -pl MODULE -am test -Dtest='FooTest#method' -Dweir.seed=N},
 * runnable verbatim from the root of the build. The module comes from the system property {@value
 * #MODULE_PROPERTY}, which Weir's root pom has Surefire set to each module's artifactId (set it in
 * your own Surefire configuration to get the same); without it the command has no {@code -pl} and
 * runs from the directory of the module that holds the test ({@link #replayNote}).
 *
 * <p>Thread-safety: stateless; safe from any thread.
 */
public final class Seeds {

  /** The system property that fixes the run seed; absent or blank means "draw one". */
  public static final String PROPERTY = "weir.seed";

  /**
   * The system property naming the Maven module whose tests run, e.g. {@code tests-unit}: Surefire
   * sets it in Weir's build ({@code <weir.module>${project.artifactId}</weir.module>} among its
   * {@code systemPropertyVariables}), so that a replay command can say {@code -pl MODULE -am}.
   */
  public static final String MODULE_PROPERTY = "weir.module";

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
    OptionalLong fixed = configured();
    return fixed.isPresent() ? fixed.getAsLong() : ThreadLocalRandom.current().nextLong();
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
  public static OptionalLong parse(@Nullable String text) {
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
   * Returns the command that reruns one test method with a given seed, runnable verbatim from the
   * root of the build: {@code mvn -B -ntp -pl MODULE -am test -Dtest='FooTest$Nested#method'
   * -Dweir.seed=N} when {@value #MODULE_PROPERTY} names the module, else the same without {@code
   * -pl MODULE -am}, to run in the module's directory. {@code -am} builds what the module depends
   * on first, so nothing needs to be installed; the modules it adds hold no matching test, which
   * the build must allow ({@code surefire.failIfNoSpecifiedTests=false}, as Weir's root pom sets).
   *
   * @param testClass the class that declares the test method
   * @param method the test method's name
   * @param seed the seed value, as {@code -Dweir.seed} takes it
   * @return the command
   * @throws NullPointerException if an argument is null
   */
  public static String replayCommand(Class<?> testClass, String method, String seed) {
    Objects.requireNonNull(testClass, "testClass");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(seed, "seed");
    return command(simpleBinaryName(testClass) + "#" + method, seed);
  }

  /**
   * Returns the command that replays the test running on the calling thread with a given seed: the
   * {@link #replayCommand} of the innermost test method on the stack ({@code @Test},
   * {@code @ParameterizedTest}, jqwik's {@code @Property}, ...), else of the class of a
   * {@code @BeforeAll} or {@code @BeforeEach} method on the stack; called off the test's thread,
   * the command replays the whole module with that seed.
   *
   * @param seed the seed value
   * @return the command
   */
  public static String replayCommand(long seed) {
    return command(callingTest(), Long.toString(seed));
  }

  /**
   * Returns {@code "replay with: "} and the {@link #replayCommand(long)} of the calling test, for a
   * failure message of a test that draws its own seed; without {@value #MODULE_PROPERTY}, the
   * {@link #replayNote} follows.
   *
   * @param seed the seed value
   * @return {@code "replay with: mvn -B -ntp -pl MODULE -am test -Dtest='FooTest#method'
   *     -Dweir.seed=N"}
   */
  public static String replayHint(long seed) {
    String note = replayNote();
    return "replay with: " + replayCommand(seed) + (note.isEmpty() ? "" : " (" + note + ")");
  }

  /**
   * Returns what a reader of a replay command needs to know besides the command: empty when {@value
   * #MODULE_PROPERTY} names the module (the command has {@code -pl}), else where to run it.
   *
   * @return the note, or an empty string
   */
  public static String replayNote() {
    return module() == null
        ? "run it in the directory of the module that holds the test; set the system property "
            + MODULE_PROPERTY
            + " in Surefire to get -pl"
        : "";
  }

  /**
   * Returns the selector {@code FooTest$Nested#method} of the innermost test on the calling
   * thread's stack, or of the class of a {@code @BeforeAll}/{@code @BeforeEach} method, or null.
   */
  static @Nullable String callingTest() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .walk(frames -> frames.map(Seeds::testSelector).flatMap(Optional::stream).findFirst())
        .orElse(null);
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

  private static @Nullable String module() {
    String module = System.getProperty(MODULE_PROPERTY, "");
    return module.isBlank() ? null : module.strip();
  }

  /** Builds the command; a null selector replays the whole module. */
  static String command(@Nullable String selector, String seed) {
    String module = module();
    return "mvn -B -ntp"
        + (module == null ? "" : " -pl " + module + " -am")
        + " test"
        + (selector == null ? "" : " -Dtest='" + selector + "'")
        + " -D"
        + PROPERTY
        + "="
        + seed;
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
