package dev.weir.testkit.internal.cli;

import dev.weir.testkit.CheckResult;
import dev.weir.testkit.Seeds;
import dev.weir.testkit.StressResult;
import dev.weir.testkit.SuiteReport;
import dev.weir.testkit.internal.SuppressForbidden;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code weir-stress} command: runs the built-in scenarios of the chosen categories, prints
 * progress, writes one suite report (each scenario's own folder below it) and exits 0 when every
 * check passed, 1 when one did not, 2 on bad arguments.
 *
 * <p>Thread-safety: one instance per invocation, used by the thread that runs {@link #call}.
 */
@Command(
    name = "weir-stress",
    mixinStandardHelpOptions = true,
    version = "weir-stress (Weir engine-testkit)",
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Runs Weir's built-in stress scenarios against built-in graphs and checks them: the"
          + " conservation ledger (nothing lost or duplicated), FIFO per stream, payload"
          + " checksums, a clean stop, liveness (the graph drains), and per category heap growth,"
          + " load latency and faults fired. Writes report.json, report.md and report.html to"
          + " --out, each scenario's own reports (and, if it failed, its artifacts) in a folder"
          + " below.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every check of every scenario passed",
      "1:a check failed: artifacts written, the replay command printed",
      "2:bad arguments: the message names the argument and the allowed values"
    })
public final class WeirStress implements Callable<Integer> {

  /** Option values in the usage help. */
  static final class CategoryLabels extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    CategoryLabels() {
      for (Category c : Category.values()) {
        add(c.label);
      }
    }
  }

  /** Option values in the usage help. */
  static final class IntensityLabels extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    IntensityLabels() {
      for (Intensity i : Intensity.values()) {
        add(i.label);
      }
    }
  }

  /** Option values in the usage help. */
  static final class PlantLabels extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    PlantLabels() {
      for (Plant p : Plant.values()) {
        add(p.label);
      }
    }
  }

  /** How much the command prints and writes. */
  enum Level {
    SUMMARY,
    DETAILED
  }

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--category",
      paramLabel = "CATEGORY",
      defaultValue = "all",
      converter = Converters.CategoryConverter.class,
      completionCandidates = CategoryLabels.class,
      description = "Scenarios to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Category category = Category.ALL;

  @Option(
      names = "--intensity",
      paramLabel = "LEVEL",
      defaultValue = "smoke",
      converter = Converters.IntensityConverter.class,
      completionCandidates = IntensityLabels.class,
      description =
          "How long and hard: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). Each scenario runs smoke 3 s, low 15 s, medium 1 min, high 5 min (long-running: 5 s, 1 min, 10 min, 1 h); deterministic runs count 1,500, 10,000, 50,000 or 200,000 operations instead. medium and high add a saturation search to load.")
  Intensity intensity = Intensity.SMOKE;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      converter = Converters.DurationConverter.class,
      description =
          "Length of each scenario instead of the intensity's, e.g. 500ms, 30s, 10m, 1h. Not with --deterministic (that run ends by operation count).")
  @Nullable Duration duration;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description =
          "Run seed (a long); default: -Dweir.seed, else random. Always printed; the same seed with --deterministic replays the same run.")
  @Nullable Long seed;

  @Option(
      names = "--deterministic",
      description =
          "One worker, a virtual clock, the actors driven from one thread in seeded order: the same seed gives the same traceHash and report.json (minus wall-clock fields).")
  boolean deterministic;

  @Option(
      names = "--report-level",
      paramLabel = "LEVEL",
      defaultValue = "summary",
      converter = Converters.LevelConverter.class,
      completionCandidates = Converters.LevelLabels.class,
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}): summary prints a verdict line per scenario; detailed also prints every check of every scenario.")
  Level reportLevel = Level.SUMMARY;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "target/weir-stress-report",
      description = "Folder for the reports (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("target", "weir-stress-report");

  @Option(
      names = "--plant",
      paramLabel = "BUG",
      converter = Converters.PlantConverter.class,
      completionCandidates = PlantLabels.class,
      description =
          "Self-check: plant a bug the checks must catch, so the run must exit 1: ${COMPLETION-CANDIDATES} (see below).")
  @Nullable Plant plant;

  /**
   * Runs the command and exits with its code.
   *
   * @param args the command-line arguments
   */
  @SuppressForbidden
  public static void main(String[] args) {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line, with the generated footer (categories and plants).
   *
   * @return a picocli command line around a fresh command
   */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new WeirStress());
    List<String> footer = new ArrayList<>();
    footer.add("%nCategories:");
    for (Category c : Category.values()) {
      footer.add(String.format(Locale.ROOT, "  %-13s %s", c.label, c.description));
    }
    footer.add("%nPlanted bugs (--plant, a self-check of the checkers: the run must exit 1):");
    for (Plant p : Plant.values()) {
      footer.add(
          String.format(
              Locale.ROOT, "  %-13s %s; caught in: %s", p.label, p.description, p.catchers()));
    }
    footer.add(
        "%nExample: java -jar engine-testkit/target/weir-stress.jar --category all"
            + " --intensity smoke");
    footer.add("A failed run prints its replay command, e.g.");
    footer.add(
        "  java -jar engine-testkit/target/weir-stress.jar --category load --seed 42"
            + " --intensity smoke --deterministic");
    cl.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
    return cl;
  }

  @Override
  public Integer call() {
    CommandSpec command = spec;
    if (command == null) {
      throw new IllegalStateException("picocli did not inject the command spec");
    }
    CommandLine cl = command.commandLine();
    if (deterministic && duration != null) {
      throw new ParameterException(
          cl,
          "--duration cannot be combined with --deterministic: a deterministic run ends by"
              + " operation count (set by --intensity: smoke, low, medium, high)");
    }
    Plant bug = plant;
    if (bug == Plant.LEAK && deterministic) {
      throw new ParameterException(
          cl,
          "--plant leak cannot be combined with --deterministic: the heap checks measure the"
              + " machine, so deterministic runs leave them out");
    }
    if (bug != null && !bug.caughtIn(category)) {
      throw new ParameterException(
          cl,
          "--plant "
              + bug.label
              + " is caught only in --category "
              + bug.catchers()
              + "; with --category "
              + category.label
              + " nothing would check for it");
    }
    PrintWriter printer = cl.getOut();
    long runSeed = seed != null ? seed : Seeds.pick();
    List<Category> categories = category.expand();
    printer.printf(
        Locale.ROOT,
        "weir-stress: seed %d%s, intensity %s, %d categor%s (%s)%s%n",
        runSeed,
        deterministic ? " (deterministic)" : "",
        intensity.label,
        categories.size(),
        categories.size() == 1 ? "y" : "ies",
        String.join(", ", categories.stream().map(c -> c.label).toList()),
        bug == null ? "" : ", planted bug: " + bug.label);
    printer.println("  replay: " + replay(category, runSeed));
    printer.flush();
    Scenarios scenarios =
        new Scenarios(
            new Scenarios.Settings(
                runSeed,
                deterministic,
                intensity,
                duration,
                bug,
                out,
                line -> {
                  if (reportLevel == Level.DETAILED || !line.startsWith("stress test '")) {
                    printer.println("  " + line.replace("\n", "\n  "));
                    printer.flush();
                  }
                },
                c -> replay(c, runSeed)));
    SuiteReport suite =
        SuiteReport.in(out)
            .name("weir-stress")
            .seed(runSeed)
            .deterministic(deterministic)
            .replay(replay(category, runSeed));
    List<String> failed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < categories.size(); i++) {
      Category c = categories.get(i);
      printer.printf(
          Locale.ROOT, "[%d/%d] %s: %s%n", i + 1, categories.size(), c.label, c.description);
      printer.flush();
      CountDownLatch release = new CountDownLatch(1);
      Scenarios.Ran ran;
      try {
        ran = scenarios.run(c, release);
      } finally {
        release.countDown(); // a stalled node (--plant stall) may return now
      }
      add(suite, ran);
      StressResult r = ran.result();
      printer.printf(
          Locale.ROOT,
          "[%d/%d] %s %s: %d operations in %.1f s%s%n",
          i + 1,
          categories.size(),
          r.passed() ? "PASSED" : "FAILED",
          r.run().name(),
          ran.load() != null ? ran.load().completed() : r.run().operations(),
          r.run().elapsed().toMillis() / 1000.0,
          r.traceHash().isPresent() ? ", trace hash " + r.traceHash().getAsLong() : "");
      if (!r.passed()) {
        failed.add(c.label);
        r.failure()
            .ifPresent(
                f -> printer.println("    failure: " + f.strip().lines().findFirst().orElse("")));
        for (Map.Entry<String, CheckResult> check : r.checks().entrySet()) {
          if (!check.getValue().passed()) {
            printer.println(
                "    "
                    + check.getValue().verdict()
                    + " "
                    + check.getKey()
                    + ": "
                    + check.getValue().detail().strip().lines().findFirst().orElse(""));
          }
        }
        printer.println("    artifacts: " + r.folder().toAbsolutePath());
        printer.println("    replay: " + r.replayCommand());
      }
      printer.flush();
    }
    Path folder = suite.write();
    printer.printf(
        Locale.ROOT,
        "weir-stress %s: %d of %d scenarios passed in %.1f s (seed %d%s)%n",
        suite.passed() ? "PASSED" : "FAILED",
        categories.size() - failed.size(),
        categories.size(),
        (System.nanoTime() - start) / 1e9,
        runSeed,
        suite.traceHash().isPresent() ? ", trace hash " + suite.traceHash().getAsLong() : "");
    printer.println("  reports: " + folder.toAbsolutePath().resolve("report.html"));
    printer.println("           " + folder.toAbsolutePath().resolve("report.md"));
    printer.println("           " + folder.toAbsolutePath().resolve("report.json"));
    for (String label : failed) {
      printer.println("  replay " + label + ": " + replay(Category.parse(label), runSeed));
    }
    printer.flush();
    return suite.passed() ? 0 : 1;
  }

  private static void add(SuiteReport suite, Scenarios.Ran ran) {
    suite.add(ran.result());
    if (ran.load() != null) {
      Duration bound = ran.p99Bound();
      if (bound != null) {
        suite.add(ran.result(), ran.load(), bound);
      } else {
        suite.add(ran.result(), ran.load());
      }
    }
    if (ran.saturation() != null) {
      suite.add(ran.result(), ran.saturation());
    }
  }

  /** The command that replays a category of this invocation with its seed. */
  String replay(Category which, long runSeed) {
    StringBuilder sb = new StringBuilder("java -jar ").append(jar());
    sb.append(" --category ").append(which.label).append(" --seed ").append(runSeed);
    sb.append(" --intensity ").append(intensity.label);
    if (deterministic) {
      sb.append(" --deterministic");
    }
    if (duration != null) {
      sb.append(" --duration ").append(duration.toMillis()).append("ms");
    }
    if (plant != null) {
      sb.append(" --plant ").append(plant.label);
    }
    return sb.toString();
  }

  /** The jar this runs from, relative to the working directory when below it. */
  private static String jar() {
    try {
      Path location =
          Path.of(WeirStress.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (location.toString().endsWith(".jar")) {
        Path cwd = Path.of("").toAbsolutePath();
        return location.startsWith(cwd) ? cwd.relativize(location).toString() : location.toString();
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the documented location
    }
    return "engine-testkit/target/weir-stress.jar";
  }
}
