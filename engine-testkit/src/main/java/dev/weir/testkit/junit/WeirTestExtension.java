package dev.weir.testkit.junit;

import dev.weir.scheduler.RunningGraph;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.internal.Console;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Executable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Gives a JUnit 5 test a replayable seed and, when it fails, the command that replays it and a
 * folder of artifacts. Register it with {@link WeirTest} (or
 * {@code @ExtendWith(WeirTestExtension.class)}).
 *
 * <ul>
 *   <li><b>Seed.</b> A test (or {@code @BeforeEach}) parameter of type {@code long} (not in a
 *       {@code @ParameterizedTest}, whose arguments are {@code long}s too), {@link Seed} or {@link
 *       FailureArtifacts} gets the test's seed: {@code -Dweir.seed=N} if set, else a fresh random
 *       value per test invocation, printed on standard error when the test first asks for it.
 *   <li><b>Replay.</b> When a test that asked for its seed fails, the failure is rethrown as a
 *       {@link SeedReplayError} whose message starts with the whole command that replays it, {@code
 *       [replay with: mvn -B -ntp -pl MODULE -am test -Dtest='FooTest#method' -Dweir.seed=N]} (see
 *       {@link Seeds#replayCommand(Class, String, String)}), and whose cause is the original.
 *       Aborted tests (failed assumptions) and tests that never asked for a seed pass through
 *       unchanged.
 *   <li><b>Artifacts.</b> Before rethrowing, so before any {@code @AfterEach} method stops a graph,
 *       it writes {@code target/weir-tests/FooTest.method-seedN/} (relative to the working
 *       directory, the module's under Maven): {@code seed.txt}, {@code replay.txt}, {@code
 *       failure.txt} (the test and the stack trace), {@code snapshot.txt} (each {@linkplain
 *       FailureArtifacts#watch watched} graph's snapshot) and the test's {@linkplain
 *       FailureArtifacts#attach attachments}. The folder is named in the message and published as
 *       the report entry {@code weir.artifacts}.
 *   <li><b>Teardown.</b> After the test's {@code @AfterEach} methods, it stops every watched graph
 *       that is still running.
 * </ul>
 *
 * <p>Thread-safety: stateless; per-test state lives in the JUnit extension store.
 */
public final class WeirTestExtension
    implements ParameterResolver, TestExecutionExceptionHandler, AfterEachCallback {

  /** Where failure folders go, relative to the working directory. */
  public static final String ARTIFACTS_ROOT = "target/weir-tests";

  private static final Namespace NAMESPACE = Namespace.create(WeirTestExtension.class);
  private static final String KEY = "artifacts";
  private static final String PARAMETERIZED = "org.junit.jupiter.params.ParameterizedTest";
  private static final Pattern INVOCATION =
      Pattern.compile("\\[test-template-invocation:#(\\d+)]$");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** Creates the extension; JUnit does this for {@link WeirTest}. */
  public WeirTestExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == Seed.class || type == FailureArtifacts.class) {
      return true;
    }
    return (type == long.class || type == Long.class)
        && !parameterized(parameter.getDeclaringExecutable());
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    FailureArtifacts artifacts =
        context
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(KEY, k -> start(context), FailureArtifacts.class);
    Class<?> type = parameter.getParameter().getType();
    if (type == FailureArtifacts.class) {
      return artifacts;
    }
    return type == Seed.class ? artifacts.seed() : (Object) artifacts.seed().value();
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    FailureArtifacts artifacts = context.getStore(NAMESPACE).get(KEY, FailureArtifacts.class);
    if (artifacts == null || failure instanceof TestAbortedException) {
      throw failure;
    }
    String seed = Long.toString(artifacts.seed().value());
    Class<?> testClass = context.getRequiredTestClass();
    String method = context.getRequiredTestMethod().getName();
    String command = Seeds.replayCommand(testClass, method, seed);
    String note = Seeds.replayNote();
    context.publishReportEntry(Seeds.PROPERTY, seed);
    Path folder = null;
    try {
      folder =
          artifacts
              .writeTo(
                  Path.of(ARTIFACTS_ROOT).resolve(folderName(context, seed)),
                  command,
                  note,
                  context.getUniqueId(),
                  failure)
              .toAbsolutePath()
              .normalize();
      context.publishReportEntry("weir.artifacts", folder.toString());
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    throw new SeedReplayError(seed, command, failure, folder, note);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    FailureArtifacts artifacts = context.getStore(NAMESPACE).get(KEY, FailureArtifacts.class);
    if (artifacts == null) {
      return;
    }
    for (RunningGraph graph : artifacts.graphs()) {
      if (graph.isRunning()) {
        graph.stop(STOP_TIMEOUT);
      }
    }
  }

  private static FailureArtifacts start(ExtensionContext context) {
    Seed seed = Seed.pick();
    Console.err(
        "[weir] "
            + selector(context)
            + ": seed "
            + seed.value()
            + (seed.isReplay() ? " (from -D" + Seeds.PROPERTY + ")" : ""));
    return new FailureArtifacts(seed);
  }

  private static String selector(ExtensionContext context) {
    String type =
        context.getTestClass().map(WeirTestExtension::simpleBinaryName).orElse("(no class)");
    return context.getTestMethod().map(m -> type + "#" + m.getName()).orElse(type);
  }

  /** {@code FooTest$Nested.method[-invocation]-seedN}: one folder per failing invocation. */
  static String folderName(ExtensionContext context, String seed) {
    StringBuilder name = new StringBuilder(simpleBinaryName(context.getRequiredTestClass()));
    name.append('.').append(context.getRequiredTestMethod().getName());
    String invocation = invocation(context.getUniqueId());
    if (invocation != null) {
      name.append('-').append(invocation);
    }
    return name.append("-seed").append(seed).toString();
  }

  private static @Nullable String invocation(String uniqueId) {
    Matcher m = INVOCATION.matcher(uniqueId);
    return m.find() ? m.group(1) : null;
  }

  private static String simpleBinaryName(Class<?> type) {
    return type.getName().substring(type.getPackageName().length() + 1);
  }

  private static boolean parameterized(Executable executable) {
    for (Annotation annotation : executable.getAnnotations()) {
      if (annotation.annotationType().getName().equals(PARAMETERIZED)) {
        return true;
      }
      for (Annotation meta : annotation.annotationType().getAnnotations()) {
        if (meta.annotationType().getName().equals(PARAMETERIZED)) {
          return true;
        }
      }
    }
    return false;
  }
}
