package dev.weir.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every command in README.md and docs/*.md names modules, test classes, test methods, profiles and
 * scripts that exist, and the README's test command is what CI runs. Runs in every build; {@link
 * DocumentedCommandsRunTest} runs the commands themselves on CI.
 */
class DocumentedCommandsTest {

  private static final Path ROOT = Repository.root();
  private static final Sources SOURCES = new Sources(ROOT);

  private static List<String> problems(String markdown) {
    List<String> problems = new ArrayList<>();
    for (DocCommand command : DocCommands.read("page.md", markdown.lines().toList())) {
      problems.addAll(CommandCheck.problems(command, SOURCES));
    }
    return problems;
  }

  @Test
  void everyDocumentedCommand_namesOnlyThingsThatExist() {
    List<DocCommand> commands = DocCommands.read(ROOT);
    List<String> problems = new ArrayList<>();
    for (DocCommand command : commands) {
      problems.addAll(CommandCheck.problems(command, SOURCES));
    }

    assertThat(commands).as("commands found in README.md and docs/*.md").hasSizeGreaterThan(10);
    assertThat(problems)
        .as("commands in README.md and docs/*.md that name something that does not exist")
        .isEmpty();
  }

  @Test
  void readmeTestCommand_isExactlyWhatCiRuns() {
    Matcher exec =
        Pattern.compile("(?m)^exec (mvn .*)$").matcher(Sources.read(ROOT.resolve(".ci/run")));
    assertThat(exec.find()).as(".ci/run has a line 'exec mvn ...'").isTrue();

    List<DocCommand> ci =
        DocCommands.read(ROOT).stream()
            .filter(DocCommand::sameAsCi)
            .filter(c -> c.file().equals("README.md"))
            .toList();

    assertThat(ci).as("README.md's ```shell same-as-ci fence").hasSize(1);
    assertThat(ci.get(0).text()).isEqualTo(exec.group(1).strip());
  }

  @Test
  void checkedCommandsOfOneModuleWithoutAm_runAfterACheckedInstall() {
    boolean installed = false;
    List<String> problems = new ArrayList<>();
    for (DocCommand command : DocCommands.read(ROOT)) {
      if (!command.verbatimChecked()) {
        continue;
      }
      MavenCommand maven = MavenCommand.parse(command.text()).orElse(null);
      if (maven == null) {
        continue;
      }
      if (!maven.modules().isEmpty() && !maven.alsoMake() && !installed) {
        problems.add(
            command
                + ": builds one module without -am before any checked 'mvn ... install' has"
                + " installed what it depends on");
      }
      installed |= maven.goals().contains("install");
    }

    assertThat(problems).isEmpty();
  }

  @Test
  void check_flagsAMissingModuleClassMethodProfileAndScript() {
    List<String> problems =
        problems(
            """
            ```
            mvn -B -ntp -pl tests-nowhere -am verify
            mvn -B -ntp -pl tests-unit -am verify -Dtest='MixedPoliciesTest'
            mvn -B -ntp -pl tests-unit -am verify -Dtest='EdgeContractTest#noSuchMethod'
            mvn -B -ntp -Pturbo -pl tests-unit verify
            bash .ci/nothing
            java -jar tests-gone/target/x.jar
            java -jar engine-testkit/target/weir-nothing.jar --help
            ```
            """);

    assertThat(problems)
        .hasSize(7)
        .anySatisfy(p -> assertThat(p).startsWith("page.md:2: -pl tests-nowhere is no module"))
        .anySatisfy(
            p -> assertThat(p).startsWith("page.md:3: -Dtest=MixedPoliciesTest names no test"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "page.md:4: -Dtest=EdgeContractTest#noSuchMethod: EdgeContractTest has no method"
                            + " noSuchMethod"))
        .anySatisfy(p -> assertThat(p).isEqualTo("page.md:5: -Pturbo is in no pom.xml"))
        .anySatisfy(
            p -> assertThat(p).isEqualTo("page.md:6: no script .ci/nothing in the repository"))
        .anySatisfy(p -> assertThat(p).startsWith("page.md:7: tests-gone/target/x.jar"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "page.md:8: engine-testkit/target/weir-nothing.jar: engine-testkit/pom.xml"
                            + " builds no jar"));
  }

  @Test
  void check_acceptsRealModulesClassesMethodsGlobsAndProfiles() {
    assertThat(
            problems(
                """
                Inline: `mvn -B -ntp -pl tests-integration -am verify -Dtest='MixedPoliciesTest'`.

                ```shell verbatim-checked
                mvn -B -ntp -pl tests-unit -am test -Dtest='JqwikSeedHookTest#weirSeed_sameValue_generatesTheSameSamples+failingProperty_namesItsSeedAndThatSeedReplaysIt'
                mvn -B -ntp -pl tests-unit,tests-integration -am test -Dtest='Edge*Test,ShutdownDrainTest'
                mvn -B -ntp -Pmutation -pl tests-unit -am verify
                bash .ci/run
                java -jar engine-testkit/target/weir-stress.jar --category all --intensity smoke
                java -jar tests-jcstress/target/jcstress.jar -m quick
                java -jar benchmarks/target/benchmarks.jar -i 10
                ```
                """))
        .isEmpty();
  }

  @Test
  void read_marksFencesContinuesLinesAndAttachesPrints() {
    List<DocCommand> commands =
        DocCommands.read(
            "page.md",
            """
            ```java
            mvn this is java code, not a command
            ```

            ```shell verbatim-checked
            # a comment
            mvn -B -ntp \\
                install -DskipTests
            # prints: Coverage gate skipped
            ```

            ```
            +--- an ASCII diagram
            mvn -B -ntp verify
            ```

            ```shell same-as-ci
            mvn -B -ntp verify
            ```
            """
                .lines()
                .toList());

    assertThat(commands)
        .containsExactly(
            new DocCommand(
                "page.md",
                7,
                "mvn -B -ntp install -DskipTests",
                true,
                false,
                List.of("Coverage gate skipped")),
            new DocCommand("page.md", 14, "mvn -B -ntp verify", false, false, List.of()),
            new DocCommand("page.md", 18, "mvn -B -ntp verify", false, true, List.of()));
  }

  @Test
  void read_printsWithoutACommandAbove_isAnError() {
    assertThatThrownBy(
            () ->
                DocCommands.read(
                    "page.md", List.of("```shell verbatim-checked", "# prints: x", "```")))
        .hasMessage("page.md:2: '# prints:' needs a command above it in its fence");
  }
}
