package dev.weir.integration;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The seed of a randomized scenario: {@code -Dweir.seed=N} replays one, otherwise each run draws a
 * fresh one. Scenarios print {@link #replayHint} in every failure message: the whole command that
 * replays the failing test with its seed, runnable verbatim from the repository root of a fresh
 * clone. (tests-unit's {@code dev.weir.testing.Seed} does the same there; it is not visible from
 * this module.)
 */
final class Seeds {

  /** Surefire sets it to this module's artifactId (root pom); an IDE run may not. */
  private static final String MODULE_PROPERTY = "weir.module";

  private Seeds() {}

  /** Returns {@code -Dweir.seed} if set, else a fresh random seed. */
  static long pick() {
    String fixed = System.getProperty("weir.seed");
    if (fixed == null || fixed.isBlank()) {
      return ThreadLocalRandom.current().nextLong();
    }
    try {
      return Long.parseLong(fixed.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-Dweir.seed=" + fixed + " is not a decimal long", e);
    }
  }

  /**
   * Returns the line a failure message carries so that the run can be replayed: {@code replay with:
   * mvn -B -ntp -pl tests-integration -am test -Dtest='FooTest#method' -Dweir.seed=N}. The test is
   * the innermost test method on the calling thread's stack; called from another thread, the
   * command replays the whole module with the seed. {@code -am} builds the engine first, so nothing
   * needs to be installed.
   */
  static String replayHint(long seed) {
    String selector =
        StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
            .walk(frames -> frames.map(Seeds::testMethod).flatMap(Optional::stream).findFirst())
            .orElse(null);
    return "replay with: " + command(selector, seed);
  }

  private static Optional<String> testMethod(StackWalker.StackFrame frame) {
    Class<?> type = frame.getDeclaringClass();
    for (Method method : type.getDeclaredMethods()) {
      if (method.getName().equals(frame.getMethodName())
          && AnnotationSupport.isAnnotated(method, Testable.class)) {
        String name = type.getName().substring(type.getPackageName().length() + 1);
        return Optional.of(name + "#" + method.getName());
      }
    }
    return Optional.empty();
  }

  private static String command(@Nullable String selector, long seed) {
    String module = System.getProperty(MODULE_PROPERTY, "");
    return "mvn -B -ntp -pl "
        + (module.isBlank() ? "tests-integration" : module.strip())
        + " -am test"
        + (selector == null ? "" : " -Dtest='" + selector + "'")
        + " -Dweir.seed="
        + seed;
  }
}
