package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed property and the replay command every suite prints: {@code -Dweir.seed} parsing, {@code
 * derive}, and the command's test selector and module.
 */
class SeedsTest {

  private static String withModule(@Nullable String module, Supplier<String> body) {
    String saved = System.getProperty(Seeds.MODULE_PROPERTY);
    if (module == null) {
      System.clearProperty(Seeds.MODULE_PROPERTY);
    } else {
      System.setProperty(Seeds.MODULE_PROPERTY, module);
    }
    try {
      return body.get();
    } finally {
      if (saved == null) {
        System.clearProperty(Seeds.MODULE_PROPERTY);
      } else {
        System.setProperty(Seeds.MODULE_PROPERTY, saved);
      }
    }
  }

  @Test
  void parse_blankOrNull_isEmpty() {
    assertThat(Seeds.parse(null)).isEmpty();
    assertThat(Seeds.parse("")).isEmpty();
    assertThat(Seeds.parse("  ")).isEmpty();
  }

  @Test
  void parse_decimalLong_isTheSeed() {
    assertThat(Seeds.parse("42")).isEqualTo(OptionalLong.of(42));
    assertThat(Seeds.parse(" -9223372036854775808 ")).isEqualTo(OptionalLong.of(Long.MIN_VALUE));
  }

  @Test
  void parse_garbage_failsInsteadOfRunningRandom() {
    assertThatThrownBy(() -> Seeds.parse("0x2a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-Dweir.seed=0x2a");
  }

  @Test
  void derive_streams_differAndAreStable() {
    assertThat(Seeds.derive(5, 0))
        .isNotEqualTo(Seeds.derive(5, 1))
        .isEqualTo(Seeds.derive(5, 0))
        .isNotEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(longs = {42, -3141592653L})
  void replayHint_onTheTestsThread_namesTheTestMethod(long seed) {
    Supplier<String> inALambda = () -> Seeds.replayHint(seed);

    String expected =
        "replay with: mvn -B -ntp -pl tests-stress -am test"
            + " -Dtest='SeedsTest#replayHint_onTheTestsThread_namesTheTestMethod'"
            + " -Dweir.seed="
            + seed;
    assertThat(withModule("tests-stress", () -> Seeds.replayHint(seed))).isEqualTo(expected);
    assertThat(withModule("tests-stress", inALambda)).isEqualTo(expected);
  }

  @Test
  void replayHint_offTheTestsThread_replaysTheWholeModule() throws Exception {
    FutureTask<String> hint = new FutureTask<>(() -> Seeds.replayHint(42));
    Thread thread = new Thread(() -> withModule("tests-unit", () -> run(hint)), "a-node-worker");
    thread.start();

    assertThat(hint.get())
        .isEqualTo("replay with: mvn -B -ntp -pl tests-unit -am test -Dweir.seed=42");
  }

  private static String run(FutureTask<String> task) {
    task.run();
    return "";
  }

  @Test
  void replayCommand_withoutModuleProperty_hasNoPlAndTheHintSaysWhereToRunIt() {
    assertThat(withModule(null, () -> Seeds.replayCommand(SeedsTest.class, "m", "5")))
        .isEqualTo("mvn -B -ntp test -Dtest='SeedsTest#m' -Dweir.seed=5");
    assertThat(withModule(null, () -> Seeds.replayHint(5)))
        .endsWith(" -Dweir.seed=5 (" + withModule(null, Seeds::replayNote) + ")");
    assertThat(withModule("tests-unit", Seeds::replayNote)).isEmpty();
  }

  @Test
  void replayCommand_nestedClass_usesTheBinaryName() {
    assertThat(withModule("m", () -> Seeds.replayCommand(Nested.class, "t", "1")))
        .isEqualTo("mvn -B -ntp -pl m -am test -Dtest='SeedsTest$Nested#t' -Dweir.seed=1");
  }

  /** A class to name. */
  static final class Nested {}
}
