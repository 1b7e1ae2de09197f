package dev.weir.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.FutureTask;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A scenario's failure message carries the whole command that replays it. */
class SeedsTest {

  @ParameterizedTest
  @ValueSource(longs = {42, -3141592653L})
  void replayHint_inATest_isTheCommandThatReplaysThatTestWithTheSeed(long seed) {
    assertThat(Seeds.replayHint(seed))
        .isEqualTo(
            "replay with: mvn -B -ntp -pl tests-integration -am test"
                + " -Dtest='SeedsTest#replayHint_inATest_isTheCommandThatReplaysThatTestWithTheSeed'"
                + " -Dweir.seed="
                + seed);
  }

  @ParameterizedTest
  @ValueSource(longs = {42})
  void replayHint_offTheTestsThread_replaysTheWholeModule(long seed) throws Exception {
    FutureTask<String> hint = new FutureTask<>(() -> Seeds.replayHint(seed));
    Thread thread = new Thread(hint, "a-node-worker");
    thread.start();

    assertThat(hint.get())
        .isEqualTo("replay with: mvn -B -ntp -pl tests-integration -am test -Dweir.seed=42");
  }
}
