package dev.weir.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Gives a JUnit 5 test a replayable {@link Seed}: declare a {@code Seed} parameter (on the test
 * method, or on a {@code @BeforeEach} method, which then sees the same seed) and randomize only
 * from it.
 *
 * <pre>{@code
 * @ExtendWith(SeedExtension.class)
 * class FooTest {
 *   @Test
 *   void offer_anySequence_keepsFifo(Seed seed) {
 *     SplittableRandom random = seed.random();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>The seed is {@code -Dweir.seed=N} if given (the root pom passes it to Surefire), else a fresh
 * random value per test invocation. When a test that took a seed fails, the failure is rethrown as
 * a {@link SeedReplayError} whose message starts with the whole command that replays it ({@code
 * [replay with: mvn -B -ntp -pl tests-unit -am test -Dtest='FooTest#method' -Dweir.seed=N]}), and
 * the seed is published as a report entry. Aborted tests (failed assumptions) pass through
 * unchanged; tests that never asked for a seed are not touched.
 *
 * <p>Thread-safety: stateless; per-test state lives in the JUnit extension store.
 */
public final class SeedExtension implements ParameterResolver, TestExecutionExceptionHandler {

  private static final Namespace NAMESPACE = Namespace.create(SeedExtension.class);
  private static final String KEY = "seed";

  /** Creates the extension; JUnit does this for {@code @ExtendWith}. */
  public SeedExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Seed.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, k -> Seed.pick(), Seed.class);
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    Seed seed = context.getStore(NAMESPACE).get(KEY, Seed.class);
    if (seed == null || failure instanceof TestAbortedException) {
      throw failure;
    }
    context.publishReportEntry(Seed.PROPERTY, Long.toString(seed.value()));
    String value = Long.toString(seed.value());
    throw new SeedReplayError(
        value,
        Seed.replayCommand(
            context.getRequiredTestClass(), context.getRequiredTestMethod().getName(), value),
        failure);
  }
}
