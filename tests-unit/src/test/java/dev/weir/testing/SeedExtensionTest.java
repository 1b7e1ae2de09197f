package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;

class SeedExtensionTest {

  /** Run only through {@link FixtureRun}: records the seeds it was given and fails on purpose. */
  @ExtendWith(SeedExtension.class)
  static class Fixture {
    static final Map<String, Long> SEEDS = new HashMap<>();

    @Test
    void failsWithSeed(Seed seed) {
      SEEDS.put("failsWithSeed", seed.value());
      throw new AssertionError("boom with " + seed.random().nextLong());
    }

    @Test
    void failsWithoutSeed() {
      throw new AssertionError("plain failure");
    }

    @Test
    void abortsWithSeed(Seed seed) {
      Assumptions.assumeTrue(false, "not today");
    }

    @Test
    void passesWithSeed(Seed seed) {
      SEEDS.put("passesWithSeed", seed.value());
    }
  }

  /** Run only through {@link FixtureRun}: a seed taken by {@code @BeforeEach} is the test's. */
  @ExtendWith(SeedExtension.class)
  static class BeforeEachFixture {
    static final List<Long> SEEDS = new ArrayList<>();

    @BeforeEach
    void setUp(Seed seed) {
      SEEDS.add(seed.value());
    }

    @Test
    void failsUsingTheSeedOfBeforeEach(Seed seed) {
      SEEDS.add(seed.value());
      throw new AssertionError("failed");
    }
  }

  @Test
  void parse_blankOrNull_isEmpty() {
    assertThat(Seed.parse(null)).isEmpty();
    assertThat(Seed.parse("")).isEmpty();
    assertThat(Seed.parse("  ")).isEmpty();
  }

  @Test
  void parse_decimalLong_isTheSeed() {
    assertThat(Seed.parse("42")).isEqualTo(OptionalLong.of(42));
    assertThat(Seed.parse(" -9223372036854775808 ")).isEqualTo(OptionalLong.of(Long.MIN_VALUE));
  }

