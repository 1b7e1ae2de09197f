package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The leak detector's arithmetic on synthetic samples, and a planted leak it must see. */
class LeakDetectorTest {

  private static final long MIB = 1L << 20;

  private static ResourceSample at(double minutes, long heapAfterGc) {
    return new ResourceSample((long) (minutes * 60e9), heapAfterGc, heapAfterGc, 0, 0, 1, -1, -1);
  }

  @Test
  void slope_ofAStraightLine_isItsGradientPerMinute() {
    List<ResourceSample> samples = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      samples.add(at(i, 100 * MIB + 5 * MIB * i));
    }

    assertThat(LeakDetector.of(MIB, Duration.ZERO).slopeBytesPerMinute(samples))
        .isCloseTo(5.0 * MIB, within(1e-3));
  }

  @Test
  void samplesInTheWarmUpAndWithoutAReading_areLeftOut() {
    List<ResourceSample> samples = new ArrayList<>();
    samples.add(at(0, 0)); // warm-up: would steepen the slope enormously
    samples.add(at(0.5, 900 * MIB));
    samples.add(at(1.5, -1)); // no collection seen yet
    for (int i = 2; i <= 6; i++) {
      samples.add(at(i, 300 * MIB));
    }

    LeakDetector detector = LeakDetector.of(MIB, Duration.ofMinutes(1));
    assertThat(detector.slopeBytesPerMinute(samples)).isEqualTo(0.0);
    assertThat(detector.check(samples).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void noisyFlatHeap_staysUnderTheThreshold_andSteadyGrowth_exceedsIt() {
    SplittableRandom random = new SplittableRandom(Seeds.pick());
    List<ResourceSample> flat = new ArrayList<>();
    List<ResourceSample> growing = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      long noise = random.nextLong(-8 * MIB, 8 * MIB);
      flat.add(at(i, 200 * MIB + noise));
      growing.add(at(i, 200 * MIB + noise + 4 * MIB * i));
    }
    LeakDetector detector = LeakDetector.of(2 * MIB, Duration.ZERO);

    assertThat(detector.check(flat).verdict())
        .as(detector.check(flat).detail())
        .isEqualTo(Verdict.VALID);
    CheckResult leak = detector.check(growing);
    assertThat(leak.verdict()).as(leak.detail()).isEqualTo(Verdict.INVALID);
    assertThat(leak.detail()).contains("bytes/minute", "threshold 2097152");
  }

  @Test
  void tooFewSamples_isUnknown() {
    CheckResult result = LeakDetector.of(MIB, Duration.ZERO).check(List.of(at(0, 1), at(1, 2)));

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void plantedLeak_aNodeRetainingMessages_isDetected() {
    List<byte[]> retained = new ArrayList<>();
    try (ResourceMonitor monitor = ResourceMonitor.manual()) {
      for (int step = 0; step < 6; step++) {
        PlantedLeak.retain(retained, 100); // what a leaking node would keep: 6.4 MB per step
        PlantedLeak.collectAndSample(monitor);
      }
      CheckResult leak = LeakDetector.of(10 * MIB, Duration.ZERO).check(monitor.samples());

      assertThat(leak.verdict()).as(leak.detail()).isEqualTo(Verdict.INVALID);
      assertThat(monitor.samples())
          .allSatisfy(s -> assertThat(s.liveThreads()).isPositive())
          .allSatisfy(s -> assertThat(s.gcCount()).isPositive());
    }
    assertThat(retained).hasSize(600);
  }
}
