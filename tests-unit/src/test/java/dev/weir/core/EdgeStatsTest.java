package dev.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The ledger arithmetic every suite relies on: {@code offered} sums every outcome and {@code
 * unaccounted} is exactly the gap, so a lost or duplicated message shows as a non-zero number.
 */
class EdgeStatsTest {

  private static EdgeStats stats(long accepted, long delivered, long evicted, int depth) {
    // accepted, evicted, coalesced, blocked, dropped, failed, rejected, closed,
    // delivered, discarded, depth, controlDepth, highWaterMark
    return new EdgeStats(accepted, evicted, 3, 4, 5, 6, 7, 8, delivered, 2, depth, 1, 9);
  }

  @Test
  void unaccounted_ledgerBalances_isZero() {
    assertThat(stats(20, 10, 4, 3).unaccounted()).isZero(); // 10 + 4 + 2 + 3 + 1 = 20
  }

  @Test
  void unaccounted_aMessageMissing_isTheGap() {
    assertThat(stats(22, 10, 4, 3).unaccounted()).isEqualTo(2);
  }

  @Test
  void unaccounted_aMessageCountedTwice_isNegative() {
    assertThat(stats(20, 11, 4, 3).unaccounted()).isEqualTo(-1);
  }

  @Test
  void offered_sumsEveryOutcome() {
    // accepted + coalesced + blocked + dropped + failed + rejected + closed
    assertThat(stats(20, 10, 4, 3).offered()).isEqualTo(20 + 3 + 4 + 5 + 6 + 7 + 8);
  }
}
