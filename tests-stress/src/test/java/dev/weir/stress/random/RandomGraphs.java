package dev.weir.stress.random;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.junit.SuiteScale;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Runs random graphs one after another, each from its own case seed, and fails on the first case
 * that breaks a {@link CaseCheck}. The run seed comes first on standard error, then each case's
 * seed and one-line description before it runs; a failure names the case seed, every check it
 * broke, the command that replays that case alone and the folder holding its snapshot and report.
 *
 * <p>Case {@code k} of run seed {@code S} has the case seed {@code Seeds.derive(S, k)}; {@code
 * -Dweir.random.case=C} runs only the case of seed {@code C}, whatever the run seed, since a case
 * depends on its seed alone.
 *
 * <p>Thread-safety: one run at a time per calling thread; stateless otherwise.
 */
final class RandomGraphs {

  /** Runs only the case with this seed. */
  static final String CASE_PROPERTY = "weir.random.case";

  /** Overrides the number of cases of the scale. */
  static final String CASES_PROPERTY = "weir.random.cases";

  /** Overrides the time budget of the scale, as an ISO-8601 duration ({@code PT90S}). */
  static final String BUDGET_PROPERTY = "weir.random.budget";

  /** Overrides how long no counter may move before a case counts as hung ({@code PT10S}). */
  static final String STALL_PROPERTY = "weir.random.stall";

  /** Where runs write: the module's reports root ({@code StressReports}), {@code random-graphs}. */
  static final Path FOLDER = Path.of("target", "weir-reports", "random-graphs");

  private RandomGraphs() {}

  /**
   * How many cases a run makes.
   *
   * @param maxCases at most this many cases
   * @param budget no new case starts after this much time
   * @param stallWindow how long nothing may move before a case counts as hung
   * @param onlyCase the single case seed to run, or null for a run of derived seeds
   */
  record Settings(int maxCases, Duration budget, Duration stallWindow, @Nullable Long onlyCase) {

    /** The settings of this JVM: the scale's, with the {@code weir.random.*} overrides. */
    static Settings current() {
      SuiteScale scale = SuiteScale.current();
      int cases = Integer.getInteger(CASES_PROPERTY, scale.pick(48, 100_000));
      Duration budget =
          Duration.parse(System.getProperty(BUDGET_PROPERTY, scale.pick("PT20S", "PT90S")).strip());
      Duration stall = Duration.parse(System.getProperty(STALL_PROPERTY, "PT10S").strip());
      OptionalLong only = Seeds.parse(System.getProperty(CASE_PROPERTY));
      return new Settings(cases, budget, stall, only.isPresent() ? only.getAsLong() : null);
    }
  }

  /**
   * What a passing run did.
   *
   * @param cases cases run
   * @param elapsed wall-clock time
   * @param shapes cases per shape
   */
  record Summary(int cases, Duration elapsed, Map<String, Integer> shapes) {
    double perSecond() {
      return cases * 1_000.0 / Math.max(1, elapsed.toMillis());
    }
  }

  /**
   * Runs cases until the settings' count or budget is reached, failing on the first broken check.
   *
   * @param runSeed the run seed (the test's)
   * @param settings how many cases
   * @param testClass the test class, for the replay command
   * @param method the test method, for the replay command
   * @param plant changes each model before it runs (identity, except to plant a bug)
   * @return what ran
   * @throws AssertionError naming the case seed, the broken checks, the replay and the artifacts
   */
  static Summary run(
      long runSeed,
      Settings settings,
      Class<?> testClass,
      String method,
      UnaryOperator<CaseModel> plant)
      throws InterruptedException {
    Logger engine = (Logger) LoggerFactory.getLogger("dev.weir");
    Level level = engine.getLevel();
    // Injected failures are logged at WARN, thousands per run: the checks count them instead.
    engine.setLevel(Level.ERROR);
    try {
      return runCases(runSeed, settings, testClass, method, plant);
    } finally {
      engine.setLevel(level);
    }
  }

