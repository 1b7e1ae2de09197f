package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.junit.SeedReplayError;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;

/** The global jqwik hook replays properties from {@code -Dweir.seed} and names the seed. */
class JqwikSeedHookTest {

  /** Run only through {@link FixtureRun}: records what jqwik generated. */
  static class Fixture {
    static final List<Long> SAMPLES = new ArrayList<>();

    @Property(tries = 20, afterFailure = AfterFailureMode.RANDOM_SEED)
    void records(@ForAll long value) {
      SAMPLES.add(value);
    }
  }

  /** Run only through {@link FixtureRun}: fails on its first sample. */
  static class FailingFixture {
    static final List<Long> SAMPLES = new ArrayList<>();

    @Property(
        tries = 20,
        afterFailure = AfterFailureMode.RANDOM_SEED,
        shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void fails(@ForAll long value) {
      SAMPLES.add(value);
      throw new AssertionError("falsified by " + value);
    }
  }

  private static List<Long> samples(String seed) {
    Fixture.SAMPLES.clear();
    List<FixtureRun.Outcome> outcomes = FixtureRun.run(Fixture.class, seed);
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).result().getStatus())
        .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    return new ArrayList<>(Fixture.SAMPLES);
  }

  @Test
  void weirSeed_sameValue_generatesTheSameSamples() {
    List<Long> first = samples("777");
    List<Long> second = samples("777");
    List<Long> other = samples("778");

    assertThat(first).hasSize(20).isEqualTo(second).isNotEqualTo(other);
  }

  @Test
  void failingProperty_namesItsSeedAndThatSeedReplaysIt() {
    FailingFixture.SAMPLES.clear();
    FixtureRun.Outcome failed = FixtureRun.run(FailingFixture.class, null).get(0);
    long firstSample = FailingFixture.SAMPLES.get(0);

    assertThat(failed.result().getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
    assertThat(failed.failure()).isInstanceOf(SeedReplayError.class);
    String seed = ((SeedReplayError) failed.failure()).seed();
    assertThat(failed.failure())
        .hasMessageStartingWith(
            "[replay with: mvn -B -ntp -pl tests-unit -am test"
                + " -Dtest='JqwikSeedHookTest$FailingFixture#fails' -Dweir.seed="
                + seed
                + "] falsified by ");

    FailingFixture.SAMPLES.clear();
    FixtureRun.Outcome replayed = FixtureRun.run(FailingFixture.class, seed).get(0);

    assertThat(FailingFixture.SAMPLES.get(0)).isEqualTo(firstSample);
    assertThat(replayed.failure().getMessage()).isEqualTo(failed.failure().getMessage());
  }
}
