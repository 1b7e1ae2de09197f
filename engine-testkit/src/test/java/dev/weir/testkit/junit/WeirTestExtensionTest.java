package dev.weir.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weir.core.EdgeSpec;
import dev.weir.core.Graph;
import dev.weir.core.Nodes;
import dev.weir.scheduler.RunningGraph;
import dev.weir.scheduler.Scheduler;
import dev.weir.testkit.Seeds;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs deliberately failing sample tests (static nested fixtures, which Surefire does not pick up
 * on its own) through the Jupiter engine with JUnit's EngineTestKit, and checks what a user of
 * {@link WeirTest} sees: the verbatim replay command in the failure message, the artifacts folder
 * with the graph's snapshot taken before teardown, and {@code -Dweir.seed} replaying the seed.
 */
class WeirTestExtensionTest {

  /** Run only through {@link #run}: records each test's seed by method name. */
  @WeirTest
  static class Fixture {
    static final Map<String, Long> SEEDS = new LinkedHashMap<>();

    @Test
    void failsWithSeed(long seed) {
      SEEDS.put("failsWithSeed", seed);
      throw new AssertionError("boom with " + new SplittableRandom(seed).nextLong());
    }

    @Test
    void failsWithSeedObject(Seed seed) {
      SEEDS.put("failsWithSeedObject", seed.value());
      throw new IllegalStateException("not an assertion");
    }

    @Test
    void failsWithoutSeed() {
      throw new AssertionError("plain failure");
    }

    @Test
    void abortsWithSeed(long seed) {
      Assumptions.assumeTrue(false, "not today");
    }

    @Test
    void passesWithSeed(long seed) {
      SEEDS.put("passesWithSeed", seed);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void parameterizedTakesItsLongFromTheSource(long value, Seed seed) {
      assertThat(value).isBetween(7L, 8L);
      SEEDS.put("parameterized" + value, seed.value());
    }
  }

  /**
   * Run only through {@link #run}: fails while a graph runs; its {@code @AfterEach} stops the
   * graph, as a test's teardown would.
   *
   * <pre>
   *   ingress "in" ──BLOCK(8)──► sink (waits for the latch)
   * </pre>
   */
  @WeirTest
  static class GraphFixture {
    static @Nullable RunningGraph stoppedInTeardown;
    static @Nullable RunningGraph leftRunning;
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    private @Nullable RunningGraph running;

    static RunningGraph start(long seed) {
      Graph graph =
          Graph.builder("fixture")
              .add(
                  "sink",
                  Nodes.sink(
                      String.class,
                      s -> {
                        try {
                          RELEASE.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }))
              .ingress("in", "sink.in", EdgeSpec.blocking(8))
              .build();
      return Scheduler.builder().seed(seed).build().start(graph);
    }

    @Test
    void failsWhileTheGraphRuns(long seed, FailureArtifacts artifacts) {
      running = artifacts.watch(start(seed));
      stoppedInTeardown = running;
      for (int i = 0; i < 5; i++) {
        running.ingress("in", String.class).offer("m" + i);
      }
      artifacts.attach("notes.txt", () -> "five offered");
      throw new AssertionError("the sink is stuck");
    }

    @Test
    void failsAndLeavesTheGraphToTheExtension(long seed, FailureArtifacts artifacts) {
      leftRunning = artifacts.watch(start(seed));
      throw new AssertionError("left running");
    }

    @AfterEach
    void tearDown() {
      RELEASE.countDown();
      if (running != null) {
        running.stop(Duration.ofSeconds(10));
      }
    }
  }

  /** Run only through {@link #run}: a seed taken by {@code @BeforeEach} is the test's. */
  @WeirTest
  static class BeforeEachFixture {
    static final List<Long> SEEDS = new ArrayList<>();

    @BeforeEach
    void setUp(long seed) {
      SEEDS.add(seed);
    }

    @Test
    void failsUsingTheSeedOfBeforeEach(Seed seed) {
      SEEDS.add(seed.value());
      throw new AssertionError("failed");
    }
  }

  /** One finished test of a fixture. */
  record Outcome(String name, TestExecutionResult result) {
    Throwable failure() {
      return result.getThrowable().orElseThrow();
    }
  }

