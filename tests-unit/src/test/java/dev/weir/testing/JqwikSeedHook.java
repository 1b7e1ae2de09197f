package dev.weir.testing;

import dev.weir.testkit.Seeds;
import dev.weir.testkit.junit.SeedReplayError;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Makes every jqwik property of the module replayable from {@code -Dweir.seed}, like the JUnit
 * tests that use {@code @WeirTest} ({@link dev.weir.testkit.junit.WeirTestExtension}). Registered
 * globally through {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}, so a new
 * property class needs nothing.
 *
 * <p>jqwik's seeds are decimal longs ({@code Long.parseLong} of the {@code seed} attribute), so one
 * number serves both worlds:
 *
 * <ul>
 *   <li>When {@code -Dweir.seed=N} is set, the hook sets the property's {@code seed} attribute to
 *       {@code N} (the same as {@code @Property(seed = "N")}, which cannot read a system property)
 *       and its after-failure mode to {@link AfterFailureMode#RANDOM_SEED}, so jqwik's failure
 *       database cannot substitute a remembered seed or sample for the one asked for.
 *   <li>When a property fails, the hook prefixes jqwik's failure with the command that replays it,
 *       {@code [replay with: mvn -B -ntp -pl tests-unit -am test -Dtest='FooTest#property'
 *       -Dweir.seed=N]}, N being the seed jqwik used. jqwik's own report ({@code seed = N} among
 *       the {@code tries}, {@code checks} and sample lines, printed to the test's standard output)
 *       shows the same value; {@code @Property(seed = "N")} on the method is the per-method
 *       alternative.
 * </ul>
 *
 * <p>A replay regenerates the same inputs only if the property's arbitraries and {@code tries} are
 * unchanged. Without {@code -Dweir.seed}, jqwik picks a random seed per property and, after a
 * failure, re-runs the failing sample first on the next run ({@code jqwik.database} lives under
 * {@code target/}, see {@code junit-platform.properties}).
 *
 * <p>Thread-safety: stateless.
 */
public final class JqwikSeedHook implements AroundPropertyHook {

  /** Creates the hook; jqwik's service loader does this. */
  public JqwikSeedHook() {}

  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public boolean appliesTo(Optional<java.lang.reflect.AnnotatedElement> element) {
    return true;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    OptionalLong fixed = Seeds.configured();
    if (fixed.isPresent()) {
      context.attributes().setSeed(Long.toString(fixed.getAsLong()));
      context.attributes().setAfterFailure(AfterFailureMode.RANDOM_SEED);
    }
    PropertyExecutionResult result = property.execute();
    if (result.status() != PropertyExecutionResult.Status.FAILED || result.seed().isEmpty()) {
      return result;
    }
    Throwable failure =
        result.throwable().orElseGet(() -> new AssertionError("property " + context.label()));
    String seed = result.seed().get();
    String command =
        Seeds.replayCommand(context.containerClass(), context.targetMethod().getName(), seed);
    return result.mapToFailed(new SeedReplayError(seed, command, failure));
  }

  @Override
  public int aroundPropertyProximity() {
    // Outermost: wrap whatever other hooks report, and set the seed before any of them runs.
    return -100;
  }
}
