package dev.weir.integration;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The seed of a randomized scenario: {@code -Dweir.seed=N} replays one, otherwise each run draws a
 * fresh one. Kept to these few lines on purpose (tests-unit's {@code dev.weir.testing.Seed} is not
 * visible from this module); scenarios print {@link #replayHint} in every failure message.
 */
final class Seeds {

  private Seeds() {}

  /** Returns {@code -Dweir.seed} if set, else a fresh random seed. */
  static long pick() {
    String fixed = System.getProperty("weir.seed");
    if (fixed == null || fixed.isBlank()) {
      return ThreadLocalRandom.current().nextLong();
    }
    try {
      return Long.parseLong(fixed.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-Dweir.seed=" + fixed + " is not a decimal long", e);
    }
  }

  /** Returns the line a failure message carries so that the run can be replayed. */
  static String replayHint(long seed) {
    return "replay with -Dweir.seed=" + seed;
  }
}