  private static Summary runCases(
      long runSeed,
      Settings settings,
      Class<?> testClass,
      String method,
      UnaryOperator<CaseModel> plant)
      throws InterruptedException {
    String replayBase = Seeds.replayCommand(testClass, method, Long.toString(runSeed));
    Long only = settings.onlyCase();
    say(
        "random graphs: run seed "
            + runSeed
            + (only != null
                ? ", replaying case seed " + only + " alone"
                : ", up to " + settings.maxCases() + " cases or " + settings.budget())
            + ", hang = no counter moving for "
            + settings.stallWindow()
            + "; replay one case alone with: "
            + replayBase
            + " -D"
            + CASE_PROPERTY
            + "=<case seed>");
    CaseRunner runner = new CaseRunner(settings.stallWindow());
    Map<String, Integer> shapes = new TreeMap<>();
    long start = System.nanoTime();
    int cases = 0;
    int limit = only != null ? 1 : settings.maxCases();
    while (cases < limit
        && (only != null || System.nanoTime() - start < settings.budget().toNanos())) {
      long caseSeed = only != null ? only : Seeds.derive(runSeed, cases);
      CaseModel model = plant.apply(CaseGenerator.generate(caseSeed));
      say("random case " + cases + " seed=" + caseSeed + ": " + model.describe());
      CaseRun run = runner.run(model, "random-" + cases);
      List<String> broken = new ArrayList<>();
      for (CaseCheck check : CaseCheck.all()) {
        String violation;
        try {
          violation = check.violation(run);
        } catch (RuntimeException e) {
          violation = "the check threw " + e;
        }
        if (violation != null) {
          broken.add(check.name() + ": " + violation);
        }
      }
      if (!broken.isEmpty()) {
        String replay = replayBase + " -D" + CASE_PROPERTY + "=" + caseSeed;
        Path folder = writeFailure(caseSeed, runSeed, model, run, broken, replay);
        String message =
            "random graph case "
                + cases
                + " (case seed "
                + caseSeed
                + ", run seed "
                + runSeed
                + ") broke "
                + broken.size()
                + " check(s):\n  "
                + String.join("\n  ", broken)
                + "\n  case: "
                + model.describe()
                + "\n  replay this case: "
                + replay
                + "\n  artifacts: "
                + folder.toAbsolutePath();
        say(message);
        throw new AssertionError(message);
      }
      shapes.merge(model.shape(), 1, Integer::sum);
      cases++;
    }
    Summary summary = new Summary(cases, Duration.ofNanos(System.nanoTime() - start), shapes);
    String line =
        String.format(
            "random graphs: %d cases passed every check in %.1f s (%.1f cases/s), run seed %d,"
                + " shapes %s",
            summary.cases(),
            summary.elapsed().toMillis() / 1000.0,
            summary.perSecond(),
            runSeed,
            shapes);
    say(line);
    // One summary per calling test: the planted-bug tests run one case each and must not overwrite
    // the night's summary of thousands.
    write(
        FOLDER.resolve(
            testClass == RandomGraphStressTest.class
                ? "summary.txt"
                : "summary-" + testClass.getSimpleName() + "." + method + ".txt"),
        line + "\n");
    return summary;
  }

  private static Path writeFailure(
      long caseSeed,
      long runSeed,
      CaseModel model,
      CaseRun run,
      List<String> broken,
      String replay) {
    Path folder = FOLDER.resolve("case-" + caseSeed);
    write(folder.resolve("seed.txt"), "case seed " + caseSeed + "\nrun seed " + runSeed + "\n");
    write(folder.resolve("replay.txt"), replay + "\n");
    write(folder.resolve("case.txt"), model.describe() + "\n\n" + run.graph().describe() + "\n");
    write(folder.resolve("failure.txt"), String.join("\n", broken) + "\n");
    write(
        folder.resolve("snapshot.txt"),
        (run.hang() != null ? "taken when the case hung: " + run.hang() + "\n" : "")
            + run.snapshot());
    write(
        folder.resolve("shutdown.txt"),
        run.report() == null
            ? "no report\n"
            : run.report() + "\n" + run.report().ledger().render());
    return folder;
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  @SuppressWarnings("SystemOut")
  private static void say(String line) {
    System.err.println(line);
  }
}
