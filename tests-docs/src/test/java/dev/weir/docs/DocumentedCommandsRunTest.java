package dev.weir.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs, on a fresh copy of the repository, every command of README.md and docs/*.md whose fence is
 * marked {@code verbatim-checked}, verbatim and in page order (README.md first, so its install step
 * comes before the commands that build one module alone), and requires each to exit 0, to print
 * what its {@code # prints:} lines say, and, when it selects tests with {@code -Dtest}, to run at
 * least one. Then it runs the coverage gate alone on that copy without execution data.
 *
 * <p>Only on CI ({@code CI=true}) or with {@code -Dweir.docs.run=true}: it builds the project again
 * (about three minutes on two cores) and its install step writes {@code dev.weir} snapshots into
 * the local repository, which CI's throwaway machine may hold but a shared one should not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentedCommandsRunTest {

  private static final Pattern RAN_A_TEST = Pattern.compile("Tests run: [1-9]");
  private static FreshCopy copy;

  @BeforeAll
  static void copyTheRepository() throws Exception {
    Assumptions.assumeTrue(
        "true".equalsIgnoreCase(System.getenv("CI"))
            || Boolean.parseBoolean(System.getProperty("weir.docs.run")),
        "runs on CI (CI=true) or with -Dweir.docs.run=true");
    copy = FreshCopy.of(Repository.root(), Path.of("target", "fresh-clone").toAbsolutePath());
    System.out.println("[tests-docs] fresh copy of the repository in " + copy.dir());
  }

  @Test
  @Order(1)
  void verbatimCheckedCommands_runVerbatimOnAFreshClone() throws Exception {
    List<DocCommand> commands =
        DocCommands.read(Repository.root()).stream().filter(DocCommand::verbatimChecked).toList();
    assertThat(commands).as("verbatim-checked commands in README.md and docs/*.md").isNotEmpty();

    List<String> failures = new ArrayList<>();
    for (DocCommand command : commands) {
      FreshCopy.Result result = copy.run(command.text());
      System.out.printf(
          "[tests-docs] %s exit %d in %d s: %s%n",
          command.where(), result.exitCode(), result.took().toSeconds(), command.text());
      List<String> wrong = new ArrayList<>();
      if (result.exitCode() != 0) {
        wrong.add("exited " + result.exitCode());
      }
      for (String expected : command.prints()) {
        if (!result.output().contains(expected)) {
          wrong.add("did not print '" + expected + "'");
        }
      }
      if (result.exitCode() == 0
          && command.text().contains("-Dtest=")
          && !RAN_A_TEST.matcher(result.output()).find()) {
        wrong.add("ran no test (does -Dtest name a test of the -pl module?)");
      }
      if (!wrong.isEmpty()) {
        failures.add(
            command
                + "\n  "
                + String.join(", ", wrong)
                + "; the last lines of its output (all of it: "
                + result.log()
                + "):\n"
                + result.tail(40));
      }
    }

    assertThat(failures)
        .as(
            "documented commands that do not run verbatim on a fresh clone (fix the command or"
                + " the build, see docs/testing.md, 'Documented commands')")
        .isEmpty();
  }

  @Test
  @Order(2)
  void coverageGate_withoutExecutionData_failsSayingWhatItLookedForAndWhatWritesIt()
      throws Exception {
    Files.deleteIfExists(copy.dir().resolve("tests-unit/target/jacoco.exec"));
    Files.deleteIfExists(copy.dir().resolve("tests-integration/target/jacoco.exec"));

    FreshCopy.Result result = copy.run("mvn -B -ntp -pl coverage verify");

    assertThat(result.exitCode()).as(result.tail(40)).isNotZero();
    assertThat(result.output())
        .contains("Coverage gate: no execution data to check. It looked for")
        .contains("MISSING " + copy.dir().resolve("tests-unit/target/jacoco.exec"))
        .contains("MISSING " + copy.dir().resolve("tests-integration/target/jacoco.exec"))
        .contains("mvn -B -ntp verify")
        .doesNotContain("covered ratio is 0.00");
  }

  @Test
  @Order(3)
  void coverageGate_withTestsOrCoverageSkipped_saysSoInOneLineAndPasses() throws Exception {
    for (String skip : List.of("-DskipTests", "-Dmaven.test.skip=true", "-Djacoco.skip=true")) {
      FreshCopy.Result result = copy.run("mvn -B -ntp -pl coverage verify " + skip);

      assertThat(result.exitCode()).as(result.tail(40)).isZero();
      assertThat(result.output().lines().filter(l -> l.contains("Coverage gate skipped")))
          .singleElement()
          .asString()
          .contains("Coverage gate skipped: " + skip.replace("=true", ""));
    }
  }
}