  @Test
  void parse_garbage_failsInsteadOfRunningRandom() {
    assertThatThrownBy(() -> Seed.parse("0x2a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dweir.seed=0x2a");
  }

  @Test
  void random_sameSeed_sameSequence() {
    SplittableRandom a = Seed.of(5).random();
    SplittableRandom b = Seed.of(5).random();

    for (int i = 0; i < 100; i++) {
      assertThat(a.nextLong()).isEqualTo(b.nextLong());
    }
    assertThat(Seed.of(5).random().nextLong()).isNotEqualTo(Seed.of(6).random().nextLong());
  }

  @Test
  void derive_streams_differAndAreStable() {
    Seed seed = Seed.of(5);

    assertThat(seed.derive(0)).isNotEqualTo(seed.derive(1)).isEqualTo(Seed.of(5).derive(0));
    assertThat(seed.derive(0)).isNotEqualTo(seed.value());
  }

  @Test
  void failingTestWithSeed_isRethrownWithTheReplayHintAndTheOriginalAsCause() {
    Fixture.SEEDS.clear();

    List<FixtureRun.Outcome> outcomes = FixtureRun.run(Fixture.class, null);

    FixtureRun.Outcome failed = FixtureRun.only(outcomes, "failsWithSeed");
    long seed = Fixture.SEEDS.get("failsWithSeed");
    assertThat(failed.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(failed.failure())
        .isInstanceOf(SeedReplayError.class)
        .hasMessageStartingWith(
            "[replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='SeedExtensionTest$Fixture#failsWithSeed' -Dweir.seed="
                + seed
                + "] boom with ")
        .hasCauseInstanceOf(AssertionError.class);
    assertThat(((SeedReplayError) failed.failure()).seed()).isEqualTo(Long.toString(seed));
    assertThat(((SeedReplayError) failed.failure()).command())
        .isEqualTo(
            "mvn -B -ntp -pl tests-unit -am test -Dtest='SeedExtensionTest$Fixture#failsWithSeed'"
                + " -Dweir.seed="
                + seed);
    assertThat(failed.failure().getStackTrace())
        .isEqualTo(failed.failure().getCause().getStackTrace());
  }

  @Test
  void failingTestWithoutSeed_isLeftAlone() {
    List<FixtureRun.Outcome> outcomes = FixtureRun.run(Fixture.class, null);

    assertThat(FixtureRun.only(outcomes, "failsWithoutSeed").failure())
        .isNotInstanceOf(SeedReplayError.class)
        .hasMessage("plain failure");
  }

  @Test
  void abortedTestWithSeed_staysAborted() {
    List<FixtureRun.Outcome> outcomes = FixtureRun.run(Fixture.class, null);

    FixtureRun.Outcome aborted = FixtureRun.only(outcomes, "abortsWithSeed");
    assertThat(aborted.result().getStatus()).isEqualTo(TestExecutionResult.Status.ABORTED);
    assertThat(aborted.failure()).isNotInstanceOf(SeedReplayError.class);
  }

  @Test
  void seedTakenInBeforeEach_isTheTestsSeedAndNamedOnFailure() {
    BeforeEachFixture.SEEDS.clear();

    FixtureRun.Outcome failed = FixtureRun.run(BeforeEachFixture.class, null).get(0);

    assertThat(BeforeEachFixture.SEEDS).hasSize(2);
    long seed = BeforeEachFixture.SEEDS.get(0);
    assertThat(BeforeEachFixture.SEEDS.get(1)).isEqualTo(seed);
    assertThat(failed.failure())
        .hasMessage(
            "[replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='SeedExtensionTest$BeforeEachFixture#failsUsingTheSeedOfBeforeEach'"
                + " -Dweir.seed="
                + seed
                + "] failed");
  }

  @Test
  void weirSeedProperty_fixesEverySeedAndReplaysTheFailure() {
    Fixture.SEEDS.clear();
    List<FixtureRun.Outcome> first = FixtureRun.run(Fixture.class, "-3141592653");
    assertThat(Fixture.SEEDS.values()).hasSize(2).containsOnly(-3141592653L);
    Fixture.SEEDS.clear();
    List<FixtureRun.Outcome> second = FixtureRun.run(Fixture.class, "-3141592653");

    assertThat(Fixture.SEEDS.values()).hasSize(2).containsOnly(-3141592653L);
    assertThat(FixtureRun.only(first, "failsWithSeed").failure().getMessage())
        .startsWith(
            "[replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='SeedExtensionTest$Fixture#failsWithSeed' -Dweir.seed=-3141592653] ")
        .isEqualTo(FixtureRun.only(second, "failsWithSeed").failure().getMessage());
  }

  @Test
  void noSeedProperty_picksAFreshSeedPerTest() {
    Fixture.SEEDS.clear();
    FixtureRun.run(Fixture.class, null);
    List<Long> seeds = new ArrayList<>(Fixture.SEEDS.values());
    Fixture.SEEDS.clear();
    FixtureRun.run(Fixture.class, "");
    seeds.addAll(Fixture.SEEDS.values());

    assertThat(seeds).hasSize(4).doesNotHaveDuplicates();
  }

  @Test
  void replayHint_onTheTestsThread_namesTheTestMethod() {
    Supplier<String> inALambda = () -> Seed.replayHint(-7);

    assertThat(Seed.replayHint(42))
        .isEqualTo(
            "replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='SeedExtensionTest#replayHint_onTheTestsThread_namesTheTestMethod'"
                + " -Dweir.seed=42");
    assertThat(inALambda.get())
        .isEqualTo(
            "replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='SeedExtensionTest#replayHint_onTheTestsThread_namesTheTestMethod'"
                + " -Dweir.seed=-7");
  }

  @Test
  void replayHint_offTheTestsThread_replaysTheWholeModule() throws Exception {
    FutureTask<String> hint = new FutureTask<>(() -> Seed.replayHint(42));
    Thread thread = new Thread(hint, "not-a-test");
    thread.start();

    assertThat(hint.get())
        .isEqualTo("replay with: mvn -B -ntp -pl tests-unit -am test -Dweir.seed=42");
  }

  @Test
  void replayCommand_namesTheModuleThatSurefirePasses() {
    String saved = System.getProperty(Seed.MODULE_PROPERTY);
    System.setProperty(Seed.MODULE_PROPERTY, "tests-stress");
    try {
      assertThat(Seed.replayCommand(SeedExtensionTest.class, "m", "5"))
          .isEqualTo(
              "mvn -B -ntp -pl tests-stress -am test -Dtest='SeedExtensionTest#m' -Dweir.seed=5");
    } finally {
      if (saved == null) {
        System.clearProperty(Seed.MODULE_PROPERTY);
      } else {
        System.setProperty(Seed.MODULE_PROPERTY, saved);
      }
    }
  }
}
