package dev.weir.testkit.junit;

import java.util.Locale;
import java.util.Objects;

/**
 * How big a stress or soak suite runs: {@link #SMOKE} (every scenario, small, inside the everyday
 * build) or {@link #NIGHTLY} (the scale the scenario was written for, with its budgets checked).
 *
 * <p>The scale follows how the suite was started, so nobody has to remember a flag:
 *
 * <ul>
 *   <li>{@code -Dweir.scale=smoke} or {@code -Dweir.scale=nightly} wins when given;
 *   <li>otherwise a module built by itself ({@code mvn -pl tests-stress verify}, or {@code mvn
 *       verify} inside the module's folder) runs {@code NIGHTLY};
 *   <li>otherwise (the module is one of many in the build, as in the root {@code mvn verify}, or
 *       the test runs outside Maven, in an IDE) it runs {@code SMOKE}.
 * </ul>
 *
 * <p>Weir's parent POM passes what this needs to every test JVM: {@code weir.module} (the module's
 * artifactId), {@code weir.reactorHead} (the first project of the Maven build, {@code
 * ${session.projects[0].artifactId}}) and {@code weir.scale}. A suite of your own gets the same
 * behaviour by passing those three system properties from its Surefire configuration.
 *
 * <p>Thread-safety: an immutable enum; {@link #current()} reads system properties and may be called
 * from any thread.
 */
public enum SuiteScale {
  /** Small: every scenario runs, in seconds, with verdicts that do not depend on timing. */
  SMOKE,
  /** The full scale, with the scenario's time, memory and throughput budgets checked. */
  NIGHTLY;

  /** The system property that fixes the scale: {@code smoke} or {@code nightly}. */
  public static final String PROPERTY = "weir.scale";

  /**
   * Returns the scale of this test JVM (see the class documentation for how it is decided).
   *
   * @return the scale
   * @throws IllegalArgumentException if {@code -Dweir.scale} is set to anything but {@code smoke}
   *     or {@code nightly}
   */
  public static SuiteScale current() {
    String explicit = System.getProperty(PROPERTY, "").trim();
    if (!explicit.isEmpty()) {
      return parse(explicit);
    }
    String module = System.getProperty("weir.module", "").trim();
    String head = System.getProperty("weir.reactorHead", "").trim();
    return !module.isEmpty() && module.equals(head) ? NIGHTLY : SMOKE;
  }

  /**
   * Reads a scale as written on the command line.
   *
   * @param text {@code smoke} or {@code nightly}, in any case
   * @return the scale
   * @throws IllegalArgumentException naming the value and the allowed ones
   */
  public static SuiteScale parse(String text) {
    Objects.requireNonNull(text, "text");
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "smoke" -> SMOKE;
      case "nightly" -> NIGHTLY;
      default ->
          throw new IllegalArgumentException(
              "-D"
                  + PROPERTY
                  + "="
                  + text
                  + " is not a scale: use -D"
                  + PROPERTY
                  + "=smoke or -D"
                  + PROPERTY
                  + "=nightly, or leave it out to let the build decide");
    };
  }

  /**
   * Picks the value for this scale: a scenario states both sizes in one place.
   *
   * @param <T> the value's type
   * @param smoke the value at {@link #SMOKE}
   * @param nightly the value at {@link #NIGHTLY}
   * @return {@code smoke} or {@code nightly}
   */
  public <T> T pick(T smoke, T nightly) {
    Objects.requireNonNull(smoke, "smoke");
    Objects.requireNonNull(nightly, "nightly");
    return this == SMOKE ? smoke : nightly;
  }

  /**
   * Picks an {@code int} for this scale.
   *
   * @param smoke the value at {@link #SMOKE}
   * @param nightly the value at {@link #NIGHTLY}
   * @return {@code smoke} or {@code nightly}
   */
  public int pick(int smoke, int nightly) {
    return this == SMOKE ? smoke : nightly;
  }

  /**
   * Picks a {@code long} for this scale.
   *
   * @param smoke the value at {@link #SMOKE}
   * @param nightly the value at {@link #NIGHTLY}
   * @return {@code smoke} or {@code nightly}
   */
  public long pick(long smoke, long nightly) {
    return this == SMOKE ? smoke : nightly;
  }

  /**
   * Returns the lower-case name used by {@code -Dweir.scale} and printed in reports.
   *
   * @return {@code smoke} or {@code nightly}
   */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
