package dev.weir.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weir.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a fixture class (a static nested class that Surefire does not pick up on its own) through a
 * nested JUnit Platform launcher, with an optional {@code weir.seed} system property, and collects
 * the results; what tests of test infrastructure need. Standard output of the run is swallowed:
 * fixtures fail on purpose, and jqwik would print their reports.
 *
 * <p>Thread-safety: not thread-safe; it sets and restores a system property and {@code System.out}.
 */
final class FixtureRun {

  /**
   * One finished test of the fixture.
   *
   * @param name the test's display name
   * @param result how it ended
   */
  record Outcome(String name, TestExecutionResult result) {
    Throwable failure() {
      return result.getThrowable().orElseThrow();
    }
  }

  private FixtureRun() {}

  /**
   * Runs every test of a fixture class.
   *
   * @param fixture the class
   * @param seed the {@code weir.seed} value to set, or null to clear the property
   * @return the outcomes of the tests (not of containers), in execution order
   */
  static List<Outcome> run(Class<?> fixture, String seed) {
    List<Outcome> outcomes = new ArrayList<>();
    String saved = System.getProperty(Seeds.PROPERTY);
    PrintStream out = System.out;
    if (seed == null) {
      System.clearProperty(Seeds.PROPERTY);
    } else {
      System.setProperty(Seeds.PROPERTY, seed);
    }
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      LauncherDiscoveryRequest request =
          LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build();
      LauncherFactory.create()
          .execute(
              request,
              new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                  if (id.isTest()) {
                    outcomes.add(new Outcome(id.getDisplayName(), result));
                  }
                }
              });
    } finally {
      System.setOut(out);
      if (saved == null) {
        System.clearProperty(Seeds.PROPERTY);
      } else {
        System.setProperty(Seeds.PROPERTY, saved);
      }
    }
    return outcomes;
  }

  static Outcome only(List<Outcome> outcomes, String namePrefix) {
    return outcomes.stream()
        .filter(o -> o.name().startsWith(namePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no test " + namePrefix + " in " + outcomes));
  }
}
