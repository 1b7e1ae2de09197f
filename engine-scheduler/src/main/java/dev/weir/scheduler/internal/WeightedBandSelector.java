package dev.weir.scheduler.internal;

import dev.weir.scheduler.Priority;
import java.util.EnumMap;

/**
 * Picks the next band to serve by smooth weighted round-robin over the non-empty bands: each pick
 * credits every non-empty band with its weight, takes the band with the most credit and debits it
 * by the total. Over any run of picks with the same non-empty bands, each band is served in
 * proportion to its weight, picks are spread out (8:4:2:1 gives C H C N C H C L ..., not C×8), and
 * an empty band neither accumulates credit nor blocks the others: the fallback to any non-empty
 * band is built in.
 *
 * <p>Thread-safety: not thread-safe; guarded by the {@link ReadyQueues} lock.
 *
 * <p>References: the nginx upstream "smooth weighted round-robin" balancer.
 */
final class WeightedBandSelector {

  static final int BANDS = Priority.values().length;

  private final int[] weights = new int[BANDS];
  private final long[] credit = new long[BANDS];

  WeightedBandSelector(EnumMap<Priority, Integer> bandWeights) {
    for (Priority p : Priority.values()) {
      weights[p.ordinal()] = bandWeights.getOrDefault(p, 1);
    }
  }

  /**
   * Returns the band to serve.
   *
   * @param nonEmpty bit {@code i} set when band {@code i} has a ready node; must not be 0
   * @return the band index
   */
  int pick(int nonEmpty) {
    if (Integer.bitCount(nonEmpty) == 1) {
      return Integer.numberOfTrailingZeros(nonEmpty);
    }
    int best = -1;
    long total = 0;
    for (int band = 0; band < BANDS; band++) {
      if ((nonEmpty & (1 << band)) == 0) {
        continue;
      }
      credit[band] += weights[band];
      total += weights[band];
      if (best < 0 || credit[band] > credit[best]) {
        best = band;
      }
    }
    credit[best] -= total;
    return best;
  }
}
