package dev.weir.scheduler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weir.scheduler.Priority;
import java.util.EnumMap;
import org.junit.jupiter.api.Test;

/**
 * The band selector alone: weighted ratio over non-empty bands, smooth spreading, fallback to
 * whatever band is non-empty, and no burst for a band that comes back.
 */
class WeightedBandSelectorTest {

  private static final int CONTROL = Priority.CONTROL.ordinal();
  private static final int HIGH = Priority.HIGH.ordinal();
  private static final int NORMAL = Priority.NORMAL.ordinal();
  private static final int LOW = Priority.LOW.ordinal();
  private static final int ALL = 0b1111;

  private static EnumMap<Priority, Integer> weights(int control, int high, int normal, int low) {
    EnumMap<Priority, Integer> w = new EnumMap<>(Priority.class);
    w.put(Priority.CONTROL, control);
    w.put(Priority.HIGH, high);
    w.put(Priority.NORMAL, normal);
    w.put(Priority.LOW, low);
    return w;
  }

  private static int bit(int band) {
    return 1 << band;
  }

  private static long[] count(WeightedBandSelector selector, int nonEmpty, int picks) {
    long[] counts = new long[WeightedBandSelector.BANDS];
    for (int i = 0; i < picks; i++) {
      counts[selector.pick(nonEmpty)]++;
    }
    return counts;
  }

  @Test
  void pick_allBandsNonEmpty_servesDefaultWeights8to4to2to1() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(8, 4, 2, 1));

    long[] counts = count(selector, ALL, 15_000);

    assertThat(counts[CONTROL]).isCloseTo(8_000, within(2L));
    assertThat(counts[HIGH]).isCloseTo(4_000, within(2L));
    assertThat(counts[NORMAL]).isCloseTo(2_000, within(2L));
    assertThat(counts[LOW]).isCloseTo(1_000, within(2L));
  }

  @Test
  void pick_customWeights_servesThoseWeights() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(1, 2, 3, 4));

    long[] counts = count(selector, ALL, 10_000);

    assertThat(counts[CONTROL]).isCloseTo(1_000, within(2L));
    assertThat(counts[HIGH]).isCloseTo(2_000, within(2L));
    assertThat(counts[NORMAL]).isCloseTo(3_000, within(2L));
    assertThat(counts[LOW]).isCloseTo(4_000, within(2L));
  }

  @Test
  void pick_subsetOfBandsNonEmpty_servesTheirRelativeWeights() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(8, 4, 2, 1));

    long[] counts = count(selector, bit(HIGH) | bit(LOW), 5_000);

    assertThat(counts[HIGH]).isCloseTo(4_000, within(2L));
    assertThat(counts[LOW]).isCloseTo(1_000, within(2L));
    assertThat(counts[CONTROL] + counts[NORMAL]).isZero();
  }

  @Test
  void pick_allBandsNonEmpty_spreadsPicksInsteadOfRunningOneBandInARow() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(8, 4, 2, 1));
    int longestRun = 0;
    int run = 0;
    int previous = -1;

    for (int i = 0; i < 1_500; i++) {
      int band = selector.pick(ALL);
      run = band == previous ? run + 1 : 1;
      previous = band;
      longestRun = Math.max(longestRun, run);
    }

    // 8 of every 15 picks go to CONTROL, yet never more than two of them back to back.
    assertThat(longestRun).isLessThanOrEqualTo(2);
  }

  @Test
  void pick_onlyOneBandNonEmpty_picksItEveryTime() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(8, 4, 2, 1));

    for (int band = 0; band < WeightedBandSelector.BANDS; band++) {
      long[] counts = count(selector, bit(band), 100);
      assertThat(counts[band]).as("band %s alone", Priority.values()[band]).isEqualTo(100);
    }
  }

  @Test
  void pick_bandEmptiesAndRefills_fallsBackThenResumesTheRatioWithoutABurst() {
    WeightedBandSelector selector = new WeightedBandSelector(weights(8, 4, 2, 1));
    count(selector, bit(HIGH) | bit(LOW), 1_003);

    long[] lowAlone = count(selector, bit(LOW), 1_000);
    long[] highAlone = count(selector, bit(HIGH), 1_000);
    long[] both = count(selector, bit(HIGH) | bit(LOW), 50);

    assertThat(lowAlone[LOW]).isEqualTo(1_000);
    assertThat(highAlone[HIGH]).isEqualTo(1_000);
    // Time spent alone earns no credit: the next 50 shared picks are still 4:1.
    assertThat(both[HIGH]).isCloseTo(40, within(2L));
    assertThat(both[LOW]).isCloseTo(10, within(2L));
  }
}