  /**
   * Runs a fixture class with {@code weir.seed} and {@code weir.module} set as given (null clears
   * the property), restoring both afterwards.
   */
  private static List<Outcome> run(
      Class<?> fixture, @Nullable String seed, @Nullable String module) {
    String savedSeed = System.getProperty(Seeds.PROPERTY);
    String savedModule = System.getProperty(Seeds.MODULE_PROPERTY);
    set(Seeds.PROPERTY, seed);
    set(Seeds.MODULE_PROPERTY, module);
    try {
      List<Outcome> outcomes = new ArrayList<>();
      for (Event event :
          EngineTestKit.engine("junit-jupiter")
              .selectors(selectClass(fixture))
              .execute()
              .testEvents()
              .finished()
              .list()) {
        outcomes.add(
            new Outcome(
                event.getTestDescriptor().getLegacyReportingName(),
                event.getRequiredPayload(TestExecutionResult.class)));
      }
      return outcomes;
    } finally {
      set(Seeds.PROPERTY, savedSeed);
      set(Seeds.MODULE_PROPERTY, savedModule);
    }
  }

  private static void set(String key, @Nullable String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static Outcome only(List<Outcome> outcomes, String namePrefix) {
    return outcomes.stream()
        .filter(o -> o.name().startsWith(namePrefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no test " + namePrefix + " in " + outcomes));
  }

  private static String read(Path file) throws Exception {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  @Test
  void failingTest_messageStartsWithTheVerbatimReplayCommand() {
    Fixture.SEEDS.clear();

    List<Outcome> outcomes = run(Fixture.class, null, "engine-testkit");

    Outcome failed = only(outcomes, "failsWithSeed(");
    long seed = Objects.requireNonNull(Fixture.SEEDS.get("failsWithSeed"));
    String command =
        "mvn -B -ntp -pl engine-testkit -am test"
            + " -Dtest='WeirTestExtensionTest$Fixture#failsWithSeed' -Dweir.seed="
            + seed;
    assertThat(failed.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(failed.failure())
        .isInstanceOf(SeedReplayError.class)
        .hasMessageStartingWith("[replay with: " + command + "] boom with ")
        .hasCauseInstanceOf(AssertionError.class);
    SeedReplayError error = (SeedReplayError) failed.failure();
    assertThat(error.command()).isEqualTo(command);
    assertThat(error.seed()).isEqualTo(Long.toString(seed));
    assertThat(error.getStackTrace())
        .isEqualTo(Objects.requireNonNull(error.getCause()).getStackTrace());
    assertThat(only(outcomes, "failsWithSeedObject").failure())
        .hasMessageStartingWith(
            "[replay with: mvn -B -ntp -pl engine-testkit -am test"
                + " -Dtest='WeirTestExtensionTest$Fixture#failsWithSeedObject' -Dweir.seed="
                + Fixture.SEEDS.get("failsWithSeedObject")
                + "] java.lang.IllegalStateException: not an assertion");
  }

  @Test
  void withoutTheModuleProperty_commandHasNoPlAndTheMessageSaysWhereToRunIt() {
    Fixture.SEEDS.clear();

    Outcome failed = only(run(Fixture.class, null, null), "failsWithSeed(");

    assertThat(((SeedReplayError) failed.failure()).command())
        .isEqualTo(
            "mvn -B -ntp test -Dtest='WeirTestExtensionTest$Fixture#failsWithSeed' -Dweir.seed="
                + Fixture.SEEDS.get("failsWithSeed"));
    assertThat(failed.failure().getMessage())
        .contains("\n(replay: run it in the directory of the module that holds the test");
  }

  @Test
  void failingTest_writesArtifactsWithTheSnapshotOfTheStillRunningGraph() throws Exception {
    List<Outcome> outcomes = run(GraphFixture.class, null, "engine-testkit");

    SeedReplayError error = (SeedReplayError) only(outcomes, "failsWhileTheGraphRuns").failure();
    Path folder = error.artifacts().orElseThrow();
    assertThat(folder.getFileName().toString())
        .isEqualTo("WeirTestExtensionTest$GraphFixture.failsWhileTheGraphRuns-seed" + error.seed());
    assertThat(error.getMessage()).endsWith("\n(artifacts: " + folder + ")");
    assertThat(read(folder.resolve("seed.txt"))).isEqualTo(error.seed() + "\n");
    assertThat(read(folder.resolve("replay.txt"))).isEqualTo(error.command() + "\n");
    assertThat(read(folder.resolve("failure.txt")))
        .contains("failsWhileTheGraphRuns", "AssertionError: the sink is stuck");
    // Written before @AfterEach stopped the graph: a snapshot taken after would say "stopped".
    assertThat(read(folder.resolve("snapshot.txt")))
        .startsWith("graph 'fixture' (running) when the failure was caught:")
        .contains("in", "sink", "trace hash");
    assertThat(read(folder.resolve("notes.txt"))).isEqualTo("five offered");
    RunningGraph graph = Objects.requireNonNull(GraphFixture.stoppedInTeardown);
    assertThat(graph.isRunning()).isFalse();
  }

  @Test
  void watchedGraphStillRunningAfterTheTest_isStoppedByTheExtension() {
    List<Outcome> outcomes = run(GraphFixture.class, null, "engine-testkit");

    assertThat(only(outcomes, "failsAndLeavesTheGraphToTheExtension").failure())
        .hasMessageContaining("left running");
    RunningGraph graph = Objects.requireNonNull(GraphFixture.leftRunning);
    assertThat(graph.isRunning()).isFalse();
  }

  @Test
  void weirSeedProperty_replaysTheSameSeedAndTheSameFailure() {
    Fixture.SEEDS.clear();
    List<Outcome> first = run(Fixture.class, "-3141592653", "engine-testkit");
    List<Long> firstSeeds = new ArrayList<>(Fixture.SEEDS.values());
    Fixture.SEEDS.clear();
    List<Outcome> second = run(Fixture.class, "-3141592653", "engine-testkit");

    assertThat(firstSeeds).hasSize(5).containsOnly(-3141592653L);
    assertThat(Fixture.SEEDS.values()).hasSize(5).containsOnly(-3141592653L);
    assertThat(only(first, "failsWithSeed(").failure().getMessage())
        .startsWith(
            "[replay with: mvn -B -ntp -pl engine-testkit -am test"
                + " -Dtest='WeirTestExtensionTest$Fixture#failsWithSeed' -Dweir.seed=-3141592653]"
                + " boom with ")
        .isEqualTo(only(second, "failsWithSeed(").failure().getMessage());
  }

  @Test
  void noSeedProperty_picksAFreshSeedPerTest() {
    Fixture.SEEDS.clear();
    run(Fixture.class, null, "engine-testkit");
    List<Long> seeds = new ArrayList<>(Fixture.SEEDS.values());
    Fixture.SEEDS.clear();
    run(Fixture.class, "", "engine-testkit");
    seeds.addAll(Fixture.SEEDS.values());

    assertThat(seeds).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void parameterizedTest_keepsItsLongArgumentsAndTakesASeedParameter() {
    Fixture.SEEDS.clear();

    List<Outcome> outcomes = run(Fixture.class, null, "engine-testkit");

    assertThat(outcomes.stream().filter(o -> o.name().startsWith("parameterized")))
        .hasSize(2)
        .allSatisfy(
            o ->
                assertThat(o.result().getStatus())
                    .isEqualTo(TestExecutionResult.Status.SUCCESSFUL));
    assertThat(Fixture.SEEDS).containsKeys("parameterized7", "parameterized8");
  }

  @Test
  void failingTestWithoutSeed_andAbortedTest_areLeftAlone() {
    List<Outcome> outcomes = run(Fixture.class, null, "engine-testkit");

    assertThat(only(outcomes, "failsWithoutSeed").failure())
        .isNotInstanceOf(SeedReplayError.class)
        .hasMessage("plain failure");
    Outcome aborted = only(outcomes, "abortsWithSeed");
    assertThat(aborted.result().getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
    assertThat(aborted.failure()).isNotInstanceOf(SeedReplayError.class);
  }

  @Test
  void seedTakenInBeforeEach_isTheTestsSeedAndNamedOnFailure() {
    BeforeEachFixture.SEEDS.clear();

    Outcome failed = run(BeforeEachFixture.class, null, "engine-testkit").get(0);

    assertThat(BeforeEachFixture.SEEDS).hasSize(2);
    long seed = BeforeEachFixture.SEEDS.get(0);
    assertThat(BeforeEachFixture.SEEDS.get(1)).isEqualTo(seed);
    assertThat(failed.failure().getMessage())
        .startsWith(
            "[replay with: mvn -B -ntp -pl engine-testkit -am test"
                + " -Dtest='WeirTestExtensionTest$BeforeEachFixture#failsUsingTheSeedOfBeforeEach'"
                + " -Dweir.seed="
                + seed
                + "] failed\n(artifacts: ");
  }

  @Test
  void attach_reservedOrPathName_isRejected() {
    FailureArtifacts artifacts = new FailureArtifacts(Seed.of(1));

    for (String name : List.of("seed.txt", "snapshot.txt", "a/b.txt", "", ".hidden")) {
      assertThatThrownBy(() -> artifacts.attach(name, () -> "x"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
